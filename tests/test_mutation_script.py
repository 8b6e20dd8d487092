"""The mutation script's choice of what PostgreSQL tests again: the survivors, as named."""

from scripts.mutation import survivors

FOUND = {
    "app.search": {
        "app.search.x_terms__mutmut_5": "survived",
        "app.search.x_terms__mutmut_6": "killed",
        "app.search.x_suspend__mutmut_3": "no tests",
    },
    "app.dates": {"app.dates.x_parse__mutmut_1": "survived"},
}


def test_only_survivors_are_tested_again() -> None:
    assert survivors(FOUND, []) == ["app.dates.x_parse__mutmut_1", "app.search.x_terms__mutmut_5"]


def test_named_globs_narrow_the_survivors() -> None:
    assert survivors(FOUND, ["app.search.*"]) == ["app.search.x_terms__mutmut_5"]
    assert survivors(FOUND, ["app.search.x_suspend*", "app.folding.*"]) == []
