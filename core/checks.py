"""System checks that fail loudly where the product would otherwise fail silently."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from core.pdf import cjk_font_families, is_sans

FONT_HINT = (
    "在 Debian/Ubuntu 上执行：apt-get install -y fonts-noto-cjk（需要 fontconfig 的 fc-list；或执行 .ci/sysdeps.sh）。"
)


@register(Tags.compatibility, deploy=False)
def check_cjk_font(app_configs=None, **kwargs):
    if cjk_font_families():
        return []
    level = Warning if settings.DEBUG else Error
    return [
        level(
            "没有可用于PDF的中文字体：WeasyPrint 会把中文静默地输出为空白方框。",
            hint=FONT_HINT,
            id="core.E001" if level is Error else "core.W001",
        )
    ]


@register(Tags.compatibility, deploy=False)
def check_document_fonts(app_configs=None, **kwargs):
    """The configured document fonts: never a sans-serif face, and a serif CJK face actually installed."""
    messages = []
    for setting in ("PDF_TITLE_FONT_FAMILY", "PDF_BODY_FONT_FAMILY"):
        for family in getattr(settings, setting):
            if is_sans(family):
                messages.append(
                    Error(
                        f"{setting} 含无衬线字体“{family}”：公文标题和正文须用宋体、仿宋类字体（GB/T 9704-2012）。",
                        hint="改为仿宋、宋体类字体，或留空使用默认值（Noto Serif CJK SC 兜底）。",
                        id="core.E004",
                    )
                )
    installed = set(cjk_font_families())
    if not installed:
        return messages  # reported by check_cjk_font
    fallback = settings.PDF_FALLBACK_FONT_FAMILY
    for setting in ("PDF_TITLE_FONT_FAMILY", "PDF_BODY_FONT_FAMILY"):
        configured = [family for family in getattr(settings, setting) if not is_sans(family)]
        if fallback not in installed and not installed.intersection(configured):
            level = Warning if settings.DEBUG else Error
            messages.append(
                level(
                    f"{setting} 中的字体和备用字体 {fallback} 都没有安装：文书会以系统任选的字体（可能是黑体）输出。",
                    hint=FONT_HINT,
                    id="core.E005" if level is Error else "core.W005",
                )
            )
    return messages


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
