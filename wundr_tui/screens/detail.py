"""The detail view (Enter or ``d`` on any row): one object's facts in an engineer's words,
live from the store; its events at the bottom, newest first; the objects related to it in a
list to move in (Enter opens one, Esc comes back); ``y`` its YAML, ``l`` its logs.

Every string shown is a ``Text`` (never markup): the model's strings were made safe at the
pump, the whole object's by ``details`` as it is read.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from wundr_tui import kubectl
from wundr_tui.details import KIND_WORDS, Section, Tone, describe, when
from wundr_tui.model import Kind, KubeEvent
from wundr_tui.related import Ref, related
from wundr_tui.screens.investigate import Crumb, InvestigationScreen
from wundr_tui.screens.logs_link import open_logs
from wundr_tui.store import Changes
from wundr_tui.widgets.clipboard import copy_kubectl_binding, copy_name_binding, copy_out
from wundr_tui.widgets.footer import LeanFooter

TONES: dict[Tone, str] = {
    "": "",
    "bad": "bold red",
    "warn": "yellow",
    "good": "green",
    "dim": "dim",
    "link": "underline cyan",
}
"""How each tone of a fact is drawn."""

LABEL_WIDTH = 20
"""Width of the label column of a fact."""

MAX_EVENTS = 6
"""Most events listed (newest first); the box shows what fits."""

RELATED_EVERY = 1.0
"""Seconds between recomputing the related list (it can scan every pod of a cluster)."""


def render_sections(sections: list[Section]) -> Text:
    """Sections as one Text: a bold title, then ``label  value`` lines coloured by tone."""
    out = Text()
    for i, section in enumerate(sections):
        if i:
            out.append("\n")
        out.append(section.title, style="bold underline")
        out.append("\n")
        for fact in section.facts:
            label = (
                fact.label if len(fact.label) < LABEL_WIDTH else fact.label[: LABEL_WIDTH - 2] + "…"
            )
            out.append(f"{label:<{LABEL_WIDTH}}", style="dim" if label.startswith("  ") else "bold")
            out.append(fact.value, style=TONES.get(fact.tone, ""))
            out.append("\n")
    return out


def events_text(events: list[KubeEvent], now: float) -> Text:
    """``Events (newest first)``: last seen, count, type, reason and note, one a line (cut
    with … at the screen's edge: the YAML and the Events pane show the whole note)."""
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append("Events", style="bold underline")
    out.append(" (newest first)\n", style="dim")
    if not events:
        out.append("no events for this object\n", style="dim")
        return out
    ordered = sorted(events, key=lambda e: -e.last_seen)
    for e in ordered[:MAX_EVENTS]:
        warning = e.type == "Warning"
        out.append(f"{when(e.last_seen, now).split(' (')[0]:>9}  ", style="dim")
        out.append(f"\u00d7{e.count:<4} ")  # times seen
        out.append(e.reason, style="bold yellow" if warning else "bold")
        out.append(f"  {e.note}\n")
    if len(ordered) > MAX_EVENTS:
        out.append(f"… {len(ordered) - MAX_EVENTS} older\n", style="dim")
    return out


class DetailScreen(InvestigationScreen):
    """One object: facts, events, related objects; a step on the navigation stack."""

    DEFAULT_CSS = """
    DetailScreen #facts { height: 1fr; padding: 0 1; }
    DetailScreen #events {
        height: auto; max-height: 7; padding: 0 1; background: $boost;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    DetailScreen #related {
        height: auto; max-height: 6; border: none; border-top: solid $accent 40%;
    }
    DetailScreen #related:focus { border-top: solid $accent; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        *InvestigationScreen.BINDINGS,
        Binding("enter", "open_related", "Open related", id="detail.related"),
        Binding("y", "yaml", "YAML", id="detail.yaml"),
        Binding("l", "logs", "Logs", id="detail.logs"),
        Binding("pageup", "scroll_facts(-1)", "Scroll up", show=False, id="detail.pageup"),
        Binding("pagedown", "scroll_facts(1)", "Scroll down", show=False, id="detail.pagedown"),
        copy_name_binding(),
        copy_kubectl_binding("Copy the kubectl command that shows it (describe)"),
    ]

    def __init__(self, cluster: str, kind: Kind, key: str, trail: tuple[str, ...]) -> None:
        super().__init__(cluster, kind, key, trail)
        self.refs: list[Ref] = []
        """The related objects listed, in order."""
        self._shown: tuple[Text, Text] | None = None
        self._generation = -1
        self._related_at = -1.0
        self._refs_key: tuple[tuple[Kind, str, str], ...] = ()

    def compose(self) -> ComposeResult:
        """Breadcrumb, facts (scrolling), events, related list, footer."""
        yield Crumb(id="crumb")
        with VerticalScroll(id="facts"):
            yield Static(id="body")
        # Below the facts and always in view (their scroll can be long): the events.
        yield Static(id="events")
        yield OptionList(id="related")
        yield LeanFooter(compact=True)

    def on_mount(self) -> None:
        """Render at once from the store, then read the whole object."""
        self.ready = True
        self.render_now(force=True)
        self.query_one("#related", OptionList).focus()
        super().on_mount()

    def on_screen_resume(self) -> None:
        """Back from a related object: bring everything up to date."""
        self.render_now(force=True)

    def object_changed(self) -> None:
        """The whole object was read (again)."""
        self.render_now(force=True)

    def refresh_live(self, changes: Changes | None) -> None:
        """Each frame: re-render when the store changed (the related list at most once a
        second), and tick ages once a second."""
        self.render_now(force=False)

    def render_now(self, *, force: bool) -> None:
        """Bring the breadcrumb, facts, events and related list up to date."""
        if not self.ready:
            return
        store = self.store
        now = store.clock.now()
        if not force and store.generation == self._generation and now - self._related_at < 1.0:
            return
        self._generation = store.generation
        self.refresh_chrome()
        sections = describe(store, self.cluster, self.kind, self.key, self.full, now)
        body = render_sections(sections)
        note = self.source_note()
        if note is not None:
            body.append("\n")
            body.append_text(note)
        events = events_text(self.events(), now)
        if self._shown is None or (body, events) != self._shown:
            self._shown = (body, events)
            self.query_one("#body", Static).update(body)
            self.query_one("#events", Static).update(events)
        if force or now - self._related_at >= RELATED_EVERY:
            self._related_at = now
            self.show_related(related(store, self.cluster, self.kind, self.key))

    def source_note(self) -> Text | None:
        """A line saying where the facts come from when the whole object is not there."""
        if self.full is not None:
            return None
        if not self.fetched:
            return Text("reading the whole object…", style="dim")
        return Text(
            f"whole object: {self.fetch_note}; the facts above are the store's", style="dim"
        )

    def events(self) -> list[KubeEvent]:
        """The object's events from the store (the events source), newest first."""
        return self.store.events_for(self.cluster, self.kind, self.namespace, self.object_name)

    def show_related(self, refs: list[Ref]) -> None:
        """Refill the related list when what it lists changed (keeps the highlight)."""
        tags = self.host.cluster_tags
        key = tuple((r.kind, r.key, r.relation) for r in refs)
        if key == self._refs_key:
            return
        self._refs_key = key
        self.refs = refs
        options = self.query_one("#related", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        if not refs:
            options.add_option(
                Option(Text("nothing related in the store", style="dim"), disabled=True)
            )
            return
        prompts = []
        for ref in refs:
            prompt = Text(no_wrap=True, overflow="ellipsis")
            prompt.append(f"{ref.relation:<18}", style="dim")
            prompt.append(f"{KIND_WORDS.get(ref.kind, str(ref.kind))} ")
            prompt.append(f"{tags.get(ref.cluster, ref.cluster)}/{ref.name}", style="bold")
            prompts.append(Option(prompt))
        options.add_options(prompts)  # one layout for the list, not one per option
        options.highlighted = min(highlighted or 0, len(refs) - 1)

    def selected_ref(self) -> Ref | None:
        """The related object under the list's highlight."""
        index = self.query_one("#related", OptionList).highlighted
        if index is None or not 0 <= index < len(self.refs):
            return None
        return self.refs[index]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter in the related list: open that object."""
        event.stop()
        self.action_open_related()

    def action_open_related(self) -> None:
        """Open the highlighted related object (a new step on the stack)."""
        ref = self.selected_ref()
        if ref is None:
            return
        DetailScreen(ref.cluster, ref.kind, ref.key, (*self.trail, self.step)).open()

    def action_yaml(self) -> None:
        """The object as the server has it."""
        from wundr_tui.screens.yaml import YamlScreen

        self.app.push_screen(
            YamlScreen(self.cluster, self.kind, self.key, (*self.trail, self.step), full=self.full)
        )

    def action_logs(self) -> None:
        """Logs of this pod, or of every pod of this workload."""
        open_logs(self)

    def action_copy_name(self) -> None:
        """``n``: the object's name, to the clipboard."""
        copy_out(self, kubectl.object_name(self.store, self.cluster, self.kind, self.key), "name")

    def action_copy_kubectl(self) -> None:
        """``K``: the kubectl command that describes the object."""
        copy_out(
            self,
            kubectl.describe(self.cluster, self.kind, self.key),
            "kubectl command",
            missing=f"no kubectl command shows a {self.kind} (it is not a Kubernetes object)",
        )

    def action_scroll_facts(self, pages: int) -> None:
        """Page the facts and events up or down (the list keeps the arrow keys)."""
        facts = self.query_one("#facts", VerticalScroll)
        if pages < 0:
            facts.scroll_page_up(animate=False)
        else:
            facts.scroll_page_down(animate=False)
