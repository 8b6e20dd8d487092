"""Mutation testing of the core: which small changes to its code the tests notice.

mutmut (the `mutation` extra) changes one operator, constant or condition at a time in the
modules that `[tool.mutmut]` in pyproject.toml lists, and runs only the tests that reach
the changed function; a mutant whose tests still pass has survived, a sign of behaviour no
test pins. Prints a Markdown table of scores per module, with a count of the mutants no run
has tested yet, then every survivor (or suspicious mutant) with the line it changed;
docs/mutation.md reports them.

    ./dev mutation [--fresh] [--jobs N] [--postgres URL] [--module PATH ...] [MUTANT ...]
    # or: .venv/bin/python -m scripts.mutation

mutmut keeps its results in `mutants/`: a run after a change tests only what it touched.
Named mutants (globs such as `app.search.*`) are tested again. `--module app/search.py`
(repeatable) tests, module after module, only the mutants without a verdict yet: a run
stopped half-way resumes where it stopped, and a long run can be split into short ones.
The tests run on SQLite (or on TEST_DATABASE_URL if set). With `--postgres URL`, the run
tests only what changed (or the modules named), then the mutants that survived on SQLite,
of those named or of all, are tested again on that PostgreSQL server, so that the mutants
of PostgreSQL-only code meet the backend they change. A mutant is killed if either backend
kills it: only survivors are tested again, so mutmut's record holds that.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from fnmatch import fnmatchcase
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = str(Path(sys.executable).parent / "mutmut")
# `app.dates.x_parse__mutmut_3`, `app.middleware.response_cache.xǁResponseCacheǁput__mutmut_1`
_NAME = re.compile(r"^\s*(?P<name>(?P<module>[\w.]+?)\.x[_ǁ]\S+): (?P<status>.+)$")
KILLED = frozenset({"killed", "timeout"})  # a mutant that never ends is noticed too
UNDECIDED = "not checked"  # mutmut's status of a mutant no run has tested yet


def _mutmut(*args: str, database_url: str | None = None) -> str:
    env = dict(os.environ)
    if database_url is not None:
        env["TEST_DATABASE_URL"] = database_url  # read by tests/databases.py
    done = subprocess.run(
        [MUTMUT, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"mutmut {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def statuses() -> dict[str, dict[str, str]]:
    """The status of every mutant of the last run, by module then mutant name."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for line in _mutmut("results", "--all", "true").splitlines():
        if match := _NAME.match(line):
            found[match["module"]][match["name"]] = match["status"]
    return found


def survivors(found: dict[str, dict[str, str]], patterns: list[str]) -> list[str]:
    """The mutants that survived, of those matching `patterns` (globs), or of all."""
    return sorted(
        name
        for mutants in found.values()
        for name, status in mutants.items()
        if status == "survived" and (not patterns or any(fnmatchcase(name, p) for p in patterns))
    )


def module_glob(path: str) -> str:
    """The glob naming every mutant of the module at `path`: `app/search.py` -> `app.search.*`."""
    return path.removesuffix(".py").replace("/", ".") + ".*"


def undecided(found: dict[str, dict[str, str]], path: str) -> list[str]:
    """The mutants of the module at `path` still to test: those without a verdict, or the
    whole module if no run has generated its mutants yet."""
    module = module_glob(path).removesuffix(".*")
    if module not in found:
        return [module_glob(path)]
    return sorted(name for name, status in found[module].items() if status == UNDECIDED)


def change(name: str) -> str:
    """The line a mutant changed, before and after, from `mutmut show`."""
    diff = _mutmut("show", name).splitlines()
    before = next((x[1:].strip() for x in diff if x.startswith("-") and x[:3] != "---"), "")
    after = next((x[1:].strip() for x in diff if x.startswith("+") and x[:3] != "+++"), "")
    return f"`{before}` -> `{after}`"


def _in_order(name: str) -> tuple[str, int]:
    """A key that puts `..._mutmut_2` before `..._mutmut_10`, as the docs list them."""
    function, _, number = name.rpartition("_")
    return function, int(number)


def _verdict(status: str) -> str:
    """The column a mutant's status counts in."""
    if status == UNDECIDED:
        return "no verdict"
    return "killed" if status in KILLED else "not killed"


def _row(name: str, counts: Counter[str]) -> str:
    decided = counts["killed"] + counts["not killed"]
    score = f"{100 * counts['killed'] / decided:.1f}%" if decided else "-"
    return (
        f"| {name} | {decided + counts['no verdict']} | {counts['killed']} "
        f"| {counts['not killed']} | {counts['no verdict']} | {score} |"
    )


def report(found: dict[str, dict[str, str]], describe: Callable[[str], str] = change) -> str:
    """A Markdown table of scores per module (of the mutants with a verdict), then each
    mutant decided but not killed, with `describe(name)`. Mutants without a verdict, those
    of modules not run, are only counted: asking mutmut about each takes minutes."""
    rows = [
        "| module | mutants | killed | not killed | no verdict | score |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    total: Counter[str] = Counter()
    for module, mutants in sorted(found.items()):
        counts = Counter(_verdict(status) for status in mutants.values())
        total += counts
        rows.append(_row(f"`{module}`", counts))
    rows += [_row("all", total), ""]
    rows += [
        f"- {name} ({status}): {describe(name)}"
        for _, mutants in sorted(found.items())
        for name, status in sorted(mutants.items(), key=lambda item: _in_order(item[0]))
        if _verdict(status) == "not killed"
    ]
    return "\n".join(rows)


def main() -> None:
    """Run mutmut on the configured modules and print the report with the time it took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once")
    parser.add_argument(
        "--fresh", action="store_true", help="forget the last run's results: test every mutant"
    )
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="then test the survivors again on this PostgreSQL server (as TEST_DATABASE_URL)",
    )
    parser.add_argument(
        "--module",
        action="append",
        default=[],
        metavar="PATH",
        help="test only the mutants of this module without a verdict yet (repeatable, in order)",
    )
    parser.add_argument(
        "mutants",
        nargs="*",
        help="test only these mutants, again (globs); with --postgres: their survivors there",
    )
    args = parser.parse_args()
    if args.fresh:
        shutil.rmtree(ROOT / "mutants", ignore_errors=True)
    started = time.monotonic()
    for path in args.module:
        if pending := undecided(statuses(), path):
            began = time.monotonic()
            _mutmut("run", "--max-children", str(args.jobs), *pending)
            minutes = (time.monotonic() - began) / 60
            print(f"{path}: tested in {minutes:.1f} minutes", flush=True)
    if not args.module:
        # With --postgres the names choose what PostgreSQL tests again, not what SQLite does.
        _mutmut("run", "--max-children", str(args.jobs), *([] if args.postgres else args.mutants))
    chosen = args.mutants + [module_glob(path) for path in args.module]
    again = survivors(statuses(), chosen) if args.postgres else []
    if again:
        _mutmut("run", "--max-children", str(args.jobs), *again, database_url=args.postgres)
    minutes = (time.monotonic() - started) / 60
    print(report(statuses()))
    backends = f", {len(again)} survivors again on PostgreSQL" if args.postgres else ""
    print(f"\nmutmut run: {minutes:.1f} minutes with {args.jobs} jobs{backends}")


if __name__ == "__main__":
    main()
