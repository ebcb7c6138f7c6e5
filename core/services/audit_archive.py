"""Verifying and archiving the audit log's hash chain (README 安全审计; docs/operations.md 操作日志).

`audit_verify` walks the archives recorded in `AuditArchive` (and their files when present) and then the live
entries: every entry must hash to its `entry_hash`, name the previous entry's hash as its `prev_hash`, and follow
it by exactly one sequence number; the live chain starts where the last archive ends, and ends at the chain head.

`audit_archive` moves the entries older than the retention period (at least 180 days) to a JSON-lines file in the
file storage every node and worker shares (folder AUDIT_ARCHIVE_FOLDER of the local PRIVATE_FILES_ROOT or of the
object store, docs/operations.md「多台服务器」; written through the storage API, never a path opened by hand):
one line per entry (the hashed fields plus readable names), then a manifest line with the range, the boundary
hashes, the SHA-256 of the entry lines and an HMAC over the manifest keyed by SECRET_KEY. The `AuditArchive` row
keeps the range, the boundary hashes and the file's SHA-256 in the database, so the chain stays verifiable across
the boundary even when the file has gone to offline storage.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from core.audit_chain import digest_of, timestamp
from core.backup import files_storage
from core.models import AuditArchive, AuditChainHead, AuditEntry
from core.models.audit import GENESIS_HASH

ARCHIVE_FORMAT = 1
HMAC_SALT = "core.audit_archive"
MAX_PROBLEMS = 50


@dataclass
class ChainReport:
    entries: int = 0
    archives: int = 0
    archive_files: int = 0
    head_sequence: int = 0
    head_hash: str = GENESIS_HASH
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, text: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(text)


@dataclass(frozen=True)
class ArchivedEntry:
    """An entry read back from an archive file, with the attributes `digest_of` reads."""

    sequence: int
    prev_hash: str
    entry_hash: str
    created_at: dt.datetime
    action: str
    actor_id: int | None
    org_id: int | None
    content_type_id: int | None
    object_id: int | None
    data: dict
    ip_address: str | None


class _Link:
    """The running state of a chain walk: the sequence and hash the next entry must follow."""

    def __init__(self, sequence: int, last_hash: str):
        self.sequence, self.last_hash = sequence, last_hash

    def check(self, entry, report: ChainReport, where: str) -> None:
        if entry.sequence != self.sequence + 1:
            report.problem(
                f"{where}：第 {self.sequence + 1}–{entry.sequence - 1} 号记录缺失（链在第 {entry.sequence} 号断开）"
                if entry.sequence > self.sequence + 1
                else f"{where}：第 {entry.sequence} 号记录重复或次序错乱"
            )
        if entry.prev_hash != self.last_hash:
            report.problem(f"{where}：第 {entry.sequence} 号记录的“前一条哈希”与前一条不符（前面的记录被改动或删除）")
        if digest_of(entry) != entry.entry_hash:
            report.problem(f"{where}：第 {entry.sequence} 号记录的内容与其哈希不符（记录被篡改）")
        self.sequence, self.last_hash = entry.sequence, entry.entry_hash


# --- Archive files ---------------------------------------------------------------------------------


def _entry_line(entry: AuditEntry) -> dict:
    content_type = entry.content_type
    return {
        "seq": entry.sequence,
        "prev": entry.prev_hash,
        "hash": entry.entry_hash,
        "at": timestamp(entry.created_at),
        "action": entry.action,
        "actor": entry.actor_id,
        "actor_name": str(entry.actor) if entry.actor_id else "",
        "org": entry.org_id,
        "org_name": str(entry.org) if entry.org_id else "",
        "ct": entry.content_type_id,
        "ct_label": f"{content_type.app_label}.{content_type.model}" if content_type else "",
        "obj": entry.object_id,
        "data": entry.data,
        "ip": entry.ip_address,
    }


def _archived_entry(line: dict) -> ArchivedEntry:
    return ArchivedEntry(
        sequence=line["seq"],
        prev_hash=line["prev"],
        entry_hash=line["hash"],
        created_at=dt.datetime.strptime(line["at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC),
        action=line["action"],
        actor_id=line["actor"],
        org_id=line["org"],
        content_type_id=line["ct"],
        object_id=line["obj"],
        data=line["data"],
        ip_address=line["ip"],
    )


def _dumps(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _manifest_hmac(manifest: dict, secret=None) -> str:
    unsigned = {key: value for key, value in manifest.items() if key != "hmac"}
    return salted_hmac(HMAC_SALT, _dumps(unsigned), secret=secret, algorithm="sha256").hexdigest()


def _hmac_matches(manifest: dict) -> bool:
    # A key rotated since the archive was written is still accepted while it is listed in SECRET_KEY_FALLBACKS.
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return any(constant_time_compare(_manifest_hmac(manifest, key), manifest.get("hmac", "")) for key in keys)


def archive_place(archive_dir: Path | None = None) -> tuple:
    """The storage and folder of the archive files: the shared file storage under AUDIT_ARCHIVE_FOLDER, or a local
    folder the operator names (`--archive-dir`, e.g. copies brought back from offline media)."""
    if archive_dir is not None:
        return files_storage(Path(archive_dir)), ""
    return files_storage(None), settings.AUDIT_ARCHIVE_FOLDER.strip("/")


def place_label(storage, folder: str) -> str:
    bucket = getattr(storage, "bucket_name", None)
    root = f"s3://{bucket}/{storage.location}".rstrip("/") if bucket else str(storage.location)
    return posixpath.join(root, folder) if folder else root


def verify_archive_file(archive: AuditArchive, content: bytes, report: ChainReport) -> None:
    where = f"归档文件 {archive.file_name}"
    if hashlib.sha256(content).hexdigest() != archive.file_sha256:
        report.problem(f"{where}：文件的 SHA-256 与归档登记不符（文件被改动）")
    lines = content.decode("utf-8").splitlines()
    if not lines:
        report.problem(f"{where}：文件为空")
        return
    manifest, entry_lines = json.loads(lines[-1]), lines[:-1]
    if manifest.get("kind") != "manifest" or not _hmac_matches(manifest):
        report.problem(f"{where}：清单签名无效（文件被改动，或 SECRET_KEY 已更换且未列入 SECRET_KEY_FALLBACKS）")
    body = "".join(line + "\n" for line in entry_lines).encode("utf-8")
    if hashlib.sha256(body).hexdigest() != manifest.get("entries_sha256"):
        report.problem(f"{where}：记录部分的 SHA-256 与清单不符")
    link = _Link(archive.first_sequence - 1, archive.first_prev_hash)
    for text in entry_lines:
        link.check(_archived_entry(json.loads(text)), report, where)
    if (link.sequence, link.last_hash) != (archive.last_sequence, archive.last_hash):
        report.problem(f"{where}：文件的最后一条记录与归档登记的截止序号或哈希不符")
    report.archive_files += 1


# --- Verification ----------------------------------------------------------------------------------


def _verify_archives(report: ChainReport, archive_dir: Path | None, require_files: bool) -> _Link:
    storage, folder = archive_place(archive_dir)
    link = _Link(0, GENESIS_HASH)
    for archive in AuditArchive.objects.order_by("first_sequence"):
        where = f"归档 {archive.file_name}"
        if archive.first_sequence != link.sequence + 1 or archive.first_prev_hash != link.last_hash:
            report.problem(f"{where}：与前一段（第 {link.sequence} 号记录）接不上")
        name = posixpath.join(folder, archive.file_name) if folder else archive.file_name
        if storage.exists(name):
            with storage.open(name, "rb") as stored:
                verify_archive_file(archive, stored.read(), report)
        elif require_files:
            report.problem(f"{where}：找不到归档文件 {place_label(storage, name)}")
        else:
            report.notes.append(
                f"{where}：文件不在 {place_label(storage, folder)}（已转存离线介质？），只核对了数据库中的登记"
            )
        link = _Link(archive.last_sequence, archive.last_hash)
        report.archives += 1
    return link


def audit_verify(*, archive_dir: Path | None = None, require_files: bool = False) -> ChainReport:
    """Check the whole chain: the archives, then the live entries, then the head."""
    report = ChainReport()
    # The head first: entries appended while the walk runs lie beyond it and are left for the next run.
    head = AuditChainHead.objects.first() or AuditChainHead()
    report.head_sequence, report.head_hash = head.last_sequence, head.last_hash
    link = _verify_archives(report, archive_dir, require_files)
    entries = AuditEntry.objects.filter(sequence__lte=head.last_sequence).order_by("sequence")
    for entry in entries.iterator(chunk_size=2000):
        link.check(entry, report, "数据库")
        report.entries += 1
    if (link.sequence, link.last_hash) != (head.last_sequence, head.last_hash):
        report.problem(
            f"链头登记到第 {head.last_sequence} 号记录，实际记录止于第 {link.sequence} 号（末尾的记录被删除或改动）"
        )
    return report


# --- Archiving -------------------------------------------------------------------------------------


def archivable_range(*, retention_days: int, now: dt.datetime | None = None) -> tuple[int, int] | None:
    """The first and last sequence of the live entries all older than the retention period, oldest first."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=retention_days)
    live = AuditEntry.objects.order_by("sequence")
    first = live.values_list("sequence", flat=True).first()
    if first is None:
        return None
    newer = live.filter(created_at__gte=cutoff).values_list("sequence", flat=True).first()
    last = (newer - 1) if newer is not None else live.values_list("sequence", flat=True).last()
    return (first, last) if last >= first else None


def _archive_content(entries: list[AuditEntry], archive_fields: dict) -> bytes:
    body = "".join(_dumps(_entry_line(entry)) + "\n" for entry in entries)
    manifest = {
        "kind": "manifest",
        "format": ARCHIVE_FORMAT,
        **archive_fields,
        "oldest_at": timestamp(archive_fields["oldest_at"]),
        "newest_at": timestamp(archive_fields["newest_at"]),
        "entries_sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(),
    }
    manifest["hmac"] = _manifest_hmac(manifest)
    return (body + _dumps(manifest) + "\n").encode("utf-8")


def _check_range(entries: list[AuditEntry]) -> None:
    previous = AuditArchive.objects.order_by("-last_sequence").first()
    report = ChainReport()
    link = _Link(previous.last_sequence, previous.last_hash) if previous else _Link(0, GENESIS_HASH)
    for entry in entries:
        link.check(entry, report, "数据库")
    if report.problems:
        raise ValidationError(["待归档的记录未通过核验，未归档："] + report.problems)


def audit_archive(*, retention_days: int | None = None, archive_dir: Path | None = None) -> AuditArchive | None:
    """Move the entries older than the retention period to an archive file; None when there is nothing to move."""
    retention_days = settings.AUDIT_RETENTION_DAYS if retention_days is None else retention_days
    if retention_days < 180:
        raise ValidationError("操作日志至少保存 180 天（网络安全法第二十一条），不能更早归档。")
    span = archivable_range(retention_days=retention_days)
    if span is None:
        return None
    first, last = span
    entries = list(
        AuditEntry.objects.filter(sequence__gte=first, sequence__lte=last)
        .select_related("actor", "org", "content_type")
        .order_by("sequence")
    )
    _check_range(entries)
    fields = {
        "first_sequence": first,
        "last_sequence": last,
        "first_prev_hash": entries[0].prev_hash,
        "last_hash": entries[-1].entry_hash,
        "entry_count": len(entries),
        "oldest_at": entries[0].created_at,
        "newest_at": entries[-1].created_at,
    }
    content = _archive_content(entries, fields)
    storage, folder = archive_place(archive_dir)
    file_name = f"audit-{first:012d}-{last:012d}.jsonl"
    # The whole file in one save (one PUT to an object store); a run that fails afterwards deletes it again. The
    # storage may pick another name when this one is taken (a copy left by an earlier run): the row keeps its choice.
    stored = storage.save(posixpath.join(folder, file_name) if folder else file_name, ContentFile(content))
    try:
        with transaction.atomic():
            archive = AuditArchive.objects.create(
                file_name=posixpath.basename(stored), file_sha256=hashlib.sha256(content).hexdigest(), **fields
            )
            AuditEntry.objects.filter(sequence__gte=first).archived_delete(up_to_sequence=last)
    except Exception:
        storage.delete(stored)  # nothing was archived: leave no file that claims otherwise
        raise
    return archive
