"""Print the current code of an account's authenticator: for the demo and development only (DEBUG on)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "显示演示账号身份验证器当前的动态口令（仅 DEBUG 开启时可用）。"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("DEBUG 已关闭：otp_code 只用于演示和开发，生产环境不能代替手机上的身份验证器。")
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if device is None:
            raise CommandError(f"账号 {username} 没有已绑定的身份验证器。")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        remaining = device.step - int(totp.time - device.t0) % device.step
        self.stdout.write(f"{totp.token():0{device.digits}d}")
        self.stderr.write(f"（{remaining} 秒内有效；同一口令只能使用一次，用过后请等下一个）")
