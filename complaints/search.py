"""The ledger search over number, petitioner name, summary and content, for any term of two or more characters.

pg_trgm cannot serve a two-character Chinese term (理赔, 退保), the common case, so every case's searchable
text is cut into its distinct character bigrams and trigrams, stored in CaseSearchIndex. A two-character term
becomes its bigram, a longer one its trigrams; a case matches when it holds all of them (a GIN index on
PostgreSQL, LIKE on SQLite). For a two-character term the bigram *is* the term, so the index answers alone; a
longer term is then confirmed with icontains on the candidate rows, because holding all its trigrams does not
quite prove they are adjacent.

A term whose every gram is in at least COMMON_FRACTION of the cases (by PostgreSQL's statistics of the GIN
index, read at most every few minutes) is *broad*: its index candidates run to tens of thousands, so it is
matched with strpos() on the four columns instead, which lets PostgreSQL walk the ledger's date index and stop
after one page; the ledger then counts it exactly only up to BROAD_COUNT_LIMIT ("超过 1000 件").

When every word is broad and the search box is the only filter, the "超过 1000 件" count walks CaseSearchText
instead of the cases (`search_count`): the same test on one short row per case (docs/performance.md「2026-12-06
第九轮」).

Both are maintained by `case_reindex(case)`, which the complaints services call after a case's number, name,
summary or content change, and in bulk by `reindex_cases()` (demo data, repairs); `search_rows` makes a case's two
rows wherever cases are written in bulk.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import reduce
from operator import and_, or_

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value
from django.db.models.functions import Lower, StrIndex

from complaints.models import Case, CaseSearchIndex, CaseSearchText
from core.crypto import blind_index
from core.personal import validate_phone, validate_resident_id

SEARCH_FIELDS = ("number", "name", "summary", "content")
MIN_TERM_LENGTH = 2
COMMON_FRACTION = 0.01  # a term whose rarest gram is in ≥ 1% of the cases is broad
BROAD_COUNT_LIMIT = 1000  # a broad search is counted exactly up to this many cases
_STATISTICS_SECONDS = 600
# A whole case number (ts-2026-0012) is looked up by the (org, number) index, not searched.
CASE_NUMBER = re.compile(r"[a-z]{2}-\d{4}-\d{4,}")
_SPACE = re.compile(r"\s")


def bigrams_of(text: str) -> set[str]:
    """The distinct lower-cased pairs of adjacent characters of `text`, leaving out pairs with whitespace."""
    text = (text or "").lower()
    return {text[i : i + 2] for i in range(len(text) - 1) if not _SPACE.search(text[i : i + 2])}


def trigrams_of(text: str) -> set[str]:
    """The distinct lower-cased runs of three adjacent characters of `text`, leaving out runs with whitespace."""
    text = (text or "").lower()
    return {text[i : i + 3] for i in range(len(text) - 2) if not _SPACE.search(text[i : i + 3])}


def query_grams(word: str) -> set[str]:
    """What the index is asked for: a two-character word's bigram, a longer word's trigrams. Trigrams keep
    most of the adjacency that bigrams lose: 保险理赔 needs 保险理 and 险理赔, which few cases hold even where
    保险, 险理 and 理赔 are each common."""
    return trigrams_of(word) if len(word) > MIN_TERM_LENGTH else bigrams_of(word)


def case_bigrams(values: Iterable[str]) -> str:
    """The stored form: the sorted bigrams and trigrams separated by single spaces, with a space at each end."""
    grams: set[str] = set()
    for value in values:
        grams |= bigrams_of(value) | trigrams_of(value)
    return " " + " ".join(sorted(grams)) + " "


def search_text(values: Iterable[str]) -> str:
    """CaseSearchText's text: the values lower-cased, one per line. A search word has no white space, so it is found
    in the text exactly when it is in one of the values."""
    return "\n".join((value or "").lower() for value in values)


def search_rows(pk: int, org_id: int, values: Iterable[str]) -> tuple[CaseSearchIndex, CaseSearchText]:
    """A case's two search rows (unsaved) from its id, unit and SEARCH_FIELDS values."""
    values = list(values)
    return (
        CaseSearchIndex(case_id=pk, bigrams=case_bigrams(values)),
        CaseSearchText(case_id=pk, org_id=org_id, text=search_text(values)),
    )


def _searchable(case) -> list[str]:
    return [getattr(case, field) or "" for field in SEARCH_FIELDS]


def case_reindex(case: Case) -> None:
    """Bring the search rows of one case in step with its unit, number, name, summary and content."""
    index, text = search_rows(case.pk, case.org_id, _searchable(case))
    CaseSearchIndex.objects.update_or_create(case_id=case.pk, defaults={"bigrams": index.bigrams})
    CaseSearchText.objects.update_or_create(case_id=case.pk, defaults={"org_id": text.org_id, "text": text.text})


def reindex_cases(queryset: QuerySet | None = None, *, batch_size: int = 5000, stdout=None) -> int:
    """Rebuild the search rows of many cases in batches (replacing them); returns the number indexed."""
    queryset = Case.objects.all() if queryset is None else queryset
    total = 0
    batch: list[tuple[CaseSearchIndex, CaseSearchText]] = []

    def flush():
        nonlocal total
        ids = [index.case_id for index, _text in batch]
        with transaction.atomic():
            for model, rows in ((CaseSearchIndex, [r[0] for r in batch]), (CaseSearchText, [r[1] for r in batch])):
                model.objects.filter(case_id__in=ids).delete()
                model.objects.bulk_create(rows, batch_size=batch_size)
        total += len(batch)
        batch.clear()
        if stdout is not None:
            stdout.write(f"检索索引：已处理 {total} 件")

    rows = queryset.order_by("pk").values_list("pk", "org_id", *SEARCH_FIELDS)
    for pk, org_id, *values in rows.iterator(chunk_size=batch_size):
        batch.append(search_rows(pk, org_id, values))
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return total


def search_terms(query: str) -> list[str]:
    """The words of a query (split on whitespace), lower-cased."""
    return [word.lower() for word in (query or "").split() if word]


def frequencies_cache_key() -> str:
    return f"search:bigram-frequencies:{connection.settings_dict['NAME']}"


def bigram_frequencies() -> dict[str, float]:
    """The share of cases holding each common gram, from PostgreSQL's statistics of the GIN index (empty
    before the first ANALYZE, and on SQLite). Kept in the shared cache for a few minutes, so that every web node
    reads the same figures (docs/operations.md「多台服务器」)."""
    if connection.vendor != "postgresql":
        return {}
    key = frequencies_cache_key()
    frequencies = cache.get(key)
    if frequencies is not None:
        return frequencies
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT element, frequency FROM pg_stats, "
            "unnest(most_common_elems::text::text[], most_common_elem_freqs) AS mce(element, frequency) "
            "WHERE tablename = 'complaints_search_bigrams_gin' AND element IS NOT NULL"
        )
        frequencies = dict(cursor.fetchall())
    cache.set(key, frequencies, timeout=_STATISTICS_SECONDS)
    return frequencies


def is_broad(word: str, frequencies: dict[str, float] | None = None) -> bool:
    """Whether a search word is so common that walking the ledger beats fetching its index candidates.
    `frequencies`: bigram_frequencies(), when the caller has read them already (they come unpickled from the
    cache at every read)."""
    grams = query_grams(word)
    if not grams or connection.vendor != "postgresql" or CASE_NUMBER.fullmatch(word):
        return False
    frequencies = bigram_frequencies() if frequencies is None else frequencies
    return all(frequencies.get(gram, 0.0) >= COMMON_FRACTION for gram in grams)


def search_is_broad(query: str, frequencies: dict[str, float] | None = None) -> bool:
    frequencies = bigram_frequencies() if frequencies is None else frequencies
    return any(is_broad(word, frequencies) for word in search_terms(query))


def search_count(query: str, org_ids: list[int] | None, frequencies: dict[str, float] | None = None) -> QuerySet | None:
    """The CaseSearchText rows of the cases of units `org_ids` (None: of all units) that `search_filter` finds for
    `query`, for counting them where that is cheaper: when every word is broad (a rare word's count is cheap from
    the index, and a text walk for it could cover a whole office) and matched as text (not a case number, a
    resident ID or a phone number). None: count the cases themselves."""
    words = search_terms(query)
    frequencies = bigram_frequencies() if frequencies is None else frequencies
    if not words or not all(is_broad(w, frequencies) and personal_number_condition(w) is None for w in words):
        return None
    rows = CaseSearchText.objects.all() if org_ids is None else CaseSearchText.objects.filter(org_id__in=org_ids)
    aliases = {f"_found_{n}": StrIndex(F("text"), Value(word)) for n, word in enumerate(words)}
    return rows.alias(**aliases).filter(**{f"{alias}__gt": 0 for alias in aliases})


def _text_contains(word: str, n: int) -> tuple[Q, dict]:
    """strpos(column, word) > 0 on each column, as (condition, aliases); `n` keeps each word's aliases apart.

    PostgreSQL estimates these at a third each (a LIKE '%…%' at a fraction of a percent), so for a broad term it
    walks the ledger's date index and stops after a page. Terms without letters (Chinese, digits) skip lower(),
    which is most of the cost: a walk over all 600,000 cases of an office for a term found nowhere takes ~0.4 s
    instead of ~1 s."""
    cased = word != word.upper()
    aliases = {
        f"_strpos_{n}_{field}": StrIndex(Lower(field) if cased else F(field), Value(word)) for field in SEARCH_FIELDS
    }
    return reduce(or_, [Q(**{f"{alias}__gt": 0}) for alias in aliases]), aliases


class _HoldsAllGrams(Func):
    """`<the case's id> = ANY(ARRAY(SELECT case_id FROM <the index> WHERE grams @> <grams>))`, PostgreSQL only.

    The case's id is compiled by the ORM, so that the condition names the case of its own query even inside a
    subquery where the case table has an alias (the ledger's page of ids, `_page_values`): spelt as the table's name
    it named the outer query's case, and a rare word's page walked all 1,000,000 cases (0.9 s instead of 20 ms)."""

    output_field = BooleanField()

    def __init__(self, expression, *, grams: list[str]):
        super().__init__(expression)
        self.grams = grams

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        index = connection.ops.quote_name(CaseSearchIndex._meta.db_table)
        # Names from the models; the grams are a parameter.
        sql = f"{column} = ANY(ARRAY(SELECT case_id FROM {index} WHERE complaints_bigrams(bigrams) @> %s::text[]))"  # nosec B608
        return sql, [*params, self.grams]


def _index_match(queryset: QuerySet, grams: list[str]) -> QuerySet:
    """The cases of `queryset` whose index holds every gram in `grams`.

    On PostgreSQL the candidate ids are gathered first, as one array (an InitPlan over the GIN index): as a
    semi-join, the planner guessed a rare bigram's share at ~0.5% and walked all 600,000 cases of an office
    looking for 51 that were not there (3 s for a name without matches).
    """
    if connection.vendor == "postgresql":
        return queryset.filter(_HoldsAllGrams(F("pk"), grams=grams))
    rows = CaseSearchIndex.objects.filter(reduce(and_, [Q(bigrams__contains=f" {gram} ") for gram in grams]))
    return queryset.filter(pk__in=rows.values("case_id"))


def personal_number_condition(word: str) -> Q | None:
    """A whole resident ID or phone number as a search word matches the cases whose (encrypted) ID or phone is that
    number, through its keyed hash (docs/domain.md「个人信息」); None for any other word."""
    try:
        return Q(id_number_hash=blind_index("id", validate_resident_id(word)))
    except ValidationError:
        pass
    if len(re.sub(r"\D", "", word)) < 10:
        return None  # a service number such as 12378 is searched as text
    try:
        return Q(phone_hash=blind_index("phone", validate_phone(word)))
    except ValidationError:
        return None


def _text_match(word: str) -> Q:
    return reduce(or_, [Q(**{f"{field}__icontains": word}) for field in SEARCH_FIELDS])


def search_filter(queryset: QuerySet, query: str, frequencies: dict[str, float] | None = None) -> QuerySet:
    """Cases of `queryset` matching every word of `query` in number, name, summary or content."""
    for n, word in enumerate(search_terms(query)):
        if len(word) < MIN_TERM_LENGTH:
            # A one-character word has no bigram; it is matched directly (slow on big tables, but correct).
            queryset = queryset.filter(_text_match(word))
            continue
        if CASE_NUMBER.fullmatch(word):
            queryset = queryset.filter(number=word.upper())
            continue
        grams = sorted(query_grams(word))
        personal = personal_number_condition(word)
        if personal is not None:
            # The person's own number, or the number typed into the text.
            typed = _index_match(Case.objects.all(), grams).filter(_text_match(word)).values("pk")
            queryset = queryset.filter(personal | Q(pk__in=typed))
            continue
        if not grams:
            continue
        if is_broad(word, frequencies):
            condition, aliases = _text_contains(word, n)
            queryset = queryset.alias(**aliases).filter(condition)
            continue
        queryset = _index_match(queryset, grams)
        if len(word) > MIN_TERM_LENGTH:
            queryset = queryset.filter(_text_match(word))
    return queryset
