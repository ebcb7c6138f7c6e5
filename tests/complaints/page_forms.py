"""Read a form as the page renders it (its action, its fields and their initial values), to submit it as a browser
would: `form = page_form(html, action="review")`, then `client.post(form.url, form.fill(office="…"))`."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class PageForm:
    url: str
    method: str
    values: dict = field(default_factory=dict)
    selects: dict = field(default_factory=dict)  # name → option values, in order

    def fill(self, **values) -> dict:
        unknown = set(values) - set(self.values) - set(self.selects)
        assert not unknown, f"the page's form has no field {unknown}"
        return {**self.values, **{k: v for k, v in values.items() if v is not None}}


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[tuple[dict, PageForm]] = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append((attrs, PageForm(attrs.get("action", ""), attrs.get("method", "get").lower())))
            return
        if not self.forms:
            return
        form = self.forms[-1][1]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in attrs:
                    form.values[name] = attrs.get("value", "on")
                else:
                    form.selects.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind != "submit":
                form.values[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
            form.selects[name] = []
            form.values[name] = ""
        elif tag == "option" and self._select:
            options = form.selects[self._select]
            options.append(attrs.get("value", ""))
            # A browser sends the selected option, or the first one when none is.
            if "selected" in attrs or len(options) == 1:
                form.values[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            form.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1][1].values[self._textarea] += data.strip()


def page_form(html: str, **attributes) -> PageForm:
    """The page's form whose attributes match: `page_form(html, **{"data-action": "review"})`."""
    parser = _Forms()
    parser.feed(html)
    for attrs, form in parser.forms:
        if all(attrs.get(key.replace("_", "-")) == value for key, value in attributes.items()):
            return form
    raise AssertionError(f"no form with {attributes} on the page")


def page_actions(html: str) -> list[str]:
    parser = _Forms()
    parser.feed(html)
    return [attrs["data-action"] for attrs, _form in parser.forms if "data-action" in attrs]
