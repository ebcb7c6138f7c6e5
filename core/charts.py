"""Server-rendered SVG charts: the same markup works on a page and inside a WeasyPrint PDF.

Each function returns a SafeString of a standalone <svg>; numbers should also be shown as a table
beside the chart for accessibility.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SANS = "Noto Sans CJK SC, sans-serif"
PALETTE = ["#1f4e79", "#c0504d", "#9bbb59", "#8064a2", "#f79646", "#4bacc6", "#7f7f7f", "#2c7c3b"]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _is_count(series: dict[str, Sequence[float]]) -> bool:
    return all(float(v).is_integer() for values in series.values() for v in values)


def _scale(series: dict[str, Sequence[float]]) -> tuple[float, list[float]]:
    """The axis maximum and its tick values. Counts get whole-number ticks (0, 1, 2, 3 — never 0.25 or 2.5 cases):
    the step is the smallest of 1, 2, 5, 10, 20, 25, 50… that covers the largest value in at most four steps."""
    largest = max((max(values, default=0) for values in series.values()), default=0)
    if not _is_count(series):
        maximum = _nice_max(largest)
        return maximum, [maximum * i / 4 for i in range(5)]
    largest = max(int(largest), 1)
    magnitude = 1
    while True:
        for factor in (1, 2, 2.5, 5):
            step = int(factor * magnitude)
            if step == factor * magnitude and -(-largest // step) <= 4:
                intervals = -(-largest // step)
                return float(step * intervals), [float(step * i) for i in range(intervals + 1)]
        magnitude *= 10


def bar_chart(
    labels: Sequence[str],
    series: dict[str, Sequence[float]],
    *,
    title: str = "",
    width: int = 640,
    height: int = 280,
    horizontal: bool = False,
    font_family: str = SANS,
) -> SafeString:
    """Grouped bars: one group per label, one bar per series. `horizontal` suits long institution names.

    `font_family` lets a document set the chart in its own (serif) face.
    """
    if horizontal:
        return _horizontal_bars(labels, series, title=title, width=width, font_family=font_family)
    left, right, top, bottom = 44, 12, 28 if title else 12, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    names = list(series)
    maximum, ticks = _scale(series)
    group_w = plot_w / max(len(labels), 1)
    bar_w = max(group_w * 0.8 / max(len(names), 1), 1)
    parts = [_svg_open(width, height, title, font_family)]
    parts.append(_y_axis(left, top, plot_w, plot_h, maximum, ticks))
    for g, label in enumerate(labels):
        x0 = left + g * group_w + group_w * 0.1
        for s, name in enumerate(names):
            value = series[name][g]
            bar_h = plot_h * (value / maximum)
            x = x0 + s * bar_w
            y = top + plot_h - bar_h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{bar_h:.1f}" fill="{PALETTE[s % 8]}">'
                f"<title>{escape(label)} {escape(name)}: {value:g}</title></rect>"
            )
        cx = left + g * group_w + group_w / 2
        parts.append(
            f'<text x="{cx:.1f}" y="{top + plot_h + 14}" font-size="10" text-anchor="end" '
            f'transform="rotate(-35 {cx:.1f} {top + plot_h + 14})">{escape(label)}</text>'
        )
    parts.append(_legend(names, left, height - 8))
    parts.append("</svg>")
    svg = "".join(parts)
    return mark_safe(svg)  # noqa: S308  # nosec B308, B703 # every text node above is escaped


def _horizontal_bars(labels, series, *, title, width, font_family=None):
    names = list(series)
    row_h = 14 * max(len(names), 1) + 8
    left, right, top = 120, 40, 28 if title else 8
    height = top + row_h * len(labels) + 28
    plot_w = width - left - right
    maximum, _ticks = _scale(series)
    parts = [_svg_open(width, height, title, font_family)]
    for g, label in enumerate(labels):
        y0 = top + g * row_h
        parts.append(
            f'<text x="{left - 6}" y="{y0 + row_h / 2 + 4:.1f}" font-size="11" text-anchor="end">{escape(label)}</text>'
        )
        for s, name in enumerate(names):
            value = series[name][g]
            bar_w = plot_w * (value / maximum)
            y = y0 + 4 + s * 14
            parts.append(
                f'<rect x="{left}" y="{y}" width="{bar_w:.1f}" height="12" fill="{PALETTE[s % 8]}">'
                f"<title>{escape(label)} {escape(name)}: {value:g}</title></rect>"
                f'<text x="{left + bar_w + 3:.1f}" y="{y + 10}" font-size="10">{value:g}</text>'
            )
    parts.append(_legend(names, left, height - 8))
    parts.append("</svg>")
    svg = "".join(parts)
    return mark_safe(svg)  # noqa: S308  # nosec B308, B703 # every text node above is escaped


def line_chart(
    labels: Sequence[str], series: dict[str, Sequence[float]], *, title: str = "", width: int = 640, height: int = 260
) -> SafeString:
    left, right, top, bottom = 44, 12, 28 if title else 12, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    maximum, ticks = _scale(series)
    step = plot_w / max(len(labels) - 1, 1)
    parts = [_svg_open(width, height, title), _y_axis(left, top, plot_w, plot_h, maximum, ticks)]
    for s, values in enumerate(series.values()):
        points = " ".join(
            f"{left + i * step:.1f},{top + plot_h - plot_h * (v / maximum):.1f}" for i, v in enumerate(values)
        )
        parts.append(f'<polyline fill="none" stroke="{PALETTE[s % 8]}" stroke-width="2" points="{points}"/>')
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{left + i * step:.1f}" y="{top + plot_h + 14}" font-size="10" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    parts.append(_legend(list(series), left, height - 8))
    parts.append("</svg>")
    svg = "".join(parts)
    return mark_safe(svg)  # noqa: S308  # nosec B308, B703 # every text node above is escaped


def _svg_open(width, height, title, font_family=None):
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        f'font-family="{escape(font_family or SANS)}">'
    )
    if title:
        head += (
            f'<text x="{width / 2}" y="16" font-size="13" font-weight="bold" '
            f'text-anchor="middle">{escape(title)}</text>'
        )
    return head


def _y_axis(left, top, plot_w, plot_h, maximum, ticks):
    parts = []
    for value in ticks:
        y = top + plot_h - plot_h * value / maximum
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">{value:g}</text>'
        )
    return "".join(parts)


def _legend(names, x, y):
    parts = []
    for s, name in enumerate(names):
        offset = x + s * 110
        parts.append(
            f'<rect x="{offset}" y="{y - 9}" width="10" height="10" fill="{PALETTE[s % 8]}"/>'
            f'<text x="{offset + 14}" y="{y}" font-size="10">{escape(name)}</text>'
        )
    return "".join(parts)
