"""The Phra Khanong fixtures are exactly the seed document plus the documented corrections."""

import filecmp
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
SEED = Path(
    os.environ.get("ITA_SEED_FILE", BASE.parent / "shared" / "seed" / "000_165266067fffd104.txt")
)
GENERATED = [
    "ita2564/items.csv",
    "phra_khanong/scores_2564.csv",
    "phra_khanong/reported_2564.csv",
    "phra_khanong/plan_2565.csv",
]


@pytest.mark.skipif(not SEED.exists(), reason="the seed document is not beside the project")
def test_the_fixtures_are_the_extraction_of_the_seed(tmp_path):
    subprocess.run(
        [sys.executable, str(BASE / "scripts" / "extract_seed.py"), str(SEED), str(tmp_path)],
        check=True,
        capture_output=True,
    )
    different = [
        name
        for name in GENERATED
        if not filecmp.cmp(tmp_path / name, BASE / "fixtures" / name, shallow=False)
    ]
    assert different == []
