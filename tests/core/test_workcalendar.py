import datetime as dt

import pytest

from core.workcalendar import Pause, get_calendar

D = dt.date.fromisoformat


@pytest.fixture
def calendar(base_data):
    return get_calendar()


@pytest.mark.parametrize(
    ("start", "days", "kind", "expected"),
    [
        # The examples of docs/domain.md, "期限与工作日历".
        ("2025-09-30", 5, "working", "2025-10-14"),  # 10-01..08 off, Saturday 10-11 worked
        ("2025-09-16", 15, "calendar", "2025-10-09"),  # lands on 10-01, a holiday
        # Spring Festival 2025: 01-28..02-04 off, Sunday 01-26 and Saturday 02-08 worked.
        ("2025-01-24", 3, "working", "2025-02-05"),
        ("2025-01-24", 1, "working", "2025-01-26"),
        ("2025-02-07", 1, "working", "2025-02-08"),
        ("2025-01-20", 10, "calendar", "2025-02-05"),
        # Spring Festival 2026: 02-15..02-23 off, Saturdays 02-14 and 02-28 worked.
        ("2026-02-13", 1, "working", "2026-02-14"),
        ("2026-02-13", 2, "working", "2026-02-24"),
        ("2026-02-01", 15, "calendar", "2026-02-24"),
        # National Day 2026: 10-01..10-07 off, Sunday 09-20 and Saturday 10-10 worked.
        ("2026-09-30", 5, "working", "2026-10-13"),
        ("2026-09-18", 2, "working", "2026-09-21"),
        ("2026-09-16", 15, "calendar", "2026-10-08"),
        # A start on a holiday: the holiday itself is not counted either way.
        ("2025-10-03", 15, "calendar", "2025-10-20"),
        ("2025-10-03", 1, "working", "2025-10-09"),
        # Year boundary: 2026-01-01..03 off, Sunday 01-04 worked.
        ("2025-12-25", 15, "calendar", "2026-01-09"),
        ("2025-12-31", 1, "working", "2026-01-04"),
        ("2025-12-17", 15, "calendar", "2026-01-04"),
        # A calendar deadline on an ordinary weekday stays put.
        ("2025-03-03", 15, "calendar", "2025-03-18"),
    ],
)
def test_add_days_follows_the_official_calendar(calendar, start, days, kind, expected):
    assert calendar.add_days(D(start), days, kind) == D(expected)


def test_pauses_stop_the_clock(calendar):
    # 10 calendar days from 2025-03-03 is 03-13; a 3-day pause moves it to 03-16 (Sunday) → 03-17.
    pause = Pause(D("2025-03-05"), D("2025-03-07"))
    assert calendar.add_days(D("2025-03-03"), 10, "calendar", [pause]) == D("2025-03-17")
    # Working days: 03-04 counts, 03-05..07 do not, then 03-10..13: five working days end on 03-13.
    assert calendar.add_days(D("2025-03-03"), 5, "working", [pause]) == D("2025-03-13")


def test_working_days_between_counts_only_working_days(calendar):
    assert calendar.working_days_between(D("2025-09-30"), D("2025-10-14")) == 5
    assert calendar.working_days_between(D("2025-10-14"), D("2025-09-30")) == -5
    assert calendar.working_days_between(D("2025-10-14"), D("2025-10-14")) == 0


def test_stamp_names_the_revisions_used(calendar):
    assert calendar.stamp(D("2025-12-25"), D("2026-01-09")) == "2025r1,2026r1"


def test_upload_just_over_the_limit_says_by_how_much(settings):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.uploads import validate_upload

    # 20 MB plus 9 bytes would read "20.0 MB, over the 20.0 MB limit": the message gives exact bytes instead.
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024 + 4))
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload, max_bytes=20 * 1024 * 1024)
    assert "大小为 20,971,529 字节，超过上限 20,971,520 字节" in excinfo.value.messages[0]
