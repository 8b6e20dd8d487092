"""The streaming reader: the same records as a whole-file parse, whatever the chunk size."""

import json
from pathlib import Path

import pytest

from app.loading import datafile
from tests.conftest import shipped_files


@pytest.mark.parametrize("chunk", [1, 7, 4096])
def test_records_match_a_whole_file_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """Small windows split records, numbers and multi-byte characters (é, ï) everywhere."""
    monkeypatch.setattr(datafile, "_CHUNK", chunk)
    for path in shipped_files():
        whole = json.loads(path.read_text(encoding="utf-8"))
        streamed: dict[str, list[object]] = {}
        for collection, index, record, text in datafile.records(path):
            assert json.loads(text) == record
            if index >= 0:
                assert index == len(streamed.setdefault(collection, []))
                streamed[collection].append(record)
        assert streamed == {k: v for k, v in whole.items() if k in datafile.COLLECTIONS}


@pytest.mark.parametrize("chunk", [1, 5, 4096])
def test_errors_point_at_the_same_place_whatever_the_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    monkeypatch.setattr(datafile, "_CHUNK", chunk)
    path = tmp_path / "bad.json"
    path.write_text('{"events": [\n  {"id": 12345},\n  {"id": "é" 1}\n]}', encoding="utf-8")
    with pytest.raises(datafile.FileError, match="line 3 column 14"):
        list(datafile.records(path))


def test_text_that_is_not_utf8_is_named_by_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"events": [{"id": "é"}]}'.encode("latin-1"))
    with pytest.raises(datafile.FileError, match="not UTF-8 text .* at byte 20"):
        list(datafile.records(path))
