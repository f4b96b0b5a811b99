"""Render many documents at once, optionally across processes (a year-end dossier is ~100 files)."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor

from .docx_renderer import render_docx
from .html_renderer import render_pdf
from .model import OfficialDocument

__all__ = ["render_all"]

_RENDERERS = {"docx": render_docx, "pdf": render_pdf}


def _render_chunk(chunk: Sequence[tuple[str, OfficialDocument]], formats: tuple[str, ...]):
    return [(f"{stem}.{fmt}", _RENDERERS[fmt](doc)) for stem, doc in chunk for fmt in formats]


def render_all(
    docs: Iterable[tuple[str, OfficialDocument]],
    formats: Sequence[str] = ("docx", "pdf"),
    *,
    workers: int | None = 1,
) -> dict[str, bytes]:
    """Render ``(stem, document)`` pairs to ``{"stem.docx": bytes, "stem.pdf": bytes, ...}``.

    ``workers=1`` renders in this process (warm caches, no start-up cost); ``None`` uses one
    process per CPU. Forked workers inherit the loaded fonts and the prepared .docx template.
    """
    items = list(docs)
    fmts = tuple(formats)
    unknown = set(fmts) - set(_RENDERERS)
    if unknown:
        raise ValueError(f"unknown formats: {sorted(unknown)}")
    n = workers or os.cpu_count() or 1
    if n <= 1 or len(items) < 2:
        return dict(_render_chunk(items, fmts))
    # interleave so each worker gets a mix of long and short documents
    chunks = [items[i::n] for i in range(n)]
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    with ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context(method)) as pool:
        results = pool.map(_render_chunk, chunks, [fmts] * n)
        out = dict(pair for part in results for pair in part)
    return {f"{stem}.{fmt}": out[f"{stem}.{fmt}"] for stem, _ in items for fmt in fmts}
