"""Pausing the cyclic garbage collector around allocation-heavy work that creates no cycles.

Scoring builds many small immutable objects and no reference cycles; with a large decoded
snapshot alive, the collector's passes would dominate the run time. Reference counting still
frees everything. On exit the objects allocated meanwhile are moved to the oldest generation
(``gc.freeze(); gc.unfreeze()``) instead of being scanned at once by a young-generation pass —
they are the long-lived result — and the collector's previous state is restored."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()
