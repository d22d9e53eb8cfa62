"""I/O only: each backend is a Source (it emits events) and, where it can change things, has
some of the actions' capabilities (``actions/capabilities.py``). Nothing here imports Textual
(checked by import-linter and a test)."""
