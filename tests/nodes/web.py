"""A person's browser, reduced to what the two-node proof needs: cookies kept across requests to any node (the
same host, 127.0.0.1, on different ports), forms submitted as the page renders them, redirects followed.

The nodes run with production settings behind a TLS-terminating front, so their cookies are marked Secure; a
browser sends them to that front over HTTPS. Here the "front" is plain HTTP on 127.0.0.1, so the cookies are kept
by hand and sent back on every request, with the Origin and Referer a browser on https://127.0.0.1:<port> sends.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import requests

from tests.auth import authenticator, current_code
from tests.factories import PASSWORD

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def local_path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Browser:
    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, method: str, port: int, path: str, *, data=None, files=None) -> requests.Response:
        origin = f"https://127.0.0.1:{port}"
        for _hop in range(6):
            response = requests.request(
                method,
                f"http://127.0.0.1:{port}{path}",
                data=data,
                files=files,
                cookies=self.cookies,
                # What the TLS front adds (nginx sets it again itself): lets the browser talk to a node directly.
                headers={"Origin": origin, "Referer": origin + path, "X-Forwarded-Proto": "https"},
                allow_redirects=False,
                timeout=60,
            )
            for cookie in response.cookies:
                if cookie.value:
                    self.cookies[cookie.name] = cookie.value
                else:
                    self.cookies.pop(cookie.name, None)
            if response.status_code not in (301, 302, 303):
                return response
            method, data, files = "GET", None, None
            path = local_path(response.headers["Location"])
        raise AssertionError(f"too many redirects ending at {path}")

    def get(self, port: int, path: str) -> requests.Response:
        return self.request("GET", port, path)

    def submit(self, port: int, page: str, action: str, fields: dict, files=None) -> requests.Response:
        """Open `page`, take the form's CSRF token from it and post `fields` to `action`, as the browser would."""
        shown = self.get(port, page)
        assert shown.status_code == 200, (page, shown.status_code)
        token = TOKEN.search(shown.text)
        assert token, f"no form on {page}"
        return self.request("POST", port, action, data={"csrfmiddlewaretoken": token.group(1), **fields}, files=files)

    def sign_in(self, port: int, user) -> requests.Response:
        """The login form, then the authenticator's code where the account has one (tests/auth.py)."""
        device = authenticator(user)
        response = self.submit(
            port, "/accounts/login/", "/accounts/login/", {"username": user.username, "password": PASSWORD}
        )
        if device is not None:
            assert "输入动态口令" in response.text, response.text[:500]
            verify = local_path(response.url)
            response = self.submit(port, verify, verify, {"token": current_code(device)})
        assert 'data-testid="user-menu"' in response.text, response.text[:500]
        return response
