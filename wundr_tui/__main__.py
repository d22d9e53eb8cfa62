"""``python -m wundr_tui``."""

from wundr_tui.cli import main

raise SystemExit(main())
