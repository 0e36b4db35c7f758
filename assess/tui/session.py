"""The state of one sitting of ``assess take``: order, position, answers and response times.

No terminal and no files: the screens drive a :class:`TakeSession` and the app
saves :meth:`TakeSession.to_answers` after every change. Keeping this apart from
Textual lets tests check navigation (back, skip, jump, resume) directly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from assess import order
from assess.errors import AssessError
from assess.model import (
    AnswerRecord,
    Answers,
    Candidate,
    Item,
    Questionnaire,
    QuestionnaireRef,
    SituationalItem,
    questionnaire_sha256,
)

CANDIDATE_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
"""Candidate ids the TUI accepts; they become file names (letters, digits, ``.``, ``_``, ``-``)."""

SINGLE_DIGIT_KEYS = range(10)
"""When every option's number is one digit, pressing it picks the option; otherwise the
number is typed and confirmed with Enter (scales with more than nine points)."""


def candidate_id_problem(candidate_id: str) -> str | None:
    """Why ``candidate_id`` cannot be used (one sentence), or None when it is fine."""
    if not candidate_id:
        return "Enter a candidate id."
    if not CANDIDATE_ID_PATTERN.match(candidate_id):
        return (
            "Use 1-64 letters, digits, '.', '_' or '-' (starting with a letter or digit) "
            "for the candidate id: it becomes a file name."
        )
    return None


def answers_filename(candidate_id: str) -> str:
    """The answers file of a candidate: ``<candidate-id>.answers.yaml``."""
    return f"{candidate_id}.answers.yaml"


def section_of(item: Item) -> str:
    """The section an item is shown in (its own, else its trait's, else its validity kind)."""
    return order.section_of(item)


def part_of(questionnaire: Questionnaire, item: Item) -> str:
    """The part of the questionnaire an item is shown in, for the progress header: a section
    kept together (``presentation.keep_together``), else ``statements`` (the interleaved
    items form one part)."""
    kept = questionnaire.presentation.keep_together if questionnaire.presentation else []
    section = section_of(item)
    return section if section in kept else "statements"


def presentation_order(questionnaire: Questionnaire, shuffle_seed: int | None) -> list[str]:
    """Item ids in the order shown: interleaved across traits by default, the whole
    questionnaire shuffled with ``shuffle_seed`` (:mod:`assess.order`)."""
    return order.presentation_order(questionnaire, shuffle_seed)


@dataclass(frozen=True)
class OptionView:
    """One answer option as shown: the number that picks it, the value it stores, its text."""

    key: int
    """The number shown beside the option and typed to pick it: its position from 1, or,
    on an unlabelled scale of non-negative points, the scale point itself."""
    value: int
    """The value stored in the answers file (a scale point, or an option number from 1)."""
    text: str
    """The option's label (empty for the inner points of an unlabelled scale)."""


def options_of(questionnaire: Questionnaire, item: Item) -> list[OptionView]:
    """The numbered options of an item: a Likert item's scale points or a situation's options.

    Options are numbered by position (1 = first). An unlabelled scale whose points are
    all non-negative (0-10, 1-7, ...) is numbered by its points instead, so that
    typing 10 on a 0-10 scale answers 10; its ends are labelled lowest and highest.
    """
    if isinstance(item, SituationalItem):
        return [
            OptionView(key=i, value=i, text=option.text)
            for i, option in enumerate(item.options, start=1)
        ]
    scale = questionnaire.scale
    points = list(range(scale.min, scale.max + 1))
    if scale.labels:
        return [
            OptionView(key=position, value=value, text=label)
            for position, (value, label) in enumerate(
                zip(points, scale.labels, strict=True), start=1
            )
        ]
    by_point = scale.min >= 0
    views = []
    for position, value in enumerate(points, start=1):
        end = "(lowest)" if value == scale.min else "(highest)" if value == scale.max else ""
        text = end if by_point else f"{value} {end}".strip()
        views.append(OptionView(key=value if by_point else position, value=value, text=text))
    return views


def picks_by_single_digit(options: list[OptionView]) -> bool:
    """True when one digit key picks an option (every option's number is a single digit)."""
    return all(option.key in SINGLE_DIGIT_KEYS for option in options)


@dataclass
class TakeSession:
    """Answers in progress for one candidate, and where the candidate is in the questionnaire."""

    questionnaire: Questionnaire
    candidate: Candidate
    order: list[str]
    started: datetime
    answers: dict[str, AnswerRecord] = field(default_factory=dict)
    finished: datetime | None = None
    position: int = 0

    @classmethod
    def new(
        cls,
        questionnaire: Questionnaire,
        candidate: Candidate,
        started: datetime,
        shuffle_seed: int | None = None,
    ) -> TakeSession:
        """A fresh sitting, positioned on the first item."""
        order = presentation_order(questionnaire, shuffle_seed)
        return cls(questionnaire=questionnaire, candidate=candidate, order=order, started=started)

    @classmethod
    def resume(
        cls, questionnaire: Questionnaire, saved: Answers, candidate: Candidate | None = None
    ) -> TakeSession:
        """Continue saved answers at the first unanswered item, keeping their order and times.

        Raises :class:`AssessError` when the answers belong to another questionnaire.
        """
        ref = saved.questionnaire
        if ref.id != questionnaire.id or ref.sha256 != questionnaire_sha256(questionnaire):
            raise AssessError(
                f"the saved answers of candidate {saved.candidate.id} were given to questionnaire "
                f"{ref.id} version {ref.version} (sha256 {ref.sha256[:12]}...), not to "
                f"{questionnaire.id} version {questionnaire.version} as loaded now; "
                "choose another candidate id or output folder, or take the original questionnaire."
            )
        known = {item.id for item in questionnaire.items}
        order = [item_id for item_id in (saved.order or []) if item_id in known]
        order += [
            item_id for item_id in presentation_order(questionnaire, None) if item_id not in order
        ]
        session = cls(
            questionnaire=questionnaire,
            candidate=candidate or saved.candidate,
            order=order,
            started=saved.started or datetime.now().astimezone(),
            answers=dict(saved.answers),
            finished=saved.finished,
        )
        first = session.first_unanswered()
        session.position = first if first is not None else len(order) - 1
        return session

    # ------------------------------------------------------------------ reading

    @property
    def total(self) -> int:
        """Number of items."""
        return len(self.order)

    def display_total(self) -> int:
        """The item count shown in the progress header (an adaptive sitting shows how many
        items it can still reach at most)."""
        return self.total

    @property
    def current_item(self) -> Item:
        """The item at the current position."""
        return self.questionnaire.item(self.order[self.position])

    def answer_of(self, item_id: str) -> AnswerRecord | None:
        """The recorded answer of an item, if any."""
        return self.answers.get(item_id)

    def answered_count(self) -> int:
        """How many items have an answer."""
        return sum(1 for item_id in self.order if item_id in self.answers)

    def unanswered(self) -> list[str]:
        """Ids of the items without an answer, in the order shown."""
        return [item_id for item_id in self.order if item_id not in self.answers]

    def first_unanswered(self) -> int | None:
        """Position of the first unanswered item, or None when every item is answered."""
        for index, item_id in enumerate(self.order):
            if item_id not in self.answers:
                return index
        return None

    def section_progress(self) -> tuple[int, int, int, int]:
        """(part number, number of parts, position in the part, part size), 1-based; parts
        are the interleaved statements and each section kept together (:func:`part_of`)."""
        q = self.questionnaire

        def part(index: int) -> str:
            return part_of(q, q.item(self.order[index]))

        parts: list[str] = []
        for index in range(self.total):
            name = part(index)
            if not parts or parts[-1] != name:
                parts.append(name)
        current = part(self.position)
        start = self.position
        while start > 0 and part(start - 1) == current:
            start -= 1
        end = self.position
        while end + 1 < self.total and part(end + 1) == current:
            end += 1
        number = _section_index(q, self.order, start)
        return number, len(parts), self.position - start + 1, end - start + 1

    def recorded_ms(self) -> int:
        """Total response time recorded so far (ms), e.g. before a resume."""
        return sum(record.ms or 0 for record in self.answers.values())

    # ------------------------------------------------------------------ changing

    def record(self, value: int, ms: int) -> None:
        """Answer the current item with ``value`` after ``ms`` milliseconds on it.

        Time already recorded for the item (an earlier visit) is kept and added to.
        """
        item_id = self.order[self.position]
        earlier = self.answers.get(item_id)
        total_ms = max(0, ms) + (earlier.ms or 0 if earlier else 0)
        self.answers[item_id] = AnswerRecord(value=value, ms=total_ms)

    def go_to(self, position: int) -> None:
        """Move to ``position`` (clamped to the items)."""
        self.position = min(max(position, 0), self.total - 1)

    def go_to_item(self, item_id: str) -> None:
        """Move to the item with id ``item_id``."""
        self.go_to(self.order.index(item_id))

    def at_end(self) -> bool:
        """True on the last item."""
        return self.position == self.total - 1

    def to_answers(self) -> Answers:
        """The answers file content for what has been answered so far."""
        questionnaire = self.questionnaire
        return Answers(
            questionnaire=QuestionnaireRef(
                id=questionnaire.id,
                version=questionnaire.version,
                sha256=questionnaire_sha256(questionnaire),
            ),
            candidate=self.candidate,
            started=self.started,
            finished=self.finished,
            order=list(self.order),
            answers={
                item_id: self.answers[item_id] for item_id in self.order if item_id in self.answers
            },
        )


def _section_index(questionnaire: Questionnaire, order: Sequence[str], start: int) -> int:
    """1-based number of the part run that begins at ``start`` in ``order``."""
    number = 0
    previous: str | None = None
    for item_id in order[: start + 1]:
        name = part_of(questionnaire, questionnaire.item(item_id))
        if name != previous:
            number += 1
            previous = name
    return number
