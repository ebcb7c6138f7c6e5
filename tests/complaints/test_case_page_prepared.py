"""The reads compiled once per process (core.rows.fetch_prepared: the signed-in user, the case, the case page's
lists) are prepared statements on PostgreSQL, parsed once per connection (docs/performance.md「预备语句」): the
page shows each case's own rows, costs the same number of queries, and DATABASE_PREPARED_STATEMENTS turns it off."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from core import rows
from core.personal import mask_name
from tests.complaints.test_views_cases import CASE_PAGE_QUERIES

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

UNION = '(SELECT $1 AS "_kind"'  # how fetch_prepared's statements read once psycopg has numbered the values


def _all_prepared() -> dict[str, int]:
    """Every statement prepared on this connection → how many times it has been run (planned generically or not)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        return dict(cursor.fetchall())


def _prepared() -> dict[str, int]:
    """This connection's prepared unions (fetch_prepared's) → how many times each has been run."""
    return {statement: runs for statement, runs in _all_prepared().items() if statement.startswith(UNION)}


def test_two_cases_read_on_the_same_prepared_statements_each_show_their_own(
    client_for, clerk_a, register, frozen, django_assert_num_queries
):
    first = register("petition", summary="第一件的摘要", name="王小明")
    second = register("petition", summary="第二件的摘要", name="李大海")
    client = client_for(clerk_a)
    client.get(reverse("complaints:case_detail", args=[first.pk]))
    before = _prepared()
    # The signed-in user, the case with its office, A and B, and the case's lists.
    assert len(before) >= 3, before
    with django_assert_num_queries(CASE_PAGE_QUERIES) as captured:
        response = client.get(reverse("complaints:case_detail", args=[second.pk]))
    # The query log shows a prepared read as every other: its SQL with the values in place.
    logged = [query["sql"] for query in captured.captured_queries]
    assert all(logged), logged
    case_id = re.compile(rf'"complaints_case"\."id" = \(?{second.pk}\)?')
    assert any(sql.startswith("(SELECT 'case' AS") and case_id.search(sql) for sql in logged), logged
    html = response.content.decode()
    assert response.status_code == 200
    assert second.number in html and "第二件的摘要" in html and mask_name("李大海") in html
    assert first.number not in html and "第一件的摘要" not in html and mask_name("王小明") not in html
    after = _prepared()
    assert set(after) == set(before), "a second case of the same shape is read on the same statements"
    assert all(after[statement] > runs for statement, runs in before.items()), (before, after)
    assert set(_all_prepared()) == set(after), "every other query of the page binds on the client, unprepared"


def test_ids_of_every_size_share_one_statement(db):
    """psycopg keys a prepared statement by its values' types, and a bare int is typed by its size (smallint,
    integer, bigint): an id slot's field sends every value as a bigint, so one shape is one statement."""
    from core.models import User
    from core.rows import Slot, fetch_prepared

    def build():
        users = User.objects.order_by("pk")
        return {"user": users.filter(pk=Slot("user")), "same": users.filter(pk=Slot("user"))}

    before = set(_prepared())
    for user_id in (5, 40_000, 3_000_000_000):
        assert fetch_prepared("test-id-sizes", build, {"user": user_id}) == {"user": [], "same": []}
    new = {statement: runs for statement, runs in _prepared().items() if statement not in before}
    assert list(new.values()) == [3], new


def test_turned_off_the_reads_bind_on_the_client_as_every_other_query(client_for, clerk_a, register, frozen, settings):
    case = register("petition")
    settings.DATABASE_PREPARED_STATEMENTS = False
    with rows.preparing_cursor(connection) as cursor:
        assert not isinstance(cursor.cursor, rows.PreparingCursor)
    before = _all_prepared()
    response = client_for(clerk_a).get(reverse("complaints:case_detail", args=[case.pk]))
    assert response.status_code == 200 and case.number in response.content.decode()
    assert _all_prepared() == before, "nothing prepared, nothing run on a prepared statement"


def test_the_bench_floor_replays_prepared_reads_on_their_prepared_statements(client_for, clerk_a, register, frozen):
    from laizhou_xiaobao.bench import floor

    case = register("petition")
    client = client_for(clerk_a)
    reads = floor._reads(client, reverse("complaints:case_detail", args=[case.pk]))
    assert sum(read.prepared for read in reads) >= 3, reads
    before = _prepared()
    assert before, "the page's own reads prepared them"
    times = floor._send(reads)
    after = _prepared()
    assert len(times) == len(reads) and all(t > 0 for t in times)
    assert all(after[statement] > runs for statement, runs in before.items()), (before, after)
