from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseSearchIndex(models.Model):
    """The character bigrams and trigrams of a case's number, petitioner name, summary and content, for the
    ledger search (complaints.search; migration 0005 added the trigrams).

    Chinese has no spaces between words and pg_trgm cannot serve a two-character term (理赔, 退保), so the app
    indexes every run of two and of three adjacent characters itself. `bigrams` holds them, distinct and
    lower-cased, separated by single spaces, with a space at each end (" 理赔 理赔款 赔款 ts ts- s- "). On
    PostgreSQL a GIN index over `complaints_bigrams(bigrams)` (= string_to_array(bigrams, ' '); migrations
    0002–0003) answers "cases containing all these grams" from the index; on SQLite the same column is matched
    with LIKE '% 理赔 %'. Kept in step by complaints.search.case_reindex().
    """

    case = models.OneToOneField(
        "complaints.Case", primary_key=True, on_delete=models.CASCADE, related_name="search_index"
    )
    bigrams = models.TextField(_("检索二元组"))

    class Meta:
        verbose_name = _("检索索引")
        verbose_name_plural = _("检索索引")

    def __str__(self):
        return str(self.case_id)


class CaseSearchText(models.Model):
    """A case's searchable text in one short row: its number, petitioner name, summary and content, lower-cased and
    joined by line breaks, beside the case's unit (complaints.search.search_text).

    A common search word is counted only up to "超过 1000 件", and the count reads thousands of rows to get there
    (a word in 5% of the cases: some 18,000). Read from the cases, each row is ~700 bytes with the text behind a
    dozen other columns; here it is ~190 bytes, stored in the order of the cases, and the count walks the unit's
    rows by `org` in under two thirds of the time (docs/performance.md「2026-12-06 第九轮」). Kept in step with
    CaseSearchIndex by complaints.search.case_reindex() and written beside it wherever cases are loaded in bulk.
    """

    case = models.OneToOneField(
        "complaints.Case", primary_key=True, on_delete=models.CASCADE, related_name="search_text"
    )
    org = models.ForeignKey("core.OrgUnit", on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("检索文本"))

    class Meta:
        verbose_name = _("检索文本")
        verbose_name_plural = _("检索文本")

    def __str__(self):
        return str(self.case_id)
