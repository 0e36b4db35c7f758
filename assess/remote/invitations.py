"""Invitations: who may take which assessment through a link, until when (pure).

A link carries a random token (:data:`TOKEN_BYTES` bytes from :mod:`secrets`);
the invitation keeps only the SHA-256 of it. A token has so much entropy that a
plain hash is enough (no slow key-derivation needed): nobody can find a token
from its hash, nor guess one. Nothing here reads files or the clock: the store
and the server pass ``now`` in.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from assess.model import Candidate

INVITATION_SCHEMA = "repfit.invitation"
"""Schema name of an invitation file (``<candidate-id>.invitation.yaml``)."""
INVITATION_MAJOR = 1
"""Supported major version of :data:`INVITATION_SCHEMA`."""

TOKEN_BYTES = 32
"""Random bytes in a token (256 bits, from :func:`secrets.token_urlsafe`); the issue asks for
at least 128 bits, so that guessing one is hopeless even at millions of tries a second."""

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")
"""What a token looks like in a link: 32 bytes as unpadded URL-safe base64 (43 characters).
Anything else is refused before it is hashed."""

DEFAULT_EXPIRY = "7d"
"""How long a link stays valid unless ``--expires`` says otherwise."""

MAX_EXPIRY = timedelta(days=90)
"""Longest validity allowed: a link that lives for ever is a standing key to candidate data."""

_DURATION = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$")
_UNITS = {
    "m": timedelta(minutes=1),
    "h": timedelta(hours=1),
    "d": timedelta(days=1),
    "w": timedelta(weeks=1),
}

State = Literal["invited", "started", "submitted", "expired", "revoked"]
"""Where an invitation stands (see :func:`invitation_status`)."""


class Invitation(BaseModel):
    """One invitation file: the candidate, the questionnaire, the token's hash and its life."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False
    )

    schema_: str = Field(default=f"{INVITATION_SCHEMA}/{INVITATION_MAJOR}", alias="schema")
    """File format and version: ``repfit.invitation/1``."""
    candidate: Candidate
    """Who is invited (the id names the answers and profile files)."""
    questionnaire: str
    """Bundled questionnaire id or the absolute path of a questionnaire file."""
    token_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    """SHA-256 (hex) of the link's token; the token itself is never stored."""
    created: AwareDatetime
    """When the invitation was made (UTC)."""
    expires: AwareDatetime
    """When the link stops working (UTC)."""
    revoked: AwareDatetime | None = None
    """When the hiring manager withdrew the invitation, if they did."""


@dataclass(frozen=True)
class Progress:
    """What the candidate's answers file says (None of it when there is no file)."""

    answered: int
    """Items answered so far."""
    total: int
    """Items in the questionnaire."""
    submitted: bool
    """True once the candidate submitted."""


@dataclass(frozen=True)
class InvitationStatus:
    """An invitation and where it stands."""

    invitation: Invitation
    """The invitation."""
    state: State
    """invited, started, submitted, expired or revoked."""
    progress: Progress | None
    """The answers so far, when the candidate began."""

    @property
    def open(self) -> bool:
        """True when the link may start or resume the assessment."""
        return self.state in ("invited", "started")


def new_token() -> str:
    """A fresh link token: :data:`TOKEN_BYTES` random bytes, URL-safe base64."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """SHA-256 (hex) of a token, as stored in the invitation."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def looks_like_token(token: str) -> bool:
    """True when ``token`` has the shape of a token (checked before any lookup)."""
    return bool(TOKEN_PATTERN.match(token))


def token_matches(invitation: Invitation, token: str) -> bool:
    """True when ``token`` is the one the invitation was made with (constant-time compare)."""
    return hmac.compare_digest(invitation.token_sha256, token_hash(token))


def parse_duration(text: str) -> timedelta:
    """``30m``, ``12h``, ``7d`` or ``2w`` as a duration; ValueError with a sentence otherwise."""
    match = _DURATION.match(text)
    if match is None:
        raise ValueError(
            f"'{text}' is not a duration; write a number and a unit: m (minutes), h (hours), "
            "d (days) or w (weeks), e.g. 7d."
        )
    duration = int(match.group(1)) * _UNITS[match.group(2)]
    if duration <= timedelta(0):
        raise ValueError(f"'{text}': the link must stay valid for some time; e.g. 7d.")
    if duration > MAX_EXPIRY:
        raise ValueError(f"'{text}' is longer than the longest validity allowed (90 days).")
    return duration


def make_invitation(
    candidate: Candidate, questionnaire: str, now: datetime, valid_for: timedelta
) -> tuple[Invitation, str]:
    """A new invitation and its token (give the token to the candidate; store the invitation)."""
    token = new_token()
    invitation = Invitation(
        candidate=candidate,
        questionnaire=questionnaire,
        token_sha256=token_hash(token),
        created=now,
        expires=now + valid_for,
    )
    return invitation, token


def invitation_status(
    invitation: Invitation, progress: Progress | None, now: datetime
) -> InvitationStatus:
    """Where an invitation stands at ``now``.

    A submitted assessment stays *submitted* whatever happened to the link later;
    otherwise a revoked link is *revoked*, a link past its time *expired*, a link
    with saved answers *started*, and one not yet used *invited*.
    """
    state: State
    if progress is not None and progress.submitted:
        state = "submitted"
    elif invitation.revoked is not None:
        state = "revoked"
    elif now >= invitation.expires:
        state = "expired"
    elif progress is not None:
        state = "started"
    else:
        state = "invited"
    return InvitationStatus(invitation, state, progress)


def link_for(public_url: str, token: str) -> str:
    """The link a candidate opens: ``<public-url>/take/<token>``."""
    return f"{public_url.rstrip('/')}/take/{token}"
