from __future__ import annotations

import pytest

from thidua.scoring import plan_211


@pytest.fixture
def rubric():
    return plan_211()
