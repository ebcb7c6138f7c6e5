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


# --- Document fonts --------------------------------------------------------------------------------------


def test_documents_use_the_first_installed_configured_face_else_noto_serif(settings):
    from core.pdf import chosen_family

    settings.PDF_BODY_FONT_FAMILY = ["FangSong_GB2312", "仿宋"]
    with_fangsong = frozenset({"仿宋", "FangSong", "Noto Serif CJK SC", "Noto Sans CJK SC"})
    assert chosen_family(settings.PDF_BODY_FONT_FAMILY, with_fangsong) == "仿宋"
    debian = frozenset({"Noto Serif CJK SC", "Noto Sans CJK SC"})
    assert chosen_family(settings.PDF_BODY_FONT_FAMILY, debian) == "Noto Serif CJK SC"
    # A sans-serif face is never chosen, even when configured and installed.
    assert chosen_family(["Noto Sans CJK SC"], debian) == "Noto Serif CJK SC"


def test_the_configured_faces_reach_the_documents_with_the_serif_fallback(settings):
    from core.pdf import document_fonts

    fonts = document_fonts()  # this machine: Noto Serif CJK only (fonts-noto-cjk)
    assert fonts["body"] == fonts["title"] == '"Noto Serif CJK SC", serif'
    assert fonts["title_weight"] == "bold"  # Noto Serif standing in for 小标宋


def test_a_sans_serif_document_font_is_refused():
    result = _django_check({"PDF_BODY_FONT_FAMILY": "Noto Sans CJK SC,FangSong"})
    assert result.returncode != 0
    assert "core.E004" in result.stderr and "PDF_BODY_FONT_FAMILY" in result.stderr


def test_missing_serif_fallback_is_reported(monkeypatch, settings):
    monkeypatch.setattr(checks, "cjk_font_families", lambda: ["Noto Sans CJK SC"])
    settings.DEBUG = True
    messages = checks.check_document_fonts()
    assert {m.id for m in messages} == {"core.W005"} and len(messages) == 2  # title and body
    assert "fonts-noto-cjk" in messages[0].hint
    settings.DEBUG = False
    assert {m.id for m in checks.check_document_fonts()} == {"core.E005"}
    # An installed configured serif face is enough without the fallback.
    monkeypatch.setattr(checks, "cjk_font_families", lambda: ["Noto Sans CJK SC", "仿宋", "宋体"])
    assert checks.check_document_fonts() == []


def test_this_machine_passes_the_font_checks():
    assert checks.check_cjk_font() == [] and checks.check_document_fonts() == []


# --- Logging -----------------------------------------------------------------------------------------------------


def test_a_pdf_leaves_its_problems_in_the_log_but_not_its_progress(caplog, tmp_path):
    # The LOGGING setting as Django applied it at start-up; the production root level is INFO. A missing image is
    # reported at ERROR.
    import logging

    from weasyprint import HTML

    with caplog.at_level(logging.INFO):
        pdf = HTML(string='<p>办理过程记录</p><img src="missing.png">', base_url=str(tmp_path)).write_pdf()
    assert pdf.startswith(b"%PDF")
    assert not [r for r in caplog.records if r.name == "weasyprint.progress"]
    assert [r for r in caplog.records if r.name == "weasyprint" and r.levelno >= logging.WARNING]
