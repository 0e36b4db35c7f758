"""``assess analyze`` and ``assess norms``: reliability, careless responding, fairness, norms.

Thin: reads the questionnaire and the answers CSV through :mod:`assess.profiles`,
calls the pure :mod:`assess.psychometrics_analysis`, and renders JSON, a rich
table or a norms file. Registered on the ``assess`` group at the end of
:mod:`assess.cli`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from threadpoolctl import threadpool_limits

from assess.errors import AssessError
from assess.fileio import atomic_write, refuse_overwriting_inputs

if TYPE_CHECKING:
    from collections.abc import Mapping

    from rich.console import Console

    from assess.irt_scoring import TraitCalibration
    from assess.model import Norms, Questionnaire
    from assess.profiles import AnswersTable
    from assess.psychometrics_analysis import AnalysisOptions, SampleAnalysis

QUESTIONNAIRE_HELP = (
    "Bundled questionnaire id or a questionnaire YAML file [default: sales-traits]."
)


GROUP_HINT = "if it holds group labels, analyse by it with --group {column}"
"""Added to ``assess analyze``'s error for an unknown CSV column (``{column}``: its name)."""


def _read_sample(
    answers_csv: Path,
    questionnaire_ref: str | None,
    group: str | None,
    unknown_column_hint: str | None = None,
) -> tuple[Questionnaire, AnswersTable]:
    from assess.profiles import load_questionnaire, read_answers_table

    q = load_questionnaire(questionnaire_ref)
    if group is not None and (group in q.item_ids() or group in ("candidate_id", "name")):
        raise AssessError(
            f"--group {group}: '{group}' is an item or identity column; name a column that "
            "holds group labels (e.g. gender or age_band)."
        )
    table = read_answers_table(
        answers_csv,
        q,
        extra_columns=[group] if group else [],
        unknown_column_hint=unknown_column_hint,
    )
    if group is not None and group not in table.extra:
        if group == "role":
            table.extra["role"] = [r.candidate.role or "" for r in table.respondents]
        else:
            raise AssessError(
                f"{answers_csv}: row 1 (header): no column '{group}' for --group; add a column "
                "with one group label per candidate (an empty cell leaves the candidate out)."
            )
    return q, table


def _analyse(
    q: Questionnaire,
    table: AnswersTable,
    group: str | None,
    norms: Norms | None,
    options: AnalysisOptions,
) -> SampleAnalysis:
    from assess.psychometrics_analysis import analyze_sample

    return analyze_sample(
        q,
        table.matrix,
        table.candidate_ids,
        times=table.times,
        groups=table.extra[group] if group else None,
        group_column=group or "group",
        norms=norms,
        options=options,
    )


def _inputs(*paths: str | Path | None) -> list[Path]:
    """The input files among ``paths`` (a bundled questionnaire id is not a file)."""
    return [Path(path) for path in paths if path is not None]


@click.command(
    epilog="Example: assess analyze examples/answers.csv\n\n"
    "Example: assess analyze answers.csv --group gender --format json -o analysis.json"
)
@click.argument("answers_csv", type=click.Path(path_type=Path))
@click.option(
    "-q", "--questionnaire", "questionnaire_ref", metavar="ID|PATH", help=QUESTIONNAIRE_HELP
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A readable report, or the repfit.analysis/1 JSON document.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file.")
@click.option(
    "--missing",
    type=click.Choice(["pairwise", "listwise"]),
    default="pairwise",
    show_default=True,
    help="Missing answers: pairwise-complete covariances (as psych and pingouin), or only "
    "respondents who answered every item of the trait.",
)
@click.option(
    "--group",
    metavar="COLUMN",
    help="CSV column with group labels (e.g. gender): adds mean differences and selection "
    "rates per group.",
)
@click.option(
    "--norms",
    "norms_path",
    type=click.Path(path_type=Path),
    help="Norms file for role fit (default: the questionnaire's own norms).",
)
@click.option(
    "--fit-threshold",
    type=click.FloatRange(0, 100),
    default=60.0,
    show_default=True,
    help="Role fit at or above which a candidate counts as selected (fairness).",
)
@click.option(
    "--even-odd-min",
    type=click.FloatRange(-1, 1),
    default=0.30,
    show_default=True,
    help="Flag even-odd consistency below this.",
)
@click.option(
    "--synonym-min",
    type=click.FloatRange(-1, 1),
    default=-0.30,
    show_default=True,
    help="Flag synonym consistency (over the consistency pairs) below this.",
)
@click.option(
    "--mahalanobis-p",
    type=click.FloatRange(0, 1, min_open=True),
    default=0.001,
    show_default=True,
    help="Flag a Mahalanobis distance whose chi-square p-value is below this.",
)
@click.option(
    "--longstring-run",
    type=click.IntRange(2),
    default=10,
    show_default=True,
    help="Flag this many identical answers in a row.",
)
@click.option(
    "--attention-failures",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="Flag this many failed attention checks.",
)
@click.option(
    "--irt",
    "with_irt",
    is_flag=True,
    help="Also fit a graded response model per trait (item discrimination a and thresholds "
    "b with standard errors, convergence, test information): the JSON gains an irt block.",
)
def analyze(
    answers_csv: Path,
    questionnaire_ref: str | None,
    fmt: str,
    output: Path | None,
    missing: str,
    group: str | None,
    norms_path: Path | None,
    fit_threshold: float,
    even_odd_min: float,
    synonym_min: float,
    mahalanobis_p: float,
    longstring_run: int,
    attention_failures: int,
    with_irt: bool = False,
) -> None:
    """Reliability per trait and item, careless respondents and (with --group) fairness.

    Per trait: Cronbach's alpha with its Feldt 95 % interval, standardised alpha,
    McDonald's omega total (one-factor minres) and the mean inter-item correlation;
    per item: n, mean, sd, corrected item-total correlation (r_drop), alpha if
    dropped and the answer distribution. Reverse-keyed items are reversed first.
    """
    from assess.profiles import load_norms_for
    from assess.psychometrics import CarelessThresholds
    from assess.psychometrics_analysis import AnalysisOptions
    from assess.validity import DEFAULT_THRESHOLDS

    refuse_overwriting_inputs(output, _inputs(answers_csv, questionnaire_ref, norms_path))
    q, table = _read_sample(answers_csv, questionnaire_ref, group, GROUP_HINT)
    norms = None if norms_path is None else load_norms_for(norms_path, q)
    options = AnalysisOptions(
        missing="listwise" if missing == "listwise" else "pairwise",
        careless=CarelessThresholds(
            even_odd_min=even_odd_min, synonym_min=synonym_min, mahalanobis_p=mahalanobis_p
        ),
        validity=dataclasses.replace(
            DEFAULT_THRESHOLDS,
            longstring_run=longstring_run,
            attention_failures=attention_failures,
        ),
        fit_threshold=fit_threshold,
    )
    # One BLAS thread: the analysis is a few respondents × items products, and two threads
    # on two busy cores were slower than one (issue 14); the results do not depend on it.
    with threadpool_limits(limits=1, user_api="blas"):
        analysis = _analyse(q, table, group, norms, options)
    calibrations = None
    if with_irt:
        from assess.cli_irt import calibrate

        calibrations = calibrate(q, table.matrix)
    if fmt == "json":
        extra: dict[str, object] = {}
        if calibrations is not None:
            from assess.irt_scoring import calibration_dict

            extra["irt"] = calibration_dict(calibrations)
        text = analysis.json_text(extra) + "\n"
    else:
        text = _table_text(analysis, color=output is None, calibrations=calibrations)
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write(output, text, private=True)  # names careless respondents
        click.echo(
            f"wrote the analysis of {analysis.respondents} respondents to {output}", err=True
        )


@click.command(
    epilog='Example: assess norms answers.csv --source "Acme sales hires 2026" -o acme.norms.yaml'
)
@click.argument("answers_csv", type=click.Path(path_type=Path))
@click.option(
    "-q", "--questionnaire", "questionnaire_ref", metavar="ID|PATH", help=QUESTIONNAIRE_HELP
)
@click.option(
    "--source",
    required=True,
    help="Where the sample comes from; every profile scored with these norms shows it.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="The norms file to write (repfit.norms/1).",
)
@click.option(
    "--include-careless",
    is_flag=True,
    help="Keep respondents flagged as careless (left out by default).",
)
@click.option(
    "--date",
    "date_text",
    metavar="YYYY-MM-DD",
    help="Date recorded in the norms [default: today, UTC].",
)
def norms(
    answers_csv: Path,
    questionnaire_ref: str | None,
    source: str,
    output: Path,
    include_careless: bool,
    date_text: str | None,
) -> None:
    """Build local norms (mean, sd, n, percentiles 1–99 per trait) from a sample.

    Respondents flagged as careless by `assess analyze` (default thresholds) are
    left out unless --include-careless. Score against the result with
    `assess score --norms FILE`.
    """
    from assess.profiles import save_norms
    from assess.psychometrics_analysis import sample_norms

    refuse_overwriting_inputs(output, _inputs(answers_csv, questionnaire_ref))
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
    from assess.psychometrics_analysis import analyze_sample

    q, table = _read_sample(answers_csv, questionnaire_ref, None)
    matrix = table.matrix
    exclude = None
    if not include_careless:
        analysis = analyze_sample(q, matrix, table.candidate_ids, times=table.times)
        exclude = analysis.careless_mask()
    try:
        built = sample_norms(q, matrix, source=source.strip(), date=date_text, exclude=exclude)
    except ValueError as exc:
        left_out = "" if exclude is None else f" after leaving out {int(exclude.sum())} careless"
        raise AssessError(
            f"{answers_csv}: cannot build norms from {len(table.respondents)} respondents"
            f"{left_out}: {exc}."
        ) from None
    save_norms(output, built)
    excluded = 0 if exclude is None else int(exclude.sum())
    click.echo(
        f"wrote norms for {len(built.traits)} traits from {built.n} respondents to {output}"
        + (f" ({excluded} flagged as careless left out)" if excluded else ""),
        err=True,
    )
    if built.provisional:
        from assess.psychometrics_analysis import MIN_NORM_SAMPLE

        click.echo(
            f"warning: {built.n} respondents is a small sample for norms (fewer than "
            f"{MIN_NORM_SAMPLE}): the file is marked provisional: true, and every profile "
            "scored with it says so. Collect more answers and rebuild the norms.",
            err=True,
        )


# ------------------------------------------------------------------ table report


def _fmt(value: float | None, digits: int = 2) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:.{digits}f}"


def _table_text(
    analysis: SampleAnalysis,
    color: bool,
    calibrations: Mapping[str, TraitCalibration] | None = None,
) -> str:
    from rich.console import Console

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=100,
        force_terminal=color and sys.stdout.isatty(),
        no_color=not color,
        highlight=False,
    )
    print_analysis(analysis, console)
    if calibrations is not None:
        from assess.cli_irt import print_calibration

        print_calibration(calibrations, console)
    return buffer.getvalue()


def print_analysis(analysis: SampleAnalysis, console: Console) -> None:
    """Write the readable report of an analysis to a rich console."""
    from rich.table import Table

    from assess.psychometrics import LOW_ALPHA, WEAK_ITEM_R_DROP
    from assess.psychometrics_analysis import DECISION_NOTE

    q = analysis.questionnaire
    console.print(
        f"[bold]Reliability of {q.id} {q.version}[/bold]: {analysis.respondents} respondents, "
        f"missing answers {analysis.missing}."
    )
    console.print(DECISION_NOTE)
    norms = analysis.norms
    if norms is None:
        console.print("Norms: none (role fit and selection rates need norms).")
    else:
        state = "PROVISIONAL" if norms.provisional else "local"
        dated = f", {norms.date}" if norms.date else ""
        console.print(f"Norms ({state}): {norms.source}, n = {norms.n}{dated}.")
    console.print()

    traits = Table(title="Traits", title_justify="left")
    for header in ("trait", "n", "items", "alpha [95% CI]", "std α", "ω total", "mean r", "flag"):
        traits.add_column(header, justify="left" if header in ("trait", "flag") else "right")
    for trait_id, result in analysis.traits.items():
        low, high = result.alpha_ci95
        traits.add_row(
            trait_id,
            str(result.n),
            str(result.n_items),
            f"{_fmt(result.alpha)} [{_fmt(low)}, {_fmt(high)}]",
            _fmt(result.alpha_standardized),
            _fmt(result.omega_total),
            _fmt(result.mean_inter_item_r),
            f"alpha < {LOW_ALPHA:.2f}" if result.low_alpha else "",
        )
    console.print(traits)

    items = Table(title="Items (after reverse keying)", title_justify="left")
    for header in ("item", "trait", "n", "mean", "sd", "r_drop", "α if dropped", "answers", "flag"):
        items.add_column(
            header, justify="left" if header in ("item", "trait", "answers", "flag") else "right"
        )
    for trait_id, result in analysis.traits.items():
        for item in result.items:
            flag = "no variance" if item.no_variance else ""
            if item.weak:
                flag = f"r_drop < {WEAK_ITEM_R_DROP:.2f}"
            items.add_row(
                item.item_id,
                trait_id,
                str(item.n),
                _fmt(item.mean),
                _fmt(item.sd),
                _fmt(item.r_drop),
                _fmt(item.alpha_if_dropped),
                "/".join(str(count) for count in item.distribution.values()),
                flag,
            )
    console.print(items)
    low, high = q.scale.min, q.scale.max
    console.print(f"answers: how many chose {low}/…/{high}.")
    console.print()
    _print_careless(analysis, console)
    if analysis.fairness is not None:
        _print_fairness(analysis, console)
    if analysis.warnings:
        console.print("[bold]Warnings[/bold]")
        for warning in analysis.warnings:
            console.print(f"- {warning}")


def _print_careless(analysis: SampleAnalysis, console: Console) -> None:
    import numpy as np
    from rich.table import Table

    from assess.longtable import print_long_table

    people = analysis.per_respondent
    counts = people.flag_counts()
    summary = ", ".join(f"{name} {count}" for name, count in counts.items())
    console.print(
        f"[bold]Careless responding[/bold]: {analysis.flagged} of {analysis.respondents} "
        f"respondents flagged ({summary})."
    )
    flagged = [people.record(row) for row in np.flatnonzero(people.flagged_mask()).tolist()]
    if not flagged:
        console.print()
        return

    headers = ("candidate", "long-string", "irv", "even-odd", "synonyms", "D²", "p", "flags")

    def careless_table() -> Table:
        table = Table()
        for header in headers:
            left = header in ("candidate", "flags")
            table.add_column(header, justify="left" if left else "right")
        return table

    rows = [
        [
            person.candidate_id,
            str(person.longstring),
            _fmt(person.irv),
            _fmt(person.even_odd),
            _fmt(person.synonyms),
            _fmt(person.mahalanobis_d2, 1),
            _fmt(person.mahalanobis_p, 4),
            ", ".join(person.flags),
        ]
        for person in flagged
    ]
    # Thousands of rows at 100,000 respondents: printed to the character as rich prints
    # them, without rendering every cell through rich (issue 14).
    print_long_table(console, careless_table, rows)
    console.print()


def _print_fairness(analysis: SampleAnalysis, console: Console) -> None:
    from rich.table import Table

    report = analysis.fairness
    assert report is not None
    console.print(
        f"[bold]Fairness by {report.column}[/bold] (reference group: {report.reference or '–'}; "
        f"{report.unlabelled} without a label left out)."
    )
    differences = Table(title="Mean differences of raw trait scores (group − reference)")
    for header in ("trait", "group", "n", "reference n", "Hedges g [95% CI]"):
        differences.add_column(header, justify="left" if header in ("trait", "group") else "right")
    for trait in report.traits:
        for d in trait.differences:
            differences.add_row(
                trait.trait_id,
                d.group_a,
                str(d.n_a),
                str(d.n_b),
                f"{_fmt(d.hedges_g)} [{_fmt(d.g_ci95[0])}, {_fmt(d.g_ci95[1])}]",
            )
    console.print(differences)
    if report.roles:
        rates = Table(title=f"Selection rates at role fit ≥ {report.fit_threshold:g}")
        for header in ("role", "group", "n", "selected", "rate", "ratio", "four-fifths rule"):
            rates.add_column(header, justify="left" if header in ("role", "group") else "right")
        for role in report.roles:
            for g in role.groups:
                rates.add_row(
                    role.role_id,
                    g.group,
                    str(g.n),
                    str(g.selected),
                    _fmt(g.rate),
                    _fmt(g.ratio),
                    "BROKEN" if g.adverse_impact else "ok",
                )
        console.print(rates)
    for note in report.notes:
        console.print(f"- {note}")
    console.print()
