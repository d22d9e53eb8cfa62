"""I/O only: each backend is a Source (it emits events) and, where it can change things, an
Operator. Nothing here imports Textual (checked by import-linter and a test)."""
