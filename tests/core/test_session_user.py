"""The signed-in user of each request read with roles and unit in one query (core/security/backends.py)."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from core.models import User
from core.roles import GROUP_NAMES, Role, user_roles
from core.security.backends import SessionUserBackend
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _fields(user):
    return {field.attname: getattr(user, field.attname) for field in User._meta.concrete_fields}


def test_the_user_is_read_field_for_field_with_roles_and_unit_in_one_query(
    clerk_a, supervisor, django_assert_num_queries
):
    supervisor.groups.add(Group.objects.get(name=GROUP_NAMES[Role.REVIEWER]))
    for person in (clerk_a, supervisor):
        with django_assert_num_queries(1):
            user = SessionUserBackend().get_user(str(person.pk))
            roles, org = user_roles(user), user.org
        fresh = User.objects.get(pk=person.pk)
        assert _fields(user) == _fields(fresh)
        assert org == fresh.org and org.path == fresh.org.path
        assert roles == {role for role, name in GROUP_NAMES.items() if fresh.groups.filter(name=name).exists()}
    assert user_roles(SessionUserBackend().get_user(supervisor.pk)) == {Role.SUPERVISOR, Role.REVIEWER}


def test_a_user_without_unit_or_role_costs_no_later_query(base_data, django_assert_num_queries):
    loner = make_user(org=None, role=None)
    with django_assert_num_queries(1):
        user = SessionUserBackend().get_user(loner.pk)
        assert user.org is None and user_roles(user) == set()


def test_an_inactive_missing_or_malformed_id_is_nobody(clerk_a):
    backend = SessionUserBackend()
    assert backend.get_user("no-such-id") is None
    assert backend.get_user(clerk_a.pk + 10_000) is None
    clerk_a.is_active = False
    clerk_a.save()
    assert backend.get_user(clerk_a.pk) is None


def test_a_role_taken_away_or_an_account_disabled_shows_at_the_next_request(client_for, supervisor):
    """The SQL is kept per process, the rows are not: each request reads the user afresh."""
    client = client_for(supervisor)
    assert client.get(reverse("dashboard:board")).status_code == 200
    supervisor.groups.remove(Group.objects.get(name=GROUP_NAMES[Role.SUPERVISOR]))
    supervisor.groups.add(Group.objects.get(name=GROUP_NAMES[Role.CLERK]))
    assert client.get(reverse("dashboard:board")).status_code == 403
    supervisor.is_active = False
    supervisor.save()
    response = client.get(reverse("dashboard:board"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_bench_signs_in_through_the_configured_backend(settings):
    from laizhou_xiaobao.bench.http import SESSION_BACKEND

    assert SESSION_BACKEND in settings.AUTHENTICATION_BACKENDS
