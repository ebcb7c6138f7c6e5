"""The institution picker: each institution with the keys a clerk may type to find it.

A clerk finds 中国工商银行莱州支行 by typing part of the full or short name ("工商"), the pinyin ("gongshang") or
the pinyin initials ("gsyh"). The keys are computed here, on the server, with pypinyin; the page's own small script
(static/core/combobox.js) only matches typed text against them. The list is sorted by the pinyin of the short name,
as a Chinese reader expects a name list to be.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, lazy_pinyin, load_phrases_dict

# pypinyin reads 行 as "xíng" in some words that are bank names here (支行, 总行); its phrase dictionary takes the
# readings the office uses. Loaded once, when this module is first imported.
load_phrases_dict(
    {
        "支行": [["zhī"], ["háng"]],
        "总行": [["zǒng"], ["háng"]],
        "商行": [["shāng"], ["háng"]],
        "行长": [["háng"], ["zhǎng"]],
        "营业部": [["yíng"], ["yè"], ["bù"]],
    }
)


_NOT_CHINESE = "\x00"


@lru_cache(maxsize=8192)
def pinyin_keys(text: str) -> tuple[str, str]:
    """(full pinyin, initials) in lower case without spaces; what is not Chinese is kept whole in both.

    >>> pinyin_keys("中国工商银行莱州支行")
    ('zhongguogongshangyinhanglaizhouzhihang', 'zggsyhlzzh')
    >>> pinyin_keys("ABC银行")
    ('abcyinhang', 'abcyh')
    """
    # pypinyin hands runs of non-Chinese characters ("ABC", "2") to `errors`; mark them so that the initials keep
    # them whole instead of their first letter.
    pieces = lazy_pinyin(text or "", errors=lambda run: [_NOT_CHINESE + run])
    syllables, initials = [], []
    for piece in pieces:
        if piece.startswith(_NOT_CHINESE):
            run = "".join(piece[1:].split()).lower()
            syllables.append(run)
            initials.append(run)
        elif piece:
            syllables.append(piece.lower())
            initials.append(piece[0].lower())
    return "".join(syllables), "".join(initials)


def sort_key(name: str) -> tuple[str, str]:
    """Order names by their pinyin, then by the characters themselves (homophones stay stable)."""
    return " ".join(lazy_pinyin(name or "", style=Style.NORMAL)).lower(), name or ""


@dataclass(frozen=True)
class PickerOption:
    pk: int
    short_name: str
    full_name: str
    keys: str  # space-separated lower-case search keys


def picker_options(institutions) -> list[PickerOption]:
    """The institutions as picker options, sorted by the pinyin of the short name."""
    options = []
    for institution in institutions:
        short, full = institution.short_name or "", institution.full_name or ""
        short_pinyin, short_initials = pinyin_keys(short)
        full_pinyin, full_initials = pinyin_keys(full)
        keys = " ".join(
            dict.fromkeys(
                k for k in (short.lower(), full.lower(), short_initials, full_initials, short_pinyin, full_pinyin) if k
            )
        )
        options.append(PickerOption(institution.pk, short, full, keys))
    options.sort(key=lambda option: (*sort_key(option.short_name), option.full_name))
    return options
