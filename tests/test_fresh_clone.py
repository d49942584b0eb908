"""A fresh clone with nothing beside it collects every test: no test needs ``../shared`` to import.

The licensed evaluation data lies beside the CI checkout only, so a test that reads it at import
time would pass in CI and break every contributor's and self-hoster's ``scripts/test``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def checkout_files() -> list[str]:
    """What a clone of the working tree would hold: tracked and untracked, not ignored, files."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    return [name for name in listed.stdout.decode().split("\0") if name]


def test_a_clone_without_shared_data_collects_every_test(tmp_path):
    clone = tmp_path / "lonely" / "sidenote"  # its parent holds no shared/ folder
    for name in checkout_files():
        source = ROOT / name
        if source.is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name)
    env = {**os.environ, "PYTHONPATH": str(clone)}
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    tail = (collected.stdout + collected.stderr)[-3000:]
    assert collected.returncode == 0, tail
    assert "error" not in collected.stdout.splitlines()[-1], tail
    assert not (tmp_path / "lonely" / "shared").exists()
