"""The item-parameter file (``repfit.irt/1``) and how a questionnaire's items map onto it.

Pure (pydantic models and arithmetic; no files, no terminal). ``assess calibrate-irt``
writes an :class:`IrtParametersFile`; ``assess score --irt`` and ``assess take
--adaptive`` read one (:mod:`assess.profiles` does the I/O). A questionnaire's own
parameters live beside it as ``<name>.irt.yaml`` (the bundled ``sales-traits`` ships
``sales-traits.irt.yaml``).

The file records the questionnaire's id, version and sha256 like a norms file, and
``items_sha256``: a hash over only what the parameters depend on (the scale and each
trait item's id, trait, keying and text). Parameters are accepted for a questionnaire
whose ``items_sha256`` matches, so editing situational items, norms or roles does not
invalidate a calibration, while rewording or re-keying a trait item does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from itertools import pairwise

import numpy as np
import numpy.typing as npt
from pydantic import Field, model_validator

from assess.irt import GrmFit, GrmItem
from assess.model import (
    IRT_SCHEMA,
    CrossFieldError,
    Integer,
    Location,
    Number,
    Questionnaire,
    QuestionnaireRef,
    Text,
    _Model,
    _schema_field,
    canonical_json,
)

FloatArray = npt.NDArray[np.float64]


class IrtItemParameters(_Model):
    """One item's graded-response parameters (categories counted after reverse keying)."""

    a: Number = Field(gt=0)
    """Discrimination (> 0; logistic metric, no 1.7)."""
    b: list[Number] = Field(min_length=1)
    """Thresholds, strictly ascending, one fewer than the scale's points."""
    a_se: Number | None = None
    """Standard error of ``a`` from the calibration (optional)."""
    b_se: list[Number] | None = None
    """Standard errors of the thresholds (optional)."""

    @model_validator(mode="after")
    def _check(self) -> IrtItemParameters:
        if any(later <= earlier for earlier, later in pairwise(self.b)):
            raise CrossFieldError([(("b",), f"thresholds must ascend strictly; found {self.b}")])
        if self.b_se is not None and len(self.b_se) != len(self.b):
            raise CrossFieldError(
                [(("b_se",), f"expected {len(self.b)} standard errors; found {len(self.b_se)}")]
            )
        return self

    def grm(self) -> GrmItem:
        """As the model's item."""
        return GrmItem(a=self.a, b=tuple(self.b))


class IrtTraitParameters(_Model):
    """The calibrated items of one trait."""

    items: dict[Text, IrtItemParameters] = Field(min_length=1)
    """Item id -> parameters."""
    n: Integer | None = Field(default=None, ge=0)
    """Respondents behind the calibration of this trait."""
    loglik: Number | None = None
    """Marginal log-likelihood at the estimate."""
    converged: bool = True
    """Whether the calibration converged."""


class IrtParameters(_Model):
    """Item parameters for a questionnaire's traits, with where they come from."""

    source: str
    """Where the parameters come from (e.g. "local sample 2026-11", "provisional: ...")."""
    n: Integer = Field(ge=0)
    """Respondents in the calibration sample (0 when not calibrated on people)."""
    date: Text | None = None
    """When they were calibrated (ISO date)."""
    provisional: bool = False
    """True for parameters not calibrated on a real sample of the target population."""
    traits: dict[Text, IrtTraitParameters] = Field(min_length=1)
    """Trait id -> its items' parameters."""

    def sha256(self) -> str:
        """SHA-256 of the parameters (canonical JSON of ``traits``): what adaptive sittings
        and profiles record."""
        content = {
            trait_id: {item_id: {"a": item.a, "b": item.b} for item_id, item in trait.items.items()}
            for trait_id, trait in self.traits.items()
        }
        return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()

    def grm_items(self) -> dict[str, GrmItem]:
        """Item id -> model item, over every trait."""
        return {
            item_id: item.grm()
            for trait in self.traits.values()
            for item_id, item in trait.items.items()
        }


class IrtParametersFile(IrtParameters):
    """What ``assess calibrate-irt`` writes (``repfit.irt/1``)."""

    schema_: str = _schema_field(IRT_SCHEMA)
    """File format and version: ``repfit.irt/1``."""
    questionnaire: QuestionnaireRef
    """The questionnaire calibrated."""
    items_sha256: Text
    """Hash of the scale and the trait items (see :func:`items_sha256`)."""

    def parameters(self) -> IrtParameters:
        """The parameters without the file header."""
        return IrtParameters.model_validate(
            self.model_dump(include=set(IrtParameters.model_fields))
        )


def items_sha256(q: Questionnaire) -> str:
    """SHA-256 over the scale and every trait item's id, trait, keying and text."""
    content = {
        "scale": [q.scale.min, q.scale.max],
        "items": [
            [item.id, item.trait, item.keyed, item.text]
            for item in q.likert_items()
            if item.trait is not None
        ],
    }
    return hashlib.sha256(canonical_json(content).encode("utf-8")).hexdigest()


def parameter_problems(q: Questionnaire, params: IrtParameters) -> list[tuple[Location, str]]:
    """Parameters that do not fit the questionnaire: unknown traits or items, an item under
    the wrong trait, a threshold count that does not match the scale."""
    problems: list[tuple[Location, str]] = []
    known = set(q.trait_ids())
    thresholds = q.scale.points - 1
    for trait_id, trait in params.traits.items():
        if trait_id not in known:
            problems.append((("traits", trait_id), f"unknown trait '{trait_id}'"))
            continue
        own = {item.id for item in q.likert_items_of(trait_id)}
        for item_id, item in trait.items.items():
            where: Location = ("traits", trait_id, "items", item_id)
            if item_id not in own:
                problems.append((where, f"'{item_id}' is not a Likert item of trait {trait_id}"))
            elif len(item.b) != thresholds:
                problems.append(
                    (
                        (*where, "b"),
                        f"expected {thresholds} thresholds for a {q.scale.points}-point scale; "
                        f"found {len(item.b)}",
                    )
                )
    return problems


def parameters_from_fits(
    fits: Mapping[str, GrmFit],
    *,
    source: str,
    n: int,
    date: str | None,
    provisional: bool,
    digits: int = 4,
) -> IrtParameters:
    """Parameters to save from calibrated traits (rounded to ``digits``)."""
    traits = {
        trait_id: IrtTraitParameters(
            items={
                item_id: IrtItemParameters(
                    a=round(item.a, digits),
                    b=[round(value, digits) for value in item.b],
                    a_se=round(item.a_se, digits),
                    b_se=[round(value, digits) for value in item.b_se],
                )
                for item_id, item in fit.items.items()
            },
            n=fit.n,
            loglik=round(fit.loglik, 3),
            converged=fit.converged,
        )
        for trait_id, fit in fits.items()
    }
    return IrtParameters(source=source, n=n, date=date, provisional=provisional, traits=traits)
