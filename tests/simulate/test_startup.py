"""The pieces that keep `simulate`'s start-up short (issue 14); the fresh-interpreter check of
what a plain run imports is in tests/test_import_hygiene.py."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from numba.core import caching

from simulate.commands import COMMANDS
from simulate.commands.common import stderr_may_be_terminal
from simulate.engine.jitcache import typing_deferred_while_loading


class _Typing:
    def __init__(self) -> None:
        self.refreshed = 0

    def refresh(self) -> None:
        self.refreshed += 1


class _Target:
    """Stands in for numba's target context: its refresh refreshes its typing context."""

    def __init__(self) -> None:
        self.typing_context = _Typing()
        self.refreshed = 0

    def refresh(self) -> None:
        self.refreshed += 1
        self.typing_context.refresh()


class _Cache:
    """What numba's Cache.load_overload uses of the cache it is called on."""

    @contextmanager
    def _guard_against_spurious_io_errors(self) -> Iterator[None]:
        yield

    def _load_overload(self, sig: Any, target_context: Any) -> str:
        return "loaded"


def test_cached_code_loads_without_the_typing_refresh_only_inside_the_block() -> None:
    cache: Any = caching.Cache  # numba is untyped
    load = cache.load_overload
    target = _Target()
    with typing_deferred_while_loading():
        assert cache.load_overload(_Cache(), (), target) == "loaded"
        assert (target.refreshed, target.typing_context.refreshed) == (1, 0)
        target.typing_context.refresh()  # outside a load it is the real one
        assert target.typing_context.refreshed == 1
    assert cache.load_overload is load
    assert load(_Cache(), (), target) == "loaded"
    assert (target.refreshed, target.typing_context.refreshed) == (2, 2)


def test_a_numba_without_the_patched_internals_is_left_as_it_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for owner in caching.Cache.__mro__:  # wherever numba defines it
        if "load_overload" in vars(owner):
            monkeypatch.delattr(owner, "load_overload")
    with typing_deferred_while_loading():
        assert not hasattr(caching.Cache, "load_overload")
    assert not hasattr(caching.Cache, "load_overload")


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("tty", "environ", "expected"),
    [
        (False, {}, False),
        (True, {}, True),
        (False, {"FORCE_COLOR": "1"}, True),
        (False, {"FORCE_COLOR": ""}, False),
        (False, {"TTY_COMPATIBLE": "1"}, True),
        (False, {"TTY_COMPATIBLE": "0"}, False),
    ],
)
def test_rich_is_asked_about_the_terminal_unless_it_would_surely_say_no(
    monkeypatch: pytest.MonkeyPatch, tty: bool, environ: dict[str, str], expected: bool
) -> None:
    from rich.console import Console

    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("sys.stderr", _Stream(tty))
    assert stderr_may_be_terminal() is expected
    if not expected:  # never a bar rich would have drawn
        assert not Console(stderr=True).is_terminal


def test_every_lazily_added_command_is_the_command_of_its_name() -> None:
    from importlib import import_module

    for name, (module, attribute) in COMMANDS.items():
        assert getattr(import_module(module), attribute).name == name
