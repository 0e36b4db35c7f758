"""An adaptive sitting of ``assess take --adaptive``: the order grows one item at a time.

Like :class:`~assess.tui.session.TakeSession` (no terminal, no files), but the next item
comes from :func:`assess.adaptive.plan_next` when the candidate moves past the last item
shown. The answers file records the order shown and every stopping decision
(``adaptive.stops``); resuming replays nothing: the saved order and stops are kept and
planning continues from them. Going back and changing an earlier answer keeps the items
already shown (they were chosen with the answer given then).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from assess.adaptive import AdaptiveSettings, fixed_items, forced_trait_items, plan_next
from assess.errors import AssessError
from assess.irt import GrmItem
from assess.irt_params import IrtParameters
from assess.model import (
    AdaptiveRecord,
    AdaptiveStop,
    Answers,
    Candidate,
    Questionnaire,
    questionnaire_sha256,
)
from assess.tui.session import TakeSession


@dataclass
class AdaptiveTakeSession(TakeSession):
    """A sitting whose items are chosen adaptively (see :mod:`assess.adaptive`)."""

    params: dict[str, GrmItem] = field(default_factory=dict)
    """Item id -> parameters used to choose items."""
    parameters_sha256: str = ""
    """Hash of the parameters (recorded in the answers)."""
    settings: AdaptiveSettings = field(default_factory=AdaptiveSettings)
    """Target posterior SD and item limit per trait."""
    stops: list[AdaptiveStop] = field(default_factory=list)
    """Stopping decisions so far, in the order made."""

    @classmethod
    def start(
        cls,
        questionnaire: Questionnaire,
        candidate: Candidate,
        started: datetime,
        parameters: IrtParameters,
        settings: AdaptiveSettings,
    ) -> AdaptiveTakeSession:
        """A fresh adaptive sitting on its first item."""
        session = cls(
            questionnaire=questionnaire,
            candidate=candidate,
            order=[],
            started=started,
            params=parameters.grm_items(),
            parameters_sha256=parameters.sha256(),
            settings=settings,
        )
        session._extend()
        if not session.order:
            raise AssessError("the adaptive plan gave no item; the questionnaire has none.")
        return session

    @classmethod
    def resume_adaptive(
        cls,
        questionnaire: Questionnaire,
        saved: Answers,
        parameters: IrtParameters,
        candidate: Candidate | None = None,
    ) -> AdaptiveTakeSession:
        """Continue a saved adaptive sitting with its own settings, order and stops."""
        record = saved.adaptive
        if record is None:
            raise AssessError(
                f"the saved answers of candidate {saved.candidate.id} are not adaptive."
            )
        ref = saved.questionnaire
        if ref.id != questionnaire.id or ref.sha256 != questionnaire_sha256(questionnaire):
            raise AssessError(
                f"the saved answers of candidate {saved.candidate.id} were given to "
                f"questionnaire {ref.id} version {ref.version}, not to {questionnaire.id} "
                f"version {questionnaire.version} as loaded now."
            )
        if record.parameters_sha256 != parameters.sha256():
            raise AssessError(
                f"the adaptive sitting of candidate {saved.candidate.id} chose its items with "
                f"item parameters {record.parameters_sha256[:12]}..., not the ones loaded now "
                f"({parameters.sha256()[:12]}...: {parameters.source}); resume it with the "
                "same parameters (--irt FILE)."
            )
        known = {item.id for item in questionnaire.items}
        session = cls(
            questionnaire=questionnaire,
            candidate=candidate or saved.candidate,
            order=[item_id for item_id in (saved.order or []) if item_id in known],
            started=saved.started or datetime.now().astimezone(),
            answers=dict(saved.answers),
            finished=saved.finished,
            params=parameters.grm_items(),
            parameters_sha256=record.parameters_sha256,
            settings=AdaptiveSettings(target_sd=record.target_sd, max_items=record.max_items),
            stops=list(record.stops),
        )
        if not session.order:
            session._extend()
        first = session.first_unanswered()
        if first is None and session.finished is None:
            session.position = len(session.order) - 1
            session.at_end()  # every shown item answered: plan the next one, if any
            first = session.first_unanswered()
        session.position = first if first is not None else len(session.order) - 1
        return session

    def display_total(self) -> int:
        """Items shown so far plus the most the plan can still give: every fixed item not
        yet shown and, per trait not stopped, its item limit less the items it had."""
        shown = set(self.order)
        stopped = {stop.trait for stop in self.stops}
        left = sum(1 for item_id in fixed_items(self.questionnaire) if item_id not in shown)
        for trait_id in self.questionnaire.trait_ids():
            if trait_id in stopped:
                continue
            ids = [item.id for item in self.questionnaire.likert_items_of(trait_id)]
            given = sum(1 for item_id in ids if item_id in shown)
            limit = max(
                self.settings.max_items, len(forced_trait_items(self.questionnaire)[trait_id])
            )
            left += max(0, min(limit, len(ids)) - given)
        return len(self.order) + left

    def section_progress(self) -> tuple[int, int, int, int]:
        """An adaptive sitting has no parts: one part, position of at most the reachable."""
        return 1, 1, self.position + 1, self.display_total()

    def _extend(self) -> None:
        step = plan_next(
            self.questionnaire,
            self.params,
            self.order,
            {item_id: record.value for item_id, record in self.answers.items()},
            self.stops,
            self.settings,
        )
        self.stops.extend(step.stops)
        if step.item_id is not None:
            self.order.append(step.item_id)

    def at_end(self) -> bool:
        """True on the last item when the plan has no further item; on the last item shown,
        asks the plan for the next one first."""
        if self.position < len(self.order) - 1:
            return False
        if self.finished is None:
            self._extend()
        return self.position >= len(self.order) - 1

    def to_answers(self) -> Answers:
        """The answers file content, with the adaptive record."""
        answers = super().to_answers()
        answers.adaptive = AdaptiveRecord(
            target_sd=self.settings.target_sd,
            max_items=self.settings.max_items,
            parameters_sha256=self.parameters_sha256,
            stops=list(self.stops),
        )
        return answers
