"""Textual-aware glue with no widgets: the action flow (form -> plan -> dialog -> run)."""
