"""The profile emitter gives exactly PyYAML's text (assess.profile_yaml against dump_yaml)."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from assess.fileio import dump_yaml
from assess.profile_yaml import ProfileEmitter, dump_profile_yaml
from assess.profiles import load_questionnaire, profile_to_data, read_answers_run
from assess.scoring import score_matrix
from tests.conftest import REPO_ROOT

TRICKY = [
    "",
    " ",
    "a",
    "yes",
    "No",
    "null",
    "~",
    "true",
    "off",
    "1.5",
    "1e-05",
    "1_000",
    "0x1F",
    "2026-11-26",
    "12:30",
    "=cmd",
    "+1",
    "-",
    "- a",
    "-a",
    "a: b",
    "a:b",
    "a #b",
    "#a",
    "'quoted'",
    '"double"',
    "it's",
    "José Müller",
    "王小明",
    "a\nb",
    "a\n\nb",
    "tab\there",
    "bell\x07",
    "nbsp\xa0x",
    "line\u2028sep",
    "trailing ",
    " leading",
    "two  spaces",
    "[x]",
    "{x}",
    "a, b",
    "*alias",
    "&anchor",
    "!tag",
    "%pct",
    "@at",
    "`tick",
    "|",
    ">",
    "?",
    "<<",
    "=",
    "word " * 30,
    "x" * 120,
    "Provisional norms (provisional expert norms (sales-traits 1.0.0), n = 0): read",
]
"""Strings whose YAML needs care: quoting, resolving to other types, wrapping, escapes."""

texts = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=40),
    st.text(alphabet="ab -_.:#'\"\n ()/0123456789eéy", max_size=120),
    st.lists(st.sampled_from(["word", "a", "longer-word", "x.y", "(n)"]), max_size=40).map(
        " ".join
    ),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e-05, 1e16, -0.0, 0.1, 2.5e-300, 1e300, float("nan"), -math.inf]),
    texts,
)
keys = st.one_of(st.sampled_from(["id", "name", "reason", "t", "need_for_approval"]), texts)


def _shape(leaf: Any) -> Any:
    """Values as profiles hold them: nested mappings, sequences of scalars or mappings."""
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.dictionaries(keys, inner, max_size=4),
            st.lists(st.one_of(scalars, st.dictionaries(keys, inner, min_size=1, max_size=3))),
        ),
        max_leaves=12,
    )


def _same(data: Any, emitter: ProfileEmitter | None = None) -> None:
    assert dump_profile_yaml(data, emitter) == dump_yaml(data)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(keys, _shape(scalars), min_size=1, max_size=6))
def test_any_block_document_is_emitted_as_pyyaml_emits_it(data: dict[Any, Any]) -> None:
    _same(data)


@settings(max_examples=60, deadline=None)
@given(texts, texts, st.floats(allow_nan=True, allow_infinity=True))
def test_strings_in_every_place_of_a_profile_are_emitted_as_pyyaml_emits_them(
    name: str, text: str, number: float
) -> None:
    emitter = ProfileEmitter()
    data = {
        "schema": "repfit.profile/1",
        "candidate": {"id": name, "name": text, "role": None},
        "notes": [text, name],
        "traits": {"need_for_approval": {"t": number, "interpretation": text, "t_interval": []}},
        "red_flags": [{"code": name, "reason": text}, {"code": "x", "reason": name}],
        "extra": {},
    }
    _same(data, emitter)
    _same(data, emitter)  # the second time from what the emitter remembered


def test_every_tricky_string_as_a_key_and_a_value() -> None:
    emitter = ProfileEmitter()
    for text in TRICKY:
        _same({text: text, "list": [text, {text: [text]}]}, emitter)
    _same({"a": [[1, 2]], "b": [{}], "c": [[]], 1: "one", "d": (1, 2)})  # PyYAML's shapes
    _same({})


def test_real_profiles_are_emitted_byte_for_byte() -> None:
    q = load_questionnaire()
    table = read_answers_run([REPO_ROOT / "examples" / "answers.csv"], q)
    emitter = ProfileEmitter()
    profiles = score_matrix(q, table.respondents, table.matrix, table.times)
    assert profiles
    for profile in profiles:
        _same(profile_to_data(profile), emitter)


def test_plain_words_around_the_wrapping_column() -> None:
    emitter = ProfileEmitter()
    for length in range(60, 112):
        for word in ("ab", "abcdefg"):
            text = " ".join([word] * 60)[:length].strip()
            _same({"notes": [text], "a": {"interpretation": text}, "k": text}, emitter)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(["T", "is", "low", "(fit", "90 %", "–", ":", "'", "a,", "#"]), max_size=25
    ),
    st.lists(st.integers(min_value=0, max_value=10**6), min_size=2, max_size=4),
)
def test_sentences_that_differ_only_in_digits_are_each_emitted_as_pyyaml_emits_them(
    words: list[str], numbers: list[int]
) -> None:
    """The emitter writes a sentence from the text of the same sentence with other digits
    (assess.profile_yaml: the digit shortcut); each is still exactly PyYAML's."""
    emitter = ProfileEmitter()
    for number in numbers:
        for text in (
            " ".join([*words, str(number), *words]),
            f"{number:02d}",  # 08 is a string, 00 an octal number
            f"{number % 24:02d}:{number % 60:02d}",  # sexagesimal or not
            f"{number}-{number % 13:02d}-{number % 32:02d}",
        ):
            _same({"red_flags": [{"code": "x", "reason": text}], "k": {"t": text}}, emitter)
