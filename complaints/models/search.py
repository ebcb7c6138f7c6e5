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
