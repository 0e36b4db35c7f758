"""Profile text straight from score columns (assess.profile_text) is the general
serialisation byte for byte: the emitter's text of the profile that scoring builds."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from assess.cli import cli
from assess.model import Questionnaire
from assess.profile_text import ProfileTexts
from assess.profile_yaml import ProfileEmitter
from assess.profiles import (
    AnswersTable,
    irt_for,
    load_questionnaire,
    profile_to_data,
    read_answers_run,
)
from assess.score_output import score_provenance
from assess.scoring import batch_profiles, score_matrix_batch
from tests.assess.test_bulk_export import _odd_answers
from tests.conftest import EXAMPLES


def _compare(
    q: Questionnaire, table: AnswersTable, rows: slice, forced: list[bool], with_irt: bool = True
) -> tuple[int, set[str]]:
    """Fast text against the general one for every row it writes; the rows it wrote and
    the red-flag codes among them."""
    irt = irt_for(None, None, q) if with_irt else None
    provenance = score_provenance(q, q.norms, irt)
    emitter = ProfileEmitter()
    respondents = table.respondents[rows]
    batch = score_matrix_batch(q, respondents, table.matrix[rows], irt=irt)
    texts = ProfileTexts(q, provenance, irt, emitter).texts(
        respondents, batch.scored, forced, batch.irt_scores, batch.drives, batch.classical_t
    )
    written = [row for row, text in enumerate(texts) if text is not None]
    codes: set[str] = set()
    profiles = batch_profiles(q, respondents, batch, None, written, irt=irt)
    for row, profile in zip(written, profiles, strict=True):
        profile.forced = forced[row]
        profile.provenance = provenance
        assert texts[row] == ProfileEmitter().dump(profile_to_data(profile)), respondents[
            row
        ].candidate.id
        codes |= {flag.code for flag in profile.red_flags}
    return len(written), codes


def test_the_text_of_odd_candidates_is_the_profile_yaml_byte_for_byte(tmp_path: Path) -> None:
    q = load_questionnaire()
    for with_nul in (False, True):
        table = read_answers_run((_odd_answers(tmp_path, with_nul),), q)
        count = len(table.respondents)
        forced = [row % 4 == 0 for row in range(count)]
        written, codes = _compare(q, table, slice(0, count), forced)
        # Most rows are written from the columns, with every kind of red flag but one.
        assert written > count // 2
        assert {
            "careless_responding",
            "best_fit_differs_from_role",
            "socially_desirable_responding",
        } <= codes
        assert any(code.startswith(("high_", "low_")) for code in codes)
        assert not any(code.startswith("insufficient:") for code in codes)  # the general way
    written, _ = _compare(q, table, slice(0, 30), [False] * 30, with_irt=False)
    assert written > 0


@settings(max_examples=12, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=10**6),  # which example row, and the seed
            st.sampled_from(["", "farmer", "hunter", "hybrid", "order_taker", "other"]),
            st.floats(min_value=0.0, max_value=0.3),  # share of answers changed
            st.booleans(),  # forced
        ),
        min_size=1,
        max_size=12,
    )
)
def test_varied_answers_give_the_same_text_both_ways(
    rows: list[tuple[int, str, float, bool]],
) -> None:
    q = load_questionnaire()
    source = list(csv.reader(io.StringIO((EXAMPLES / "answers.csv").read_text("utf-8"))))
    header, body = source[0], source[1:]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for number, (pick, role, share, _forced) in enumerate(rows):
        row = list(body[pick % len(body)])
        row[0], row[2] = f"c{number}", role
        rng = np.random.default_rng(pick)
        for column in range(3, len(row)):
            if rng.random() < share:
                item = q.items[column - 3]
                top = q.scale.max if not hasattr(item, "options") else len(item.options)
                row[column] = str(rng.integers(1, top + 1)) if rng.random() < 0.9 else ""
        writer.writerow(row)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "answers.csv"
        path.write_text(out.getvalue(), encoding="utf-8")
        table = read_answers_run((path,), q)
    _compare(q, table, slice(0, len(rows)), [flag for *_, flag in rows])


def test_a_folder_written_from_columns_holds_the_yaml_export(tmp_path: Path) -> None:
    answers = _odd_answers(tmp_path, with_nul=False)
    runner = CliRunner()
    folder = tmp_path / "profiles"
    done = runner.invoke(cli, ["score", str(answers), "--out", str(folder)])
    assert done.exit_code == 0, done.output
    stream = runner.invoke(cli, ["score", str(answers), "--format", "yaml"])
    assert stream.exit_code == 0, stream.output
    documents = stream.stdout.split("---\n")[1:]
    ids = [row[0] for row in csv.reader(io.StringIO(answers.read_text("utf-8")))][1:]
    assert len(documents) == len(ids)
    for candidate_id, document in zip(ids, documents, strict=True):
        assert (folder / f"{candidate_id}.profile.yaml").read_text("utf-8") == document
        assert (folder / f"{candidate_id}.profile.yaml").stat().st_mode & 0o777 == 0o600


def test_a_batch_whose_checked_row_differs_is_written_the_general_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI compares the first row written from columns with its profile; should they
    differ, the whole batch is written the general way."""
    original = ProfileTexts.texts

    def wrong(self: ProfileTexts, *args: object, **kwargs: object) -> list[str | None]:
        texts = original(self, *args, **kwargs)  # type: ignore[arg-type]
        return [None if text is None else text.replace("forced:", "forced: x") for text in texts]

    monkeypatch.setattr(ProfileTexts, "texts", wrong)
    answers = _odd_answers(tmp_path, with_nul=False)
    runner = CliRunner()
    folder = tmp_path / "profiles"
    done = runner.invoke(cli, ["score", str(answers), "--out", str(folder)])
    assert done.exit_code == 0, done.output
    stream = runner.invoke(cli, ["score", str(answers), "--format", "yaml"])
    written = sorted(folder.glob("*.profile.yaml"))
    assert len(written) == len(stream.stdout.split("---\n")) - 1
    assert all("forced: x" not in path.read_text("utf-8") for path in written)
