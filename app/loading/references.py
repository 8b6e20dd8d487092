"""References between records by id: those a record makes, and those that resolve nowhere,
each with the nearest id the editor may have meant."""

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Base
from app.explain import suggestion
from app.loading.datafile import FileError, records
from app.loading.table_rows import Citations, Prepared
from app.loading.validation import MAX_PROBLEMS

Reference = tuple[str, str, str]  # the target's kind ("actor"), its id, where the file names it
_ID_CHUNK = 5000  # ids per IN list when asking the database which exist


def _cited(where: str, citations: Citations) -> Iterator[Reference]:
    for i, (source, _quote) in enumerate(citations):
        yield "source", source, f"{where}citations[{i}].source"


def of_relation(where: str, relation: dict[str, Any]) -> Iterator[Reference]:
    """The references of an actor's relation (`where` ends in "relations[i].")."""
    yield "actor", relation["actor"], f"{where}actor"
    yield from _cited(where, relation["citations"])


def made_by(record: Prepared) -> Iterator[Reference]:
    """Every reference of a record to a source, actor or event, in the order of its file."""
    where, parts = f"{record.name}: ", record.parts
    if record.collection == "actors":
        yield from _cited(where, parts["citations"])
        for i, relation in enumerate(parts["relations"]):
            yield from of_relation(f"{where}relations[{i}].", relation)
    elif record.collection == "events":
        for i, (actor, _role) in enumerate(parts["actors"]):
            yield "actor", actor, f"{where}actors[{i}].actor"
        for i, (_type, event) in enumerate(parts["relations"]):
            yield "event", event, f"{where}relations[{i}].event"
        yield from _cited(where, parts["citations"])
        for i, figure in enumerate(parts["figures"]):
            yield from _cited(f"{where}figures[{i}].", figure["citations"])
            for j, dispute in enumerate(figure["disputes"]):
                yield from _cited(f"{where}figures[{i}].disputes[{j}].", dispute["citations"])
        for i, dispute in enumerate(parts["disputes"]):
            yield from _cited(f"{where}disputes[{i}].", dispute["citations"])


def unresolved(
    wanted: Iterable[Reference],
    known: Mapping[str, Collection[str]],
    candidates: Callable[[str], list[str]],
) -> list[str]:
    """A problem for each reference of `wanted` whose target `known` lacks, with "did you
    mean" among `candidates(kind)` for as many as a report lists."""
    problems: list[str] = []
    near: dict[str, list[str]] = {}
    for kind, target, where in wanted:
        if target in known[kind]:
            continue
        hint = ""
        if len(problems) < MAX_PROBLEMS:
            if kind not in near:
                near[kind] = candidates(kind)
            hint = suggestion(target, near[kind])
        problems.append(f"{where}: no {kind} with id {target!r}{hint}")
    return problems


def ids_in(paths: Sequence[Path]) -> dict[str, set[str]]:
    """The ids the files give, valid records or not: a reference to a record the schema
    rejected is not reported as a second problem."""
    ids: dict[str, set[str]] = {"source": set(), "actor": set(), "event": set()}
    for path in paths:
        try:
            for collection, index, raw, _text in records(path):
                if index >= 0 and isinstance(raw, dict) and isinstance(raw.get("id"), str):
                    ids[collection[:-1]].add(raw["id"])
        except FileError:
            continue  # already reported
    return ids


def _stored(session: Session, kind: str, ids: Iterable[str]) -> set[str]:
    """Which of `ids` the database already holds."""
    table = Base.metadata.tables[kind]
    wanted, found = list(ids), set[str]()
    for start in range(0, len(wanted), _ID_CHUNK):
        chunk = wanted[start : start + _ID_CHUNK]
        found.update(session.scalars(select(table.c.id).where(table.c.id.in_(chunk))))
    return found


def resolve(
    session: Session,
    wanted: list[Reference],
    known: dict[str, set[str]],
    also: dict[str, set[str]],
    *,
    stored: bool,
) -> list[str]:
    """`unresolved` for a load: the ids of the files (`known`, to which `also` and, if
    `stored`, the database's ids that `wanted` names are added) resolve references."""
    for kind, ids in known.items():
        ids |= also.get(kind, set())
        if stored:
            ids |= _stored(session, kind, {t for k, t, _ in wanted if k == kind} - ids)

    def candidates(kind: str) -> list[str]:
        table = Base.metadata.tables[kind]
        return sorted(known[kind].union(session.scalars(select(table.c.id)) if stored else []))

    return unresolved(wanted, known, candidates)
