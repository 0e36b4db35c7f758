"""``simulate tui [SCENARIO]``: the staffing dashboard (Textual is imported on use)."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import click

from simulate.model import load_scenario


@click.command(
    "tui",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Example: simulate tui examples/scenario.yaml --trials 500",
)
@click.argument(
    "scenario_path",
    metavar="[SCENARIO]",
    required=False,
    type=click.Path(path_type=Path, dir_okay=False),
)
@click.option(
    "--trials",
    type=click.IntRange(min=1),
    help="Monte Carlo trials (default: the scenario's `trials`); editable in the app.",
)
@click.option(
    "--seed", type=click.IntRange(min=0), help="Random seed (default: the scenario's `seed`)."
)
def tui_command(scenario_path: Path | None, trials: int | None, seed: int | None) -> None:
    """Change the team, policies and assumptions and watch the outcomes move.

    Without SCENARIO the bundled starter scenario is used (Ctrl+S saves it as
    scenario.yaml here). Press ? in the app for the keys.
    """
    if scenario_path is None:
        starter = resources.files("simulate") / "data" / "starter-scenario.yaml"
        with resources.as_file(starter) as path:
            scenario = load_scenario(path)
    else:
        scenario = load_scenario(scenario_path)
    if trials is not None or seed is not None:
        scenario = scenario.with_overrides(trials=trials, seed=seed)

    from simulate.tui.app import make_dashboard_app

    app = make_dashboard_app(scenario, scenario_path)
    code = app.run()
    sys.exit(app.return_code if app.return_code is not None else (code or 0))
