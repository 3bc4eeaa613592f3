"""Still images (PNG, JPEG, BMP) as RGB arrays, read with pygame's SDL_image (no extra deps)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from mirror.errors import SourceError
from mirror.fileio import why_unreadable


def load_image(path: str | Path) -> np.ndarray:
    p = Path(path)
    if why := why_unreadable(p):
        raise SourceError(f"{p}: {why}")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame  # noqa: PLC0415 - only image commands need it

    try:
        surface = pygame.image.load(str(p))
    except (pygame.error, OSError) as e:
        raise SourceError(f"{p}: not a readable image ({e}); expected PNG, JPEG or BMP") from None
    w, h = surface.get_size()
    # tobytes arrived in pygame 2.1.3; Raspberry Pi OS Bookworm ships 2.1.2 (tostring).
    to_bytes = getattr(pygame.image, "tobytes", None) or pygame.image.tostring
    data = to_bytes(surface, "RGB")
    return np.frombuffer(data, dtype=np.uint8).reshape(h, w, 3).copy()
