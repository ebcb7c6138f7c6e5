import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.models import AuditEntry
from outreach import services
from outreach.models import Event, EventPhoto

from .conftest import event_post_data, image_upload

pytestmark = pytest.mark.django_db

NEW = reverse("outreach:event_create")


def _files(root):
    return [path for path in root.rglob("*") if path.is_file()]


def test_clerk_records_an_event_with_a_photo_and_thumbnail(client_for, clerk_a, ref, grid, private_files):
    response = client_for(clerk_a).post(NEW, {**event_post_data(ref, grid), "photos": [image_upload("现场.jpg")]})

    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("outreach:event_detail", args=[event.pk])
    assert event.org == clerk_a.org
    assert event.created_by == clerk_a
    assert event.grid_officer == "王网格员"  # taken from the grid cell when left blank
    assert event.people_reached == 320 + 1500
    assert list(event.target_groups.all()) == [ref["elderly"]]
    photo = EventPhoto.objects.get(event=event)
    assert photo.original_name == "现场.jpg"
    assert (photo.width, photo.height) == (640, 480)
    # Both the photo and its thumbnail are under PRIVATE_FILES_ROOT, the thumbnail no larger than 360×270.
    assert len(_files(private_files)) == 2
    with Image.open(photo.thumbnail.path) as thumb:
        assert thumb.format == "JPEG"
        assert thumb.size[0] <= 360 and thumb.size[1] <= 270
    assert str(private_files) in photo.file.path
    assert AuditEntry.objects.filter(action="outreach.event.created", object_id=event.pk).exists()


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("participants", "现场参与人数不能为负数。"),
        ("online_reach", "线上覆盖人次不能为负数。"),
        ("materials_handed_out", "发放资料（份）不能为负数。"),
    ],
)
def test_negative_counts_are_refused_in_chinese_and_nothing_is_saved(client_for, clerk_a, ref, grid, field, message):
    response = client_for(clerk_a).post(NEW, event_post_data(ref, grid, **{field: "-5"}))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Event.objects.exists()


def test_service_refuses_negative_participants(clerk_a, ref, grid):
    data = {
        "title": "x",
        "campaign": ref["campaign_daily"],
        "held_on": dt.date(2025, 5, 1),
        "grid_cell": grid["shahe"],
        "venue_type": ref["rural"],
        "participants": -1,
    }
    with pytest.raises(ValidationError) as exc:
        services.event_create(actor=clerk_a, org=clerk_a.org, data=data)
    assert exc.value.message_dict["participants"] == ["现场参与人数不能为负数。"]
    assert not Event.objects.exists()


@time_machine.travel(dt.datetime(2026, 11, 26, 10, tzinfo=dt.UTC))
@pytest.mark.parametrize("held_on", ["2014-12-31", "2027-11-28"])
def test_event_date_out_of_range_is_refused(client_for, clerk_a, ref, grid, held_on):
    response = client_for(clerk_a).post(NEW, event_post_data(ref, grid, held_on=held_on))

    assert response.status_code == 200
    assert "活动日期须在 2015-01-01 至 2027-11-27 之间。" in response.content.decode()
    assert not Event.objects.exists()


def test_end_time_before_start_time_is_refused(client_for, clerk_a, ref, grid):
    response = client_for(clerk_a).post(NEW, event_post_data(ref, grid, starts_at="15:00", ends_at="14:00"))

    assert "结束时间不能早于开始时间。" in response.content.decode()
    assert not Event.objects.exists()


def test_too_large_photo_is_refused_and_nothing_is_saved(client_for, clerk_a, ref, grid, settings, private_files):
    settings.OUTREACH_PHOTO_MAX_BYTES = 2048
    big_noise = io.BytesIO()
    Image.effect_noise((300, 300), 80).convert("RGB").save(big_noise, format="PNG")
    big = SimpleUploadedFile("big.png", big_noise.getvalue(), content_type="image/png")

    response = client_for(clerk_a).post(NEW, {**event_post_data(ref, grid), "photos": [big]})

    body = response.content.decode()
    assert response.status_code == 200
    assert "文件“big.png”大小为" in body and "超过上限 2.0\xa0KB" in body
    assert not Event.objects.exists()
    assert not EventPhoto.objects.exists()
    assert _files(private_files) == []


def test_text_file_named_jpg_is_refused(client_for, clerk_a, ref, grid, private_files):
    fake = SimpleUploadedFile("photo.jpg", "这不是图片".encode(), content_type="image/jpeg")

    response = client_for(clerk_a).post(NEW, {**event_post_data(ref, grid), "photos": [fake]})

    assert "文件“photo.jpg”的内容与扩展名不符" in response.content.decode()
    assert not Event.objects.exists()
    assert _files(private_files) == []


def test_corrupt_image_with_a_jpeg_signature_is_refused(client_for, clerk_a, ref, grid, private_files):
    corrupt = SimpleUploadedFile("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x00garbage" * 50, content_type="image/jpeg")

    response = client_for(clerk_a).post(NEW, {**event_post_data(ref, grid), "photos": [image_upload(), corrupt]})

    assert "文件“broken.jpg”不是有效的图片" in response.content.decode()
    # The good photo beside it is not kept either: the whole submission is refused.
    assert not Event.objects.exists()
    assert _files(private_files) == []


def test_pdf_is_not_accepted_as_a_photo(clerk_a, make_event, orgs):
    event = make_event(org=orgs["laizhou"])
    pdf = SimpleUploadedFile("leaflet.pdf", b"%PDF-1.4 leaflet", content_type="application/pdf")

    with pytest.raises(ValidationError) as exc:
        services.event_photo_add(actor=clerk_a, event=event, uploads=[pdf])

    assert "不支持的文件类型“pdf”" in exc.value.messages[0]
    assert not EventPhoto.objects.exists()


def test_photo_added_later_on_the_detail_page(client_for, clerk_a, make_event, orgs):
    event = make_event(org=orgs["laizhou"])
    client = client_for(clerk_a)

    response = client.post(
        reverse("outreach:photo_upload", args=[event.pk]),
        {"photos": [image_upload("a.png", image_format="PNG")], "caption": "发放折页"},
        follow=True,
    )

    assert "已上传 1 张照片。" in response.content.decode()
    photo = event.photos.get()
    assert photo.caption == "发放折页"
    thumb = client.get(reverse("outreach:photo_file", args=[photo.pk, "thumb"]))
    assert thumb["Content-Type"] == "image/jpeg"
    assert b"".join(thumb.streaming_content)[:3] == b"\xff\xd8\xff"
    original = client.get(reverse("outreach:photo_file", args=[photo.pk, "original"]))
    assert original["Content-Type"] == "image/png"


def test_edit_keeps_validation(client_for, clerk_a, make_event, orgs, ref, grid):
    event = make_event(org=orgs["laizhou"], participants=50)
    data = event_post_data(ref, grid, participants="-1")

    response = client_for(clerk_a).post(reverse("outreach:event_edit", args=[event.pk]), data)

    assert "现场参与人数不能为负数。" in response.content.decode()
    event.refresh_from_db()
    assert event.participants == 50


def test_edit_saves_changes(client_for, clerk_a, make_event, orgs, ref, grid):
    event = make_event(org=orgs["laizhou"], participants=50)

    client_for(clerk_a).post(reverse("outreach:event_edit", args=[event.pk]), event_post_data(ref, grid))

    event.refresh_from_db()
    assert event.participants == 320
    assert event.history.first().history_change_reason == "修改宣传活动"


def _png_bomb(width: int, height: int) -> bytes:
    """A real, complete PNG of one-bit black pixels: a few hundred KB on disk, width×height bytes once decoded."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the packed bits
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def test_decompression_bomb_png_is_refused_before_it_is_decoded(client_for, clerk_a, make_event, orgs, private_files):
    # 8944×8944 = 80 million pixels in about 10 KB; under the old limit it was decoded (about 1 GB per photo).
    bomb = _png_bomb(8944, 8944)
    assert len(bomb) < 400_000
    event = make_event(org=orgs["laizhou"])
    upload = SimpleUploadedFile("宣传现场.png", bomb, content_type="image/png")

    response = client_for(clerk_a).post(
        reverse("outreach:photo_upload", args=[event.pk]), {"photos": [upload]}, follow=True
    )

    body = response.content.decode()
    assert "图片“宣传现场.png”的像素过多（8944×8944，超过 40 百万像素），请缩小后再上传。" in body
    assert not EventPhoto.objects.exists()
    assert _files(private_files) == []


def test_photo_just_under_the_pixel_limit_is_accepted(clerk_a, make_event, orgs, settings):
    settings.OUTREACH_PHOTO_MAX_PIXELS = 800 * 600
    event = make_event(org=orgs["laizhou"])

    [photo] = services.event_photo_add(actor=clerk_a, event=event, uploads=[image_upload(size=(800, 600))])

    assert (photo.width, photo.height) == (800, 600)
    with pytest.raises(ValidationError, match="像素过多（801×600"):
        services.event_photo_add(actor=clerk_a, event=event, uploads=[image_upload(size=(801, 600))])


def test_many_large_photos_in_one_submission_are_refused_together(
    client_for, clerk_a, ref, grid, settings, private_files
):
    settings.OUTREACH_PHOTO_MAX_PIXELS = 1_000_000
    settings.OUTREACH_PHOTO_TOTAL_PIXELS = 2_000_000
    photos = [image_upload(f"第{n}张.jpg", size=(1000, 1000)) for n in range(3)]

    response = client_for(clerk_a).post(NEW, {**event_post_data(ref, grid), "photos": photos})

    body = response.content.decode()
    assert response.status_code == 200
    assert "一次上传的照片合计 3 百万像素，超过上限 2 百万像素，请分批上传或缩小后再上传。" in body
    assert not Event.objects.exists()
    assert _files(private_files) == []


def test_large_jpeg_thumbnail_is_made_from_a_reduced_decode(clerk_a, make_event, orgs):
    event = make_event(org=orgs["laizhou"])

    [photo] = services.event_photo_add(actor=clerk_a, event=event, uploads=[image_upload(size=(4000, 3000))])

    assert (photo.width, photo.height) == (4000, 3000)
    with Image.open(photo.thumbnail.path) as thumb:
        assert thumb.size == (360, 270)
