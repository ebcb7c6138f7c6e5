"""The case-file bundle (卷宗) measurement for `python manage.py bench` (docs/performance.md「卷宗」).

Target from issue 17: building the bundle PDF and ZIP of a filed case with 30 attachments ≤ 10 s and ≤ 200 MB.
The case is made once in the benchmark database through the real services (registered, accepted, 30 attachments
of realistic kinds and sizes uploaded, replied, delivered, closed, filed) and found again by its summary, which
marks it as benchmark data; later runs reuse it. Each run builds the bundle afresh (the new files replace the
old, as a rebuild after a supplement does).
"""

from __future__ import annotations

import time

from laizhou_xiaobao.bench import register

ATTACHMENTS = 30
# The mark of benchmark data: the case's summary (the ledger shows it), with the number of attachments.
BENCH_SUMMARY = "【基准测试数据】卷宗生成测量（{n}个附件）"


def bench_archive(attachments: int, scale: float = 1.0):
    """The filed benchmark case with `attachments` attachments, made when missing (`scale` < 1: smaller files,
    for tests)."""
    from complaints.models import CaseArchive
    from core.models import User
    from institutions.models import Institution
    from laizhou_xiaobao.demo.filed_cases import fictional_id, filed_petition
    from laizhou_xiaobao.demo.files import case_files

    summary = BENCH_SUMMARY.format(n=attachments)
    archive = CaseArchive.objects.filter(case__summary=summary).select_related("case").first()
    if archive is not None:
        return archive
    clerk = User.objects.get(username="lz_clerk_a")
    supervisor = User.objects.get(username="lz_supervisor")
    institution = Institution.objects.filter(org=clerk.org).order_by("pk").first()
    person = {
        "name": "基准测试",
        "id_number": fictional_id("370683", "19800101", 999),
        "phone": "13900000000",
        "address": "山东省莱州市（基准测试数据）",
    }
    return filed_petition(
        clerk=clerk,
        supervisor=supervisor,
        institution=institution,
        summary=summary,
        files=case_files(attachments, scale=scale),
        person=person,
    )


def _prepare(ctx):
    attachments = ctx.options.get("bundle_attachments") or ATTACHMENTS
    archive = bench_archive(attachments, ctx.options.get("bundle_scale") or 1.0)
    total = sum(archive.case.attachments.values_list("size", flat=True))
    return archive.pk, attachments, total


@register(
    "archive_bundle_30",
    title="卷宗：一件带30个附件的已归档案件生成PDF和ZIP",
    repeat=3,
    target="≤ 10 s，≤ 200 MB",
    setup=_prepare,
    limit_ms=10_000,
    limit_mb=200,
    job=True,
)
def archive_bundle_30(ctx, prepared):
    from complaints.services.archive_bundle import archive_bundle_build

    archive_id, attachments, total = prepared
    # The process's CPU time beside the wall-clock time: on a shared machine the latter includes waiting.
    cpu_started = time.process_time()
    archive = archive_bundle_build(archive_id)
    cpu = time.process_time() - cpu_started
    return (
        f"{attachments} 个附件共 {total / 2**20:.1f} MB；卷宗PDF {archive.bundle_pages} 页、"
        f"{archive.bundle_pdf.size / 2**20:.1f} MB，ZIP {archive.bundle_zip.size / 2**20:.1f} MB；"
        f"本进程CPU时间 {cpu:.1f} s"
    )
