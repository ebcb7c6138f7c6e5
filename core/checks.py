"""System checks that fail loudly where the product would otherwise fail silently."""

import shutil
import subprocess  # nosec B404 # runs only fc-list, by its full path, with fixed arguments

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


def cjk_font_families() -> list[str]:
    """Font families fontconfig offers for Chinese; WeasyPrint finds fonts through fontconfig."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return []
    result = subprocess.run(  # noqa: S603  # nosec B603 # fixed arguments, no user input
        [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=20, check=False
    )
    return sorted({line.split(",")[0].strip() for line in result.stdout.splitlines() if line.strip()})


@register(Tags.compatibility, deploy=False)
def check_cjk_font(app_configs=None, **kwargs):
    if cjk_font_families():
        return []
    level = Warning if settings.DEBUG else Error
    return [
        level(
            "没有可用于PDF的中文字体：WeasyPrint 会把中文静默地输出为空白方框。",
            hint="在 Debian/Ubuntu 上执行：apt-get install -y fonts-noto-cjk（需要 fontconfig 的 fc-list）。",
            id="core.E001" if level is Error else "core.W001",
        )
    ]


@register(Tags.security, deploy=True)
def check_site_url(app_configs=None, **kwargs):
    """E-mailed links are built from SITE_URL: a production site left at the development default sends links
    that lead nowhere (or to the reader's own machine)."""
    from urllib.parse import urlparse

    url = urlparse(settings.SITE_URL)
    if settings.DEBUG or (url.scheme == "https" and url.hostname not in ("127.0.0.1", "localhost")):
        return []
    return [
        Warning(
            f"SITE_URL 为 {settings.SITE_URL}：通知邮件中的链接将无法从其他电脑打开。",
            hint="把环境变量 SITE_URL 设为用户访问本系统的 https 地址，例如 https://xiaobao.example.gov.cn。",
            id="core.W003",
        )
    ]
