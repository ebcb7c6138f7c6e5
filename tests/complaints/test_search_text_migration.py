"""Existing cases get their search text (complaints 0026). The migration's own function is run on the test database
with today's models, which are the models of that migration's state (no later migration changes them): migrating a
scratch database as far as 0026 would cost the suite some 40 s."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from complaints.models import CaseSearchText
from complaints.search import search_text
from tests.factories import make_case

pytestmark = pytest.mark.django_db

rows_migration = importlib.import_module("complaints.migrations.0026_case_search_text_rows")


def test_existing_cases_get_their_search_text_and_a_second_run_completes_the_first(orgs, clerk_a, other_clerk):
    first = make_case(org=orgs["laizhou"], owner=clerk_a, summary="ETC理赔拖延")
    second = make_case(org=orgs["zhaoyuan"], owner=other_clerk, summary="贷款", content="第一行\n第二行")
    third = make_case(org=orgs["laizhou"], owner=clerk_a, details=False, summary="征信")
    CaseSearchText.objects.all().delete()  # as before the migration
    # As if a first run had stopped after this row: it is left as it is.
    CaseSearchText.objects.create(case_id=second.pk, org_id=second.org_id, text="written before")

    rows_migration.fill(apps, SimpleNamespace(connection=connection))

    stored = {row.case_id: (row.org_id, row.text) for row in CaseSearchText.objects.all()}
    assert stored == {
        first.pk: (first.org_id, f"{first.number.lower()}\n王小明\netc理赔拖延\n反映银行未告知分期手续费。"),
        second.pk: (second.org_id, "written before"),
        third.pk: (third.org_id, f"{third.number.lower()}\n\n征信\n"),
    }
    # What the migration writes is what the search writes today.
    assert stored[first.pk][1] == search_text([first.number, first.name, first.summary, first.content])
