"""The ledger search over number, petitioner name, summary and content, for any term of two or more characters.

pg_trgm cannot serve a two-character Chinese term (理赔, 退保), the common case, so every case's searchable
text is cut into distinct character bigrams stored in CaseSearchIndex. A term becomes its bigrams; a case
matches when it holds all of them (a GIN index on PostgreSQL, LIKE on SQLite). For a two-character term the
bigram *is* the term, so the index answers alone; a longer term is then confirmed with icontains on the few
candidate rows, because holding all bigrams does not prove they are adjacent.

The index is maintained by `case_reindex(case)`, which the complaints services call after a case's number,
name, summary or content change, and in bulk by `reindex_cases()` (demo data, repairs).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import reduce
from operator import and_, or_

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from complaints.models import Case, CaseSearchIndex

SEARCH_FIELDS = ("number", "name", "summary", "content")
MIN_TERM_LENGTH = 2
_SPACE = re.compile(r"\s")


def bigrams_of(text: str) -> set[str]:
    """The distinct lower-cased pairs of adjacent characters of `text`, leaving out pairs with whitespace."""
    text = (text or "").lower()
    return {text[i : i + 2] for i in range(len(text) - 1) if not _SPACE.search(text[i : i + 2])}


def case_bigrams(values: Iterable[str]) -> str:
    """The stored form: sorted bigrams separated by single spaces, with a space at each end."""
    grams: set[str] = set()
    for value in values:
        grams |= bigrams_of(value)
    return " " + " ".join(sorted(grams)) + " "


def _searchable(case) -> list[str]:
    return [getattr(case, field) or "" for field in SEARCH_FIELDS]


def case_reindex(case: Case) -> None:
    """Bring the search index of one case in step with its number, name, summary and content."""
    CaseSearchIndex.objects.update_or_create(case_id=case.pk, defaults={"bigrams": case_bigrams(_searchable(case))})


def reindex_cases(queryset: QuerySet | None = None, *, batch_size: int = 5000, stdout=None) -> int:
    """Rebuild the index of many cases in batches (replacing their rows); returns the number indexed."""
    queryset = Case.objects.all() if queryset is None else queryset
    total = 0
    batch: list[CaseSearchIndex] = []

    def flush():
        nonlocal total
        with transaction.atomic():
            CaseSearchIndex.objects.filter(case_id__in=[row.case_id for row in batch]).delete()
            CaseSearchIndex.objects.bulk_create(batch, batch_size=batch_size)
        total += len(batch)
        batch.clear()
        if stdout is not None:
            stdout.write(f"检索索引：已处理 {total} 件")

    rows = queryset.order_by("pk").values_list("pk", *SEARCH_FIELDS)
    for pk, *values in rows.iterator(chunk_size=batch_size):
        batch.append(CaseSearchIndex(case_id=pk, bigrams=case_bigrams(values)))
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return total


def search_terms(query: str) -> list[str]:
    """The words of a query (split on whitespace), lower-cased."""
    return [word.lower() for word in (query or "").split() if word]


def _index_match(grams: list[str]):
    """A subquery of the case ids whose index holds every bigram in `grams`."""
    if connection.vendor == "postgresql":
        return RawSQL(
            "SELECT case_id FROM complaints_casesearchindex WHERE complaints_bigrams(bigrams) @> %s::text[]",
            [grams],
        )
    rows = CaseSearchIndex.objects.filter(reduce(and_, [Q(bigrams__contains=f" {gram} ") for gram in grams]))
    return rows.values("case_id")


def _text_match(word: str) -> Q:
    return reduce(or_, [Q(**{f"{field}__icontains": word}) for field in SEARCH_FIELDS])


def search_filter(queryset: QuerySet, query: str) -> QuerySet:
    """Cases of `queryset` matching every word of `query` in number, name, summary or content."""
    for word in search_terms(query):
        if len(word) < MIN_TERM_LENGTH:
            # A one-character word has no bigram; it is matched directly (slow on big tables, but correct).
            queryset = queryset.filter(_text_match(word))
            continue
        grams = sorted(bigrams_of(word))
        if not grams:
            continue
        queryset = queryset.filter(pk__in=_index_match(grams))
        if len(word) > MIN_TERM_LENGTH:
            queryset = queryset.filter(_text_match(word))
    return queryset
