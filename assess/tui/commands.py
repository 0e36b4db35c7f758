"""The ``assess take`` and ``assess review`` commands (registered in :mod:`assess.cli`).

Textual is imported inside the command bodies, so other ``assess`` commands start
fast. Everything that can be checked before the TUI starts (questionnaire, ids,
roles, profile files) is checked here and reported with the CLI's error convention.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from assess.adaptive import DEFAULT_MAX_ITEMS, DEFAULT_TARGET_SD
from assess.errors import AssessError
from assess.profiles import load_answers, load_profile, load_questionnaire
from assess.tui.session import answers_filename, candidate_id_problem

if TYPE_CHECKING:
    from assess.tui.app import TakeOutcome


@click.command(
    epilog=(
        "Example: assess take --candidate-id c-001 --name 'Jane Doe' --role farmer --out interviews"
    )
)
@click.option(
    "--questionnaire",
    "questionnaire_ref",
    metavar="ID|PATH",
    default=None,
    help="Bundled questionnaire id or a questionnaire YAML file (default: sales-traits).",
)
@click.option("--candidate-id", default=None, help="Candidate id (prefills the start screen).")
@click.option("--name", default=None, help="Candidate name (prefills the start screen).")
@click.option(
    "--role", default=None, help="Role applied for, a questionnaire role id (e.g. farmer)."
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default=True,
    help="Folder for <candidate-id>.answers.yaml (saved after every answer) and .profile.yaml.",
)
@click.option(
    "--shuffle",
    "shuffle_seed",
    type=click.IntRange(min=0),
    default=None,
    metavar="SEED",
    help="Shuffle the whole questionnaire, reproducibly from SEED (default: items interleaved "
    "across traits; the order shown is recorded in the answers file).",
)
@click.option(
    "--candidate",
    "candidate_mode",
    is_flag=True,
    help=(
        "Candidate mode: no scores shown (a thank-you screen); a submitted assessment "
        "cannot be reopened."
    ),
)
@click.option(
    "--adaptive",
    is_flag=True,
    help="Adaptive: per trait, the item with the most information at the current estimate, "
    "until the trait's posterior SD reaches --target-sd or --max-items (validity and "
    "situational items are all still given). Needs item parameters.",
)
@click.option(
    "--target-sd",
    type=click.FloatRange(0.1, 1.0),
    default=DEFAULT_TARGET_SD,
    show_default=True,
    help="With --adaptive: stop a trait at this posterior SD of θ.",
)
@click.option(
    "--max-items",
    type=click.IntRange(1),
    default=DEFAULT_MAX_ITEMS,
    show_default=True,
    help="With --adaptive: stop a trait after this many of its items.",
)
@click.option(
    "--irt",
    "irt_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Item-parameter file (repfit.irt/1) instead of the questionnaire's own.",
)
def take(
    questionnaire_ref: str | None,
    candidate_id: str | None,
    name: str | None,
    role: str | None,
    out_dir: Path,
    shuffle_seed: int | None,
    candidate_mode: bool,
    adaptive: bool = False,
    target_sd: float = DEFAULT_TARGET_SD,
    max_items: int = DEFAULT_MAX_ITEMS,
    irt_path: Path | None = None,
) -> None:
    """Take an assessment in the terminal, one item per screen; resume by running it again."""
    from assess.adaptive import AdaptiveSettings
    from assess.profiles import irt_for

    questionnaire = load_questionnaire(questionnaire_ref)
    irt = irt_for(irt_path, questionnaire_ref, questionnaire)
    if adaptive and irt is None:
        raise AssessError(
            f"--adaptive needs item parameters, and questionnaire {questionnaire.id} has none; "
            "calibrate them with assess calibrate-irt and give them with --irt FILE."
        )
    if adaptive and shuffle_seed is not None:
        raise click.UsageError("--adaptive chooses the order itself; leave out --shuffle.")
    if candidate_id is not None:
        problem = candidate_id_problem(candidate_id)
        if problem is not None:
            raise AssessError(f"--candidate-id '{candidate_id}': {problem}")
    roles = questionnaire.roles or {}
    if role is not None and roles and role not in roles:
        raise AssessError(
            f"--role '{role}' is not a role of questionnaire {questionnaire.id}; "
            f"choose one of: {', '.join(roles)}."
        )
    if candidate_mode and candidate_id is not None:
        path = out_dir / answers_filename(candidate_id)
        if path.exists() and load_answers(path).finished is not None:
            from assess.tui.app import finished_refusal

            raise AssessError(finished_refusal(candidate_id, path))

    require_terminal("assess take")
    from assess.tui.app import make_take_app

    app = make_take_app(
        questionnaire,
        out_dir,
        candidate_id=candidate_id,
        name=name,
        role=role,
        shuffle_seed=shuffle_seed,
        candidate_mode=candidate_mode,
        irt=irt,
        adaptive=AdaptiveSettings(target_sd=target_sd, max_items=max_items) if adaptive else None,
    )
    outcome = app.run()
    if outcome is None:
        return
    if outcome.save_error is not None:
        raise AssessError(
            f"the last answers could not be saved ({outcome.save_error}); "
            f"{outcome.answers_path} may miss the most recent answers."
        )
    click.echo(exit_report(outcome, candidate_mode), err=True)


def require_terminal(command: str) -> None:
    """Refuse to start a full-screen app without a terminal (piped, cron, CI): it would wait
    for keys that never come."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise AssessError(
            f"{command} is interactive and needs a terminal, but "
            f"{'stdin' if not sys.stdin.isatty() else 'stdout'} is not one (piped or run "
            "without a terminal). Run it in a terminal window; to score answers in bulk use "
            "assess score."
        )


def exit_report(outcome: TakeOutcome, candidate_mode: bool) -> str:
    """What ``assess take`` prints on stderr when the app closes.

    In candidate mode a submitted assessment is reported as submitted and nothing
    more: the candidate has no use for the profile, which the manager reads with
    ``assess show`` or ``assess review``.
    """
    if candidate_mode and outcome.profile_path is not None:
        return "Your answers were submitted. Thank you."
    answered = (
        f"{outcome.answered} of {outcome.total} items answered; answers saved to "
        f"{outcome.answers_path}"
    )
    if outcome.profile_path is not None:
        return f"{answered}\nprofile saved to {outcome.profile_path}"
    return f"{answered}\nnot submitted yet: run the same command again to continue."


def profile_paths(paths: tuple[Path, ...]) -> list[Path]:
    """The profile files named by ``paths``: files as given, folders as their ``*.profile.yaml``."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            in_dir = sorted(path.glob("*.profile.yaml"))
            if not in_dir:
                raise AssessError(f"{path}: no *.profile.yaml files in this folder.")
            found.extend(in_dir)
        elif path.is_file():
            found.append(path)
        else:
            raise AssessError(f"{path}: no such profile file or folder.")
    return found


@click.command(epilog="Example: assess review interviews/")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--export",
    "default_export",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("comparison.csv"),
    show_default=True,
    help="Path offered when exporting the comparison to CSV (key e).",
)
def review(paths: tuple[Path, ...], default_export: Path) -> None:
    """Compare candidates side by side: traits, role fit, red flags; open one; export CSV."""
    from assess.termsafe import visible_profile
    from assess.tui.results_model import results_view

    files = profile_paths(paths)
    if sys.stderr.isatty() and len(files) > 1:
        with click.progressbar(
            files, label="reading profiles", file=sys.stderr, show_pos=True
        ) as progress:
            views = [
                results_view(visible_profile(load_profile(path)), path, opened=True)
                for path in progress
            ]
    else:
        views = [
            results_view(visible_profile(load_profile(path)), path, opened=True) for path in files
        ]

    require_terminal("assess review")
    from assess.tui.app import make_review_app

    make_review_app(views, default_export).run()
