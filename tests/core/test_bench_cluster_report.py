"""`make bench`'s report sets the two-node run (nginx over two gunicorn nodes) beside the single node, request by
request (laizhou_xiaobao/bench/runner.py `side_by_side_table`); the run itself is `make bench`'s, not the tests'."""

import json

from laizhou_xiaobao.bench.http import HttpResult
from laizhou_xiaobao.bench.runner import side_by_side_table, write_results


def result(name: str, title: str, rps: float, p99: float, non_2xx: int = 0) -> HttpResult:
    return HttpResult(
        name=name,
        title=title,
        path="/",
        user="lz_clerk_a",
        seconds=20.0,
        requests=int(rps * 20),
        rps=rps,
        median_ms=p99 / 3,
        p95_ms=p99 / 2,
        p99_ms=p99,
        max_ms=p99 * 2,
        socket_errors=0,
        non_2xx=non_2xx,
    )


SINGLE = [
    result("http_ledger_first_page", "台账首页（50件）", 120.0, 80.0),
    result("http_dashboard", "督办看板", 40.0, 210.5),
]
PAIR = [
    result("http_ledger_first_page", "台账首页（50件）", 150.0, 95.25),
    result("http_dashboard", "督办看板", 0.0, 0.0, 3),
]


def test_each_request_gets_one_row_with_both_runs_and_the_ratio():
    lines = side_by_side_table(SINGLE, PAIR, title="单节点与两节点对照", description="说明")
    assert lines[1] == "## 单节点与两节点对照" and lines[3] == "说明"
    assert lines[5].startswith("| 请求 | 单节点 次/秒 | 两节点 次/秒 | 倍数 |")
    assert lines[7] == "| 台账首页（50件） | 120.0 | 150.0 | 1.25 | 80.0 | 95.2 | 0 | 0 |"
    assert lines[8] == "| 督办看板 | 40.0 | 0.0 | 0.00 | 210.5 | 0.0 | 0 | 3 |"


def test_a_request_missing_from_the_two_node_run_is_left_out_and_a_zero_rate_has_no_ratio():
    lines = side_by_side_table(
        [result("a", "甲", 0.0, 1.0), SINGLE[0]], [result("a", "甲", 5.0, 1.0)], title="t", description="d"
    )
    assert lines[7:] == ["| 甲 | 0.0 | 5.0 | — | 1.0 | 1.0 | 0 | 0 |"]


def test_the_report_files_carry_the_table_and_the_two_node_figures(tmp_path):
    md_path, json_path = write_results(
        [],
        tmp_path,
        header="2026-12-04",
        http_results=SINGLE,
        http_title="HTTP（gunicorn 2 workers，8 连接）",
        cluster_results=PAIR,
        cluster_title="HTTP：单节点与两节点（nginx，2 × 2 workers）对照",
        cluster_description="两节点说明",
    )
    markdown = md_path.read_text(encoding="utf-8")
    assert markdown.index("## HTTP（gunicorn 2 workers") < markdown.index("## HTTP：单节点与两节点")
    assert "| 台账首页（50件） | 120.0 | 150.0 | 1.25 |" in markdown
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert [row["rps"] for row in data["cluster"]["results"]] == [150.0, 0.0]
    assert data["cluster"]["results"][1]["errors"] == 3 and data["cluster"]["description"] == "两节点说明"
