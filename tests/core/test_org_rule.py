"""The organisation rule is one rule: the query forms (within_org_q, visible_org_q, visible_orgs), the check on a
record in hand (sees_org) and the ledger's one-query scope in SQL give the same answer for every persona."""

import pytest
from django.contrib.auth.models import Group

from complaints.selectors import ledger_scope
from core.access import sees_org, visible_org_q, visible_orgs, within_org_q
from core.models import OrgUnit, User
from core.roles import GROUP_NAMES, ROLE_PERMISSIONS, Role, can_register, is_office_user

pytestmark = pytest.mark.django_db

PERSONAS = ["clerk_a", "supervisor", "reviewer", "administrator", "other_clerk", "mediator"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_spelling_of_the_rule_gives_the_same_units(persona, request, orgs):
    user = request.getfixturevalue(persona)
    units = set(visible_orgs(user).values_list("pk", flat=True))
    assert units == {unit.pk for unit in OrgUnit.objects.all() if sees_org(user, unit)}
    assert units == set(OrgUnit.objects.filter(visible_org_q(user, field="")).values_list("pk", flat=True))
    if not user.is_superuser:
        assert units == set(OrgUnit.objects.filter(within_org_q(user.org, field="")).values_list("pk", flat=True))
    scope = ledger_scope(user)
    assert scope.all_orgs == user.is_superuser
    assert set(scope.org_ids) == units


def test_a_sub_bureau_sees_itself_a_branch_sees_below_and_nobody_sees_sideways(clerk_a, reviewer, other_clerk, orgs):
    assert sees_org(clerk_a, orgs["laizhou"]) and not sees_org(clerk_a, orgs["yantai"])
    assert sees_org(reviewer, orgs["laizhou"]) and sees_org(reviewer, orgs["zhaoyuan"])
    assert not sees_org(other_clerk, orgs["laizhou"])
    loose = User.objects.create(username="loose")
    assert not sees_org(loose, orgs["laizhou"]) and not visible_orgs(loose).exists()


def test_only_clerks_and_supervisors_of_a_unit_register(clerk_a, supervisor, reviewer, mediator, orgs):
    assert can_register(clerk_a) and can_register(supervisor)
    assert not can_register(reviewer) and not can_register(mediator)
    assert is_office_user(reviewer) and not is_office_user(mediator)
    # A clerk without a unit has nowhere to register into.
    loose = User.objects.create(username="loose")
    loose.groups.add(Group.objects.get(name=GROUP_NAMES[Role.CLERK]))
    assert not can_register(loose)


def test_the_role_table_in_core_roles_is_what_the_groups_hold(base_data):
    """No app adds to the table: after migrate each group holds exactly the listed permissions that exist."""
    for role, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=GROUP_NAMES[role])
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert held == set(codenames), role
    # A few from each app, which the apps used to add from their ready():
    assert {"complaints.add_case", "outreach.add_event", "mediation.add_mediationcase", "core.view_task"} <= set(
        ROLE_PERMISSIONS[Role.CLERK]
    )
    assert "complaints.change_extensionrequest" in ROLE_PERMISSIONS[Role.SUPERVISOR]
    assert "institutions.add_interviewtriggerrule" in ROLE_PERMISSIONS[Role.ADMINISTRATOR]
