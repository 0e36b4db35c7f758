"""Shared helpers for the assess tests: fixture paths and answer builders."""

from __future__ import annotations

from pathlib import Path

from assess.model import AnswerRecord, Answers, Candidate, Questionnaire
from assess.profiles import load_questionnaire

ASSESS_DATA = Path(__file__).resolve().parent.parent / "data" / "assess"
MINI = ASSESS_DATA / "mini.questionnaire.yaml"
LIKERT7 = ASSESS_DATA / "likert7.questionnaire.yaml"
GOLDEN = ASSESS_DATA / "golden"


def mini() -> Questionnaire:
    """The small complete test questionnaire."""
    return load_questionnaire(MINI)


def likert7() -> Questionnaire:
    """The Likert-only 1–7 test questionnaire."""
    return load_questionnaire(LIKERT7)


def make_answers(
    q: Questionnaire,
    values: dict[str, int],
    candidate_id: str = "c-001",
    role: str | None = None,
    ms: int | None = None,
) -> Answers:
    """Answers to ``q`` with the given item values (and one answer time for all, if given)."""
    return Answers(
        questionnaire=q.ref(),
        candidate=Candidate(id=candidate_id, name=None, role=role),
        answers={item_id: AnswerRecord(value=value, ms=ms) for item_id, value in values.items()},
    )
