"""``assess invite``, ``assess invites`` and ``assess serve`` (registered in :mod:`assess.cli`).

aiohttp and textual-serve (the ``serve`` extra) are imported only by ``assess serve``.
"""

from __future__ import annotations

import ipaddress
import os
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import click

from assess.errors import AssessError
from assess.model import Candidate
from assess.remote.invitations import DEFAULT_EXPIRY, InvitationStatus, link_for

DEFAULT_HOST = "127.0.0.1"
"""Where ``assess serve`` listens unless told otherwise: this machine only."""
DEFAULT_PORT = 8000
"""The port ``assess serve`` listens on unless told otherwise."""
DEFAULT_PUBLIC_URL = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"
"""What links start with unless ``--public-url`` (or ``REPFIT_PUBLIC_URL``) says otherwise."""
SERVE_UMASK = 0o077
"""``assess serve`` creates answers and profiles readable by its own account only (0600)."""

_PUBLIC_URL_HELP = (
    "Address candidates use to reach the server, e.g. https://assess.example.com (the HTTPS "
    "reverse proxy in front of assess serve). Also read from REPFIT_PUBLIC_URL."
)


def check_public_url(url: str) -> str:
    """``url`` without a trailing slash, or an error naming what is wrong with it."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AssessError(
            f"--public-url '{url}': expected an http:// or https:// address with a host, "
            "e.g. https://assess.example.com."
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise AssessError(
            f"--public-url '{url}': give only scheme, host, port and path (no query, "
            "fragment or password)."
        )
    return url.rstrip("/")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command(
    epilog="Example: assess invite --candidate-id c-001 --name 'Jane Doe' --role farmer "
    "--out interviews --public-url https://assess.example.com\n\n"
    "Example: assess invite --revoke c-001 --out interviews"
)
@click.option("--candidate-id", default=None, help="Candidate id (names the answers file).")
@click.option("--name", default=None, help="Candidate name (shown on the start screen).")
@click.option("--role", default=None, help="Role applied for, a questionnaire role id.")
@click.option(
    "--questionnaire",
    "questionnaire_ref",
    metavar="ID|PATH",
    default=None,
    help="Bundled questionnaire id or a questionnaire YAML file (default: sales-traits).",
)
@click.option(
    "--expires",
    default=DEFAULT_EXPIRY,
    show_default=True,
    help="How long the link works: a number and m, h, d or w (at most 90 days).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder of the answers and profiles (the invitation is kept there, mode 0600).",
)
@click.option(
    "--public-url",
    envvar="REPFIT_PUBLIC_URL",
    default=DEFAULT_PUBLIC_URL,
    show_default=True,
    help=_PUBLIC_URL_HELP,
)
@click.option(
    "--revoke",
    "revoke_id",
    metavar="ID",
    default=None,
    help="Withdraw the invitation of candidate ID: its link stops working at once.",
)
def invite(
    candidate_id: str | None,
    name: str | None,
    role: str | None,
    questionnaire_ref: str | None,
    expires: str,
    out_dir: Path,
    public_url: str,
    revoke_id: str | None,
) -> None:
    """Invite a candidate to take the assessment in a browser: prints the link (only that).

    The link carries a one-time token; only its hash is stored, so the link is shown once.
    Send it to the candidate, run `assess serve`, follow up with `assess invites`.
    """
    from assess.remote import store

    now = datetime.now(UTC)
    if revoke_id is not None:
        if candidate_id is not None:
            raise click.UsageError("use either --revoke ID or --candidate-id ID, not both.")
        status = store.revoke(out_dir, revoke_id, now)
        if status.state == "submitted":
            click.echo(
                f"candidate {revoke_id} had already submitted; the link stays closed.", err=True
            )
        else:
            click.echo(f"revoked the invitation of candidate {revoke_id}.", err=True)
        return
    if candidate_id is None:
        raise click.UsageError("--candidate-id is required (or --revoke ID).")
    url = check_public_url(public_url)
    issued = store.invite(
        out_dir,
        Candidate(id=candidate_id, name=name, role=role),
        store.questionnaire_ref(questionnaire_ref),
        now,
        expires,
    )
    click.echo(link_for(url, issued.token))
    until = issued.invitation.expires.strftime("%Y-%m-%d %H:%M UTC")
    click.echo(
        f"invited {candidate_id} (link valid until {until}; saved to {issued.path}). "
        "The link is shown only this once.",
        err=True,
    )
    if urlsplit(url).scheme != "https" and not _is_loopback(urlsplit(url).hostname or ""):
        click.echo(
            "warning: the link is not https; serve it behind an HTTPS reverse proxy before "
            "sending it outside this network.",
            err=True,
        )


def _progress_text(status: InvitationStatus) -> str:
    if status.progress is None:
        return ""
    return f"{status.progress.answered}/{status.progress.total}"


@click.command(epilog="Example: assess invites --out interviews")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder of the invitations.",
)
def invites(out_dir: Path) -> None:
    """List the invitations in a folder: invited, started (with progress), submitted,
    expired or revoked."""
    from assess.remote import store

    if not out_dir.is_dir():
        raise AssessError(f"{out_dir}: no such folder.")
    found = store.statuses(out_dir, datetime.now(UTC))
    if not found:
        click.echo(f"no invitations in {out_dir}.", err=True)
        return
    rows: list[tuple[str, ...]] = [
        ("candidate", "name", "role", "state", "answered", "expires (UTC)")
    ]
    for status in found:
        invitation = status.invitation
        rows.append(
            (
                invitation.candidate.id,
                invitation.candidate.name or "",
                invitation.candidate.role or "",
                status.state,
                _progress_text(status),
                invitation.expires.strftime("%Y-%m-%d %H:%M"),
            )
        )
    click.echo(_columns(rows))


def _columns(rows: list[tuple[str, ...]]) -> str:
    """Rows as plain text columns (two spaces apart), for reading and for grep."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


@click.command(
    epilog="Example: assess serve --out interviews --public-url https://assess.example.com"
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder of the invitations; answers and profiles are saved there (mode 0600).",
)
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=DEFAULT_PORT,
    show_default=True,
    help="Port to listen on (0: any free port, printed at start).",
)
@click.option(
    "--public-url",
    envvar="REPFIT_PUBLIC_URL",
    default=None,
    help=_PUBLIC_URL_HELP + " [default: http://HOST:PORT]",
)
@click.option(
    "--trust-forwarded",
    is_flag=True,
    help="Behind a reverse proxy: take each visitor's address from X-Forwarded-For "
    "(for slowing down bad tokens per address).",
)
def serve(
    out_dir: Path, host: str, port: int, public_url: str | None, trust_forwarded: bool
) -> None:
    """Serve invited candidates' assessments in the browser until Ctrl+C.

    Each link opens only its own candidate's assessment in candidate mode (no scores);
    anything else gets a plain 404. Answers are saved after every answer; the same
    link resumes until the candidate submits.
    """
    try:
        from assess.remote.run import run_server
    except ImportError as exc:  # the optional extra is missing
        raise AssessError(
            f"assess serve needs the 'serve' extra ({exc.name} is not installed): "
            "pip install 'repfit[serve]'."
        ) from None

    if not out_dir.is_dir():
        raise AssessError(
            f"{out_dir}: no such folder; invite candidates first with `assess invite "
            f"--candidate-id ID --out {out_dir}`."
        )
    url = None if public_url is None else check_public_url(public_url)
    if not _is_loopback(host):
        click.echo(
            f"warning: listening on {host}, reachable from other machines; put an HTTPS "
            "reverse proxy in front and keep this port closed to the outside.",
            err=True,
        )
    os.umask(SERVE_UMASK)
    run_server(out_dir, host, port, url, trust_forwarded)
