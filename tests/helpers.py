import logging
import os
import re
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

from django.db import connection


def database_url() -> str:
    """A DATABASE_URL for the database the tests are using, for subprocesses (commands, workers)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or ""
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{settings['NAME']}"


@contextmanager
def embedded_worker(app, **options):
    """A real Celery worker in a thread of this process (celery.contrib.testing), leaving the process's logging as
    it found it: the worker sets the root logger to ERROR, and every later test on the same xdist worker would lose
    the warnings it checks with `caplog` (seen in CI: /readyz's "broker unreachable" went missing)."""
    from celery.contrib.testing.worker import start_worker

    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    options = {"pool": "solo", "perform_ping_check": False, "shutdown_timeout": 30, **options}
    try:
        with start_worker(app, **options) as worker:
            yield worker
    finally:
        root.setLevel(level)
        root.handlers[:] = handlers


# --- Printed documents ------------------------------------------------------------------------------------


class PrintedPdf:
    """A PDF read back as a person would check it: pages, the text of each page, the embedded fonts."""

    def __init__(self, content: bytes, folder):
        import subprocess

        self.path = folder / f"printed-{id(self)}.pdf"
        self.path.write_bytes(content)
        if os.environ.get("PRINTED_PDF_DIR"):  # keep a copy to look at while working on a template
            (
                Path(os.environ["PRINTED_PDF_DIR"])
                / f"{os.environ.get('PYTEST_CURRENT_TEST', 'pdf').split(' ')[0].split('::')[-1]}-{id(self)}.pdf"
            ).write_bytes(content)
        info = subprocess.run(["pdfinfo", str(self.path)], capture_output=True, text=True, check=True).stdout
        self.info = info
        self.page_count = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
        # Each page on its own (pdftotext -f N -l N), without white space: titles are letter-spaced and table
        # cells wrap Chinese names across lines.
        self.pages = [
            "".join(
                subprocess.run(
                    ["pdftotext", "-f", str(n), "-l", str(n), str(self.path), "-"],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout.split()
            )
            for n in range(1, self.page_count + 1)
        ]
        self.text = "".join(self.pages)
        fonts = subprocess.run(["pdffonts", str(self.path)], capture_output=True, text=True, check=True).stdout
        # name, type, encoding, embedded …: the rows below the two header lines.
        self.fonts = [line.split() for line in fonts.splitlines()[2:] if line.strip()]

    def page_of(self, text: str) -> int:
        """The 1-based page where `text` (without white space) appears; fails when it appears nowhere."""
        compact = "".join(text.split())
        for number, page in enumerate(self.pages, start=1):
            if compact in page:
                return number
        raise AssertionError(f"{text!r} is on no page")

    def assert_serif_cjk_embedded(self) -> None:
        """A serif CJK face (Noto Serif CJK or a configured Song/FangSong) embedded; no sans-serif face at all."""
        names = [row[0] for row in self.fonts]
        assert names, "no fonts in the PDF"
        assert all(row[-5] == "yes" for row in self.fonts), self.fonts  # the "emb" column
        assert any(("Serif" in name and "CJK" in name) or "FangSong" in name or "Song" in name for name in names)
        assert not [name for name in names if "Sans" in name or "Hei" in name], names


# --- Spreadsheet formula injection --------------------------------------------------------------------------

# Text a spreadsheet program would take for a formula (also behind a tab or a carriage return).
FORMULA_PAYLOADS = ['=HYPERLINK("http://evil.example/x","点此")', "+1+1", "-2", "@SUM(A1)", "\t=1", "\r=1"]


def workbook_texts_without_formulas(content: bytes) -> list[str]:
    """Open an xlsx back: no cell may be a formula. Returns every text cell."""
    import io

    from openpyxl import load_workbook

    texts = []
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


def assert_payloads_are_text(content: bytes, payloads=FORMULA_PAYLOADS) -> None:
    """Each payload is in the workbook as the very text typed (shown as is), never as a formula. A carriage return
    may come back as a line feed: lxml writes it as a character reference (kept), a plain XML writer does not."""
    texts = workbook_texts_without_formulas(content)
    for payload in payloads:
        assert any(payload in text or payload.replace("\r", "\n") in text for text in texts), repr(payload)


def csv_rows(content: bytes) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def assert_csv_payloads_neutralised(content: bytes, payloads=FORMULA_PAYLOADS) -> None:
    """In a CSV each payload cell starts with an apostrophe, so no program reads it as a formula."""
    cells = [cell for row in csv_rows(content) for cell in row]
    for payload in payloads:
        assert "'" + payload in cells, payload
        assert payload not in cells, payload


# --- Browser ---------------------------------------------------------------------------------------------------


def pick_institution(page, typed: str, name: str) -> None:
    """Find an institution in the intake page's picker (a combobox) by typing, and take it with Enter."""
    from playwright.sync_api import expect

    # The typed box the page's script puts in place of the <select> (also a combobox of that name until then): on a
    # loaded machine the test can get there before the script has run.
    picker = page.get_by_role("combobox", name="涉及机构").and_(page.locator("input"))
    picker.fill("")
    picker.press_sequentially(typed)
    expect(page.get_by_role("listbox", name="涉及机构").get_by_role("option").first).to_contain_text(name)
    picker.press("Enter")
    expect(picker).to_have_value(name)


class _PageForm(HTMLParser):
    """The action URL and the values of the form `<form data-form="key">` as the browser would submit it untouched."""

    def __init__(self, key: str):
        super().__init__()
        self.key, self.inside, self.action, self.values = key, False, None, {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("data-form") == self.key and self.action is None:
            self.inside, self.action = True, attrs.get("action")
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.values[name] = attrs.get("value", "on")
            elif attrs.get("type") != "file":
                self.values[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            if self._select not in self.values or "selected" in attrs:
                self.values[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_data(self, data):
        if self.inside and self._textarea:
            self.values[self._textarea] += data.lstrip("\n") if not self.values[self._textarea] else data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.inside = False


def page_form(response, key: str) -> tuple[str, dict]:
    """The form `data-form="key"` the page rendered: its action URL and its untouched values, to fill and post."""
    parser = _PageForm(key)
    parser.feed(response.content.decode())
    assert parser.action is not None, f"the page offers no form {key!r}"
    return parser.action, parser.values


def page_forms(response) -> set[str]:
    """The keys of every `data-form` the page rendered."""
    return set(re.findall(r'data-form="([^"]+)"', response.content.decode()))
