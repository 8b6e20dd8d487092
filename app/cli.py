"""`sahel-timeline`: the operations surface (migrate, load, check, export, init, serve)."""

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from app import datacheck, db_faults, migrate
from app.config import Settings, get_settings
from app.db import make_engine, make_sessionmaker
from app.loading import exporter, history_file, loader
from app.loading.history import LoadConflict
from app.models import Release


def _data_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.json") if p.name != exporter.SCHEMA_FILE)


class _DryRun(Exception):
    """Ends a dry run's transaction, so that everything it wrote is rolled back."""

    def __init__(self, summary: loader.LoadSummary) -> None:
        super().__init__("dry run")
        self.summary = summary


def _load(settings: Settings, paths: Sequence[Path], options: dict[str, Any]) -> int:
    """Load files and directories (with the history beside them, into a database that has
    none) as one release."""
    files: list[Path] = []
    for path in paths:
        files += _data_files(path) if path.is_dir() else [path]
    dry_run = options.pop("dry_run", False)
    engine = make_engine(settings.database_url)
    try:
        with loader.transaction(engine) as session:
            for directory in {path for path in paths if path.is_dir()}:
                history_file.import_history(session, directory)
            summary = loader.load(session, files, list_changes=dry_run, **options)
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
    return 0


def cmd_migrate(settings: Settings, _args: argparse.Namespace) -> int:
    """Bring the database schema to the latest revision."""
    migrate.upgrade(settings.database_url)
    print("database schema is up to date")
    return 0


def cmd_load(settings: Settings, args: argparse.Namespace) -> int:
    """Validate the files, then upsert their records in one transaction, as a release."""
    options = {"note": args.note, "prune": args.prune, "dry_run": args.dry_run}
    return _load(settings, args.paths, options)


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
    paths: list[Path] = []
    for path in args.paths or [settings.data_dir]:
        files = _data_files(path) if path.is_dir() else [path]
        if not files:
            print(f"error: {path}: no data files (*.json) in this directory")
            return 1
        paths += files
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
    """Write the database as data files that `load` reads back."""
    engine = make_engine(settings.database_url)
    try:
        with make_sessionmaker(engine)() as session:
            counts = exporter.export(session, args.directory)
            counts["releases"] = history_file.export_history(session, args.directory)
    finally:
        engine.dispose()
    print(", ".join(f"{n} {kind}" for kind, n in counts.items()) + f" written to {args.directory}")
    return 0


def cmd_init(settings: Settings, _args: argparse.Namespace) -> int:
    """Migrate, then load the shipped data and its history; running it again changes nothing."""
    cmd_migrate(settings, _args)
    return _load(settings, [settings.data_dir], {})


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    """Serve the API with uvicorn."""
    import uvicorn

    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        log_level=settings.log_level.lower(),
        server_header=False,
        access_log=False,  # the app logs each request itself, without query strings
    )
    return 0


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
    export.set_defaults(run=cmd_export)
    commands.add_parser("init", help=cmd_init.__doc__).set_defaults(run=cmd_init)
    serve = commands.add_parser("serve", help=cmd_serve.__doc__)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
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
            print(f"error: {name}: {error['msg'].removeprefix('Value error, ')}", file=sys.stderr)
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
