"""``assess``: score, export, validate and review sales-trait assessments.

A thin layer over the pure modules: it parses options, reads and writes files
through :mod:`assess.profiles` / :mod:`assess.fileio` and reports errors
through :mod:`assess.clikit`. stdout carries only data.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from assess import __version__, jsonout
from assess.clikit import EXIT_BAD_INPUT, EXIT_FAILURE, ToolGroup, print_error, run_cli
from assess.errors import AssessError, did_you_mean
from assess.fileio import (
    RepfitError,
    YamlDocument,
    atomic_write,
    check_schema,
    load_yaml_documents,
    refuse_overwriting_inputs,
)
from assess.model import (
    ANSWERS_SCHEMA,
    IRT_SCHEMA,
    NORMS_SCHEMA,
    PROFILE_SCHEMA,
    QUESTIONNAIRE_SCHEMA,
    SCHEMA_MAJOR,
    Answers,
    Norms,
    NormsFile,
    Profile,
    Questionnaire,
    ScoreProvenance,
)

if TYPE_CHECKING:
    from assess.irt_params import IrtParameters
    from assess.profile_yaml import ProfileEmitter
    from assess.profiles import AnswersTable
    from assess.score_output import FolderWriter

_SCORER_VERSION = "1.2.0"
"""The scorer version printed by ``--version`` (kept equal to assess.scoring.SCORER_VERSION by
a test; not imported here so that ``--version`` stays fast)."""

KNOWN_SCHEMAS = (QUESTIONNAIRE_SCHEMA, ANSWERS_SCHEMA, PROFILE_SCHEMA, NORMS_SCHEMA, IRT_SCHEMA)

PROGRESS_MIN_CANDIDATES = 2000
"""Show a progress bar (on a terminal) from this many candidates on."""

SCORE_BATCH = 5000
"""Candidates scored per batch (scores do not depend on the batch; this only paces the
progress bar)."""


LAZY_COMMANDS = {
    "analyze": "assess.cli_psychometrics:analyze",
    "norms": "assess.cli_psychometrics:norms",
    "calibrate-irt": "assess.cli_irt:calibrate_irt",
    "criterion": "assess.cli_criterion:criterion",
    "take": "assess.tui.commands:take",
    "review": "assess.tui.commands:review",
    "invite": "assess.remote.commands:invite",
    "invites": "assess.remote.commands:invites",
    "serve": "assess.remote.commands:serve",
}
"""Commands defined in other modules, by name: each module is imported only when its
command runs or help lists the commands (``assess score`` imports none of them)."""


class _LazyGroup(ToolGroup):
    """A group whose :data:`LAZY_COMMANDS` are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = super().get_command(ctx, cmd_name)
        if found is None and cmd_name in LAZY_COMMANDS:
            import importlib

            module, _, attribute = LAZY_COMMANDS[cmd_name].partition(":")
            found = getattr(importlib.import_module(module), attribute)
            if not isinstance(found, click.Command):
                raise TypeError(f"{LAZY_COMMANDS[cmd_name]} is not a click command")
            self.add_command(found, cmd_name)
        return found


@click.group(
    cls=_LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Example: assess score examples/answers.csv --out profiles/",
)
@click.version_option(
    __version__,
    "--version",
    prog_name="assess",
    message=f"%(prog)s, version %(version)s (scorer {_SCORER_VERSION}, profiles, answers and "
    "norms format 1)",
)
@click.option("--debug", is_flag=True, help="Show a traceback on internal errors.")
def cli(debug: bool) -> None:
    """Assess sales reps: take and score questionnaires, export and compare profiles."""


@contextlib.contextmanager
def _progress(total: int, description: str) -> Iterator[Callable[[int], None]]:
    """Yield ``advance(n)``; draws a rich progress bar on stderr only when it is a terminal
    and the job is large."""
    if total < PROGRESS_MIN_CANDIDATES or not sys.stderr.isatty():
        yield lambda _n: None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(description, total=total)
        yield lambda n: progress.advance(task, n)


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Keep the cyclic garbage collector off the hot path of bulk scoring: scoring makes
    hundreds of thousands of small objects without cycles (reference counting frees
    them), and each collection would walk all of them."""
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _batches(total: int) -> Iterator[tuple[int, int]]:
    for start in range(0, total, SCORE_BATCH):
        yield start, min(start + SCORE_BATCH, total)


def _forced_flags(q: Questionnaire, table: AnswersTable, force: bool) -> list[bool]:
    """Per candidate: scored with --force although the questionnaire's sha256 differs."""
    if not force:
        return [False] * len(table.respondents)
    expected = q.ref().sha256
    return [record.questionnaire.sha256 != expected for record in table.respondents]


def _score_batches(
    q: Questionnaire,
    table: AnswersTable,
    norms: Norms | None,
    irt: IrtParameters | None,
    forced: list[bool],
    provenance: ScoreProvenance | None,
    behaviour_role: str | None = None,
) -> Iterator[list[Profile]]:
    """Profiles batch by batch (a batch's objects can go before the next is made); with
    ``behaviour_role``, each carries its behaviour block for that role (``--as``)."""
    from assess.scoring import score_matrix

    for start, stop in _batches(len(table.respondents)):
        times = table.times[start:stop] if table.times is not None else None
        batch = score_matrix(
            q, table.respondents[start:stop], table.matrix[start:stop], times, norms, irt=irt
        )
        for profile, was_forced in zip(batch, forced[start:stop], strict=True):
            profile.forced = was_forced
            profile.provenance = provenance
        if behaviour_role is not None:
            _add_behaviour(batch, behaviour_role)
        yield batch


def _with_progress(
    batches: Iterator[list[Profile]], total: int, description: str = "Scoring"
) -> Iterator[list[Profile]]:
    with _progress(total, description) as advance:
        for batch in batches:
            yield batch
            advance(len(batch))


def _all_profiles(
    q: Questionnaire,
    table: AnswersTable,
    norms: Norms | None,
    irt: IrtParameters | None,
    forced: list[bool],
    behaviour_role: str | None = None,
) -> list[Profile]:
    batches = _score_batches(q, table, norms, irt, forced, None, behaviour_role)
    return [p for batch in _with_progress(batches, len(table.respondents)) for p in batch]


def _csv_from_columns(
    q: Questionnaire,
    table: AnswersTable,
    norms: Norms | None,
    irt: IrtParameters | None,
    forced: list[bool],
) -> str:
    """The flat CSV straight from score columns (no profile objects; see assess.bulk_export)."""
    from assess.bulk_export import CsvExport
    from assess.scoring import score_matrix_columns

    export = CsvExport(q)
    total = len(table.respondents)
    with _progress(total, "Scoring") as advance:
        for start, stop in _batches(total):
            times = table.times[start:stop] if table.times is not None else None
            respondents = table.respondents[start:stop]
            columns = score_matrix_columns(
                q, respondents, table.matrix[start:stop], times, norms, irt=irt
            )
            export.add(respondents, columns, forced[start:stop])
            advance(stop - start)
    return export.text()


def _export_chunks(batches: Iterator[list[Profile]], fmt: str) -> Iterator[str]:
    """YAML or JSON text, chunk by chunk, identical to assess.profiles.export_profiles."""

    from assess.profile_yaml import ProfileEmitter
    from assess.profiles import profile_to_data

    if fmt == "yaml":
        emitter = ProfileEmitter()
        for batch in batches:
            yield "".join(f"---\n{emitter.dump(profile_to_data(p))}" for p in batch)
        return
    first = True
    for batch in batches:
        for profile in batch:
            item = jsonout.dumps(profile_to_data(profile), indent=2, ensure_ascii=False)
            yield ("[\n" if first else ",\n") + "  " + item.replace("\n", "\n  ")
            first = False
    yield "[]\n" if first else "\n]\n"


def _input_files(*groups: Sequence[Path | str | None]) -> list[Path]:
    """The files among the inputs (a bundled questionnaire id is not a file)."""
    return [Path(item) for group in groups for item in group if item is not None]


@cli.command(
    epilog="Example: assess score examples/answers.csv --out profiles/\n\n"
    "Example: assess score examples/answers.csv --format table\n\n"
    "Example: assess score c-001.answers.yaml --format json -o c-001.json"
)
@click.argument("answers", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-q",
    "--questionnaire",
    "questionnaire_ref",
    metavar="ID|PATH",
    help="Bundled questionnaire id or a questionnaire YAML file [default: sales-traits].",
)
@click.option(
    "--norms",
    "norms_path",
    type=click.Path(path_type=Path),
    help="Norms file (repfit.norms/1) to use instead of the questionnaire's own norms.",
)
@click.option(
    "--irt",
    "irt_path",
    type=click.Path(path_type=Path),
    help="Item-parameter file (repfit.irt/1, from assess calibrate-irt) to use instead of "
    "the questionnaire's own: adds IRT scores (EAP θ, T and interval) to each profile.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    help="Write one <candidate_id>.profile.yaml per candidate into this folder.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "json", "csv", "table"]),
    default="yaml",
    show_default=True,
    help="Output format for stdout or -o (YAML: one document per candidate; table: one "
    "summary row per candidate, for reading rather than for files).",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Write all profiles to this file."
)
@click.option(
    "--top",
    type=click.IntRange(min=1),
    metavar="N",
    help="With --format table: only the N candidates who fit the role they applied for best.",
)
@click.option(
    "--reports",
    "with_reports",
    is_flag=True,
    help="With --out: also write <candidate_id>.report.html per candidate, a self-contained "
    "candidate report (needs repfit[reports]).",
)
@click.option(
    "--overwrite",
    is_flag=True,
    help="With --out: replace profiles (and reports) that already exist in the folder.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Score answers given to a questionnaire whose content (sha256) differs; "
    "recorded in each profile as forced: true.",
)
@click.option(
    "--as",
    "behaviour_role",
    type=click.Choice(["farmer", "hunter", "hybrid", "order_taker"]),
    help="Also write each profile's behaviour block: what the candidate would do in this role "
    "(docs/bridge.md), for `simulate hire`.",
)
def score(
    answers: tuple[Path, ...],
    questionnaire_ref: str | None,
    norms_path: Path | None,
    irt_path: Path | None,
    out_dir: Path | None,
    fmt: str,
    output: Path | None,
    top: int | None,
    with_reports: bool,
    overwrite: bool,
    force: bool,
    behaviour_role: str | None = None,
) -> None:
    """Score answers files (YAML) or bulk CSVs into profiles.

    A bulk CSV has a candidate_id column, optional name and role columns and one
    column per item id (an empty cell is an unanswered item). Everything is read
    and checked before anything is written, so bad input writes nothing. Files are
    written mode 0600 (they hold personal data); --out writes a manifest last, so an
    interrupted run is detectable (see the README's "Data and safety").
    """
    from assess.profiles import irt_for, load_norms_for, load_questionnaire, read_answers_run
    from assess.score_output import score_provenance

    if out_dir is not None and output is not None:
        raise click.UsageError("use either --out DIR (one file per candidate) or -o FILE.")
    if out_dir is not None and fmt != "yaml":
        instead = "print the summary without --out" if fmt == "table" else "use -o FILE"
        raise click.UsageError(
            f"--out writes one YAML profile per candidate; for --format {fmt}, {instead}."
        )
    if overwrite and out_dir is None:
        raise click.UsageError("--overwrite replaces profiles in an --out folder; give --out DIR.")
    if with_reports:
        if out_dir is None:
            raise click.UsageError("--reports writes next to the profiles; give --out DIR too.")
        from assess.reports.figures import require_matplotlib

        require_matplotlib()
    if top is not None and fmt != "table":
        raise click.UsageError("--top shortens the summary table; use it with --format table.")
    refuse_overwriting_inputs(
        output, _input_files(answers, [questionnaire_ref, norms_path, irt_path])
    )
    q = load_questionnaire(questionnaire_ref)
    norms = None if norms_path is None else load_norms_for(norms_path, q)
    irt = irt_for(irt_path, questionnaire_ref, q)
    table = read_answers_run(answers, q, force=force)
    forced = _forced_flags(q, table, force)
    provenance = score_provenance(q, norms if norms is not None else q.norms, irt)

    # One BLAS thread: scoring's products are small (candidates × items by items × traits,
    # the EAP posterior by its grid), and more threads on two busy cores cost a third more
    # CPU for nothing (issue 14). The classical products sum whole numbers (exact in any
    # order); OpenBLAS splits a product's rows, not its sums, between threads.
    from threadpoolctl import threadpool_limits

    with _no_gc(), threadpool_limits(limits=1, user_api="blas"):
        if out_dir is not None:
            _write_folder(
                q,
                table,
                norms,
                irt,
                forced,
                provenance,
                out_dir,
                with_reports,
                overwrite,
                behaviour_role,
            )
            return
        if fmt == "table":
            _print_summary(_all_profiles(q, table, norms, irt, forced, behaviour_role), output, top)
            return
        if fmt == "csv":
            chunks: Iterator[str] = iter([_csv_from_columns(q, table, norms, irt, forced)])
        else:
            batches = _score_batches(q, table, norms, irt, forced, provenance, behaviour_role)
            chunks = _export_chunks(_with_progress(batches, len(table.respondents)), fmt)
        if output is None:
            for chunk in chunks:
                click.echo(chunk, nl=False)
            return
        from assess.fileio import atomic_open

        try:
            with atomic_open(output, private=True) as handle:
                for chunk in chunks:
                    handle.write(chunk)
        except OSError as exc:
            raise AssessError(f"{output}: cannot write the file: {exc.strerror}.") from None
    click.echo(f"wrote {len(table.respondents)} profiles to {output}", err=True)


def _write_folder(
    q: Questionnaire,
    table: AnswersTable,
    norms: Norms | None,
    irt: IrtParameters | None,
    forced: list[bool],
    provenance: ScoreProvenance,
    out_dir: Path,
    with_reports: bool,
    overwrite: bool,
    behaviour_role: str | None,
) -> None:
    """``assess score --out``: one profile per candidate, a manifest around them."""
    from assess.profile_yaml import ProfileEmitter
    from assess.profiles import profile_to_data
    from assess.score_output import FolderWriter, check_folder, plan_profile_files

    ids = [record.candidate.id for record in table.respondents]
    names = plan_profile_files(ids, out_dir)
    reports = [name.removesuffix(".profile.yaml") + ".report.html" for name in names]
    check_folder(out_dir, names + reports if with_reports else names, overwrite)
    render = None
    if with_reports:  # Matplotlib's settings are global: draw in this thread, write in many
        from assess.reports.candidate import render_candidate_html

        render = render_candidate_html
    writer = FolderWriter(out_dir, names, provenance)
    writer.start()
    position = 0
    emitter = ProfileEmitter()
    try:
        if render is None and behaviour_role is None:
            _write_texts(q, table, norms, irt, forced, provenance, names, writer, emitter)
        else:
            batches = _score_batches(q, table, norms, irt, forced, provenance, behaviour_role)
            for batch in _with_progress(batches, len(names), "Scoring and writing"):
                files: list[tuple[str, str]] = []
                for profile in batch:
                    files.append((names[position], emitter.dump(profile_to_data(profile))))
                    if render is not None:
                        files.append((reports[position], render(profile)))
                    position += 1
                writer.write(files)
    except BaseException:
        writer.close()  # on an error or Ctrl+C: no file is started after this
        raise
    writer.finish()
    click.echo(
        f"wrote {len(names)} profiles"
        + (" and their HTML reports" if with_reports else "")
        + f" to {out_dir}/",
        err=True,
    )


def _write_texts(
    q: Questionnaire,
    table: AnswersTable,
    norms: Norms | None,
    irt: IrtParameters | None,
    forced: list[bool],
    provenance: ScoreProvenance,
    names: list[str],
    writer: FolderWriter,
    emitter: ProfileEmitter,
) -> None:
    """``assess score --out`` without reports or ``--as``: each profile's text written
    straight from the batch's score columns (assess.profile_text), and built as a profile
    only where that text cannot be (and, as a check, for the first row of each batch)."""
    from assess.profile_text import ProfileTexts
    from assess.profiles import profile_to_data
    from assess.scoring import ScoredBatch, batch_profiles, score_matrix_batch

    maker = ProfileTexts(q, provenance, irt, emitter)
    total = len(table.respondents)

    def general(
        start: int, respondents: Sequence[object], batch: ScoredBatch, rows: list[int]
    ) -> list[str]:
        """The general way: the profiles of ``rows`` of the batch, emitted."""
        flags = forced[start : start + len(respondents)]
        made = batch_profiles(q, respondents, batch, norms, rows, irt=irt)  # type: ignore[arg-type]
        for row, profile in zip(rows, made, strict=True):
            profile.forced = flags[row]
            profile.provenance = provenance
        return [emitter.dump(profile_to_data(profile)) for profile in made]

    with _progress(total, "Scoring and writing") as advance:
        for start, stop in _batches(total):
            respondents = table.respondents[start:stop]
            times = table.times[start:stop] if table.times is not None else None
            batch = score_matrix_batch(
                q, respondents, table.matrix[start:stop], times, norms, irt=irt
            )
            texts = maker.texts(
                respondents,
                batch.scored,
                forced[start:stop],
                batch.irt_scores,
                batch.drives,
                batch.classical_t,
            )
            rows = [row for row, text in enumerate(texts) if text is None]
            checked = next((row for row, text in enumerate(texts) if text is not None), None)
            if checked is not None:
                rows.insert(0, checked)
            made = general(start, respondents, batch, rows)
            if checked is not None and made[0] != texts[checked]:  # never expected: be safe
                rows = list(range(len(texts)))
                made = general(start, respondents, batch, rows)
            for row, text in zip(rows, made, strict=True):
                texts[row] = text
            writer.write([(names[start + row], text or "") for row, text in enumerate(texts)])
            advance(stop - start)


def _applied_fit(profile: Profile) -> float:
    """The fit for the role the candidate applied for (−1 when there is none)."""
    fit = next((f.fit for f in profile.role_fit if f.role == profile.candidate.role), None)
    return -1.0 if fit is None else fit


def _print_summary(profiles: list[Profile], output: Path | None, top: int | None = None) -> None:
    """The ``--format table`` summary on stdout, or without colour into ``output``."""
    import io

    from rich.console import Console

    from assess.report import PipeConsole, render_summary

    title = None
    if top is not None and top < len(profiles):
        ranked = sorted(profiles, key=lambda p: (-_applied_fit(p), p.candidate.id))
        profiles = ranked[:top]
        title = f"{len(ranked)} candidates scored; the {top} who fit the role they applied for best"
    if output is None:
        PipeConsole(soft_wrap=False, markup=False).print(render_summary(profiles, title))
        return
    buffer = io.StringIO()
    Console(file=buffer, width=120, no_color=True, color_system=None, markup=False).print(
        render_summary(profiles, title)
    )
    atomic_write(output, buffer.getvalue(), private=True)
    click.echo(f"wrote a summary of {len(profiles)} profiles to {output}", err=True)


def _profile_paths(paths: Sequence[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            from assess.score_output import folder_warnings

            for warning in folder_warnings(path):
                click.echo(f"warning: {warning}", err=True)
            inside = sorted(path.glob("*.profile.yaml"))
            if not inside:
                raise AssessError(f"{path}: the folder holds no *.profile.yaml files.")
            found += inside
        else:
            found.append(path)
    return found


@cli.command(
    epilog="Example: assess export profiles/ --format csv -o candidates.csv\n\n"
    "Example: assess export c-001.profile.yaml c-002.profile.yaml --format json\n\n"
    "Example: assess export all.yaml -o all.csv   (all.yaml saved from assess score's stdout)"
)
@click.argument("profiles", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "yaml"]),
    default="csv",
    show_default=True,
    help="csv: one row per candidate with flat columns; json: a list; yaml: one document each.",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="File to write (default: stdout)."
)
def export(profiles: tuple[Path, ...], fmt: str, output: Path | None) -> None:
    """Export profiles as CSV, JSON or YAML.

    Reads profile files, folders of *.profile.yaml, and YAML files holding several
    profiles (what assess score prints to stdout).
    """
    from assess.profiles import export_profiles, load_profiles

    refuse_overwriting_inputs(output, profiles)
    loaded: list[Profile] = []
    origin: dict[str, str] = {}
    for path in _profile_paths(profiles):
        for source, profile in load_profiles(path):
            candidate_id = profile.candidate.id
            if candidate_id in origin:
                raise AssessError(
                    f"{source}: a second profile for candidate '{candidate_id}' (also "
                    f"{origin[candidate_id]}); export each candidate once."
                )
            origin[candidate_id] = source
            loaded.append(profile)
    text = export_profiles(loaded, fmt)  # type: ignore[arg-type]
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write(output, text, private=True)
        click.echo(f"wrote {len(loaded)} profiles to {output}", err=True)


VALIDATE_CSV_PROBLEMS_SHOWN = 50
"""How many problems ``assess validate`` lists for one bulk answers CSV (the rest are
counted)."""


def _validate_csv(path: Path, questionnaire_ref: str | None) -> str:
    """Check a bulk answers CSV completely: print every problem (up to
    :data:`VALIDATE_CSV_PROBLEMS_SHOWN`, then a count of the rest) and raise when there is
    any; otherwise return what the file holds."""
    from assess import profiles as io

    q = io.load_questionnaire(questionnaire_ref)
    check = io.check_answers_csv(path, q, limit=VALIDATE_CSV_PROBLEMS_SHOWN)
    if not check.total:
        return f"bulk answers CSV, {check.candidates} candidates, {q.id} {q.version}"
    for problem in check.problems[:-1]:
        print_error(problem)
    last = check.problems[-1]
    if check.total > len(check.problems):
        rest = check.total - len(check.problems)
        print_error(last)
        last = (
            f"{path}: {rest} more problem{'s' if rest != 1 else ''} not shown "
            f"({check.total} in all)."
        )
    raise AssessError(last)


def _validate_one(path: Path, questionnaire_ref: str | None) -> str:
    """Check one file completely; return its schema (raises on the first bad part).

    A YAML file may hold several ``---``-separated documents (``assess score`` prints
    profiles that way); each is checked and named by its number in messages.
    """
    if path.suffix.lower() == ".csv":
        return _validate_csv(path, questionnaire_ref)
    documents = load_yaml_documents(path)
    kinds = [_validate_document(document, questionnaire_ref) for document in documents]
    if len(kinds) == 1:
        return kinds[0]
    counts = {kind: kinds.count(kind) for kind in kinds}
    return ", ".join(f"{count} × {kind}" for kind, count in counts.items())


def _validate_document(document: YamlDocument, questionnaire_ref: str | None) -> str:
    from assess import profiles as io

    source = document.source
    data = document.data
    if not isinstance(data, dict):
        check_schema(data, "repfit.<kind>", SCHEMA_MAJOR, source)  # raises: not a mapping
    schema = str(data.get("schema", ""))
    name = schema.split("/")[0]
    if name not in KNOWN_SCHEMAS:
        expected = ", ".join(f"{known}/{SCHEMA_MAJOR}" for known in KNOWN_SCHEMAS)
        if not schema:
            raise AssessError(
                f"{source}: the 'schema' key is missing; expected one of: {expected}."
            )
        raise AssessError(
            f"{source}: unknown schema '{schema}'{did_you_mean(name, KNOWN_SCHEMAS)}; "
            f"expected one of: {expected}."
        )
    check_schema(data, name, SCHEMA_MAJOR, source)
    if name == QUESTIONNAIRE_SCHEMA:
        io.validate_yaml(document, Questionnaire, name)
    elif name == PROFILE_SCHEMA:
        io.validate_yaml(document, Profile, name)
    elif name == NORMS_SCHEMA:
        io.validate_yaml(document, NormsFile, name)
    elif name == IRT_SCHEMA:
        from assess.irt_params import IrtParametersFile

        params = io.validate_yaml(document, IrtParametersFile, name)
        ref = questionnaire_ref
        if ref is None and params.questionnaire.id in io.bundled_questionnaire_ids():
            ref = params.questionnaire.id
        if ref is not None:
            io.check_irt_match(io.load_questionnaire(ref), params, source)
    else:
        answers = io.validate_yaml(document, Answers, name)
        ref = questionnaire_ref
        if ref is None and answers.questionnaire.id in io.bundled_questionnaire_ids():
            ref = answers.questionnaire.id
        if ref is not None:
            q = io.load_questionnaire(ref)
            io.check_questionnaire_match(q, answers, source)
            io.check_answers(q, answers, source, document)
    return schema


@cli.command(
    epilog="Example: assess validate questionnaires/sales-traits.yaml answers/c-001.answers.yaml"
)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-q",
    "--questionnaire",
    "questionnaire_ref",
    metavar="ID|PATH",
    help="Check answers (YAML or CSV) against this questionnaire [default: the one the "
    "answers name, when bundled; sales-traits for CSV].",
)
def validate(files: tuple[Path, ...], questionnaire_ref: str | None) -> None:
    """Check questionnaires, answers, profiles and norms; report every error with its field
    path. The kind of each file is read from its schema: key (a .csv is a bulk answers file).
    Exits with status 2 when any file is bad."""
    bad = 0
    broken = 0
    for path in files:
        try:
            kind = _validate_one(path, questionnaire_ref)
        except RepfitError as exc:
            bad += 1
            print_error(exc.message)
            continue
        except Exception as exc:  # a bug must not stop the other files being checked
            if click.get_current_context().find_root().params.get("debug"):
                raise
            broken += 1
            print_error(
                f"{path}: internal error while checking it ({type(exc).__name__}: {exc}). "
                "This is a bug in assess; rerun with --debug to see the traceback."
            )
            continue
        click.echo(f"{path}: ok ({kind})")
    if broken:
        raise click.exceptions.Exit(EXIT_FAILURE)
    if bad:
        raise click.exceptions.Exit(EXIT_BAD_INPUT)


@cli.command(
    epilog="Example: assess show profiles/c-001.profile.yaml\n\n"
    "Example: assess show profiles/c-001.profile.yaml --report c-001.html"
)
@click.argument("profile", type=click.Path(path_type=Path))
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE.html",
    help="Also write a self-contained HTML candidate report to forward or print "
    "(needs repfit[reports]).",
)
def show(profile: Path, report_path: Path | None) -> None:
    """Show one profile as a readable report: traits, role fit, red flags and validity."""

    from assess.profiles import load_profile
    from assess.report import PipeConsole, print_profile

    if report_path is not None:
        _check_report_path(report_path)
        refuse_overwriting_inputs(report_path, [profile])
    import textwrap

    from assess.reports.candidate import verdict_lines
    from assess.termsafe import visible_profile

    loaded = load_profile(profile)
    shown = visible_profile(loaded)  # escape sequences from the file are shown, not run
    console = PipeConsole(highlight=False, markup=False)
    for index, line in enumerate(verdict_lines(shown)[:-1]):  # the answer first
        for row in textwrap.wrap(line, 80):
            console.print(row, style="bold" if index == 0 else None, soft_wrap=True)
    console.print()
    print_profile(shown, console)
    if loaded.norms is not None:
        from assess.behaviour import projection_command

        console.print()
        command = projection_command(str(profile), shown)
        console.print(f"Project the hire: {command}", soft_wrap=True)
    if report_path is not None:
        from assess.reports.candidate import render_candidate_html

        atomic_write(report_path, render_candidate_html(loaded), private=True)
        click.echo(f"wrote the HTML report to {report_path}", err=True)


def _add_behaviour(profiles: Sequence[Profile], role: str) -> None:
    """Attach each profile's ``behaviour:`` block for ``role`` (``assess score --as``)."""
    from assess.behaviour import BehaviourError, profile_behaviour

    for profile in profiles:
        try:
            profile.behaviour = profile_behaviour(profile, role)
        except BehaviourError as exc:
            raise AssessError(f"--as {role}: {exc}.") from None


def _check_report_path(path: Path) -> None:
    """The extra is installed and the file ends in .html, before any work."""
    from assess.reports.figures import require_matplotlib

    require_matplotlib()
    if path.suffix.lower() not in (".html", ".htm"):
        raise AssessError(f"{path}: --report writes an HTML page; give a file ending in .html.")


def main(argv: Sequence[str] | None = None) -> int:
    """Console-script entry point."""
    return run_cli(cli, argv, "assess")
