"""The copy keys' one way to the clipboard: OSC 52 (``App.copy_to_clipboard`` writes
``ESC ] 52 ; c ; BASE64 BEL``), which the local terminal obeys through SSH, and tmux with
``set-clipboard on``; a toast says what was copied, or why nothing was."""

from __future__ import annotations

from textual.binding import Binding
from textual.widget import Widget

from wundr_tui.kubectl import clipboard_text

COPY_NAME = "Copy the row's name to the clipboard (OSC 52: works over SSH and tmux)"
"""The ``copy.name`` key's words in the help."""


def copy_name_binding() -> Binding:
    """``n``: copy the row's name (id ``copy.name``, the same on every screen that has it)."""
    return Binding("n", "copy_name", "Copy name", show=False, id="copy.name", tooltip=COPY_NAME)


def copy_kubectl_binding(tooltip: str) -> Binding:
    """``K``: copy the kubectl command that shows what is on screen (id ``copy.kubectl``)."""
    return Binding(
        "K",
        "copy_kubectl",
        "Copy kubectl",
        key_display="K",
        show=False,
        id="copy.kubectl",
        tooltip=tooltip,
    )


def copy_out(node: Widget, text: str | None, what: str, *, missing: str = "") -> bool:
    """Copy ``text`` (``what`` it is, for the toast); a warning instead when there is nothing
    (``missing`` says why) or it holds a control character. True when copied."""
    if text is None:
        node.notify(missing or f"no {what} to copy here", severity="warning", timeout=4)
        return False
    clean = clipboard_text(text)
    if clean is None:
        node.notify(
            f"{what} not copied: it holds control or invisible characters",
            severity="warning",
            timeout=5,
            markup=False,
        )
        return False
    node.app.copy_to_clipboard(clean)
    node.notify(f"copied {what}: {clean}", timeout=4, markup=False)
    return True
