"""The dashboard's key bar: the keys on offer, updated by a repaint and never a layout."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Button, Input

from simulate.tui.widgets.footer import KeyBar
from tests.simulate.tui.conftest import run_async


class CountingBar(KeyBar):
    """Counts the refreshes that ask for a layout of the screen."""

    layouts = 0

    def refresh(self, *regions: Any, layout: bool = False, **kwargs: Any) -> Any:
        if layout:
            CountingBar.layouts += 1
        return super().refresh(*regions, layout=layout, **kwargs)


class Plain(Button):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("x", "remove_me", "Remove")]

    removed = 0

    def action_remove_me(self) -> None:
        Plain.removed += 1


class Sample(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("b", "bell", "Hidden", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Plain("one", id="one")
        yield Plain("two", id="two")
        yield Input(id="text")
        yield CountingBar()


def shown(bar: KeyBar) -> list[str]:
    return [f"{key.display} {key.description}" for key in bar.keys]


def line(bar: Widget) -> str:
    return "".join(segment.text for segment in bar.render_line(0))


@run_async
async def test_key_bar_shows_the_keys_on_offer_and_follows_the_focus() -> None:
    app = Sample()
    async with app.run_test(size=(80, 10)) as pilot:
        bar = app.query_one(CountingBar)
        app.query_one("#one").focus()
        await pilot.pause()
        assert shown(bar) == ["x Remove", "q Quit"]  # the focused widget's keys first
        text = line(bar)
        assert "x Remove" in text
        assert "q Quit" in text
        assert "Hidden" not in text
        assert "palette" in text  # the command palette's key, on the right
        before = CountingBar.layouts
        app.query_one("#text").focus()  # a text field: single letters type, they are not keys
        await pilot.pause()
        assert "x Remove" not in shown(bar)
        assert "q Quit" not in shown(bar)
        assert "q Quit" not in line(bar)
        app.query_one("#two").focus()
        await pilot.pause()
        assert shown(bar) == ["x Remove", "q Quit"]
        assert CountingBar.layouts == before  # repainted in place, the screen never relaid out


@run_async
async def test_a_click_on_a_key_presses_it() -> None:
    app = Sample()
    async with app.run_test(size=(80, 10)) as pilot:
        app.query_one("#one").focus()
        await pilot.pause()
        before = Plain.removed
        text = line(app.query_one(CountingBar))
        await pilot.click(CountingBar, offset=(text.index("Remove"), 0))
        await pilot.pause()
        assert Plain.removed == before + 1
        await pilot.click(CountingBar, offset=(text.index("Quit"), 0))
        await pilot.pause()
        assert app.return_code == 0
        assert not app.is_running
