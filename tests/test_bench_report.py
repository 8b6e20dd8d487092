"""The benchmark's tables: medians of the rounds, their spread, ratios of medians."""

from scripts.bench_report import markdown


def _runs(rps: list[float], p99_at_4: list[float]) -> dict[str, list[float]]:
    fixed = {"p50_ms": [1.0] * 3, "p99_ms": [2.0] * 3, "errors": [0.0] * 3}
    return fixed | {"rps": rps, "p99_at_4_ms": p99_at_4}


RESULT = {
    "events": 1000,
    "rounds": 3,
    "seconds": 8,
    "connections": 32,
    "p99_seconds": 3,
    "load_averages": [1.5, 2.5, 0.5, 1.0],
    "loads": {"SQLite": {"seconds": 12.3, "rss_mib": 80.0}},
    "memory_mib": {},
    "cases": [
        {
            "case": "first page",
            "servers": {
                "ours": _runs([300.0, 100.0, 200.0], [40.0, 60.0, 50.0]),
                "Datasette": _runs([90.0, 50.0, 400.0], [70.0, 80.0, 90.0]),
                "PostgreSQL": _runs([150.0, 160.0, 170.0], [30.0, 30.0, 30.0]),
            },
        }
    ],
}


def test_a_row_gives_medians_spreads_and_ratios_of_medians() -> None:
    row = markdown(RESULT).splitlines()[-1]
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells == [
        "first page",
        "200 (100–300)",
        "90 (50–400)",
        "160 (150–170)",
        "2.22×",  # 200 / 90, not the ratio of any one round
        "0.80×",  # PostgreSQL / ours
        "50",
        "80",
        "30",
    ]


def test_the_heading_says_the_conditions() -> None:
    heading = markdown(RESULT).splitlines()[0]
    assert "SQLite 12 s" in heading
    assert "3 rounds of 8 s at 32 connections" in heading
    assert "load average 0.5–2.5" in heading
