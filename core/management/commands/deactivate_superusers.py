from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.services.security import superusers_deactivate


class Command(BaseCommand):
    help = (
        "三员分立：安装完成后停用全部超级用户账号。至少要有一个在用的系统管理员和一个在用的安全管理员"
        "（均非超级用户），否则拒绝执行。"
    )

    def handle(self, *args, **options):
        try:
            retired = superusers_deactivate()
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        if not retired:
            self.stdout.write("没有在用的超级用户账号。")
            return
        names = "、".join(user.username for user in retired)
        self.stdout.write(self.style.SUCCESS(f"已停用 {len(retired)} 个超级用户账号：{names}。"))
