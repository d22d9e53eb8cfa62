"""The YAML view (``y`` on a row or in the detail view): the object as the server has it,
``managedFields`` hidden unless ``m`` shows them, scrollable, plain Text (never markup; every
line made safe). Kinds with no server object (and a replay) show what the store keeps."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from wundr_tui import kubectl
from wundr_tui.backends.base import FullObject
from wundr_tui.model import Kind
from wundr_tui.object_yaml import model_yaml, object_yaml
from wundr_tui.screens.investigate import Crumb, InvestigationScreen
from wundr_tui.store import Changes
from wundr_tui.widgets.clipboard import copy_kubectl_binding, copy_out
from wundr_tui.widgets.footer import LeanFooter


def yaml_text(lines: list[str], find: str = "", current: int = -1) -> Text:
    """YAML lines as one Text: keys bold, comments dim, matches of ``find`` highlighted (the
    one at line ``current`` more so). Styles only: the text is as given."""
    out = Text(no_wrap=False)
    for index, line in enumerate(lines):
        if find and find.lower() in line.lower():
            out.append_text(_highlight(line, find, index == current))
            out.append("\n")
            continue
        if line.lstrip().startswith("#"):
            out.append(line + "\n", style="dim")
            continue
        head, sep, rest = line.partition(": ")
        if sep and not head.lstrip().startswith(("- '", '- "', "'", '"')):
            out.append(head, style="bold")
            out.append(sep + rest + "\n")
        else:
            out.append(line + "\n")
    return out


def _highlight(line: str, find: str, current: bool) -> Text:
    text = Text(line)
    low, needle = line.lower(), find.lower()
    start = low.find(needle)
    while start >= 0:
        text.stylize("bold reverse yellow" if current else "reverse", start, start + len(find))
        start = low.find(needle, start + len(needle))
    return text


def matching_lines(lines: list[str], find: str) -> list[int]:
    """Indexes of the lines holding ``find`` (case-insensitive)."""
    needle = find.lower()
    return [i for i, line in enumerate(lines) if needle and needle in line.lower()]


class YamlSearch(Input):
    """The ``/`` search line at the bottom of the YAML view."""

    DEFAULT_CSS = """
    YamlSearch, YamlSearch:focus { dock: bottom; height: 1; border: none; padding: 0 1;
        display: none; }
    """

    BINDINGS = [Binding("escape", "close", "Close", show=False, id="prompt.close")]

    def action_close(self) -> None:
        """Hide the search line; the highlights stay until the next search."""
        screen = self.screen
        if isinstance(screen, YamlScreen):
            screen.close_search()


class YamlScreen(InvestigationScreen):
    """One object as YAML; a step on the navigation stack."""

    DEFAULT_CSS = """
    YamlScreen #yaml { height: 1fr; padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *InvestigationScreen.BINDINGS,
        Binding("m", "managed_fields", "managedFields", id="yaml.managed"),
        Binding("n", "next_match(1)", "Next match", id="yaml.next"),
        Binding(
            "N", "next_match(-1)", "Previous match", key_display="N", show=False, id="yaml.previous"
        ),
        Binding("home", "top", "Top", show=False, id="yaml.top"),
        Binding("end", "bottom", "Bottom", show=False, id="yaml.bottom"),
        copy_kubectl_binding("Copy the kubectl command that prints this YAML (get -o yaml)"),
    ]

    def __init__(
        self,
        cluster: str,
        kind: Kind,
        key: str,
        trail: tuple[str, ...],
        *,
        full: FullObject | None = None,
    ) -> None:
        super().__init__(cluster, kind, key, trail)
        self.full = full
        self.show_managed = False
        """``managedFields`` are shown (``m`` toggles)."""
        self.lines: list[str] = []
        """The YAML lines on screen (tests read them)."""
        self.find = ""
        """What ``/`` searches for (blank: nothing highlighted)."""
        self.matches: list[int] = []
        """Lines holding it."""
        self.current = -1
        """The match the view is on (an index into ``matches``)."""

    @property
    def step(self) -> str:
        """``yaml pod eks/…``."""
        return "yaml " + super().step

    def compose(self) -> ComposeResult:
        """Breadcrumb, the YAML (scrolling), footer."""
        yield Crumb(id="crumb")
        with VerticalScroll(id="yaml"):
            yield Static(id="text")
        yield YamlSearch(id="search", placeholder="search the YAML — Enter finds, n / N move")
        yield LeanFooter(compact=True)

    def on_mount(self) -> None:
        """Show what is known now (the detail view's copy), then read it afresh."""
        self.ready = True
        self.render_now()
        self.query_one("#yaml", VerticalScroll).focus()
        super().on_mount()

    def object_changed(self) -> None:
        """A read answered."""
        self.render_now()

    def refresh_live(self, changes: Changes | None) -> None:
        """The YAML is the server's: it changes when it is read again, not per frame; only a
        kind the store alone keeps follows the store."""
        if self.full is None and changes is not None and self.kind in changes.kinds():
            self.render_now()

    def render_now(self) -> None:
        """Render the YAML of the whole object, or of the store's model with a note."""
        if not self.ready:
            return
        self.refresh_chrome()
        if self.full is not None:
            lines = object_yaml(self.full, managed_fields=self.show_managed)
            if not self.show_managed and "managedFields" in (self.full.get("metadata") or {}):
                lines = ["# managedFields hidden (m shows them)", *lines]
        else:
            obj = self.store.get(self.cluster, self.kind, self.key)
            why = self.fetch_note if self.fetched else "reading…"
            lines = [f"# whole object: {why}; what the store keeps:", *model_yaml(obj)]
        if lines != self.lines:
            self.lines = lines
            self.matches = matching_lines(lines, self.find)
            self.current = min(self.current, len(self.matches) - 1)
            self.show_text()

    def show_text(self) -> None:
        """Draw the lines with the search's highlights."""
        line = self.matches[self.current] if 0 <= self.current < len(self.matches) else -1
        self.query_one("#text", Static).update(yaml_text(self.lines, self.find, line))

    def open_search(self) -> None:
        """``/``: the search line takes the footer's place."""
        search = self.query_one(YamlSearch)
        self.query_one(LeanFooter).display = False
        search.display = True
        search.value = self.find
        self.set_focus(search)

    def close_search(self) -> None:
        """Back to scrolling."""
        self.query_one(YamlSearch).display = False
        footer = self.query_one(LeanFooter)
        footer.display = True
        self.query_one("#yaml", VerticalScroll).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the search line: highlight every match, go to the first."""
        event.stop()
        self.find = event.value
        self.matches = matching_lines(self.lines, self.find)
        self.current = -1
        self.close_search()
        if not self.matches and self.find:
            self.notify(f"not found: {self.find}", severity="warning", timeout=3)
        self.action_next_match(1)

    def action_next_match(self, step: int) -> None:
        """n / N: the next or previous match, wrapping around."""
        if not self.matches:
            self.show_text()
            return
        self.current = (self.current + step) % len(self.matches)
        self.show_text()
        # One line of YAML can wrap; scroll to about where it is (wrapping makes it approximate).
        self.query_one("#yaml", VerticalScroll).scroll_to(
            y=max(self.matches[self.current] - 2, 0), animate=False
        )

    def action_managed_fields(self) -> None:
        """Show or hide ``metadata.managedFields``."""
        self.show_managed = not self.show_managed
        self.render_now()

    def action_copy_kubectl(self) -> None:
        """``K``: the kubectl command that prints this object as YAML."""
        copy_out(
            self,
            kubectl.get_yaml(self.cluster, self.kind, self.key),
            "kubectl command",
            missing=f"no kubectl command shows a {self.kind} (it is not a Kubernetes object)",
        )

    def action_top(self) -> None:
        """Scroll to the first line."""
        self.query_one("#yaml", VerticalScroll).scroll_home(animate=False)

    def action_bottom(self) -> None:
        """Scroll to the last line."""
        self.query_one("#yaml", VerticalScroll).scroll_end(animate=False)
