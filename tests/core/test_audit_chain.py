"""The audit log is append-only and hash-chained (README 安全审计): the ORM refuses changes, `audit_verify` finds
a changed, removed or inserted entry, and `audit_archive` moves old entries to a file without breaking the chain."""

from __future__ import annotations

import datetime as dt
import json
import threading
import zoneinfo
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from core.audit_chain import digest_of
from core.models import AuditArchive, AuditChainHead, AuditEntry, AuditLogImmutableError
from core.models.audit import GENESIS_HASH
from core.services.audit import log_action
from core.services.audit_archive import audit_verify

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
# Far after the session's own entries (the base data is loaded at the real time), so that those are older too and
# the entries written here are the newest of the chain whatever today's date.
NOW = dt.datetime(2090, 9, 1, 10, 0, tzinfo=TZ)


def raw_sql(sql: str, params=()) -> None:
    """Write behind the ORM, as someone with database access would; on PostgreSQL with the triggers switched off
    for this transaction (session_replication_role, a superuser's privilege), which is what the chain is for."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def write_entries(actor, count: int, start: int = 0) -> list[AuditEntry]:
    return [
        log_action(actor=actor, action="core.test.recorded", target=actor.org, number=start + n, note="说明")
        for n in range(count)
    ]


def verify_problems(**kwargs) -> list[str]:
    return audit_verify(**kwargs).problems


def test_each_entry_names_the_hash_of_the_one_before(clerk_a):
    first, second, third = write_entries(clerk_a, 3)
    before = AuditEntry.objects.filter(sequence=first.sequence - 1).values_list("entry_hash", flat=True).first()
    assert first.prev_hash == (before or GENESIS_HASH)
    assert second.prev_hash == first.entry_hash and third.prev_hash == second.entry_hash
    assert [first.sequence + 1, first.sequence + 2] == [second.sequence, third.sequence]
    stored = AuditEntry.objects.get(pk=third.pk)
    assert digest_of(stored) == third.entry_hash  # the hash survives the database round trip
    head = AuditChainHead.objects.get()
    assert (head.last_sequence, head.last_hash) == (third.sequence, third.entry_hash)
    assert verify_problems() == []


def test_the_entry_records_the_client_address(clerk_a, rf):
    request = rf.get("/", REMOTE_ADDR="10.1.2.3")
    entry = log_action(actor=clerk_a, action="core.test.recorded", request=request)
    assert AuditEntry.objects.get(pk=entry.pk).ip_address == "10.1.2.3"
    assert verify_problems() == []


def test_the_orm_refuses_to_change_or_delete_an_entry(clerk_a):
    entry = write_entries(clerk_a, 1)[0]
    entry.action = "core.test.forged"
    with pytest.raises(AuditLogImmutableError, match="只能追加"):
        entry.save()
    with pytest.raises(AuditLogImmutableError):
        entry.delete()
    entries = AuditEntry.objects.filter(pk=entry.pk)
    with pytest.raises(AuditLogImmutableError):
        entries.update(action="core.test.forged")
    with pytest.raises(AuditLogImmutableError):
        entries.delete()
    with pytest.raises(AuditLogImmutableError):
        AuditEntry.objects.bulk_update([entry], ["action"])
    with pytest.raises(AuditLogImmutableError):
        AuditEntry.objects.bulk_create([AuditEntry(action="core.test.forged")])
    assert AuditEntry.objects.get(pk=entry.pk).action == "core.test.recorded"
    assert verify_problems() == []


def test_a_person_named_in_the_log_cannot_be_deleted(clerk_a):
    from django.db.models import ProtectedError

    write_entries(clerk_a, 1)
    with pytest.raises(ProtectedError):
        clerk_a.delete()


def test_audit_verify_finds_a_tampered_entry(clerk_a):
    entries = write_entries(clerk_a, 4)
    raw_sql("UPDATE core_auditentry SET data = %s WHERE id = %s", [json.dumps({"number": 99}), entries[1].pk])

    problems = verify_problems()

    assert problems == [f"数据库：第 {entries[1].sequence} 号记录的内容与其哈希不符（记录被篡改）"]
    with pytest.raises(CommandError, match="核验未通过"):
        call_command("audit_verify")


def test_audit_verify_finds_a_tampered_entry_whose_hash_was_recomputed(clerk_a):
    entries = write_entries(clerk_a, 4)
    forged = AuditEntry.objects.get(pk=entries[1].pk)
    forged.action = "core.test.forged"
    raw_sql(
        "UPDATE core_auditentry SET action = %s, entry_hash = %s WHERE id = %s",
        ["core.test.forged", digest_of(forged), forged.pk],
    )
    assert verify_problems() == [
        f"数据库：第 {entries[2].sequence} 号记录的“前一条哈希”与前一条不符（前面的记录被改动或删除）"
    ]


def test_audit_verify_finds_a_removed_entry_and_a_removed_tail(clerk_a):
    entries = write_entries(clerk_a, 5)
    raw_sql("DELETE FROM core_auditentry WHERE id = %s", [entries[2].pk])
    raw_sql("DELETE FROM core_auditentry WHERE id = %s", [entries[4].pk])

    problems = verify_problems()

    third, fourth, fifth = (entry.sequence for entry in entries[2:])
    assert problems == [
        f"数据库：第 {third}–{third} 号记录缺失（链在第 {fourth} 号断开）",
        f"数据库：第 {fourth} 号记录的“前一条哈希”与前一条不符（前面的记录被改动或删除）",
        f"链头登记到第 {fifth} 号记录，实际记录止于第 {fourth} 号（末尾的记录被删除或改动）",
    ]


def test_a_clean_log_passes_audit_verify(clerk_a, capsys):
    write_entries(clerk_a, 3)
    call_command("audit_verify")
    assert "操作日志完整" in capsys.readouterr().out


# --- Archiving -------------------------------------------------------------------------------------


@pytest.fixture
def old_and_new_entries(clerk_a):
    """Three entries 200 days old and two from today."""
    with time_machine.travel(NOW - dt.timedelta(days=200), tick=False):
        old = write_entries(clerk_a, 3)
    with time_machine.travel(NOW, tick=False):
        new = write_entries(clerk_a, 2, start=3)
    return old, new


def test_archive_moves_entries_past_the_retention_and_the_chain_verifies_across_it(
    old_and_new_entries, private_files, capsys
):
    old, new = old_and_new_entries
    before_old = AuditEntry.objects.filter(sequence__lt=old[0].sequence).count()
    with time_machine.travel(NOW, tick=False):
        call_command("audit_archive")

    archive = AuditArchive.objects.get()
    assert (archive.last_sequence, archive.last_hash) == (old[-1].sequence, old[-1].entry_hash)
    assert archive.entry_count == before_old + 3
    assert list(AuditEntry.objects.order_by("sequence")) == new
    lines = (private_files / "audit-archive" / archive.file_name).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["seq"] for line in lines[-4:-1]] == [entry.sequence for entry in old]
    assert json.loads(lines[-1])["last_hash"] == old[-1].entry_hash
    assert "已归档" in capsys.readouterr().out

    report = audit_verify(require_files=True)
    assert report.ok, report.problems
    assert (report.archives, report.archive_files, report.entries) == (1, 1, 2)
    # New entries keep chaining after the archived ones.
    with time_machine.travel(NOW, tick=False):
        log_action(actor=old[0].actor, action="core.test.recorded")
    assert verify_problems(require_files=True) == []


def test_a_changed_archive_file_is_detected(old_and_new_entries, private_files):
    with time_machine.travel(NOW, tick=False):
        call_command("audit_archive")
    path = private_files / "audit-archive" / AuditArchive.objects.get().file_name
    path.write_text(path.read_text(encoding="utf-8").replace("说明", "改过"), encoding="utf-8")

    problems = verify_problems()

    assert any("文件的 SHA-256 与归档登记不符" in problem for problem in problems)
    assert any("记录部分的 SHA-256 与清单不符" in problem for problem in problems)
    assert any("内容与其哈希不符" in problem for problem in problems)


def test_a_missing_archive_file_is_a_note_unless_required(old_and_new_entries, private_files):
    with time_machine.travel(NOW, tick=False):
        call_command("audit_archive")
    (private_files / "audit-archive" / AuditArchive.objects.get().file_name).unlink()

    report = audit_verify()
    assert report.ok and "已转存离线介质" in report.notes[0]
    with pytest.raises(CommandError):
        call_command("audit_verify", "--require-archives")


def test_nothing_younger_than_180_days_is_archived(old_and_new_entries, private_files):
    with pytest.raises(CommandError, match="至少保存 180 天"):
        call_command("audit_archive", "--days", "30")
    old, new = old_and_new_entries
    with time_machine.travel(NOW, tick=False):
        call_command("audit_archive", "--days", "365")
    # Only what the session wrote at the real time (long before NOW) may have gone; the 200-day-old entries stay.
    assert not AuditArchive.objects.filter(last_sequence__gte=old[0].sequence).exists()
    assert AuditEntry.objects.filter(pk__in=[entry.pk for entry in old + new]).count() == 5


def test_a_broken_chain_is_not_archived(old_and_new_entries, private_files):
    old, _new = old_and_new_entries
    raw_sql("UPDATE core_auditentry SET action = %s WHERE id = %s", ["core.test.forged", old[1].pk])
    with time_machine.travel(NOW, tick=False), pytest.raises(CommandError, match="未通过核验"):
        call_command("audit_archive")
    assert not AuditArchive.objects.exists() and AuditEntry.objects.filter(pk=old[1].pk).exists()


# --- Concurrent writers ----------------------------------------------------------------------------

WRITERS, EACH = 8, 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_chain_one_after_the_other(base_data, orgs):
    from tests.factories import make_user

    actor = make_user(org=orgs["laizhou"], username="writer")
    barrier = threading.Barrier(WRITERS)

    def one(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            for n in range(EACH):
                with transaction.atomic():
                    log_action(actor=actor, action="core.test.recorded", writer=index, number=n)
        finally:
            connection.close()  # each thread had its own connection

    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        list(pool.map(one, range(WRITERS)))

    entries = list(AuditEntry.objects.order_by("sequence"))
    mine = [entry for entry in entries if entry.action == "core.test.recorded"]
    assert len(mine) == WRITERS * EACH
    assert [entry.sequence for entry in entries] == list(range(entries[0].sequence, entries[-1].sequence + 1))
    assert len({entry.prev_hash for entry in entries}) == len(entries)  # no two chained to the same predecessor
    report = audit_verify()
    assert report.ok, report.problems
    assert report.head_sequence == entries[-1].sequence
