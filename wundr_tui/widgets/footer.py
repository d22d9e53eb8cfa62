"""A Footer that rebuilds its keys only when the keys it would show changed."""

from __future__ import annotations

from collections.abc import Hashable

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

PALETTE_CELLS = 11
"""The ``▏^p palette`` key docked on the right: its border and label."""


def fitting(keys: list[Widget], width: int) -> list[Widget]:
    """The keys that fit whole in ``width`` cells beside the palette key, in order: a key
    that does not fit is left out (help lists every key) rather than cut mid-word."""
    room = width - PALETTE_CELLS
    out: list[Widget] = []
    for key in keys:
        if key.has_class("-command-palette"):
            out.append(key)
            continue
        # A compact key is "k description" and one cell of margin after it.
        label = f"{getattr(key, 'key_display', '')} {getattr(key, 'description', '')}".strip()
        need = cell_len(label) + 1
        if need - 1 <= room:
            out.append(key)
            room -= need
        else:
            room = -1  # the keys stay in order: none after the first that did not fit
    return out


class LeanFooter(Footer):
    """Textual's Footer removes and mounts every key widget whenever the focused widget or
    an action's availability changes, even when the keys shown stay the same. Opening and
    closing the ``/`` prompt, switching panes and each access review did that: 10-20 new
    widgets styled and laid out, a large part of a keypress's repaint. This one compares
    what it would show with what it shows, and rebuilds only on a difference. Hidden (while
    the ``/`` or ``:`` prompt takes its line) it does not rebuild at all; ``catch_up`` checks
    again once it is shown."""

    DEFAULT_CSS = """
    LeanFooter.-compact FooterKey.-command-palette { margin-right: 0; }
    """
    # Footer's compact keys have one cell of margin on the right; on the palette key, docked
    # right, it left the last column uncovered, and a cut key's letter showed through there.

    _shown: Hashable = None
    _keys_known = False  # bindings_changed came once: the screen's bindings are ready

    def _signature(self) -> Hashable:
        """What compose would yield, as a comparable value."""
        active = self.screen.active_bindings
        keys = tuple(
            (
                binding.key,
                binding.key_display,
                binding.description,
                binding.action,
                enabled,
                tooltip,
                binding.group.description if binding.group is not None else None,
            )
            for (_, binding, enabled, tooltip) in active.values()
            if binding.show
        )
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        width = self.app.size.width
        return keys, (palette[2] if palette is not None else None), self.compact, width

    def compose(self) -> ComposeResult:
        """Footer's keys that fit the width whole; remembers what they were made from."""
        if self._keys_known:
            self._shown = self._signature()
        yield from fitting(list(super().compose()), self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        """Another width fits other keys."""
        if self._keys_known:
            self.call_after_refresh(self.catch_up)

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Rebuild only when the keys to show differ from the keys shown."""
        if not self._keys_known:
            # The first news of the bindings: Footer's own handler marks it ready to show
            # keys and builds them (nothing is shown yet, so nothing is rebuilt twice).
            self._keys_known = True
            super().bindings_changed(screen)
            return
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and self.display:
            self.call_after_refresh(self.catch_up)

    def catch_up(self) -> None:
        """Rebuild if the keys to show differ from the keys shown."""
        if self.is_attached and self.display and self._signature() != self._shown:
            self.call_later(self.recompose)
