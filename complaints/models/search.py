from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseSearchIndex(models.Model):
    """The character bigrams of a case's number, petitioner name, summary and content, for the ledger search.

    Chinese has no spaces between words and pg_trgm cannot serve a two-character term (理赔, 退保), so the app
    indexes every pair of adjacent characters itself. `bigrams` holds the distinct lower-cased bigrams separated
    by single spaces, with a space at each end (" 理赔 赔款 ts s- "). On PostgreSQL a GIN index over
    `complaints_bigrams(bigrams)` (= string_to_array(bigrams, ' '); migrations 0002–0003) answers
    "cases containing all these bigrams" from the index; on SQLite the same column is matched with
    LIKE '% 理赔 %'. Kept in step by complaints.search.case_reindex().
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
