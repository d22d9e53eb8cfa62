"""Everything that touches Textual's internals, and only that: the driver subclass and the one
output patch, both written against the pinned Textual (``output.PINNED_TEXTUAL``)."""
