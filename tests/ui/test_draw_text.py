"""Text on a mirror's black: copied opaque where nothing is under it, blended over drawn shapes."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import numpy as np  # noqa: E402
import pygame  # noqa: E402
import pytest  # noqa: E402

from mirror.ui.draw import BLACK, CYAN, WHITE, Canvas, rendered  # noqa: E402


@pytest.fixture(scope="module", autouse=True)
def _fonts():
    pygame.font.init()
    yield


def _pixels(surf: pygame.Surface) -> np.ndarray:
    return pygame.surfarray.array3d(surf).astype(int)


@pytest.mark.parametrize("text,size", [("12", 600), ("BOTTOM", 80), ("1.6s down", 40)])
def test_text_on_black_is_an_opaque_copy_with_the_blended_pixels(text, size):
    canvas = Canvas(pygame.Surface((1080, 1920)))
    canvas.text(text, size, WHITE, topleft=(7, 9))
    glyph = rendered(text, size, WHITE, canvas.surface)
    assert not glyph.get_flags() & pygame.SRCALPHA  # a plain copy, no per-pixel alpha
    blended = pygame.Surface((1080, 1920))
    blended.blit(rendered(text, size, WHITE), (7, 9))
    a, b = _pixels(canvas.surface), _pixels(blended)
    assert (b.max(axis=2) > 0).sum() > 100  # the text has ink
    assert np.abs(a - b).max() <= 1  # antialiasing onto black: the same pixels


def test_text_over_a_drawn_shape_blends_and_keeps_the_shape():
    canvas = Canvas(pygame.Surface((400, 200)))
    pill = pygame.Rect(20, 20, 360, 160)
    canvas.rect(pill, CYAN)
    box = canvas.text("REST", 120, BLACK, center=pill.center)
    px = _pixels(canvas.surface)
    inside = px[box.left:box.right, box.top:box.bottom]
    cyan = (inside == np.array(CYAN)).all(axis=2)
    assert cyan.mean() > 0.4  # the pill shows between the letters (an opaque copy would black it)
    assert (inside.max(axis=2) < 40).sum() > 200  # and the black letters are drawn on it
