"""Hypothesis-made mutations of every valid example file, through every command that reads
it: whatever the damage, the command either works (exit 0) or refuses with one ``error:``
paragraph and exit 2 — never a traceback, never an internal error (exit 1).

Mutations: a line or a key deleted, a value replaced by a wrong type, a huge number, NaN or
infinity, a control character or odd unicode, the file cut short, random bytes inserted.
Kept small by default (a few CPU-seconds); ``REPFIT_MUTATIONS=500 pytest
tests/hardening/test_mutations.py`` runs a larger search.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLES, REPO_ROOT
from tests.hardening.conftest import Run

EXAMPLES_PER_FILE = int(os.environ.get("REPFIT_MUTATIONS", "4"))

BAD_VALUES = (
    "true",
    "false",
    "null",
    ".nan",
    ".inf",
    "-.inf",
    "1e309",
    "1.0e+400",
    "-1",
    "0",
    "9" * 5000,
    "10000000000000000000",
    "'x'",
    "[]",
    "{}",
    "[1, [2, {a: 3}]]",
    '"\\e[2J\\a"',
    "\u202eevil",
    "ǘñíçødé ✓",
    "''",
)
BAD_CELLS = (
    "true",
    "nan",
    "inf",
    "-inf",
    "1e309",
    "9" * 5000,
    "-1",
    "",
    "x",
    "=cmd|' /C calc'!A0",
    "\x1b[2J",
    '"a\rb"',
    "1.5",
    "ǘ",
)
CONTROL = "\x00\x07\x08\x0b\x0c\x1b\x7f\x85\x9b\u2028\u202e\ufeff"

_VALUE_LINE = re.compile(r"^(\s*(?:- )?[\w.'\"-]+:[ \t]+)(\S.*)$")


@st.composite
def yaml_mutation(draw: st.DrawFn, text: str) -> str:
    lines = text.splitlines(keepends=True)
    kind = draw(st.sampled_from(["value", "delete", "truncate", "bytes", "control", "value"]))
    if kind == "value":
        candidates = [i for i, line in enumerate(lines) if _VALUE_LINE.match(line)]
        index = draw(st.sampled_from(candidates))
        match = _VALUE_LINE.match(lines[index])
        assert match is not None
        value = draw(st.sampled_from(BAD_VALUES))
        lines[index] = f"{match.group(1)}{value}\n"
    elif kind == "delete":
        del lines[draw(st.integers(0, len(lines) - 1))]
    elif kind == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    else:
        position = draw(st.integers(0, len(text)))
        if kind == "bytes":
            noise = draw(st.binary(min_size=1, max_size=8)).decode("latin-1")
        else:
            noise = draw(st.sampled_from(CONTROL))
        return text[:position] + noise + text[position:]
    return "".join(lines)


@st.composite
def csv_mutation(draw: st.DrawFn, text: str) -> str:
    lines = text.splitlines(keepends=True)
    kind = draw(st.sampled_from(["cell", "cell", "delete-cell", "delete", "truncate", "bytes"]))
    index = draw(st.integers(0, len(lines) - 1))
    cells = lines[index].rstrip("\n").split(",")
    if kind == "cell":
        cells[draw(st.integers(0, len(cells) - 1))] = draw(st.sampled_from(BAD_CELLS))
        lines[index] = ",".join(cells) + "\n"
    elif kind == "delete-cell" and len(cells) > 1:
        del cells[draw(st.integers(0, len(cells) - 1))]
        lines[index] = ",".join(cells) + "\n"
    elif kind == "delete":
        del lines[index]
    elif kind == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    else:
        position = draw(st.integers(0, len(text)))
        noise = draw(st.binary(min_size=1, max_size=8)).decode("latin-1")
        return text[:position] + noise + text[position:]
    return "".join(lines)


# (file to mutate, where the valid one comes from, the commands that read it)
# "{f}" is the mutated file, "{d}" the folder holding it and the other valid files.
TARGETS: list[tuple[str, Path | None, list[tuple[str, ...]]]] = [
    (
        "scenario.yaml",
        None,  # the base copy (trials: 4)
        [("simulate", "run", "{f}", "--trials", "1", "--format", "json")],
    ),
    (
        "uncertain.yaml",
        EXAMPLES / "uncertain.yaml",
        [("simulate", "run", "{f}", "--trials", "1", "--format", "csv")],
    ),
    ("book.csv", EXAMPLES / "book.csv", [("simulate", "book", "{f}", "--format", "json")]),
    ("cohort.csv", EXAMPLES / "cohort.csv", [("simulate", "calibrate", "{f}")]),
    (
        "outcomes.csv",
        EXAMPLES / "outcomes.csv",
        [("assess", "criterion", "{d}/c-010.profile.yaml", "{f}")],
    ),
    (
        "answers.csv",
        None,  # the small bulk CSV of the test data (same format as examples/answers.csv)
        [("assess", "score", "{f}", "-q", "{d}/mini.questionnaire.yaml", "--format", "csv")],
    ),
    (
        "sales-traits.yaml",
        REPO_ROOT / "questionnaires" / "sales-traits.yaml",
        [("assess", "validate", "{f}")],
    ),
    (
        "sales-traits.irt.yaml",
        REPO_ROOT / "questionnaires" / "sales-traits.irt.yaml",
        [("assess", "validate", "{f}")],
    ),
    (
        "mini.questionnaire.yaml",
        None,
        [("assess", "score", "{d}/mini.answers.csv", "-q", "{f}", "--format", "json")],
    ),
    (
        "c-010.answers.yaml",
        None,
        [
            ("assess", "score", "{f}", "-q", "{d}/mini.questionnaire.yaml"),
            ("assess", "validate", "{f}"),
        ],
    ),
    (
        "c-010.profile.yaml",
        None,
        [("assess", "show", "{f}"), ("assess", "export", "{f}", "--format", "csv")],
    ),
    (
        "norms.yaml",
        None,
        [
            (
                "assess",
                "score",
                "{d}/c-010.answers.yaml",
                "-q",
                "{d}/mini.questionnaire.yaml",
                "--norms",
                "{f}",
            )
        ],
    ),
]


def _source(name: str, origin: Path | None, files: Path) -> str:
    if origin is not None:
        shutil.copy(origin, files / name)
    elif name == "answers.csv":
        shutil.copy(files / "mini.answers.csv", files / name)
    return (files / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "origin", "commands"), TARGETS, ids=[target[0] for target in TARGETS]
)
def test_mutated_files_never_crash(
    name: str, origin: Path | None, commands: list[tuple[str, ...]], files: Path, run: Run
) -> None:
    valid = _source(name, origin, files)
    path = files / name
    mutation = csv_mutation(valid) if name.endswith(".csv") else yaml_mutation(valid)

    @settings(
        max_examples=EXAMPLES_PER_FILE,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(mutation)
    def check(text: str) -> None:
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        for command in commands:
            argv = [part.replace("{f}", str(path)).replace("{d}", str(files)) for part in command]
            outcome = run(*argv)
            assert "Traceback" not in outcome.stderr, outcome.stderr
            assert "internal error" not in outcome.stderr, (argv, text[:300], outcome.stderr)
            assert outcome.code in (0, 2), (argv, outcome.code, outcome.stderr)
            if outcome.code == 2:
                errors = [
                    line for line in outcome.stderr.splitlines() if line.startswith("error: ")
                ]
                assert errors, outcome.stderr

    check()
