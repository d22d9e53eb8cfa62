"""The YAML view (``y`` on a row or in the detail view): the object as the server has it,
``managedFields`` hidden unless ``m`` shows them, scrollable, plain Text (never markup; every
line made safe). Kinds with no server object (and a replay) show what the store keeps."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from wundr_tui.backends.base import FullObject
from wundr_tui.model import Kind
from wundr_tui.object_yaml import model_yaml, object_yaml
from wundr_tui.screens.investigate import Crumb, InvestigationScreen
from wundr_tui.store import Changes
from wundr_tui.widgets.footer import LeanFooter


def yaml_text(lines: list[str]) -> Text:
    """YAML lines as one Text: keys bold, comments dim (styles only; the text is as given)."""
    out = Text(no_wrap=False)
    for line in lines:
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


class YamlScreen(InvestigationScreen):
    """One object as YAML; a step on the navigation stack."""

    DEFAULT_CSS = """
    YamlScreen #yaml { height: 1fr; padding: 0 1; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *InvestigationScreen.BINDINGS,
        Binding("m", "managed_fields", "managedFields", id="yaml.managed"),
        Binding("home", "top", "Top", show=False, id="yaml.top"),
        Binding("end", "bottom", "Bottom", show=False, id="yaml.bottom"),
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

    @property
    def step(self) -> str:
        """``yaml pod eks/…``."""
        return "yaml " + super().step

    def compose(self) -> ComposeResult:
        """Breadcrumb, the YAML (scrolling), footer."""
        yield Crumb(id="crumb")
        with VerticalScroll(id="yaml"):
            yield Static(id="text")
        yield LeanFooter(compact=True)

    def on_mount(self) -> None:
        """Show what is known now (the detail view's copy), then read it afresh."""
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
        if not self.is_mounted:
            return
        self.query_one(Crumb).update(self.crumb_text())
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
            self.query_one("#text", Static).update(yaml_text(lines))

    def action_managed_fields(self) -> None:
        """Show or hide ``metadata.managedFields``."""
        self.show_managed = not self.show_managed
        self.render_now()

    def action_top(self) -> None:
        """Scroll to the first line."""
        self.query_one("#yaml", VerticalScroll).scroll_home(animate=False)

    def action_bottom(self) -> None:
        """Scroll to the last line."""
        self.query_one("#yaml", VerticalScroll).scroll_end(animate=False)
