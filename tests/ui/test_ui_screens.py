"""Screenshot tests: every screen, portrait and landscape, checked on real pixels."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from dataclasses import replace  # noqa: E402

import numpy as np  # noqa: E402
import pygame  # noqa: E402
import pytest  # noqa: E402

from mirror.analysis.events import AnalysisState  # noqa: E402
from mirror.session.state import AppState, Screen  # noqa: E402
from mirror.ui.renderer import Renderer  # noqa: E402
from mirror.ui.samples import sample_states  # noqa: E402

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
STATES = sample_states()
OUT = os.environ.get("HINGE_SCREENSHOT_DIR")  # set to keep the PNGs for looking at them


@pytest.fixture(scope="module", autouse=True)
def _pygame():
    pygame.font.init()
    yield


def render(state: AppState, size: tuple[int, int], now: float = 1.0, renderer=None):
    surf = pygame.Surface(size)
    r = renderer or Renderer()
    drawn = r.draw(surf, state, now)
    return surf, drawn


def count_rect(surf: pygame.Surface, drawn, count: int) -> pygame.Rect:
    """The ink bounding box of the drawn count text (measured on pixels)."""
    texts = [d for d in drawn if d.kind == "text" and d.text == str(count)]
    assert texts, f"count {count} not drawn"
    big = max(texts, key=lambda d: d.size)
    area = big.rect.clip(surf.get_rect())
    ink = surf.subsurface(area).get_bounding_rect()
    return ink.move(area.topleft)


@pytest.mark.parametrize("orient", SIZES)
@pytest.mark.parametrize("name", STATES)
def test_every_screen_text_inside_and_black_elsewhere(name, orient):
    size = SIZES[orient]
    surf, drawn = render(STATES[name], size)
    if OUT:
        os.makedirs(OUT, exist_ok=True)
        pygame.image.save(surf, os.path.join(OUT, f"{name}_{size[0]}x{size[1]}.png"))
    screen = surf.get_rect()
    texts = [d for d in drawn if d.kind == "text"]
    assert len(texts) >= 3, "a screen says something"
    for d in texts:
        assert screen.contains(d.rect), f"{name}: text {d.text!r} at {d.rect} leaves {screen}"
    # every lit pixel belongs to a drawn element: the rest of the glass stays black
    px = pygame.surfarray.array3d(surf)  # (w, h, 3)
    covered = np.zeros(size, bool)
    for d in drawn:
        r = d.rect.clip(screen)
        covered[r.left:r.right, r.top:r.bottom] = True
    lit = px.max(axis=2) > 0
    assert lit.any()
    assert not (lit & ~covered).any(), f"{name}: pixels lit outside drawn elements"
    assert (~lit).mean() > 0.5, f"{name}: mostly black (a mirror shows the person through it)"


@pytest.mark.parametrize("orient", SIZES)
@pytest.mark.parametrize("name", ["active", "summary"])
def test_rep_count_glyph_is_a_fifth_of_the_screen_height(name, orient):
    size = SIZES[orient]
    for reps in (7, 18, 108):
        state = replace(STATES[name], reps=reps)
        surf, drawn = render(state, size)
        ink = count_rect(surf, drawn, reps)
        assert ink.height >= 0.2 * size[1], f"{name} {orient}: count {reps} ink {ink.height}px"
        text = [d for d in drawn if d.text == str(reps)][0]
        assert surf.get_rect().contains(text.rect)


def test_count_is_bright_on_black():
    surf, drawn = render(STATES["active"], SIZES["portrait"])
    ink = count_rect(surf, drawn, STATES["active"].reps)
    px = pygame.surfarray.array3d(surf.subsurface(ink))
    assert px.max() == 255
    assert (px.max(axis=2) > 200).mean() > 0.15  # a solid, bright glyph


def test_rest_timer_counts_down_then_over():
    st = STATES["rest"]
    _, drawn = render(st, SIZES["portrait"])
    assert "1:03" in [d.text for d in drawn]  # 90 - 27.4 s
    _, drawn = render(replace(st, rest_s=95.0), SIZES["portrait"])
    assert "+0:05" in [d.text for d in drawn]


def test_error_screen_says_what_is_wrong_in_plain_words():
    _, drawn = render(STATES["error"], SIZES["landscape"])
    words = " ".join(d.text for d in drawn)
    assert "No camera found" in words and "ribbon" in words


def test_partly_visible_message_is_shown_on_get_ready():
    st = replace(STATES["get_ready"], analysis=AnalysisState(
        person_visible=True, message="Step back: feet not visible"))
    _, drawn = render(st, SIZES["portrait"])
    assert any("feet not visible" in d.text for d in drawn)


def test_any_resolution_keeps_text_on_screen():
    for size in ((480, 800), (800, 480), (720, 1280), (3840, 2160), (600, 600)):
        for name, st in STATES.items():
            surf, drawn = render(st, size)
            for d in drawn:
                if d.kind == "text":
                    assert surf.get_rect().contains(d.rect), (name, size, d.text)


def test_gauge_eases_toward_depth_and_count_pops_on_a_new_rep():
    r = Renderer()
    st = replace(STATES["active"], analysis=replace(STATES["active"].analysis, depth=0.0))
    render(st, SIZES["portrait"], 0.0, r)
    deep = replace(st, analysis=replace(st.analysis, depth=1.0))
    render(deep, SIZES["portrait"], 1 / 60, r)
    first = r.anim.depth
    render(deep, SIZES["portrait"], 2 / 60, r)
    assert 0.0 < first < r.anim.depth < 1.0  # smooth, not a jump
    render(deep, SIZES["portrait"], 1.0, r)
    assert r.anim.depth == pytest.approx(1.0, abs=0.01)
    more = replace(deep, reps=deep.reps + 1)
    _, drawn = render(more, SIZES["portrait"], 1.0 + 1 / 60, r)
    assert r.anim.pop > 0.9
    assert str(more.reps) in [d.text for d in drawn]


@pytest.mark.parametrize("flag", ["overlay", "diagnostics_on", "shutdown_menu", "toast"])
def test_overlays_stay_on_screen(flag):
    from mirror.session.demo import side_pose

    value = "Volume 80%" if flag == "toast" else True
    st = replace(STATES["active"], **{flag: value}, diagnostics={"ui_fps": 60.0})
    for size in SIZES.values():
        surf = pygame.Surface(size)
        drawn = Renderer().draw(surf, st, 1.0, side_pose(0.5))
        for d in drawn:
            if d.kind == "text":
                assert surf.get_rect().contains(d.rect)
        if flag == "shutdown_menu":
            assert any("Shut down?" in d.text for d in drawn)


def test_idle_marks_the_current_exercise():
    st = STATES["idle"]
    assert st.screen == Screen.IDLE
    _, drawn = render(st, SIZES["landscape"])
    assert "Romanian deadlift" in [d.text for d in drawn]


def test_redrawing_on_the_same_surface_leaves_no_trails() -> None:
    """Frames clear only what the previous frame drew: after any sequence of screens (and a
    moving skeleton), the pixels equal a fresh render of the last state on a black surface."""
    from mirror.pose.keypoints import Pose

    rng = np.random.default_rng(3)
    size = SIZES["portrait"]
    surf = pygame.Surface(size)
    surf.fill((0, 0, 0))
    live, ref_renderer = Renderer(), Renderer()
    names = ["idle", "get_ready", "active", "active", "rest", "summary", "error", "active"]
    for i, name in enumerate(names):
        kp = np.zeros((17, 3), np.float32)
        kp[:, 0] = rng.uniform(20, 380, 17)
        kp[:, 1] = rng.uniform(20, 700, 17)
        kp[:, 2] = 0.9
        pose = Pose(kp, float(i), 404, 720)
        state = replace(STATES[name], overlay=True)
        now = 1.0 + i
        live.draw(surf, state, now, pose)
        fresh = pygame.Surface(size)  # a new black surface: drawn with a full clear
        ref_renderer.draw(fresh, state, now, pose)
        got, ref = pygame.surfarray.array3d(surf), pygame.surfarray.array3d(fresh)
        assert (got == ref).all(), f"frame {i} ({name}): differs from a full redraw (trail)"
    assert live._drawn_on is not None  # the live surface really was cleared partially
