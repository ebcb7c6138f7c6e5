"""Personal information (docs/domain.md, "个人信息"): validation on input and masking on output."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Landline: area code 0xx or 0xxx, then 7–8 digits, optional extension.
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_SHORT_SERVICE = re.compile(r"^(12378|95\d{3,4}|400-?\d{3}-?\d{4})$")

# The messages of the checks below. The intake page's script (static/core/personal_check.js) applies the same rules
# while the clerk types and shows these same words, handed to it by the page; the server's check stays the one
# that counts.
ID_FORMAT_MESSAGE = _("身份证号码应为18位，前17位为数字，最后一位为数字或X。")
ID_BIRTH_MESSAGE = _("身份证号码中的出生日期无效。")
ID_CHECK_MESSAGE = _("身份证号码校验位不正确，请核对后重新输入。")
PHONE_MESSAGE = _("电话号码格式不正确：手机号为11位（如 13812345678），固定电话需带区号（如 0535-2212345）。")


def resident_id_check_digit(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_resident_id(value: str) -> str:
    """An 18-digit resident ID (GB 11643): digits, a real birth date, the right check digit."""
    value = (value or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        raise ValidationError(ID_FORMAT_MESSAGE, code="id_format")
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(ID_BIRTH_MESSAGE, code="id_birth") from None
    if birth.year < 1900 or birth > dt.date.today():  # noqa: DTZ011 - a calendar date, no time zone involved
        raise ValidationError(ID_BIRTH_MESSAGE, code="id_birth")
    if resident_id_check_digit(value[:17]) != value[17]:
        raise ValidationError(ID_CHECK_MESSAGE, code="id_check")
    return value


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s()（）]", "", value or "").replace("+86", "")


def validate_phone(value: str) -> str:
    """A mainland mobile (11 digits starting 1[3-9]) or a landline with area code (e.g. 0535-2212345)."""
    phone = normalise_phone(value)
    if _MOBILE.match(phone) or _LANDLINE.match(phone) or _SHORT_SERVICE.match(phone):
        return phone
    raise ValidationError(PHONE_MESSAGE, code="phone_format")


def mask_id(value: str) -> str:
    """370683********1234: first 6 and last 4 only."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """138****5678 for mobiles; landlines keep the area code and the last 4 digits."""
    if not value:
        return ""
    digits = value.replace("-", "")
    if _MOBILE.match(digits):
        return digits[:3] + "****" + digits[-4:]
    if len(digits) > 4:
        return digits[:4] + "****" + digits[-4:] if digits.startswith("0") else "****" + digits[-4:]
    return "****"


def mask_name(value: str) -> str:
    """王* for exports to the branch: the surname only (two-character surnames stay whole if 4+ chars)."""
    if not value:
        return ""
    value = value.strip()
    keep = 2 if len(value) >= 4 else 1
    return value[:keep] + "*" * (len(value) - keep)


_TOWN = re.compile(r"^(.*?(?:省|自治区|市|县|区|旗))*.*?(?:镇|乡|街道|开发区)")


def mask_address(value: str) -> str:
    """Down to town level: 山东省莱州市文昌路街道…"""
    if not value:
        return ""
    match = _TOWN.match(value)
    if match:
        return match.group(0) + "…"
    # No town in the address: keep at most the county-level part.
    county = re.match(r"^.*?(?:县|区|市)", value)
    return (county.group(0) if county else value[:4]) + "…"


def mask_account(value: str) -> str:
    if not value:
        return ""
    return "*" * max(len(value) - 4, 0) + value[-4:]


# Personal numbers typed into free text (summaries, contents, notes). Clerks type full-width digits (１３８…) from
# Chinese input methods: those are read as ASCII digits first, so that the patterns below need only one form.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ－\u3000", "0123456789Xx- ")
_SEP = r"[ -]?"
# Not glued to other letters or digits (CJK text around it is fine: "身份证370683…，电话…").
_FREE_ID = re.compile(r"(?<![A-Za-z0-9])([0-9]{17}[0-9Xx])(?![A-Za-z0-9])")
_FREE_CARD = re.compile(rf"(?<![0-9])([0-9]{{4}}(?:{_SEP}[0-9]{{4}}){{3}}(?:{_SEP}[0-9]{{1,3}})?)(?![0-9])")
_FREE_MOBILE = re.compile(rf"(?<![0-9])((?:\+?86{_SEP})?1[3-9][0-9]{_SEP}[0-9]{{4}}{_SEP}[0-9]{{4}})(?![0-9])")
_FREE_LANDLINE = re.compile(r"(?<![0-9.])(0[0-9]{2,3})[ -]?([0-9]{7,8})(?![0-9.])")


def _digits(text: str) -> str:
    return re.sub(r"[^0-9]", "", text)


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _mask_id_match(match: re.Match) -> str:
    text = match.group(1).upper()
    return mask_id(text) if resident_id_check_digit(text[:17]) == text[17] else match.group(1)


def _mask_card_match(match: re.Match) -> str:
    digits = _digits(match.group(1))
    return mask_account(digits) if 16 <= len(digits) <= 19 and luhn_valid(digits) else match.group(1)


def _mask_mobile_match(match: re.Match) -> str:
    # The last 11 digits: a +86 prefix is dropped.
    return mask_phone(_digits(match.group(1))[-11:])


def _mask_landline_match(match: re.Match) -> str:
    area, number = match.groups()
    return f"{area}-****{number[-4:]}"


def mask_free_text(value: str) -> str:
    """Free text as lists, exports and forwarding slips show it: the personal numbers a clerk typed into it masked.

    18-digit resident IDs with a valid check digit, bank-card numbers (16–19 digits passing the Luhn check), mainland
    mobiles and landlines with an area code, plain or grouped with spaces or hyphens. IDs go first (an ID can also
    pass the Luhn check). Other numbers (amounts, dates, policy numbers) stay as written.
    """
    if not value:
        return value or ""
    value = str(value).translate(_FULL_WIDTH)
    value = _FREE_ID.sub(_mask_id_match, value)
    value = _FREE_CARD.sub(_mask_card_match, value)
    value = _FREE_MOBILE.sub(_mask_mobile_match, value)
    return _FREE_LANDLINE.sub(_mask_landline_match, value)


_CASE_NUMBER = re.compile(r"^[A-Z]{2}-\d{4}-\d{4,}$")


def mask_search_terms(value: str) -> str:
    """Search terms as logs and export records keep them: a term may be a name or a phone number (docs/domain.md,
    "个人信息"). Case numbers stay; numbers are masked by pattern; any other term keeps its first character."""
    terms = []
    for term in (value or "").split():
        if _CASE_NUMBER.match(term.upper()):
            terms.append(term)
            continue
        masked = mask_free_text(term)
        terms.append(masked if masked != term else mask_name(term) if len(term) > 1 else "*")
    return " ".join(terms)
