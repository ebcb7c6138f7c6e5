"""A large demo load writes with COPY (laizhou_xiaobao/demo/copy_rows.py): the same rows as bulk_create with history,
and its parts cut per office and year (docs/performance.md「生成百万件」)."""

import copy
import datetime as dt
import random
import types

import pytest
from django.db import connection

from complaints.models import Case, CaseDocument, CaseSearchIndex, CaseSearchText, Contact, Forwarding
from complaints.search import case_bigrams, search_text
from core.crypto import TOKEN_PREFIX, blind_index
from core.models import Deadline
from laizhou_xiaobao.demo import complaints as demo
from laizhou_xiaobao.demo import copy_rows
from tests.complaints.test_ledger_demo import seeded_offices

# What differs between two stored copies of the same row by nature: keys, stamps, and what holds the case number.
OWN = {"id", "history_id", "history_date", "created_at", "updated_at", "object_id", "case_id", "duplicate_of_id"}
WITH_NUMBER = {"number", "label", "slip_number"}


def _values(model, **lookup) -> list[dict]:
    """The rows as the ORM reads them back (personal data decrypted), without what differs by nature."""
    rows = model.objects.filter(**lookup).order_by("pk").values()
    return [{key: value for key, value in row.items() if key not in OWN | WITH_NUMBER} for row in rows]


def _history(model, **lookup) -> list[dict]:
    rows = model.history.filter(**lookup).order_by("history_id").values()
    return [{key: value for key, value in row.items() if key not in OWN | WITH_NUMBER} for row in rows]


def _twins(seeder, count):
    """`count` demo cases as the seeder builds them, and an identical copy of each under another number."""
    built = [seeder.build(dt.date(2026, 11, 2) + dt.timedelta(days=i % 20)) for i in range(count)]
    cases = [case for case, _plan in built]
    for case in cases[:3]:
        # Text COPY must escape these; the stored text must come back as it was.
        case.content = "第一行\n第二行\t制表\\反斜杠\r末尾"
    twins = []
    for case in cases:
        twin = copy.copy(case)
        twin._state = copy.copy(case._state)
        twin.number = f"{case.number}-c"
        twins.append(twin)
    return built, twins


@pytest.mark.postgres
def test_copy_writes_the_rows_and_history_bulk_create_would(base_data):
    orgs = seeded_offices()
    seeder = demo._office_seeder(orgs["laizhou"], rng=random.Random(7), today=dt.date(2026, 12, 3), stdout=None)
    built, twins = _twins(seeder, 40)
    plans = [plan for _case, plan in built]

    bulk = seeder.store([case for case, _plan in built], Case)
    state = seeder.rng.getstate()  # the children draw the same values for both
    seeder.children(bulk, plans)
    seeder.copy = True
    copied = seeder.store(twins, Case)
    seeder.rng.setstate(state)
    seeder.children(copied, plans)

    assert all(twin.pk and not twin._state.adding for twin in copied)
    assert {twin.pk for twin in copied}.isdisjoint({case.pk for case in bulk})
    for case, twin in zip(bulk, copied, strict=True):
        stored = Case.objects.get(pk=twin.pk)
        assert (stored.number, stored.name, stored.id_number, stored.phone) == (
            twin.number,
            case.name,
            case.id_number,
            case.phone,
        )
        assert _values(Case, pk=twin.pk) == _values(Case, pk=case.pk)
        assert _history(Case, id=twin.pk) == _history(Case, id=case.pk)
        assert _values(Deadline, object_id=twin.pk) == _values(Deadline, object_id=case.pk)
        assert _history(Deadline, object_id=twin.pk) == _history(Deadline, object_id=case.pk)
        assert _values(Contact, case_id=twin.pk) == _values(Contact, case_id=case.pk)
        assert _values(Forwarding, case_id=twin.pk) == _values(Forwarding, case_id=case.pk)
        assert _history(Forwarding, case_id=twin.pk) == _history(Forwarding, case_id=case.pk)
        grams = case_bigrams([twin.number, twin.name, twin.summary, twin.content])
        assert CaseSearchIndex.objects.get(case_id=twin.pk).bigrams == grams
        text = CaseSearchText.objects.get(case_id=twin.pk)
        assert (text.org_id, text.text) == (
            case.org_id,
            search_text([twin.number, twin.name, twin.summary, twin.content]),
        )
    assert Case.objects.get(pk=copied[0].pk).content == "第一行\n第二行\t制表\\反斜杠\r末尾"
    # Personal data is stored encrypted, in the case and in its history, and looked up by its keyed hash.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.phone, h.phone, c.phone_hash FROM complaints_case c "
            "JOIN complaints_historicalcase h ON h.id = c.id WHERE c.id = ANY(%s) AND c.phone <> ''",
            [[twin.pk for twin in copied]],
        )
        stored = cursor.fetchall()
    assert stored and all(case.startswith(TOKEN_PREFIX) and history == case for case, history, _hash in stored)
    phoned = next(twin for twin in copied if twin.phone)
    assert Case.objects.filter(pk=phoned.pk, phone_hash=blind_index("phone", phoned.phone)).exists()
    history = Case.history.get(id=copied[0].pk)
    assert (history.history_type, history.history_change_reason, history.history_user_id) == ("+", "演示数据", None)
    # Deadlines, contacts and forwardings were made for these cases, not only compared empty.
    assert Deadline.objects.filter(object_id__in=[twin.pk for twin in copied]).exists()
    assert Contact.objects.filter(case_id__in=[twin.pk for twin in copied]).exists()
    assert Forwarding.objects.filter(case_id__in=[twin.pk for twin in copied]).exists()


def test_a_field_type_copy_does_not_know_is_refused():
    with pytest.raises(TypeError, match="JSONField"):
        copy_rows._table(CaseDocument)


def test_copy_refuses_a_naive_datetime():
    with pytest.raises(ValueError, match="naive"):
        copy_rows._moment(dt.datetime(2026, 12, 3, 9, 0))  # noqa: DTZ001


def test_a_large_load_is_cut_per_office_and_year_largest_first():
    """Seeded on 2 January: the cases of the last three years and two days fall in four years; each part holds
    one office's days of one year, all of them, the day of seeding in the newest part."""
    today = dt.date(2027, 1, 2)
    laizhou, zhaoyuan = types.SimpleNamespace(code="laizhou"), types.SimpleNamespace(code="zhaoyuan")
    parts = demo._parts([(laizhou, 6000), (zhaoyuan, 4000)], today=today, verbose=False)

    assert [len(days) for _org, days, *_rest in parts] == sorted((len(days) for _o, days, *_r in parts), reverse=True)
    for org, wanted in ((laizhou, 6000), (zhaoyuan, 4000)):
        own = [(days, year) for part_org, days, year, *_rest in parts if part_org is org]
        assert sorted(year for _days, year in own) == [2024, 2025, 2026, 2027]
        assert sum(len(days) for days, _year in own) == wanted
        assert all(day.year == year for days, year in own for day in days)
        newest = next(days for days, year in own if year == 2027)
        assert newest[-1] == today
    assert all(part[3] == today for part in parts)
