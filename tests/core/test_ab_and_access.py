import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.access import scope, visible_orgs
from core.models import Absence, User
from core.services.absences import absence_record, acting_handler

D = dt.date.fromisoformat


def test_org_path_is_materialised_from_the_parent(orgs):
    assert orgs["laizhou"].path == "/nfra/shandong/yantai/laizhou/"
    assert orgs["laizhou"].is_within(orgs["yantai"])
    assert not orgs["laizhou"].is_within(orgs["zhaoyuan"])


def test_moving_a_unit_moves_its_children(orgs):
    orgs["yantai"].parent = orgs["nfra"]
    orgs["yantai"].save()
    orgs["laizhou"].refresh_from_db()
    assert orgs["laizhou"].path == "/nfra/yantai/laizhou/"


def test_a_clerk_sees_only_their_own_sub_bureau(clerk_a, other_clerk, orgs):
    assert set(visible_orgs(clerk_a)) == {orgs["laizhou"]}
    assert set(scope(User.objects.all(), other_clerk)) == {other_clerk}


def test_a_branch_reviewer_sees_the_sub_bureaus_below(reviewer, orgs):
    assert set(visible_orgs(reviewer)) == {orgs["yantai"], orgs["laizhou"], orgs["zhaoyuan"]}


def test_a_user_without_org_sees_nothing(orgs):
    loose = User.objects.create(username="loose")
    assert not visible_orgs(loose).exists()
    assert not scope(User.objects.all(), loose).exists()


def test_a_acts_when_present(clerk_a, clerk_b):
    acting = acting_handler(clerk_a, clerk_b, D("2025-03-03"))
    assert acting.user == clerk_a and not acting.covering


def test_b_acts_when_a_is_absent(clerk_a, clerk_b, supervisor):
    Absence.objects.create(user=clerk_a, start_on=D("2025-03-01"), end_on=D("2025-03-05"))
    acting = acting_handler(clerk_a, clerk_b, D("2025-03-03"))
    assert acting.user == clerk_b and acting.covering and not acting.both_absent
    # The absence is over: A acts again.
    assert acting_handler(clerk_a, clerk_b, D("2025-03-06")).user == clerk_a


def test_supervisor_acts_when_a_and_b_are_both_absent(clerk_a, clerk_b, supervisor):
    Absence.objects.create(user=clerk_a, start_on=D("2025-03-01"), end_on=D("2025-03-05"))
    Absence.objects.create(user=clerk_b, start_on=D("2025-03-03"), end_on=D("2025-03-03"))
    acting = acting_handler(clerk_a, clerk_b, D("2025-03-03"))
    assert acting.user == supervisor and acting.both_absent


def test_recording_an_absence_warns_when_a_and_b_would_both_be_away(clerk_a, clerk_b, supervisor):
    absence_record(actor=clerk_b, user=clerk_b, start_on=D("2025-05-06"), end_on=D("2025-05-09"), kind="trip")
    _absence, warnings = absence_record(
        actor=clerk_a, user=clerk_a, start_on=D("2025-05-08"), end_on=D("2025-05-12"), kind="leave"
    )
    assert len(warnings) == 1 and "周明远" in warnings[0] and "不应同时缺岗" in warnings[0]


def test_absence_end_before_start_is_refused(clerk_a):
    with pytest.raises(ValidationError, match="结束日期不能早于开始日期"):
        absence_record(actor=clerk_a, user=clerk_a, start_on=D("2025-05-08"), end_on=D("2025-05-01"), kind="leave")
    assert not Absence.objects.exists()


def test_a_clerk_cannot_record_someone_elses_absence(clerk_a, clerk_b):
    with pytest.raises(PermissionDenied):
        absence_record(actor=clerk_a, user=clerk_b, start_on=D("2025-05-01"), end_on=D("2025-05-02"), kind="leave")


def test_a_supervisor_cannot_record_absences_in_another_sub_bureau(supervisor, other_clerk):
    with pytest.raises(PermissionDenied):
        absence_record(
            actor=supervisor, user=other_clerk, start_on=D("2025-05-01"), end_on=D("2025-05-02"), kind="leave"
        )
