"""Files the application writes on the server: there whole, or not at all."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def written_whole(target: Path, mode: int = 0o600) -> Iterator[Path]:
    """Write ``target`` under a temporary name beside it (yielded), then give it ``mode`` and rename it: a reader
    never sees it half written, and a failure leaves no partial file. OSError goes to the caller."""
    partial = target.with_name(f".{target.name}.partial")
    try:
        yield partial
        partial.chmod(mode)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
