"""``simulate hire``: what happens to this book if we hire this candidate as a farmer?

Each candidate (an assessed profile) is added to the scenario's team, or put in one seat's
place, in each role asked for; every option runs on the baseline's trials and seed
(common random numbers) and is compared with the current team trial by trial
(:mod:`simulate.analysis.hire`). The candidate's behaviour comes from the profile's traits
through :mod:`assess.behaviour` and is drawn per trial from the traits' standard errors
(:mod:`simulate.candidates`, docs/bridge.md).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import click
from rich.console import Group

from assess import jsonout
from assess.behaviour import BEHAVIOUR_FIELDS, MAPPING_VERSION
from assess.errors import did_you_mean
from assess.fileio import read_bytes
from assess.model import Profile
from simulate.analysis.hire import HireOption, project_hires
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
from simulate.model import ProfileEntry, Scenario, Seat
from simulate.reports.charts import compare_fans
from simulate.reports.hire import hire_csv, hire_headline, render_hire, render_hire_html
from simulate.reports.options import check_outputs, report_options, write_outputs
from simulate.reports.provenance import provenance
from simulate.reports.terminal import headline_block
from simulate.results import SimulationResult

ROLES = ("farmer", "hunter", "hybrid", "order_taker")


def _file_sha256(path: Path) -> str:
    """SHA-256 of a profile file's bytes, for the projection's provenance."""
    return hashlib.sha256(read_bytes(path, "profile")).hexdigest()


def parse_roles(text: str) -> list[str]:
    """``farmer,hybrid`` as a list of roles; a clear error for anything else."""
    roles = [part.strip() for part in text.split(",") if part.strip()]
    bad = [role for role in roles if role not in ROLES]
    if not roles or bad:
        found = ", ".join(f"'{b}'" for b in bad) if bad else "nothing"
        if len(bad) == 1:
            found += did_you_mean(bad[0], ROLES)
        raise SimulateError(
            f"--as: expected one or more of {', '.join(ROLES)} separated by commas; found {found}."
        )
    return list(dict.fromkeys(roles))


def replaced_seat(scenario: Scenario, name: str) -> str:
    """The seat id ``--replace`` names: a seat id (``farmer-2``) or an archetype (its first
    seat)."""
    ids = [seat.seat_id for seat in scenario.seats]
    if name in ids:
        return name
    for seat in scenario.seats:
        if seat.archetype.name == name:
            return seat.seat_id
    raise SimulateError(
        f"--replace: expected a seat ({', '.join(ids)}) or an archetype of the team; "
        f"found '{name}'."
    )


def with_candidate(
    base: Scenario, path: Path, profile: Profile, role: str, replace_seat: str | None
) -> Scenario:
    """The baseline with the candidate added as ``hire-1`` (keyed by that slot), or in the
    replaced seat's place (keeping that seat's id, accounts and random streams)."""
    if replace_seat is None:
        entry = ProfileEntry.model_validate({"profile": str(path.resolve()), "role": role})
        assert base.spec is not None
        return base.with_overrides(team=[*base.spec.team, entry])
    from simulate.candidates import candidate_behaviour

    archetype, draws, candidate = candidate_behaviour(
        replace_seat, profile, str(path), role, base.archetypes,
        seed=base.seed, trials=base.trials, where=f"--replace {replace_seat}",
    )  # fmt: skip
    seats = tuple(
        Seat(seat.seat_id, archetype, draws, candidate, new_hire=True)
        if seat.seat_id == replace_seat
        else seat
        for seat in base.seats
    )
    return replace(base, seats=seats)


@click.command(
    "hire",
    context_settings=CONTEXT,
    epilog=(
        "Example: simulate hire out/profiles/c-002.profile.yaml out/profiles/c-004.profile.yaml "
        "--as farmer --scenario examples/scenario.yaml --trials 500"
    ),
)
@click.argument(
    "profile_paths",
    metavar="PROFILE…",
    nargs=-1,
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
)
@click.option(
    "--as",
    "roles_text",
    required=True,
    metavar="ROLE[,ROLE…]",
    help="The role(s) to project each candidate in: farmer, hunter, hybrid, order_taker.",
)
@click.option(
    "--scenario",
    "scenario_path",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="The scenario whose team the candidate joins (the baseline is its team as it is).",
)
@click.option(
    "--replace",
    "replace_name",
    metavar="SEAT_OR_ARCHETYPE",
    help="Put the candidate in this seat's place (farmer-2, or an archetype for its first "
    "seat): they take its accounts, start as a new hire and meet its futures. Default: the "
    "candidate is added as seat hire-1.",
)
@engine_options()
@report_options("revenue fan charts of the current team and each hire")
@workers_options
def hire_command(
    profile_paths: tuple[Path, ...],
    roles_text: str,
    scenario_path: Path,
    replace_name: str | None,
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
    """Project the book with each candidate hired, against the current team."""
    check_outputs(report_path, plot_path)
    roles = parse_roles(roles_text)
    base = load_with_overrides(
        scenario_path, trials=trials, seed=seed, team=team, settings=settings
    )
    seat = replaced_seat(base, replace_name) if replace_name is not None else None
    # Imported here: the candidate layer (profiles, the IRT tables, scipy) costs every other
    # simulate command half a second of start-up.
    from simulate.candidates import read_candidate

    profiles = [(path, read_candidate(path)) for path in profile_paths]
    ids = [profile.candidate.id for _, profile in profiles]
    if len(set(ids)) != len(ids):
        twice = next(i for i in ids if ids.count(i) > 1)
        raise SimulateError(f"hire: candidate {twice} is given twice; give each profile once.")
    for path, profile in profiles:
        block = profile.behaviour
        if block is not None and block.mapping_version != MAPPING_VERSION:
            note(
                f"note: {path}: its behaviour block is from mapping {block.mapping_version}; "
                f"projected with the current mapping {MAPPING_VERSION} from its T-scores."
            )
    options: list[tuple[Path, Profile, str, Scenario]] = []
    for path, profile in profiles:
        for role in roles:
            options.append((path, profile, role, with_candidate(base, path, profile, role, seat)))
    slot = f"hire-{len(base.hires) + 1}"
    where = f"in {seat}'s place" if seat is not None else f"added as seat {slot}"
    note(
        f"projecting {len(profiles)} candidate(s) × {len(roles)} role(s) {where} on "
        f"'{base.name}': {base.trials:,} trials each, seed {base.seed}, common random numbers"
    )
    scenarios = [base, *(option[3] for option in options)]
    results: list[SimulationResult] = []
    with (
        open_backend(workers, dask_address, base) as backend,
        progress_runner(base.trials * len(scenarios), "projecting", backend) as runner,
    ):
        results.extend(runner.run(scenario) for scenario in scenarios)
    hires = []
    for (_path, profile, role, scenario), result in zip(options, results[1:], strict=True):
        filled = next(s for s in scenario.seats if s.seat_id == (seat or slot))
        candidate = filled.candidate
        assert candidate is not None
        hires.append(
            HireOption(
                candidate=profile.candidate.id,
                name=profile.candidate.name,
                role=role,
                result=result,
                warnings=candidate.warnings,
                sem_mean=candidate.sem_mean,
                behaviour={
                    name: float(getattr(filled.archetype, name)) for name in BEHAVIOUR_FIELDS
                },
            )
        )
    data = project_hires(results[0], hires, base.name)
    data["replaces"] = seat
    data["provenance"] = {
        **provenance(base),
        "profiles": [str(path) for path in profile_paths],
        "profiles_sha256": [_file_sha256(path) for path in profile_paths],
    }
    lines = hire_headline(data)
    if output_format == "json":
        emit(jsonout.dumps(data, indent=2) + "\n", output, "the JSON projection")
    elif output_format == "csv":
        emit(hire_csv(data), output, "the CSV projection")
    else:
        show(Group(headline_block(lines), render_hire(data)), output)
    names = ["current team", *(f"{h.candidate} as {h.role}" for h in hires)]
    runs = {name: r.to_dict() for name, r in zip(names, results, strict=True)}
    write_outputs(
        report_path,
        lambda: render_hire_html(data, runs),
        plot_path,
        lambda: compare_fans(runs),
        "hire",
    )
