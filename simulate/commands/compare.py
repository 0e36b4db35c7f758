"""``simulate compare``: staffing options side by side on common random numbers."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Group

from assess import jsonout
from simulate.analysis.compare import compare_results
from simulate.analysis_report import comparison_csv, render_comparison
from simulate.commands.common import (
    CONTEXT,
    emit,
    engine_options,
    load_with_overrides,
    note,
    open_backend,
    progress_runner,
    show,
    workers_options,
)
from simulate.errors import SimulateError
from simulate.model import Scenario
from simulate.overrides import describe, parse_variant
from simulate.reports.charts import compare_fans
from simulate.reports.headline import compare_headline, target_month, targets_line
from simulate.reports.html import render_compare_html
from simulate.reports.options import check_outputs, report_options, write_outputs
from simulate.reports.provenance import provenance
from simulate.reports.terminal import headline_block
from simulate.variants import apply_to_scenario


@click.command(
    "compare",
    context_settings=CONTEXT,
    epilog=(
        "Example: simulate compare examples/scenario.yaml --variant "
        '"hunter owns logos: policies.new_logo_owner=hunter" --trials 500'
    ),
)
@click.argument(
    "scenario_paths",
    metavar="SCENARIO…",
    nargs=-1,
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
)
@click.option(
    "--variant",
    "variants",
    multiple=True,
    metavar='"NAME: PATH=VALUE, …"',
    help=(
        "A variant of the first scenario (repeatable), e.g. "
        '"three farmers: team.farmer=3, policies.new_logo_owner=hunter".'
    ),
)
@engine_options()
@report_options("revenue fan charts of every option, side by side")
@workers_options
def compare_command(
    scenario_paths: tuple[Path, ...],
    variants: tuple[str, ...],
    trials: int | None,
    seed: int | None,
    team: str | None,
    settings: tuple[str, ...],
    output_format: str,
    output: Path | None,
    report_path: Path | None,
    plot_path: Path | None,
    workers: int | None,
    dask_address: str | None,
) -> None:
    """Compare staffing options with the first, on common random numbers."""
    check_outputs(report_path, plot_path)
    parsed = [parse_variant(text) for text in variants]
    scenarios: list[Scenario] = []
    names: list[str] = []
    for path in scenario_paths:
        scenario = load_with_overrides(path, trials=None, seed=None, team=team, settings=settings)
        scenarios.append(scenario)
        names.append(scenario.name)
    base = scenarios[0]
    for name, overrides in parsed:
        scenarios.append(apply_to_scenario(base, overrides))
        names.append(name)
    if len(scenarios) < 2:
        raise SimulateError(
            "compare: expected at least two options: two or more scenario files, or one "
            'scenario and at least one --variant "NAME: PATH=VALUE, …".'
        )
    for i, name in enumerate(names):
        if names.count(name) > 1:
            names[i] = f"{name} ({scenario_paths[i].name if i < len(scenario_paths) else i + 1})"
    if len(set(names)) != len(names):
        raise SimulateError(f"compare: two options have the same name; found {', '.join(names)}.")
    trials = trials if trials is not None else base.trials
    seed = seed if seed is not None else base.seed
    scenarios = [s.with_overrides(trials=trials, seed=seed) for s in scenarios]
    note(
        f"comparing {len(scenarios)} options on common random numbers: {trials:,} trials each, "
        f"seed {seed}; baseline '{names[0]}'"
        + "".join(f"; '{n}' = {describe(o)}" for n, o in parsed)
    )
    with open_backend(workers, dask_address, scenarios[0]) as backend, progress_runner(
        trials * len(scenarios), "comparing", backend
    ) as runner:
        results = [runner.run(s) for s in scenarios]
    data = compare_results(names, results).to_dict()
    data["provenance"] = {
        **provenance(scenarios[0]),
        "scenarios_sha256": {
            name: provenance(s)["scenario_sha256"] for name, s in zip(names, scenarios, strict=True)
        },
    }
    runs = {name: r.to_dict() for name, r in zip(names, results, strict=True)}
    lines = compare_headline(data, target_month(runs[names[0]]))
    targets = targets_line(runs)
    if targets:
        lines.insert(0, targets)
    if output_format == "json":
        emit(jsonout.dumps(data, indent=2) + "\n", output, "the JSON comparison")
    elif output_format == "csv":
        emit(comparison_csv(data), output, "the CSV comparison")
    else:
        show(Group(headline_block(lines), render_comparison(data)), output)
    write_outputs(
        report_path,
        lambda: render_compare_html(data, runs),
        plot_path,
        lambda: compare_fans(runs),
        "compare",
    )
