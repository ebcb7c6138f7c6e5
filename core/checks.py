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
