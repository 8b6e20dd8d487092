"""The mutation script's choices: what a module run tests, what PostgreSQL tests again, what
the report lists."""

from scripts.mutation import report, survivors, undecided

FOUND = {
    "app.search": {
        "app.search.x_terms__mutmut_5": "survived",
        "app.search.x_terms__mutmut_10": "suspicious",
        "app.search.x_terms__mutmut_6": "killed",
        "app.search.x_suspend__mutmut_3": "no tests",
        "app.search.x_suspend__mutmut_4": "not checked",
        "app.search.x_condition__mutmut_1": "not checked",
    },
    "app.dates": {"app.dates.x_parse__mutmut_1": "survived"},
}


def test_only_survivors_are_tested_again() -> None:
    assert survivors(FOUND, []) == ["app.dates.x_parse__mutmut_1", "app.search.x_terms__mutmut_5"]


def test_named_globs_narrow_the_survivors() -> None:
    assert survivors(FOUND, ["app.search.*"]) == ["app.search.x_terms__mutmut_5"]
    assert survivors(FOUND, ["app.search.x_suspend*", "app.folding.*"]) == []


def test_a_module_run_resumes_with_the_mutants_without_a_verdict() -> None:
    assert undecided(FOUND, "app/search.py") == [
        "app.search.x_condition__mutmut_1",
        "app.search.x_suspend__mutmut_4",
    ]
    assert undecided(FOUND, "app/dates.py") == []


def test_a_module_no_run_has_reached_is_tested_whole() -> None:
    assert undecided(FOUND, "app/api/params.py") == ["app.api.params.*"]


def test_the_report_counts_mutants_without_a_verdict_and_shows_only_those_not_killed() -> None:
    shown: list[str] = []

    def describe(name: str) -> str:
        shown.append(name)
        return "`a` -> `b`"

    lines = report(FOUND, describe).splitlines()
    assert "| `app.search` | 6 | 1 | 3 | 2 | 25.0% |" in lines
    assert "| `app.dates` | 1 | 0 | 1 | 0 | 0.0% |" in lines
    assert "| all | 7 | 1 | 4 | 2 | 20.0% |" in lines
    assert "- app.search.x_suspend__mutmut_3 (no tests): `a` -> `b`" in lines
    assert shown == [
        "app.dates.x_parse__mutmut_1",
        "app.search.x_suspend__mutmut_3",
        "app.search.x_terms__mutmut_5",
        "app.search.x_terms__mutmut_10",
    ]
