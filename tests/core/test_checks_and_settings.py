import os
import subprocess
import sys

from django.core.checks import Error, Warning

from core import checks


def test_cjk_font_is_available_on_this_machine():
    # make test installs fonts-noto-cjk when it is missing; PDFs depend on it.
    assert any("CJK" in family or "Noto" in family for family in checks.cjk_font_families())


def test_missing_cjk_font_warns_in_development(monkeypatch, settings):
    monkeypatch.setattr(checks, "cjk_font_families", lambda: [])
    settings.DEBUG = True
    [message] = checks.check_cjk_font()
    assert isinstance(message, Warning) and message.id == "core.W001"
    assert "fonts-noto-cjk" in message.hint


def test_missing_cjk_font_is_an_error_in_production(monkeypatch, settings):
    monkeypatch.setattr(checks, "cjk_font_families", lambda: [])
    settings.DEBUG = False
    [message] = checks.check_cjk_font()
    assert isinstance(message, Error) and message.id == "core.E001"


def _django_check(env):
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        capture_output=True,
        text=True,
        check=False,
        env={k: v for k, v in {**os.environ, **env}.items() if v is not None},
    )


def test_production_without_secret_key_fails_at_start_with_a_clear_message():
    result = _django_check({"DEBUG": "false", "SECRET_KEY": "", "ALLOWED_HOSTS": "x.example"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_invalid_boolean_setting_is_reported():
    result = _django_check({"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr
