"""The dashboard's footer redraws when the keys on show change, not on every focus move."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Button, Input

from simulate.tui.widgets.footer import SteadyFooter
from tests.simulate.tui.conftest import run_async


class CountingFooter(SteadyFooter):
    recomposed = 0

    async def recompose(self) -> None:
        CountingFooter.recomposed += 1
        await super().recompose()


class Plain(Button):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("x", "press", "Remove")]


class Sample(App[None]):
    def compose(self) -> ComposeResult:
        yield Plain("one", id="one")
        yield Plain("two", id="two")
        yield Input(id="text")
        yield CountingFooter()


@run_async
async def test_footer_recomposes_only_when_the_keys_change() -> None:
    app = Sample()
    async with app.run_test() as pilot:
        app.query_one("#one").focus()
        await pilot.pause()
        before = CountingFooter.recomposed
        app.query_one("#two").focus()  # same keys on show
        await pilot.pause()
        assert CountingFooter.recomposed == before
        app.query_one("#text").focus()  # an Input shows other keys
        await pilot.pause()
        assert CountingFooter.recomposed > before
        footer: Any = app.query_one(CountingFooter)
        assert footer.is_attached
