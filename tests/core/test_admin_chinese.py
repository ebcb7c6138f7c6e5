"""The admin speaks Chinese everywhere: its own chrome, django-axes, django-celery-beat, permissions, the audit log.

Every admin index, list and add page is read as a user sees it; what remains in Latin letters is data (codes, user
names, task and time-zone names in cells and options) or a technical term on the allow-list below."""

import contextlib
import gettext
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import NoReverseMatch, reverse
from django_celery_beat.models import CrontabSchedule

from core.admin_beat import crontab_text
from core.admin_permissions import permission_label
from tests.auth import sign_in

pytestmark = pytest.mark.django_db

# Technical words a Chinese admin page may show as they are.
ALLOWED = {
    "IP", "GET", "POST", "HTTP", "Accept", "SHA", "JSON", "AMQP", "CELERY", "TASK", "QUEUES", "RabbitMQ", "Redis",
    "cron", "Cron", "Excel", "True", "False", "None", "Control", "Command", "Mac", "chinesecalendar", "UTC",
    # django-celery-beat's JSON examples: ["arg1", "arg2"], {"argument": "value"}, {"enabled": true}
    "arg", "argument", "value", "enabled",
}  # fmt: skip
DATA = re.compile(
    r"<(script|style|td|option|textarea)\b.*?</\1>|<th[^>]*class=\"field-.*?</th>|<[^>]+>", re.S | re.IGNORECASE
)


def english_words(html: str) -> set[str]:
    # Values in angle brackets ("<unknown>" paths in django-axes' filters) are data; entities are not words.
    text = re.sub(r"&lt;[^&]*&gt;|&\w+;", " ", DATA.sub(" ", html))
    # Dotted and joined names (task names, audit codes, rule codes) are data too.
    text = re.sub(r"[\w.-]*[._-][\w.-]+", " ", text)
    return {w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in ALLOWED}


def admin_pages(user):
    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        pages.append(reverse("admin:{}_{}_changelist".format(*info)))
        with contextlib.suppress(NoReverseMatch):
            pages.append(reverse("admin:{}_{}_add".format(*info)))
    return pages


def test_every_admin_page_is_chinese(client, administrator):
    sign_in(client, administrator)
    english = {}
    for url in admin_pages(administrator):
        response = client.get(url)
        if response.status_code == 403:
            continue  # an add page the model forbids
        assert response.status_code == 200, url
        if words := english_words(response.content.decode()):
            english[url] = sorted(words)
    assert english == {}


def test_the_audit_log_pages_are_chinese(client, audit_admin, clerk_a):
    """Only the 审计管理员 opens the audit log's admin pages (a superuser gets 403, above): read them as that role."""
    from core.services.audit import log_action

    entry = log_action(actor=clerk_a, action="core.test.recorded", target=clerk_a.org)
    sign_in(client, audit_admin)
    english = {}
    for name, args in (("changelist", []), ("change", [entry.pk])):
        for model in ("auditentry", "auditarchive"):
            if model == "auditarchive" and args:
                continue
            url = reverse(f"admin:core_{model}_{name}", args=args)
            response = client.get(url)
            assert response.status_code == 200, url
            # The chain's SHA-256 hashes are data (hex digits).
            if words := english_words(re.sub(r"\b[0-9a-f]{64}\b", " ", response.content.decode())):
                english[url] = sorted(words)
    assert english == {}


def test_axes_and_celery_beat_are_named_in_chinese(client, administrator):
    sign_in(client, administrator)
    index = client.get(reverse("admin:index")).content.decode()
    for words in ("登录限制", "登录失败记录", "登录日志", "登录失败日志"):
        assert words in index
    for english in ("Access attempts", "Access logs", "Axes"):
        assert english not in index


def test_permissions_and_crontabs_read_in_chinese(base_data):
    permission = Permission.objects.get(codename="add_case", content_type__app_label="complaints")
    assert permission_label(permission) == "信访投诉 | 信访投诉件 | 可新增"
    historical = Permission.objects.get(codename="view_historicalcase")
    assert permission_label(historical) == "信访投诉 | 信访投诉件（历史记录） | 可查看"
    quarterly = CrontabSchedule(
        minute="30", hour="7", day_of_month="1-15", month_of_year="1,4,7,10", day_of_week="*", timezone="Asia/Shanghai"
    )
    assert crontab_text(quarterly) == "每年 1、4、7、10月 1–15日 07:30（Asia/Shanghai）"
    assert crontab_text(CrontabSchedule(minute="*", hour="*", timezone="Asia/Shanghai")).startswith("每天 每分钟")
    weekly = CrontabSchedule(minute="0", hour="8", day_of_week="1-5", timezone="Asia/Shanghai")
    assert crontab_text(weekly) == "每周 星期一–星期五 08:00（Asia/Shanghai）"
    assert Group.objects.exists()


def test_the_compiled_catalogue_matches_its_source():
    """locale/zh_Hans/LC_MESSAGES/django.mo is compiled from the .po beside it (msgfmt): every entry agrees."""
    folder = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
    source = (folder / "django.po").read_text(encoding="utf-8")
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', source, re.M)
    entries = {json.loads(f'"{msgid}"'): json.loads(f'"{msgstr}"') for msgid, msgstr in pairs}
    with (folder / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    assert entries and all(catalogue.gettext(msgid) == msgstr for msgid, msgstr in entries.items())
    assert len(catalogue._catalog) - 1 == len(entries)  # the header is the one extra entry
