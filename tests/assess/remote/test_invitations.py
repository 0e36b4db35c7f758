"""The pure invitation logic: tokens, hashes, durations and states."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest

from assess.model import Candidate
from assess.remote.invitations import (
    MAX_EXPIRY,
    Progress,
    invitation_status,
    link_for,
    looks_like_token,
    make_invitation,
    new_token,
    parse_duration,
    token_hash,
    token_matches,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_tokens_carry_at_least_128_random_bits_and_differ() -> None:
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    for token in tokens:
        raw = base64.urlsafe_b64decode(token + "=")
        assert len(raw) * 8 >= 128
        assert looks_like_token(token)


def test_invitation_stores_only_the_hash_of_its_token() -> None:
    invitation, token = make_invitation(
        Candidate(id="c-001", name="Jane"), "sales-traits", NOW, timedelta(days=7)
    )
    stored = invitation.model_dump_json()
    assert token not in stored
    assert invitation.token_sha256 == token_hash(token)
    assert token_matches(invitation, token)
    assert not token_matches(invitation, new_token())
    assert invitation.expires == NOW + timedelta(days=7)


@pytest.mark.parametrize(
    "text", ["", "/take/x", "a" * 42, "a" * 44, "a" * 42 + "!", "../../etc/passwd" + "a" * 27]
)
def test_malformed_tokens_are_not_tokens(text: str) -> None:
    assert not looks_like_token(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", timedelta(minutes=30)),
        ("12h", timedelta(hours=12)),
        ("7d", timedelta(days=7)),
        ("2w", timedelta(weeks=2)),
        (" 3d ", timedelta(days=3)),
    ],
)
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["7", "d", "7 days", "-1d", "0d", "1y", "13w"])
def test_bad_durations_say_what_is_expected(text: str) -> None:
    with pytest.raises(ValueError, match=r"duration|some time|longest"):
        parse_duration(text)
    assert timedelta(days=90) == MAX_EXPIRY


def test_states() -> None:
    invitation, _ = make_invitation(Candidate(id="c-001"), "sales-traits", NOW, timedelta(days=1))
    later = NOW + timedelta(days=2)
    halfway = Progress(answered=5, total=17, submitted=False)
    done = Progress(answered=17, total=17, submitted=True)
    assert invitation_status(invitation, None, NOW).state == "invited"
    assert invitation_status(invitation, halfway, NOW).state == "started"
    assert invitation_status(invitation, done, NOW).state == "submitted"
    assert invitation_status(invitation, halfway, later).state == "expired"
    revoked = invitation.model_copy(update={"revoked": NOW})
    assert invitation_status(revoked, halfway, NOW).state == "revoked"
    # A submitted assessment stays submitted, whatever happened to the link afterwards.
    assert invitation_status(revoked, done, later).state == "submitted"
    assert [invitation_status(invitation, p, NOW).open for p in (None, halfway, done)] == [
        True,
        True,
        False,
    ]


def test_link() -> None:
    assert link_for("https://assess.example.com/", "T" * 43) == (
        "https://assess.example.com/take/" + "T" * 43
    )
