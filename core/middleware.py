class ContentSecurityPolicyMiddleware:
    """Send a strict content security policy: every script, style and font is served by this site."""

    POLICY = (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
        "font-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.POLICY)
        return response


class RejectNulBytesMiddleware:
    """Answer 400 to a request whose parameters or form fields hold a NUL byte.

    No text a person types holds one, PostgreSQL cannot store one in a text column (the query fails), and many
    views read a parameter straight from `request.GET`; refusing here, once, keeps every such value from ever
    reaching a query. Uploaded files are not parameters and are not looked at.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request.GET) or (request.method == "POST" and self._has_nul(request.POST)):
            from django.shortcuts import render
            from django.utils.translation import gettext as _

            message = _("提交的内容含有不允许的控制字符（NUL），请删除后重试。")
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)

    @staticmethod
    def _has_nul(params) -> bool:
        return any("\x00" in key or any("\x00" in value for value in params.getlist(key)) for key in params)
