"""Which of the paths an editor names are data files: a directory or a shell glob such as
`data/*` also holds the schema and the history, which are read or written otherwise."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from app.loading.exporter import SCHEMA_FILE
from app.loading.history_file import HISTORY_FILE

# Files that sit beside the data files, by name, and why a load does not read them as data.
NOT_DATA = {
    SCHEMA_FILE: "the JSON Schema of the data files, not a data file",
    HISTORY_FILE: "the release history, not a data file (a load of its directory reads it)",
}


@dataclass
class DataFiles:
    """The data files among some paths, and a note for each file left out."""

    files: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    empty: list[Path] = field(default_factory=list)  # directories with no data file


def data_files(paths: Iterable[Path]) -> DataFiles:
    """The data files of `paths`: files as given, and a directory's `*.json` in name order,
    leaving out the schema and the history by name (a directory's history is read apart)."""
    found = DataFiles()
    for path in paths:
        candidates = sorted(path.glob("*.json")) if path.is_dir() else [path]
        if path.is_dir() and all(p.name in NOT_DATA for p in candidates):
            found.empty.append(path)
        for candidate in candidates:
            if candidate.name in NOT_DATA:
                found.skipped.append(f"skipped {candidate}: {NOT_DATA[candidate.name]}")
            else:
                found.files.append(candidate)
    return found
