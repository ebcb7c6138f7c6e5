"""The test client the in-process measurements and the bare-SQL floors use."""

from django.test import Client


class HttpsClient(Client):
    """Every request over https, as behind the TLS proxy (laizhou_xiaobao.bench.http.PROXY_HEADERS): with DEBUG off
    the production settings redirect a plain http request."""

    def request(self, **request):
        request.update({"wsgi.url_scheme": "https", "SERVER_PORT": "443"})
        return super().request(**request)
