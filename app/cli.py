"""`sahel-timeline`: the operations surface (migrate, load, check, export, init, serve)."""

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from app import datacheck, db_faults, migrate, overlay
from app.config import Settings, get_settings
from app.db import make_engine, make_sessionmaker
from app.explain import plain
from app.loading import exporter, file_states, history_file, loader
from app.loading.files import data_files
from app.loading.history import LoadConflict
from app.loading.progress import Progress, estimate_records
from app.models import Release


def _data_files(paths: Sequence[Path]) -> list[Path] | None:
    """The data files of `paths`, saying on stderr which files it leaves out; None, after
    saying why, if a directory holds none."""
    found = data_files(paths)
    for note in found.skipped:
        print(note, file=sys.stderr)
    for directory in found.empty:
        print(f"error: {directory}: no data files (*.json) in this directory", file=sys.stderr)
    return None if found.empty else found.files


def _progress_every(args: argparse.Namespace) -> float | None:
    """Seconds between progress lines: `--progress`, else 2 when stderr is a terminal."""
    every: float | None = getattr(args, "progress", None)
    if every is None and sys.stderr.isatty():
        every = 2.0
    return every


class _DryRun(Exception):
    """Ends a dry run's transaction, so that everything it wrote is rolled back."""

    def __init__(self, summary: loader.LoadSummary) -> None:
        super().__init__("dry run")
        self.summary = summary


def _load(
    settings: Settings, paths: Sequence[Path], options: dict[str, Any], every: float | None
) -> int:
    """Load files and directories (with the history beside them, into a database that has
    none) as one release, and remember the files as the database's own."""
    files = _data_files(paths)
    if files is None:
        return 1
    dry_run = options.pop("dry_run", False)
    total = estimate_records(files) if every is not None else None
    progress = Progress("loading", every, total)
    engine = make_engine(settings.database_url)
    try:
        with loader.transaction(engine) as session:
            for directory in {path for path in paths if path.is_dir()}:
                history_file.import_history(session, directory)
            summary = loader.load(
                session, files, list_changes=dry_run, progress=progress, **options
            )
            file_states.record(session, files)
            if dry_run:
                raise _DryRun(summary)
    except loader.LoadError as exc:
        print(f"load failed, nothing was changed:\n{exc}", file=sys.stderr)
        return 1
    except LoadConflict as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except _DryRun as run:
        for change in run.summary.changes:
            fields = f" ({', '.join(change.fields)})" if change.fields else ""
            print(f"{change.change} {change.kind} {change.id}{fields}")
        print(f"dry run: {len(run.summary.changes)} changes, nothing was written")
        return 0
    finally:
        engine.dispose()
    release = f"release {summary.release}" if summary.release else "no new release"
    print(
        f"loaded {summary.sources} sources, {summary.actors} actors, {summary.events} events"
        f" ({summary.changed} new or changed; {release})"
    )
    if summary.release:
        _prepare_overlays(settings, summary.release)
    return 0


def _prepare_overlays(settings: Settings, release: int) -> None:
    """Write the overlays of the releases pinned reads most likely ask for now
    (`overlay.prepare`), so that the first of those reads does not build one."""
    started = time.monotonic()
    written = overlay.prepare(settings.database_url, release)
    if written:
        named = ", ".join(map(str, written))
        seconds = time.monotonic() - started
        print(f"overlays for reads pinned to release {named} written in {seconds:.1f} s")


def cmd_migrate(settings: Settings, _args: argparse.Namespace) -> int:
    """Bring the database schema to the latest revision."""
    migrate.upgrade(settings.database_url)
    print("database schema is up to date")
    return 0


def cmd_load(settings: Settings, args: argparse.Namespace) -> int:
    """Validate the files, then upsert their records in one transaction, as a release."""
    options = {
        "note": args.note,
        "prune": args.prune,
        "dry_run": args.dry_run,
        "replace": args.replace,
    }
    return _load(settings, args.paths, options, _progress_every(args))


def cmd_releases(settings: Settings, _args: argparse.Namespace) -> int:
    """List the releases, newest first: number, time, counts and note."""
    engine = make_engine(settings.database_url)
    try:
        with make_sessionmaker(engine)() as session:
            for release in session.scalars(select(Release).order_by(Release.number.desc())):
                counts = " ".join(
                    f"{kind}:+{n['created']}~{n['updated']}-{n['deleted']}"
                    for kind, n in release.counts.items()
                )
                print(f"{release.number}\t{release.created_at:%Y-%m-%dT%H:%M:%SZ}\t{counts}")
                print(f"\t{release.note}")
    finally:
        engine.dispose()
    return 0


def cmd_check(settings: Settings, args: argparse.Namespace) -> int:
    """Check the data files (or directories) for what the schema cannot catch."""
    paths = _data_files(args.paths or [settings.data_dir])
    if paths is None:
        return 1
    texts = datacheck.SourceTexts(args.sources) if args.sources else None
    report = datacheck.check(paths, texts)
    for finding in report.findings:
        print(finding)
    errors, warnings = report.count("error"), report.count("warning")
    checked = ", ".join(f"{n} {kind}" for kind, n in report.counts.items())
    quotes = (
        f"; {report.quotes_checked} quotes found in source texts,"
        f" {report.quotes_unchecked} with no text to look in"
        if texts
        else ""
    )
    if not report.references_checked:
        quotes += "; references not checked until every record is valid"
    print(f"checked {checked} in {len(paths)} files{quotes}: {errors} errors, {warnings} warnings")
    return 1 if errors or (warnings and args.strict) else 0


def cmd_export(settings: Settings, args: argparse.Namespace) -> int:
    """Write the database as data files that `load` reads back; files edited since the
    database last loaded or exported them are kept unless `--force`."""
    targets = [args.directory / name for name in exporter.DATA_FILES]
    engine = make_engine(settings.database_url)
    try:
        with make_sessionmaker(engine).begin() as session:
            edited = [] if args.force else file_states.edited(session, targets)
            if edited:
                names = ", ".join(map(str, edited))
                print(
                    f"export refused, nothing was written: {names} changed since the database"
                    " last loaded or exported them (or it never did); `load` them first to keep"
                    " the edits, or give --force to overwrite them",
                    file=sys.stderr,
                )
                return 1
            progress = Progress("exporting", _progress_every(args))
            counts = exporter.export(session, args.directory, progress)
            counts["releases"] = history_file.export_history(session, args.directory)
            file_states.record(session, targets)
    finally:
        engine.dispose()
    print(", ".join(f"{n} {kind}" for kind, n in counts.items()) + f" written to {args.directory}")
    return 0


def cmd_init(settings: Settings, args: argparse.Namespace) -> int:
    """Migrate, then load the shipped data and its history; running it again changes nothing."""
    cmd_migrate(settings, args)
    # The data directory is the data set: its edits replace what is stored.
    return _load(settings, [settings.data_dir], {"replace": True}, _progress_every(args))


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    """Serve the API with uvicorn, in one process per worker."""
    import uvicorn

    if args.workers > 1:
        from app.main import create_app

        # Each worker is a fresh interpreter that builds its own app (engines, pools,
        # response cache). Building it here first makes a bad database URL or a failed
        # start-up check stop the server now: uvicorn would restart such workers forever.
        create_app(settings)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        # A worker silent this long is killed and replaced; uvicorn's 5 s killed workers
        # that were only starting slowly on a busy machine.
        timeout_worker_healthcheck=30,
        forwarded_allow_ips=(
            settings.forwarded_allow_ips
            if args.forwarded_allow_ips is None
            else args.forwarded_allow_ips
        ),
        log_level=settings.log_level.lower(),
        server_header=False,
        access_log=False,  # the app logs each request itself, without query strings
    )
    return 0


def _workers(value: str) -> int:
    """A `--workers` count: a whole number of at least one."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of processes (1 or more)")
    return int(value)


def _progress_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--progress",
        nargs="?",
        type=float,
        const=2.0,
        metavar="SECONDS",
        help="print progress to stderr every SECONDS (default 2), even when it is not a"
        " terminal; on a terminal it is printed anyway",
    )


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    parser = argparse.ArgumentParser(
        prog="sahel-timeline", description="Serve and manage the Sahel timeline data set."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help=cmd_migrate.__doc__).set_defaults(run=cmd_migrate)
    load = commands.add_parser("load", help=cmd_load.__doc__)
    load.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="data files (JSON) or directories"
    )
    load.add_argument("--note", help="what this release changes, and why")
    load.add_argument("--prune", action="store_true", help="delete records the files lack")
    load.add_argument("--dry-run", action="store_true", help="print the changes, write nothing")
    load.add_argument(
        "--replace",
        action="store_true",
        help="replace stored records even where that loses actors, citations, figures,"
        " disputes or tags",
    )
    _progress_option(load)
    load.set_defaults(run=cmd_load)
    releases = commands.add_parser("releases", help=cmd_releases.__doc__)
    releases.set_defaults(run=cmd_releases)
    check = commands.add_parser("check", help=cmd_check.__doc__)
    check.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="data files or directories"
    )
    check.add_argument("--sources", type=Path, metavar="DIR", help="source texts to find quotes in")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.set_defaults(run=cmd_check)
    export = commands.add_parser("export", help=cmd_export.__doc__)
    export.add_argument("directory", type=Path, metavar="DIR")
    export.add_argument(
        "--force", action="store_true", help="overwrite data files edited since the last load"
    )
    _progress_option(export)
    export.set_defaults(run=cmd_export)
    commands.add_parser("init", help=cmd_init.__doc__).set_defaults(run=cmd_init)
    serve = commands.add_parser("serve", help=cmd_serve.__doc__)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers",
        type=_workers,
        default=os.cpu_count() or 1,
        help="server processes, each with its own connections and cache (default: one per "
        "core, %(default)s here)",
    )
    serve.add_argument(
        "--forwarded-allow-ips",
        metavar="IPS",
        help="proxies whose X-Forwarded-Proto and X-Forwarded-For are believed "
        "(default: FORWARDED_ALLOW_IPS, else 127.0.0.1,::1)",
    )
    serve.set_defaults(run=cmd_serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `sahel-timeline` console script."""
    args = build_parser().parse_args(argv)
    try:
        settings = get_settings()
    except ValidationError as exc:  # one line per bad variable, no traceback
        for error in exc.errors():
            name = "_".join(str(part) for part in error["loc"]).upper()
            print(f"error: {name}: {plain(error['msg'])}", file=sys.stderr)
        return 2
    try:
        status: int = args.run(settings, args)
    except SQLAlchemyError as exc:
        fault = db_faults.classify(exc)
        if fault is db_faults.Fault.OTHER and not isinstance(exc, OperationalError):
            raise  # a bug, not the database's state: keep the traceback
        print(f"error: {db_faults.cli_message(exc, settings.database_url)}", file=sys.stderr)
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
