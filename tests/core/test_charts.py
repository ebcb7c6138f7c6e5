"""Count charts have whole-number ticks: an axis of cases never reads 0.25 or 2.5."""

import re

from core.charts import bar_chart, line_chart


def tick_labels(svg: str) -> list[str]:
    return re.findall(r'<text x="\d+(?:\.\d+)?" y="[\d.]+" font-size="10" text-anchor="end">([^<]+)</text>', svg)


def test_count_axes_have_whole_number_ticks():
    for values in ([1], [3], [5], [7], [13], [99], [0, 0]):
        for svg in (
            bar_chart(["一", "二"], {"件数": [*values, 0][:2]}),
            line_chart(["1月", "2月"], {"件数": [*values, 0][:2]}),
        ):
            labels = tick_labels(svg)
            assert labels and all(label.isdigit() for label in labels), (values, labels)
            assert int(labels[-1]) >= max(values)
    assert tick_labels(bar_chart(["一"], {"件数": [1]})) == ["0", "1"]
    assert tick_labels(bar_chart(["一"], {"件数": [7]})) == ["0", "2", "4", "6", "8"]


def test_amounts_keep_fractional_ticks():
    assert "0.625" in "".join(tick_labels(bar_chart(["一"], {"金额（万元）": [2.5]})))
