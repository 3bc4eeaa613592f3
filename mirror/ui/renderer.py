"""The renderer: draws an AppState (plus an optional pose for the skeleton overlay) each frame.

It never computes analysis; it only eases what it shows toward the state (count pop, gauge), so
animation stays smooth at the display rate while analysis arrives at ~10 Hz.
"""

from __future__ import annotations

import math
import weakref

import numpy as np
import pygame

from mirror.config import EXERCISES
from mirror.pose.keypoints import SKELETON, Pose
from mirror.session.state import AppState, Screen
from mirror.ui.draw import AMBER, BLACK, GREEN, GREY, WHITE, Canvas, Drawn
from mirror.ui.screens import SCREENS, Anim, draw_idle

POP_S = 0.35  # count pop decay
GAUGE_TAU_S = 0.08  # gauge easing time constant


class Renderer:
    def __init__(self, order: tuple[str, ...] = tuple(EXERCISES)) -> None:
        self.order = order
        self.anim = Anim()
        self._last_count: int | None = None
        self._last_t: float | None = None
        self._pop_t = -1e9
        self.drawn: list[Drawn] = []
        # The surface self.drawn was drawn on (only there is the rest known to be black).
        self._drawn_on: tuple[weakref.ref, tuple[int, int]] | None = None

    def warm(self, size: tuple[int, int], counts: int = 25) -> None:
        """Rasterise every screen's text once at this size, and the counts with their pop
        steps, so the first rep or screen change does not stall a frame (big glyphs take ms)."""
        from dataclasses import replace  # noqa: PLC0415

        from mirror.ui.samples import sample_states  # noqa: PLC0415
        from mirror.ui.screens import active_layout, big_count  # noqa: PLC0415

        scratch = pygame.Surface(size)
        keep = (self.anim, self._last_count, self._last_t, self._pop_t)
        for st in sample_states().values():
            self.draw(scratch, replace(st, exercise=self.order[0]), 0.0)
        c = Canvas(scratch)
        box = active_layout(c)[0]
        for n in range(counts):
            for step in (0.0, 0.25, 0.5, 0.75, 1.0):
                big_count(c, box, n, step)
        self.anim, self._last_count, self._last_t, self._pop_t = keep
        self._drawn_on = None

    def _advance(self, st: AppState, now: float) -> None:
        dt = 0.0 if self._last_t is None else max(0.0, min(0.5, now - self._last_t))
        self._last_t = now
        if self._last_count is not None and st.reps > self._last_count:
            self._pop_t = now
        self._last_count = st.reps
        target = st.analysis.depth if st.screen == Screen.ACTIVE else 0.0
        k = 1.0 if dt == 0.0 and self.anim.now == 0.0 else 1 - math.exp(-dt / GAUGE_TAU_S)
        self.anim.depth += (target - self.anim.depth) * k
        self.anim.pop = max(0.0, 1 - (now - self._pop_t) / POP_S)
        self.anim.now = now

    def draw(self, surface: pygame.Surface, st: AppState, now: float,
             pose: Pose | None = None) -> list[Drawn]:
        """Draw one frame; returns what was drawn (rects), which tests check against pixels."""
        self._advance(st, now)
        c = Canvas(surface)
        same = self._drawn_on is not None and self._drawn_on[0]() is surface and \
            self._drawn_on[1] == surface.get_size()
        c.clear([d.rect for d in self.drawn] if same else None)
        if not same:
            self._drawn_on = (weakref.ref(surface), surface.get_size())
        if st.overlay and pose is not None and st.screen in (Screen.ACTIVE, Screen.GET_READY):
            skeleton(c, pose)  # first: the numbers and cues stay readable on top
        if st.screen == Screen.IDLE:
            draw_idle(c, st, self.anim, self.order)
        else:
            SCREENS[st.screen](c, st, self.anim)
        if st.diagnostics_on:
            diagnostics(c, st)
        if st.notice:
            notice(c, st.notice)
        if st.toast:
            toast(c, st.toast)
        if st.shutdown_menu:
            shutdown_menu(c)
        self.drawn = c.drawn
        return c.drawn


def skeleton(c: Canvas, pose: Pose) -> None:
    """Thin mirrored stick figure, fitted to the screen (the glass shows the person mirrored)."""
    kp = pose.keypoints
    ok = kp[:, 2] >= 0.2
    if ok.sum() < 4:
        return
    scale = min(c.w / pose.width, c.h / pose.height)
    ox = (c.w - pose.width * scale) / 2
    oy = (c.h - pose.height * scale) / 2
    pts = np.empty((len(kp), 2))
    pts[:, 0] = ox + (pose.width - kp[:, 0]) * scale
    pts[:, 1] = oy + kp[:, 1] * scale
    width = max(2, int(c.u * 0.4))
    for a, b in SKELETON:
        if ok[a] and ok[b]:
            c.line(tuple(pts[a]), tuple(pts[b]), GREEN, width)
    for i in np.flatnonzero(ok):
        c.circle(tuple(pts[i]), c.u * 0.6, GREEN)


def diagnostics(c: Canvas, st: AppState) -> None:
    items = sorted(st.diagnostics.items())
    if not items:
        items = [("no data", 0.0)]
    size = int(3.6 * c.u)
    x, y = c.w * 0.02, c.h * (0.075 if c.portrait else 0.11)
    for key, value in items[:12]:
        c.text(f"{key} {value:.1f}", size, GREEN, topleft=(x, y))
        y += size * 0.8


def notice(c: Canvas, text: str) -> None:
    """A lasting problem that does not stop the session (history cannot be saved)."""
    box = c.R(0.03, 0.955, 0.94, 0.035)
    c.fit_text(text, box, AMBER, 4 * c.u)


def toast(c: Canvas, text: str) -> None:
    box = c.R(0.2, 0.62 if c.portrait else 0.45, 0.6, 0.07)
    c.rect(box, BLACK, 0, box.h // 3)
    c.rect(box, WHITE, max(2, int(c.u * 0.4)), box.h // 3)
    c.fit_text(text, box.inflate(-int(3 * c.u), -int(1.5 * c.u)), WHITE, 7 * c.u)


def shutdown_menu(c: Canvas) -> None:
    box = c.R(0.08, 0.3, 0.84, 0.34) if c.portrait else c.R(0.2, 0.22, 0.6, 0.5)
    c.rect(box, BLACK, 0, int(3 * c.u))
    c.rect(box, AMBER, max(3, int(c.u * 0.6)), int(3 * c.u))
    top = box.inflate(-int(6 * c.u), 0)
    title = pygame.Rect(top.x, box.y + int(box.h * 0.1), top.w, int(box.h * 0.35))
    c.fit_text("Shut down?", title, AMBER, 14 * c.u)
    yes = pygame.Rect(top.x, box.y + int(box.h * 0.5), top.w, int(box.h * 0.18))
    c.fit_text("START: yes, shut down", yes, WHITE, 7 * c.u)
    no = pygame.Rect(top.x, box.y + int(box.h * 0.72), top.w, int(box.h * 0.16))
    c.fit_text("any other button: cancel", no, GREY, 6 * c.u)
