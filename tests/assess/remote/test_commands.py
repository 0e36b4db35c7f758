"""``assess invite`` and ``assess invites`` as a hiring manager runs them."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
import pytest

from assess.cli import main
from assess.remote import store
from assess.remote.commands import invite as invite_command
from assess.remote.commands import invites, serve
from assess.remote.invitations import looks_like_token, token_hash
from tests.assess.helpers import MINI
from tests.assess.remote.helpers import SHELL_NAME, invite, submitted_answers
from tests.conftest import REPO_ROOT, CliRunner


def _run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_invite_prints_one_link_and_stores_only_the_hash(
    tmp_path: Path, assess_cli: CliRunner
) -> None:
    out = tmp_path / "interviews"
    result = assess_cli(
        "invite",
        "--candidate-id",
        "c-001",
        "--name",
        SHELL_NAME,
        "--role",
        "farmer",
        "--questionnaire",
        MINI,
        "--out",
        out,
        "--public-url",
        "https://assess.example.com/",
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1  # the link and nothing else on stdout
    prefix = "https://assess.example.com/take/"
    assert lines[0].startswith(prefix)
    token = lines[0].removeprefix(prefix)
    assert looks_like_token(token)
    path = out / "c-001.invitation.yaml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    for stored in out.iterdir():  # no raw token anywhere in the folder, only its hash
        assert token not in stored.read_text(encoding="utf-8")
    assert token_hash(token) in path.read_text(encoding="utf-8")
    invitation = store.load_invitation(path)
    assert invitation.candidate.name == SHELL_NAME  # stored as text, verbatim
    assert invitation.questionnaire == str(MINI)
    assert "valid until" in result.stderr
    assert not (out / "PWNED").exists()


def test_invites_lists_every_state(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "interviews"
    invite(out, "c-001", name="Ann Invited")
    invite(out, "c-002", when=datetime.now(UTC) - timedelta(days=8))
    invite(out, "c-003")
    invite(out, "c-004")
    submitted_answers(out, "c-004")
    invite(out, "c-005")
    submitted_answers(out, "c-005", finished=False)
    code, stdout, stderr = _run(capsys, "invite", "--revoke", "c-003", "--out", out)
    assert (code, stdout) == (0, "")
    assert "revoked" in stderr
    code, stdout, _ = _run(capsys, "invites", "--out", out)
    assert code == 0
    rows = {line.split()[0]: line for line in stdout.splitlines()[1:]}
    assert "invited" in rows["c-001"]
    assert "Ann Invited" in rows["c-001"]
    assert "expired" in rows["c-002"]
    assert "revoked" in rows["c-003"]
    assert "submitted" in rows["c-004"]
    assert "started" in rows["c-005"]
    assert "1/17" in rows["c-005"]


def test_invite_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "interviews"
    invite(out, "c-001")
    code, stdout, stderr = _run(
        capsys, "invite", "--candidate-id", "c-001", "--questionnaire", MINI, "--out", out
    )
    assert (code, stdout) == (2, "")
    assert "already has an open invitation" in stderr
    assert "--revoke c-001" in stderr
    for args, message in [
        (["--candidate-id", "../etc"], "candidate id"),
        (["--candidate-id", "c-009", "--expires", "forever"], "--expires"),
        (["--candidate-id", "c-009", "--expires", "120d"], "90 days"),
        (["--candidate-id", "c-009", "--role", "astronaut"], "not a role"),
        (["--candidate-id", "c-009", "--public-url", "ftp://x"], "--public-url"),
        (["--revoke", "c-404"], "no invitation for candidate 'c-404'"),
    ]:
        code, stdout, stderr = (
            _run(capsys, "invite", *args, "--questionnaire", MINI, "--out", out)
            if "--revoke" not in args
            else _run(capsys, "invite", *args, "--out", out)
        )
        assert (code, stdout) == (2, ""), args
        assert stderr.startswith("error:") or "Error" in stderr, args
        assert message in stderr, args
    # A revoked invitation can be replaced by a new link (the old one stays dead).
    _run(capsys, "invite", "--revoke", "c-001", "--out", out)
    code, stdout, _ = _run(
        capsys, "invite", "--candidate-id", "c-001", "--questionnaire", MINI, "--out", out
    )
    assert code == 0
    assert stdout.count("/take/") == 1
    assert store.load_invitation(out / "c-001.invitation.yaml").revoked is None
    # A candidate who submitted is not invited again.
    submitted_answers(out, "c-001")
    _run(capsys, "invite", "--revoke", "c-001", "--out", out)
    code, _, stderr = _run(
        capsys, "invite", "--candidate-id", "c-001", "--questionnaire", MINI, "--out", out
    )
    assert code == 2
    assert "already submitted" in stderr


@pytest.mark.parametrize("command", [invite_command, invites, serve], ids=lambda c: c.name)
def test_every_option_is_in_the_readme(command: click.Command) -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Inviting a candidate to take it remotely", 1)[1]
    section = section.split("\n### ", 1)[0]
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.opts[0] in section, f"{param.opts[0]} is not in the README"
