"""The reading layer itself: what every reader inherits from ``assess.fileio``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assess import jsonout
from assess.fileio import (
    CsvRows,
    FileFormatError,
    escape_control,
    parse_yaml_documents,
    parse_yaml_text,
    read_text,
)


def test_the_size_limit_counts_the_bytes_read_not_what_stat_says() -> None:
    # /proc files report a size of 0 but hold more: the limit must still hold.
    path = Path("/proc/self/maps")
    if not path.exists():
        pytest.skip("needs /proc")
    with pytest.raises(FileFormatError) as info:
        read_text(path, "questionnaire", max_bytes=10)
    assert str(info.value) == (
        "/proc/self/maps: the questionnaire is more than 10 bytes (the limit); refusing to read "
        "the rest."
    )


def test_a_file_within_the_limit_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\r\nb: 2\n")
    assert read_text(path, max_bytes=20) == "a: 1\r\nb: 2\n"
    with pytest.raises(FileFormatError, match="the file is 14 bytes; the limit is 13 bytes"):
        read_text(path, max_bytes=13)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a: 1\nb: \x07\n",
            "x.yaml: not valid YAML at line 2, column 4: the control character U+0007 (BEL) is "
            "not allowed in a YAML file.",
        ),
        ("\x00", "x.yaml: not valid YAML at line 1, column 1: the control character U+0000 (NUL)"),
        (
            # Far past the first block the reader checks when it is created.
            "# " + "x" * 70_000 + "\na: \x1b\n",
            "x.yaml: not valid YAML at line 2, column 4: the control character U+001B (ESC)",
        ),
    ],
    ids=["BEL", "NUL", "ESC-after-70000-characters"],
)
def test_yaml_reader_errors_name_file_line_and_character(text: str, message: str) -> None:
    with pytest.raises(FileFormatError) as info:
        parse_yaml_text(text, Path("x.yaml"))
    assert str(info.value).startswith(message)
    with pytest.raises(FileFormatError) as many:
        parse_yaml_documents(text, Path("x.yaml"))
    assert str(many.value).startswith(message)


def test_a_long_integer_stays_text_for_text_fields() -> None:
    data = parse_yaml_text("sha: " + "0" * 64 + "\nn: 12\n", Path("x.yaml")).data
    assert data == {"sha": "0" * 64, "n": 12}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a,b\n1," + "x" * 200_000 + "\n",
            "f.csv: line 2: not valid CSV: a cell longer than 131,072 characters",
        ),
        (
            "a,b\n1,x\ry\n",
            "f.csv: line 2: not valid CSV: a carriage return (CR) inside an unquoted cell",
        ),
    ],
    ids=["huge-cell", "bare-CR"],
)
def test_csv_errors_name_file_and_line(text: str, message: str) -> None:
    with pytest.raises(FileFormatError) as info:
        list(CsvRows(text, "f.csv"))
    assert str(info.value).startswith(message)


def test_control_characters_are_escaped_for_the_terminal() -> None:
    assert escape_control("Jo\x1b]0;title\x07\u202e\x9b ok\tyes") == (
        "Jo\\x1b]0;title\\x07\\u202e\\x9b ok\tyes"
    )


def test_json_output_is_strict() -> None:
    text = jsonout.dumps({"a": float("nan"), "b": [float("inf"), 1.5], "c": (float("-inf"),)})
    assert text == '{"a": null, "b": [null, 1.5], "c": [null]}'
    assert json.loads(text, parse_constant=lambda name: pytest.fail(name)) == {
        "a": None,
        "b": [None, 1.5],
        "c": [None],
    }
