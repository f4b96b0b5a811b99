"""Fixtures for the document tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from documents_support import dossier

from thidua.documents import render_pdf


@pytest.fixture(scope="session")
def pdf_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pdf")


@pytest.fixture(scope="session")
def pdf_path(pdf_dir):
    made: dict[str, Path] = {}

    def make(stem: str) -> Path:
        if stem not in made:
            path = pdf_dir / f"{stem}.pdf"
            path.write_bytes(render_pdf(dossier()[stem]))
            made[stem] = path
        return made[stem]

    return make
