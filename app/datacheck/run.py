"""The data check: the loader's validation, then the rules it cannot express one field at a time.

Records come from `app.loading.validation.validated`, the loader's own validation (in a second
process for large files), so the check and `load` never disagree on what is valid. Rules
that need other records (references, actors nobody refers to, publication dates, source
texts) keep what they need and are settled once every file is read.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from app.datacheck import rules
from app.datacheck.texts import SourceTexts
from app.loading import placeholders, references
from app.loading.placeholders import placeholder
from app.loading.references import Reference
from app.loading.table_rows import Citations, Prepared
from app.loading.validation import validated

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One thing wrong; `text` names file, record and field first, as `load` does."""

    severity: Severity
    text: str

    def __str__(self) -> str:
        return f"{self.severity}: {self.text}"


@dataclass
class Report:
    """Every finding of a check, and what it covered."""

    findings: list[Finding]
    counts: dict[str, int]
    quotes_checked: int = 0  # quotes looked up in a source text
    quotes_unchecked: int = 0  # quotes of sources with no text to look them up in
    references_checked: bool = True  # False when records the schema rejects left ids unknown

    def count(self, severity: Severity) -> int:
        """How many findings have `severity`."""
        return sum(finding.severity == severity for finding in self.findings)


@dataclass
class _Checker:
    """Checks records one at a time and keeps what the rules across records need."""

    texts: SourceTexts | None
    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"sources": 0, "actors": 0, "events": 0})
    ids: dict[str, set[str]] = field(
        default_factory=lambda: {"source": set(), "actor": set(), "event": set()}
    )
    sources: dict[str, tuple[str, str | None, str | None]] = field(default_factory=dict)
    actors: dict[str, str] = field(default_factory=dict)  # id: record name
    referenced: set[str] = field(default_factory=set)  # actors an event or another actor names
    references: list[Reference] = field(default_factory=list)
    # dates no quote supports: where, message, the date, the sources cited for it
    dates: list[tuple[str, str, str, list[str]]] = field(default_factory=list)
    quotes: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # source: where, quote

    def error(self, where: str, message: str) -> None:
        self.findings.append(Finding("error", f"{where}: {message}"))

    def warning(self, where: str, message: str) -> None:
        self.findings.append(Finding("warning", f"{where}: {message}"))

    def add(self, record: Prepared) -> None:
        self.counts[record.collection] += 1
        self.findings += [Finding("error", problem) for problem in placeholders.found(record)]
        kind = record.collection[:-1]
        self.ids[kind].add(record.id)
        for target_kind, target, where in references.made_by(record):
            self.references.append((target_kind, target, where))
            if target_kind == "actor" and (kind == "event" or target != record.id):
                self.referenced.add(target)
        if kind == "source":
            columns = record.columns
            self.sources[record.id] = (record.name, columns["published"], columns["url"])
        elif kind == "actor":
            self._actor(record)
        else:
            self._event(record)

    def _cite(self, name: str, prefix: str, citations: Citations) -> None:
        for i, (source, quote) in enumerate(citations):
            where = f"{name}: {prefix}citations[{i}]"
            if self.texts is not None and not placeholder(quote):
                self.quotes.setdefault(source, []).append((f"{where}.quote", quote))

    def _date(self, where: str, value: str | None, citations: Citations) -> None:
        if value is None:
            return
        message = rules.too_precise(value, [quote for _, quote in citations])
        if message is not None:
            self.dates.append((where, message, value, [source for source, _ in citations]))

    def _actor(self, record: Prepared) -> None:
        name = record.name
        self.actors[record.id] = name
        self._cite(name, "", record.parts["citations"])
        for i, relation in enumerate(record.parts["relations"]):
            prefix = f"relations[{i}]."
            self._cite(name, prefix, relation["citations"])
            for end in ("start", "end"):
                self._date(f"{name}: {prefix}{end}", relation[end], relation["citations"])

    def _event(self, record: Prepared) -> None:
        name, columns, parts = record.name, record.columns, record.parts
        self._cite(name, "", parts["citations"])
        for i, figure in enumerate(parts["figures"]):
            prefix = f"figures[{i}]."
            self._cite(name, prefix, figure["citations"])
            for j, dispute in enumerate(figure["disputes"]):
                self._cite(name, f"{prefix}disputes[{j}].", dispute["citations"])
        for i, dispute in enumerate(parts["disputes"]):
            self._cite(name, f"disputes[{i}].", dispute["citations"])
        self._date(f"{name}: start", columns["start_date"], parts["citations"])
        self._date(f"{name}: end", columns["end_date"], parts["citations"])

    def _ids(self, kind: str) -> list[str]:
        return sorted(self.ids[kind])

    def finish(self, valid: bool) -> Report:
        """Settle the rules across records; the report of everything found.

        References are settled only when every record is `valid`: a record the schema
        rejects would leave its id unknown, and every reference to it would be reported too.
        """
        report = Report([], self.counts, references_checked=valid)
        if valid:
            problems = references.unresolved(self.references, self.ids, self._ids)
            self.findings += [Finding("error", problem) for problem in problems]
        for actor, name in self.actors.items() if valid else ():
            if actor not in self.referenced:
                self.error(f"{name}: id", "no event and no other actor's relation refers to it")
        for where, message, value, cited in self.dates:
            published = [self.sources[s][1] for s in cited if s in self.sources]
            if not any(rules.published_within(value, p) for p in published):
                self.warning(where, message)
        if self.texts is not None:
            self._quotes(self.texts, report)
        report.findings = self.findings
        return report

    def _quotes(self, texts: SourceTexts, report: Report) -> None:
        for source, (name, _published, url) in self.sources.items():
            cited = self.quotes.get(source, [])
            if not cited:
                continue
            verdict = texts.verdict(source, [quote for _, quote in cited])
            if verdict.text is None:
                report.quotes_unchecked += len(cited)
                if url is None:
                    self.warning(
                        f"{name}: url",
                        f"no url, and no source text holds any of its {len(cited)} quotes",
                    )
                continue
            report.quotes_checked += len(cited)
            for i in verdict.missing:
                self.error(cited[i][0], f"not verbatim in the source text {verdict.text}")


def check(paths: Sequence[Path], texts: SourceTexts | None = None) -> Report:
    """Validate `paths` as `load` does and apply every rule; quotes against `texts` if given."""
    problems: list[str] = []
    checker = _Checker(texts)
    for record in validated(paths, problems):
        checker.add(record)
    report = checker.finish(valid=not problems)
    report.findings[:0] = [Finding("error", problem) for problem in problems]
    return report
