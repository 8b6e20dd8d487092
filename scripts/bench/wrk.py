"""One wrk run: a server driven through a list of URLs, and what wrk measured."""

import json
import os
import re
import subprocess
import tempfile
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    """What wrk measured for one server and one stream of URLs."""

    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    size: int


def get(url: str) -> bytes:
    """The body at `url`; an error status raises with what the server said."""
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            body: bytes = response.read()
            return body
    except urllib.error.HTTPError as exc:
        raise RuntimeError(f"{url}: {exc.code} {exc.read()[:300]!r}") from None


def drive(base: str, paths: Sequence[str], seconds: int, connections: int) -> Run:
    """Drive `base` with wrk for `seconds`, cycling through `paths`; parse its summary."""
    try:
        size = len(get(base + paths[0]))
    except (RuntimeError, OSError):
        size = 0  # the error shows in the run's error count
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        listed = ",\n".join(json.dumps(path) for path in paths)
        script.write(
            f"local paths = {{{listed}}}\nlocal i = math.random(#paths)\n"
            "request = function()\n  i = i % #paths + 1\n"
            '  return wrk.format("GET", paths[i])\nend\n'
        )
    threads = min(2, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    try:
        output = subprocess.run(
            [*command, "--timeout", "30s", "-s", script.name, base],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)

    def latency(percent: str) -> float:
        found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)", output, re.M)
        if found is None:  # no request finished
            return 0.0
        value, unit = found.groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    failed = int(errors.group(1)) if errors else 0
    failed += sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    return Run(rps, latency("50"), latency("99"), failed, size)
