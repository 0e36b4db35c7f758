"""Invitation files beside the answers: ``DIR/<candidate-id>.invitation.yaml`` (I/O).

Each file is written atomically with mode 0600 (only the account that runs
``assess`` can read it) and holds the token's hash, never the token. The folder
is created with mode 0700. The server reads these files on every request, so a
revocation made with ``assess invite --revoke`` takes effect at once; parsed
files are cached by their size, inode and modification time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from assess.errors import AssessError
from assess.fileio import RepfitError, atomic_write, dump_yaml, load_yaml, validate_document
from assess.model import Candidate
from assess.profiles import load_answers, load_questionnaire
from assess.remote.invitations import (
    INVITATION_MAJOR,
    INVITATION_SCHEMA,
    Invitation,
    InvitationStatus,
    Progress,
    invitation_status,
    looks_like_token,
    make_invitation,
    token_matches,
)
from assess.tui.session import answers_filename, candidate_id_problem

FILE_MODE = 0o600
"""Permissions of invitation files (owner read/write only)."""
FOLDER_MODE = 0o700
"""Permissions of a folder the invitation commands create."""
INVITATION_SUFFIX = ".invitation.yaml"
"""File name ending of invitation files."""


def invitation_path(out_dir: Path, candidate_id: str) -> Path:
    """Where the invitation of ``candidate_id`` is kept."""
    return out_dir / f"{candidate_id}{INVITATION_SUFFIX}"


def ensure_folder(out_dir: Path) -> None:
    """Create ``out_dir`` (mode 0700) when missing; refuse a file of that name."""
    if out_dir.exists() and not out_dir.is_dir():
        raise AssessError(f"{out_dir}: --out must be a folder, but a file of that name exists.")
    try:
        out_dir.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    except OSError as exc:
        raise AssessError(f"{out_dir}: cannot create the folder: {exc.strerror}.") from None


def save_invitation(out_dir: Path, invitation: Invitation) -> Path:
    """Write an invitation (atomic, 0600); its path."""
    ensure_folder(out_dir)
    path = invitation_path(out_dir, invitation.candidate.id)
    data = invitation.model_dump(mode="json", by_alias=True)
    atomic_write(path, dump_yaml(data), permissions=FILE_MODE)
    return path


def load_invitation(path: Path) -> Invitation:
    """One invitation file, checked (errors name the file, field and line)."""
    document = load_yaml(path, "invitation")
    return validate_document(document, Invitation, INVITATION_SCHEMA, INVITATION_MAJOR)


_CACHE: dict[Path, tuple[tuple[int, int, int], Invitation]] = {}


def _cached(path: Path) -> Invitation:
    stat = path.stat()
    signature = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    hit = _CACHE.get(path)
    if hit is not None and hit[0] == signature:
        return hit[1]
    invitation = load_invitation(path)
    _CACHE[path] = (signature, invitation)
    return invitation


def invitation_files(out_dir: Path) -> list[Path]:
    """The invitation files in ``out_dir``, by candidate id."""
    if not out_dir.is_dir():
        return []
    return sorted(out_dir.glob(f"*{INVITATION_SUFFIX}"))


def load_invitations(out_dir: Path) -> list[Invitation]:
    """Every invitation in ``out_dir``; the first bad file stops with its error."""
    return [_cached(path) for path in invitation_files(out_dir)]


def find_by_token(out_dir: Path, token: str) -> Invitation | None:
    """The invitation ``token`` belongs to, or None (also for a malformed token).

    Unreadable invitation files are skipped (they cannot match); every file is
    compared, in constant time each, so timing does not tell how far a guess got.
    """
    if not looks_like_token(token):
        return None
    found: Invitation | None = None
    for path in invitation_files(out_dir):
        try:
            invitation = _cached(path)
        except (RepfitError, OSError):
            continue
        if (
            token_matches(invitation, token)
            and path.name == invitation_path(out_dir, invitation.candidate.id).name
        ):
            found = invitation
    return found


def progress_of(out_dir: Path, invitation: Invitation) -> Progress | None:
    """What the candidate's answers file says so far, or None when there is none yet."""
    path = out_dir / answers_filename(invitation.candidate.id)
    if not path.is_file():
        return None
    answers = load_answers(path)
    total = len(load_questionnaire(invitation.questionnaire).items)
    return Progress(len(answers.answers), total, answers.finished is not None)


def status_of(out_dir: Path, invitation: Invitation, now: datetime) -> InvitationStatus:
    """Where one invitation stands, reading the candidate's answers file."""
    return invitation_status(invitation, progress_of(out_dir, invitation), now)


def statuses(out_dir: Path, now: datetime) -> list[InvitationStatus]:
    """Every invitation in ``out_dir`` with its state."""
    return [status_of(out_dir, invitation, now) for invitation in load_invitations(out_dir)]


@dataclass(frozen=True)
class Issued:
    """A new invitation: the token for the link, and where the invitation was saved."""

    invitation: Invitation
    """What was stored."""
    token: str
    """The link's token (shown once, never stored)."""
    path: Path
    """The invitation file."""


def invite(
    out_dir: Path, candidate: Candidate, questionnaire: str, now: datetime, valid_for_text: str
) -> Issued:
    """Make and save an invitation for ``candidate``.

    Refused when the candidate id cannot name a file, when the candidate already
    submitted, or while an earlier link is still open (revoke it first). An
    expired or revoked invitation is replaced; saved answers are kept and resumed.
    """
    from assess.remote.invitations import parse_duration

    problem = candidate_id_problem(candidate.id)
    if problem is not None:
        raise AssessError(f"--candidate-id '{candidate.id}': {problem}")
    try:
        valid_for = parse_duration(valid_for_text)
    except ValueError as exc:
        raise AssessError(f"--expires {exc}") from None
    q = load_questionnaire(questionnaire)
    roles = q.roles or {}
    if candidate.role is not None and roles and candidate.role not in roles:
        raise AssessError(
            f"--role '{candidate.role}' is not a role of questionnaire {q.id}; "
            f"choose one of: {', '.join(roles)}."
        )
    path = invitation_path(out_dir, candidate.id)
    if path.exists():
        earlier = status_of(out_dir, load_invitation(path), now)
        if earlier.open:
            raise AssessError(
                f"candidate {candidate.id} already has an open invitation ({path}, "
                f"{earlier.state}); revoke it first with `assess invite --revoke "
                f"{candidate.id} --out {out_dir}` to send a new link."
            )
    answers = out_dir / answers_filename(candidate.id)
    if answers.is_file() and load_answers(answers).finished is not None:
        raise AssessError(
            f"candidate {candidate.id} already submitted this assessment ({answers}); "
            "read it with `assess show` or `assess review`."
        )
    invitation, token = make_invitation(candidate, questionnaire, now, valid_for)
    return Issued(invitation, token, save_invitation(out_dir, invitation))


def revoke(out_dir: Path, candidate_id: str, now: datetime) -> InvitationStatus:
    """Withdraw the invitation of ``candidate_id`` (its link stops working at once)."""
    problem = candidate_id_problem(candidate_id)
    path = invitation_path(out_dir, candidate_id)
    if problem is not None or not path.is_file():
        raise AssessError(
            f"no invitation for candidate '{candidate_id}' in {out_dir} "
            f"(expected {path}); `assess invites --out {out_dir}` lists them."
        )
    invitation = load_invitation(path)
    if invitation.revoked is None:
        invitation = invitation.model_copy(update={"revoked": now})
        save_invitation(out_dir, invitation)
    return status_of(out_dir, invitation, now)


def questionnaire_ref(ref: str | None) -> str:
    """How an invitation names its questionnaire: a bundled id as given, a file as an
    absolute path (the server may run from another folder)."""
    from assess.profiles import DEFAULT_QUESTIONNAIRE, bundled_questionnaire_ids

    if ref is None:
        return DEFAULT_QUESTIONNAIRE
    if ref in bundled_questionnaire_ids():
        return ref
    return os.path.abspath(ref)
