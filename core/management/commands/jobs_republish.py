from django.core.management.base import BaseCommand

from core.services.jobs import republish_pending
from core.services.notifications import retry_unsent_emails


class Command(BaseCommand):
    help = "补发因消息队列不可用而待发送的后台任务（导出、清单文件）和发送失败的邮件（beat 每分钟也会执行）。"

    def handle(self, *args, **options):
        outcome = republish_pending()
        unsent = retry_unsent_emails()
        self.stdout.write(
            f"已发送 {outcome['sent']} 个后台任务，仍待发送 {outcome['pending']} 个；未发出的邮件 {unsent} 封。"
        )
        if outcome["failed"]:
            self.stderr.write("消息队列仍不可用，待发送的任务已保留，恢复后再执行本命令或等待定时任务。")
