"""Shared fixtures: the real MoveNet model and the real clips from ../shared.

Under CI (CI=true) a missing model or clip folder fails the tests that need it; on a
developer machine without ../shared they are skipped with the reason.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# pygame prints a banner on import, which would land in captured stdout.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("HINGE_MIRROR_SHARED", ROOT.parent / "shared"))
MODEL = SHARED / "models" / "movenet_singlepose_lightning_int8_4.tflite"
CLIPS = SHARED / "clips"


def _need(path: Path, what: str) -> Path:
    if path.exists():
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{what} missing under CI: {path}")
    pytest.skip(f"{what} not found at {path}")
    return path


@pytest.fixture(scope="session")
def model_path() -> Path:
    return _need(MODEL, "MoveNet model")


@pytest.fixture(scope="session")
def clips_dir() -> Path:
    return _need(CLIPS, "real clips folder")


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    """No test reads or writes the user's real ~/.cache (nor another test's)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.delenv("HINGE_MIRROR_MODEL", raising=False)
