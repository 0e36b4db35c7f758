"""The shared YAML loader, schema checks, error paragraphs and the atomic writer."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from pydantic import BaseModel

from assess.fileio import (
    FileFormatError,
    Text,
    atomic_write,
    check_schema,
    load_model,
    load_yaml,
    load_yaml_documents,
    parse_yaml_text,
    validate_document,
)
from tests.conftest import REPO_ROOT


class Item(BaseModel):
    id: Text
    keyed: str
    weight: float = 1.0


class Doc(BaseModel):
    version: Text
    labels: list[Text]
    flag: bool = False
    items: list[Item] = []


def write(tmp_path: Path, text: str, name: str = "doc.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_text_fields_keep_their_yaml_text(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        version: 1.10
        labels: [No, Yes, on, 0012]
        flag: true
        items: [{id: 0012, keyed: "+", weight: 2}]
        """,
    )
    doc = load_model(path, Doc)
    assert doc.version == "1.10"
    assert doc.labels == ["No", "Yes", "on", "0012"]
    assert doc.flag is True
    assert doc.items[0].id == "0012"
    assert doc.items[0].weight == 2.0


def test_only_true_and_false_are_booleans() -> None:
    data = parse_yaml_text("a: yes\nb: No\nc: false\nd: off\n", Path("x.yaml")).data
    assert data == {"a": "yes", "b": "No", "c": False, "d": "off"}


def test_timestamps_stay_text_for_the_schema() -> None:
    data = parse_yaml_text("started: 2026-11-23T10:00:00Z\n", Path("x.yaml")).data
    assert data == {"started": "2026-11-23T10:00:00Z"}


def test_validation_error_names_file_line_field_expected_and_found(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        version: 1
        labels: [a]
        items:
          - {id: a, keyed: "+"}
          - {id: b, keyed: "-", weight: heavy}
        """,
    )
    with pytest.raises(FileFormatError) as info:
        load_model(path, Doc)
    message = str(info.value)
    assert message.startswith(f"{path}: 1 problem: items[1].weight (line 6): ")
    assert "expected a number" in message
    assert "found 'heavy'" in message


def test_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "a: [1, 2\nb: 3\n")
    with pytest.raises(FileFormatError, match=r"not valid YAML at line \d+, column \d+"):
        load_yaml(path)


def test_duplicate_keys_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "a: 1\nb: 2\na: 3\n")
    with pytest.raises(FileFormatError, match=r"duplicate key 'a'"):
        load_yaml(path)


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in range(1, 9):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    path = write(tmp_path, "\n".join(lines) + "\n")
    with pytest.raises(FileFormatError, match="expands to more than"):
        load_yaml(path)


def test_empty_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match="is empty"):
        load_yaml(write(tmp_path, "# only a comment\n"))
    with pytest.raises(FileFormatError, match="no such"):
        load_yaml(tmp_path / "absent.yaml")
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(FileFormatError, match="not UTF-8"):
        load_yaml(binary)


def test_multi_document_file_keeps_the_rules_and_names_each_document(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        ---
        version: 1.10
        labels: [No]
        ---
        version: 2
        labels: [a]
        items:
          - {id: 0012, keyed: "+", weight: heavy}
        ---
        """,
    )
    first, second = load_yaml_documents(path)
    assert validate_document(first, Doc).labels == ["No"]
    assert validate_document(first, Doc).version == "1.10"
    assert (first.source, second.source) == (f"{path}, document 1", f"{path}, document 2")
    with pytest.raises(FileFormatError) as info:
        validate_document(second, Doc)
    assert str(info.value).startswith(f"{path}, document 2: 1 problem: items[0].weight (line 9): ")


def test_multi_document_reader_on_one_document_matches_load_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, "version: 1\nlabels: [a]\n")
    (only,) = load_yaml_documents(path)
    assert (only.data, only.number, only.source) == (load_yaml(path).data, None, str(path))


def test_multi_document_reader_refuses_what_load_yaml_refuses(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match="is empty"):
        load_yaml_documents(write(tmp_path, "---\n# nothing\n---\n"))
    with pytest.raises(FileFormatError, match=r"duplicate key 'a'"):
        load_yaml_documents(write(tmp_path, "---\na: 1\n---\na: 1\na: 2\n"))
    with pytest.raises(FileFormatError, match=r"not valid YAML at line 4, column 5 \(document 2\)"):
        load_yaml_documents(write(tmp_path, "---\na: 1\n---\nb: c: d\n"))
    # The alias limit covers the whole stream: twenty documents, each within it, exceed it.
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in range(1, 6):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    document = "---\n" + "\n".join(lines) + "\n"
    (single,) = load_yaml_documents(write(tmp_path, document))
    assert single.data["a5"][0][0][0][0][0][0] == "x"
    with pytest.raises(FileFormatError, match="expands to more than"):
        load_yaml_documents(write(tmp_path, document * 20))


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        (None, "the 'schema' key is missing"),
        ("repfit.answers/1", "expected 'repfit.questionnaire/1', found 'repfit.answers/1'"),
        ("repfit.questionnaire/2", "newer than this version of repfit understands"),
    ],
)
def test_schema_header_is_checked(schema: str | None, message: str) -> None:
    data = {} if schema is None else {"schema": schema}
    with pytest.raises(FileFormatError, match=message.replace(".", r"\.").replace("(", r"\(")):
        check_schema(data, "repfit.questionnaire", 1, "q.yaml")


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "out.txt"
    atomic_write(path, "old\n")
    atomic_write(path, "new\n")
    assert path.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_atomic_write_leaves_old_file_on_error(tmp_path: Path) -> None:
    from assess.fileio import atomic_open

    path = tmp_path / "out.txt"
    atomic_write(path, "old\n")

    def fail_midway() -> None:
        with atomic_open(path) as handle:
            handle.write("half")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        fail_midway()
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


WRITER = """
import sys, time
from assess.fileio import atomic_open
path = sys.argv[1]
with atomic_open(path) as handle:
    for i in range(10_000):
        handle.write("new line %d\\n" % i)
        if i == 100:
            handle.flush()
            print("writing", flush=True)
        time.sleep(0.001)
"""


def test_killed_writer_leaves_old_or_new_file_never_a_mix(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    old = "old content\n" * 50
    atomic_write(path, old)
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "writing"
    time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert path.read_text() == old
    # The completed case: the same writer left alone produces the whole new file.
    done = subprocess.run(
        [sys.executable, "-c", WRITER, str(path)], env=env, check=True, capture_output=True
    )
    assert done.returncode == 0
    assert path.read_text() == "".join(f"new line {i}\n" for i in range(10_000))
