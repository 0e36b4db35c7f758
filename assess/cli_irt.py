"""``assess calibrate-irt`` and the IRT part of ``assess analyze --irt``.

Thin: reads through :mod:`assess.profiles`, fits with the pure
:mod:`assess.irt_scoring`, renders a rich table or writes a ``repfit.irt/1`` file.
Registered on the ``assess`` group at the end of :mod:`assess.cli`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import click

from assess.errors import AssessError

if TYPE_CHECKING:
    from rich.console import Console

    from assess.irt_scoring import TraitCalibration
    from assess.model import Questionnaire

QUESTIONNAIRE_HELP = (
    "Bundled questionnaire id or a questionnaire YAML file [default: sales-traits]."
)


@contextlib.contextmanager
def trait_progress(total: int) -> Iterator[Callable[[str], None]]:
    """Yield ``step(trait_id)``: a progress bar on stderr (terminal only) over the traits."""
    if not sys.stderr.isatty():
        yield lambda _trait: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("Calibrating", total=total)
        started = False

        def step(trait_id: str) -> None:
            nonlocal started
            if started:
                progress.advance(task)
            started = True
            progress.update(task, description=f"Calibrating {trait_id}")

        yield step


def calibrate(
    q: Questionnaire, matrix: object, exclude: object = None
) -> dict[str, TraitCalibration]:
    """Calibrate every trait with a progress bar."""
    import numpy as np

    from assess.irt_scoring import calibrate_traits

    with trait_progress(len(q.traits)) as step:
        return calibrate_traits(
            q,
            np.asarray(matrix, dtype=np.float64),
            None if exclude is None else np.asarray(exclude, dtype=bool),
            step,
        )


def print_calibration(calibrations: Mapping[str, TraitCalibration], console: Console) -> None:
    """The readable report of a calibration: one row per item, then per-trait diagnostics."""
    from rich.table import Table

    def fmt(value: float, digits: int = 2) -> str:
        return "–" if not math.isfinite(value) else f"{value:.{digits}f}"

    console.print(
        "[bold]Graded response model[/bold] (Samejima; P(X ≥ c) = 1/(1 + exp(−a(θ − b_c))), "
        "θ ~ N(0, 1); marginal ML by EM)."
    )
    items = Table(title="Item parameters (after reverse keying)", title_justify="left")
    for header in ("item", "trait", "a (se)", "thresholds b"):
        items.add_column(header, justify="left" if header != "a (se)" else "right")
    for trait_id, calibration in calibrations.items():
        if calibration.fit is None:
            continue
        for item_id, item in calibration.fit.items.items():
            items.add_row(
                item_id,
                trait_id,
                f"{fmt(item.a)} ({fmt(item.a_se)})",
                " ".join(f"{value:+.2f}" for value in item.b),
            )
    console.print(items)
    traits = Table(title="Traits", title_justify="left")
    for header in ("trait", "n", "loglik", "converged", "iterations", "info θ=-2/0/+2", "note"):
        traits.add_column(header, justify="left" if header in ("trait", "note") else "right")
    for trait_id, calibration in calibrations.items():
        fit = calibration.fit
        if fit is None:
            traits.add_row(trait_id, "", "", "no", "", "", f"refused: {calibration.refused}")
            continue
        info = dict(zip(fit.information_theta, fit.information, strict=True))
        traits.add_row(
            trait_id,
            str(fit.n),
            f"{fit.loglik:.1f}",
            "yes" if fit.converged else "NO",
            str(fit.iterations),
            "/".join(f"{info.get(theta, math.nan):.1f}" for theta in (-2.0, 0.0, 2.0)),
            "; ".join(fit.warnings),
        )
    console.print(traits)
    console.print(
        "info: test information (1/SE² of θ without the prior); 4 ≈ SE 0.5, 6.25 ≈ SE 0.4."
    )
    console.print()


@click.command(
    "calibrate-irt",
    epilog="Example: assess calibrate-irt answers.csv --source 'Acme sales hires 2026' "
    "-o sales-traits.irt.yaml",
)
@click.argument("answers_csv", type=click.Path(path_type=Path))
@click.option(
    "-q", "--questionnaire", "questionnaire_ref", metavar="ID|PATH", help=QUESTIONNAIRE_HELP
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="The item-parameter file to write (repfit.irt/1).",
)
@click.option(
    "--source",
    required=True,
    help="Where the sample comes from; every profile scored with these parameters shows it.",
)
@click.option(
    "--include-careless",
    is_flag=True,
    help="Keep respondents flagged as careless (left out by default, as for norms).",
)
@click.option(
    "--provisional",
    is_flag=True,
    help="Mark the parameters provisional (not calibrated on the target population).",
)
@click.option(
    "--date",
    "date_text",
    metavar="YYYY-MM-DD",
    help="Date recorded in the file [default: today, UTC].",
)
def calibrate_irt(
    answers_csv: Path,
    questionnaire_ref: str | None,
    output: Path,
    source: str,
    include_careless: bool,
    provisional: bool,
    date_text: str | None,
) -> None:
    """Calibrate graded-response item parameters per trait and write them for scoring.

    Fits Samejima's graded response model to each trait's Likert items by marginal
    maximum likelihood and writes a repfit.irt/1 file. Score with it through
    `assess score --irt FILE`, or save it beside the questionnaire as
    <name>.irt.yaml to make it the questionnaire's own. Refuses (exit 2) when a trait
    cannot be identified: fewer than 200 respondents, or an empty answer category.
    """
    from assess.cli_psychometrics import _read_sample
    from assess.irt_params import IrtParametersFile, items_sha256, parameters_from_fits
    from assess.profiles import save_irt_parameters
    from assess.psychometrics_analysis import analyze_sample

    if not source.strip():
        raise AssessError("--source is empty; say where the sample comes from.")
    if date_text is None:
        date_text = dt.datetime.now(dt.UTC).date().isoformat()
    else:
        try:
            dt.date.fromisoformat(date_text)
        except ValueError:
            raise AssessError(
                f"--date: expected a date as YYYY-MM-DD; found '{date_text}'."
            ) from None
    q, table = _read_sample(answers_csv, questionnaire_ref, None)
    exclude = None
    if not include_careless:
        exclude = analyze_sample(q, table.matrix, table.candidate_ids).careless_mask()
    calibrations = calibrate(q, table.matrix, exclude)
    refused = {t: c.refused for t, c in calibrations.items() if c.refused is not None}
    if refused:
        left_out = "" if exclude is None else f" ({int(exclude.sum())} careless left out)"
        grouped: dict[str, list[str]] = {}
        for trait, reason in refused.items():
            grouped.setdefault(reason or "", []).append(trait)
        details = "; ".join(
            f"{'every trait' if len(traits) == len(q.traits) else ', '.join(traits)}: {reason}"
            for reason, traits in grouped.items()
        )
        raise AssessError(
            f"{answers_csv}: cannot calibrate {len(refused)} of {len(q.traits)} traits from "
            f"{len(table.respondents)} respondents{left_out}: {details}."
        )
    fits = {t: c.fit for t, c in calibrations.items() if c.fit is not None}
    unconverged = [t for t, fit in fits.items() if not fit.converged]
    if unconverged:
        raise AssessError(
            f"{answers_csv}: the calibration of {', '.join(unconverged)} did not converge "
            "(see assess analyze --irt for the diagnostics); nothing was written."
        )
    n = len(table.respondents) - (0 if exclude is None else int(exclude.sum()))
    params = parameters_from_fits(
        fits, source=source.strip(), n=n, date=date_text, provisional=provisional
    )
    save_irt_parameters(
        output,
        IrtParametersFile(
            questionnaire=q.ref(),
            items_sha256=items_sha256(q),
            **params.model_dump(),
        ),
    )
    warnings = [f"{t}: {w}" for t, fit in fits.items() for w in fit.warnings]
    click.echo(
        f"wrote item parameters for {len(fits)} traits from {n} respondents to {output}"
        + (
            f" ({int(exclude.sum())} flagged as careless left out)"
            if exclude is not None and exclude.any()
            else ""
        ),
        err=True,
    )
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
