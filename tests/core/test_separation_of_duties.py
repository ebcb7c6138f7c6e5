"""三员分立 (README 安全): each administrator changes only their part; role and admin changes are logged;
the installation superuser is retired by `deactivate_superusers` only once the administrators exist."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.urls import reverse

from core.models import AuditEntry, User
from core.roles import GROUP_NAMES, Role
from tests.factories import make_user


def group(role):
    return Group.objects.get(name=GROUP_NAMES[role])


def user_form(user, **changes):
    """The user change form as the page posts it (every visible field with its current value)."""
    data = {
        "username": user.username,
        "name": user.name,
        "org": user.org_id or "",
        "post": user.post,
        "phone": user.phone,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "groups": [g.pk for g in user.groups.all()],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_the_security_administrator_assigns_roles_and_it_is_logged(client_for, security_admin, clerk_a):
    response = client_for(security_admin).post(
        reverse("admin:core_user_change", args=[clerk_a.pk]),
        user_form(clerk_a, groups=[group(Role.SUPERVISOR).pk], name="改名"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    clerk_a.refresh_from_db()
    assert set(clerk_a.groups.values_list("name", flat=True)) == {GROUP_NAMES[Role.SUPERVISOR]}
    assert clerk_a.name == "林晓岚"  # the account fields are the 系统管理员's: shown read-only, not changed
    entry = AuditEntry.objects.get(action="core.user.roles_changed")
    assert entry.actor == security_admin and entry.target == clerk_a
    assert entry.data == {"added": [GROUP_NAMES[Role.SUPERVISOR]], "removed": [GROUP_NAMES[Role.CLERK]]}
    assert AuditEntry.objects.filter(action="core.admin.changed", actor=security_admin).exists()


def test_the_system_administrator_edits_the_account_but_not_its_roles(client_for, system_admin, clerk_a):
    response = client_for(system_admin).post(
        reverse("admin:core_user_change", args=[clerk_a.pk]),
        user_form(
            clerk_a, groups=[group(Role.AUDIT_ADMIN).pk], name="林晓岚（调岗）", is_staff="on", is_superuser="on"
        ),
    )
    assert response.status_code == 302
    clerk_a.refresh_from_db()
    assert clerk_a.name == "林晓岚（调岗）"
    assert list(clerk_a.groups.values_list("name", flat=True)) == [GROUP_NAMES[Role.CLERK]]
    assert not clerk_a.is_staff and not clerk_a.is_superuser
    assert not AuditEntry.objects.filter(action="core.user.roles_changed").exists()
    entry = AuditEntry.objects.get(action="core.admin.changed", actor=system_admin)
    assert entry.data["model"] == "core.user" and entry.data["object_id"] == str(clerk_a.pk)


def test_no_one_holds_two_administrator_roles(client_for, security_admin, orgs):
    person = make_user(org=orgs["yantai"], role=Role.ADMINISTRATOR, username="yt_two_hats", is_staff=True)
    response = client_for(security_admin).post(
        reverse("admin:core_user_change", args=[person.pk]),
        user_form(person, groups=[group(Role.ADMINISTRATOR).pk, group(Role.AUDIT_ADMIN).pk]),
    )
    assert response.status_code == 200
    assert "三员分立" in str(response.context["adminform"].form.errors["groups"])
    assert list(person.groups.values_list("name", flat=True)) == [GROUP_NAMES[Role.ADMINISTRATOR]]


def test_the_security_administrator_cannot_change_their_own_roles(client_for, security_admin):
    response = client_for(security_admin).post(
        reverse("admin:core_user_change", args=[security_admin.pk]),
        user_form(security_admin, groups=[group(Role.SECURITY_ADMIN).pk, group(Role.CLERK).pk]),
    )
    assert response.status_code == 200
    assert "不能修改自己的角色" in str(response.context["adminform"].form.errors["groups"])


def test_a_group_permission_change_is_logged(client_for, security_admin):
    from django.contrib.auth.models import Permission

    extra = Group.objects.create(name="临时抽查组")
    permission = Permission.objects.get(codename="view_institution")
    response = client_for(security_admin).post(
        reverse("admin:auth_group_change", args=[extra.pk]), {"name": extra.name, "permissions": [permission.pk]}
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="core.group.permissions_changed")
    assert entry.data == {"group": "临时抽查组", "added": ["view_institution"], "removed": []}


def test_a_bulk_deletion_in_the_admin_logs_each_row(client_for, system_admin):
    from core.models import Category

    categories = [Category.objects.create(kind="cause", name=f"临时类别{n}", code=f"TMP{n}") for n in range(2)]
    response = client_for(system_admin).post(
        reverse("admin:core_category_changelist"),
        {"action": "delete_selected", "_selected_action": [c.pk for c in categories], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Category.objects.filter(pk__in=[c.pk for c in categories]).exists()
    logged = AuditEntry.objects.filter(action="core.admin.deleted", actor=system_admin)
    assert sorted(entry.data["object_id"] for entry in logged) == sorted(str(c.pk) for c in categories)


# --- Retiring the superuser ------------------------------------------------------------------------


def test_deactivate_superusers_refuses_without_both_administrators(administrator, system_admin):
    with pytest.raises(CommandError, match="安全管理员"):
        call_command("deactivate_superusers")
    administrator.refresh_from_db()
    assert administrator.is_active


def test_deactivate_superusers_retires_them_once_the_administrators_exist(
    administrator, system_admin, security_admin, capsys
):
    call_command("deactivate_superusers")
    administrator.refresh_from_db()
    assert not administrator.is_active
    assert "已停用 1 个超级用户账号：sysadmin" in capsys.readouterr().out
    entry = AuditEntry.objects.get(action="core.user.superuser_deactivated")
    assert entry.target == administrator
    assert User.objects.filter(is_active=True, is_superuser=True).count() == 0


def test_an_inactive_or_superuser_administrator_does_not_count(administrator, system_admin, security_admin):
    security_admin.is_active = False
    security_admin.save()
    with pytest.raises(CommandError, match="安全管理员"):
        call_command("deactivate_superusers")


def test_the_demo_has_one_account_for_each_administrator_role_and_can_retire_its_superuser(base_data):
    from laizhou_xiaobao.demo.base import seed_accounts, seed_orgs

    seed_accounts(seed_orgs(), "demo-password-for-test")
    for role in (Role.ADMINISTRATOR, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN):
        holders = User.objects.filter(groups__name=GROUP_NAMES[role], is_active=True, is_superuser=False, is_staff=True)
        assert holders.count() == 1, role
    call_command("deactivate_superusers")
    assert not User.objects.filter(is_superuser=True, is_active=True).exists()
