"""A quick sweep of mutants: the tests named, once per mutant, in one pytest process.

`./dev mutation` forks a process per mutant and runs every test that reaches the function
it changed: the verdict that counts, but slow for functions every request goes through.
This runs only the test files named, in one process inside mutmut's `mutants/`, switching
the active mutant between passes (mutmut's generated code reads `MUTANT_UNDER_TEST` at
each call). A mutant the sweep kills is killed. One it does not kill may still fall to a
test it did not run, or hide behind a result a cache kept from an earlier pass: mutmut's
own run has the last word on survivors. Needs a run of `./dev mutation` first, which
generates the mutants.

    .venv/bin/python -m scripts.mutant_sweep 'app.negotiation.*' \\
        --tests tests/test_accept_headers.py tests/test_negotiation.py
"""

import argparse
import os
import sys
from fnmatch import fnmatchcase

import pytest
from _pytest.runner import runtestprotocol

from scripts.mutation import ROOT, statuses


class Sweep:
    """A pytest plugin that runs the collected tests once per mutant, first failure ends."""

    def __init__(self, mutants: list[str]) -> None:
        self.mutants = mutants
        self.killed_by: dict[str, str | None] = {}

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        """The tests without a mutant, which must pass, then each mutant in turn over them;
        session fixtures stay set up."""
        items = session.items
        for name in ["", *self.mutants]:  # "": no mutant
            os.environ["MUTANT_UNDER_TEST"] = name
            failed = None
            for index, item in enumerate(items):
                following = items[(index + 1) % len(items)]
                if any(r.failed for r in runtestprotocol(item, nextitem=following, log=False)):
                    failed = item.nodeid
                    session._setupstate.teardown_exact(items[0])
                    break
            if not name and failed:
                pytest.exit(f"{failed} fails without a mutant: leave it out with --deselect", 1)
            if name:
                self.killed_by[name] = failed
                print(f"{name}: {failed or 'not killed'}", flush=True)
        os.environ["MUTANT_UNDER_TEST"] = ""
        session._setupstate.teardown_exact(None)
        return True


def main() -> None:
    """Sweep the mutants matching the globs with the test files named; print a summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mutants", nargs="+", help="globs of mutant names (app.search.*)")
    parser.add_argument("--tests", nargs="+", required=True, help="test files to run")
    parser.add_argument(
        "--deselect", action="append", default=[], metavar="NODEID", help="a test to leave out"
    )
    args = parser.parse_args()
    names = sorted(
        name
        for mutants in statuses().values()
        for name in mutants
        if any(fnmatchcase(name, pattern) for pattern in args.mutants)
    )
    os.chdir(ROOT / "mutants")
    sys.path.insert(0, str(ROOT / "mutants"))  # the generated code, not the checkout's
    sweep = Sweep(names)
    left_out = [option for nodeid in args.deselect for option in ("--deselect", nodeid)]
    code = pytest.main(["-q", "-p", "no:cacheprovider", *left_out, *args.tests], plugins=[sweep])
    if len(sweep.killed_by) < len(names):
        raise SystemExit(code or 1)  # stopped before the end: pytest said why
    survivors = [name for name, test in sweep.killed_by.items() if test is None]
    print(f"\n{len(names) - len(survivors)} of {len(names)} killed; not killed:")
    print("\n".join(survivors))


if __name__ == "__main__":
    main()
