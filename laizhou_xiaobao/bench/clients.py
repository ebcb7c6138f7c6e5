"""The test client the in-process measurements and the bare-SQL floors use."""

from django.core.handlers.wsgi import WSGIRequest
from django.test import Client
from django.test.client import ClientHandler


class _Handler(ClientHandler):
    """Django's test handler without its per-request signal plumbing (docs/performance.md「2026-12-06 第七轮」).

    `ClientHandler` disconnects and reconnects `close_old_connections` around every request, and `Client.request`
    connects a receiver per request; each connection leaves a finalizer behind for as long as the receiver lives (the
    function: for ever). A bench run that had measured a dozen pages carried tens of thousands, every garbage
    collection walked them, and the pages measured last looked a third slower than they are (contacts 14 → 21 ms).
    Here the request goes through the middleware and the view and nothing else: no request_started/request_finished
    (connections are kept, as the test handler keeps them, and nothing is closed under a test's transaction)."""

    def __call__(self, environ):
        if self._middleware_chain is None:
            self.load_middleware()
        request = WSGIRequest(environ)
        request._dont_enforce_csrf_checks = True
        response = self.get_response(request)
        response.wsgi_request = request
        return response


class HttpsClient(Client):
    """Every request over https, as behind the TLS proxy (laizhou_xiaobao.bench.http.PROXY_HEADERS): with DEBUG off
    the production settings redirect a plain http request. A view's exception is what a server sends, a 500
    response; nobody reads `response.context`."""

    def __init__(self, **defaults):
        super().__init__(**defaults)
        self.handler = _Handler()

    def request(self, **request):
        request.update({"wsgi.url_scheme": "https", "SERVER_PORT": "443"})
        response = self.handler(self._base_environ(**request))
        if response.cookies:
            self.cookies.update(response.cookies)
        return response
