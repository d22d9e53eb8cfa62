"""Snapshot SVGs as PNG pictures, every glyph in its cell: ``python -m tests.snapshots.to_png
SVG... [--out DIR]`` (needs ``rsvg-convert``, Debian's librsvg2-bin, and the Fira Code font,
fonts-firacode, for the glyphs the SVG asks for).

Rich places each run of text at its cell with ``textLength``; rsvg ignores that and collapses
runs of ``&#160;``, so a column after a coloured cell drifts left ("Running2" where the screen
reads "Running   2") and a picture reviewed that way lies. Here each run of non-blank glyphs
becomes its own ``<text>`` at its own cell; the backgrounds are separate rectangles already.
"""

from __future__ import annotations

import argparse
import html
import re
import subprocess
from pathlib import Path

from rich.cells import cell_len, get_character_cell_size

_TEXT = re.compile(r'<text ([^>]*?)x="([\d.]+)"([^>]*?)textLength="([\d.]+)"([^>]*)>([^<]*)</text>')


def _split(match: re.Match[str]) -> str:
    before, x, middle, length, after, body = match.groups()
    text = html.unescape(body)
    cells = cell_len(text)
    if not cells:
        return match.group(0)
    width = float(length) / cells
    out: list[str] = []
    run: list[str] = []
    start = pos = float(x)

    def flush() -> None:
        if run:
            glyphs = html.escape("".join(run), quote=False)
            out.append(f'<text {before}x="{start:.1f}"{middle}{after}>{glyphs}</text>')
            run.clear()

    for char in text:
        if char.isspace():
            flush()
        else:
            if not run:
                start = pos
            run.append(char)
        pos += width * get_character_cell_size(char)
    flush()
    return "".join(out)


def cell_exact(svg: str) -> str:
    """``svg`` with each run of glyphs placed at its own cell."""
    return _TEXT.sub(_split, svg)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("svg", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path("/tmp/snapshot-png"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for svg in args.svg:
        png = args.out / f"{svg.stem}.png"
        subprocess.run(
            ["rsvg-convert", "-o", str(png)], input=cell_exact(svg.read_text()).encode(), check=True
        )
        print(png)


if __name__ == "__main__":
    main()
