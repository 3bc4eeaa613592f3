"""What `bench` draws: the kiosk's own UI headless, or a minimal stand-in where the UI cannot
be built, so the render stage costs what the mirror's drawing costs."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from mirror.pipeline.core import Pipeline


class StandInUI:
    """Draws what the kiosk draws (black, a big count, phase, skeleton) on an off-screen
    pygame surface: the render stage when the real UI cannot be built."""

    def __init__(self, pipe: Pipeline, size: tuple[int, int] = (1080, 1920)) -> None:
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
        os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
        import pygame  # noqa: PLC0415

        pygame.font.init()
        self.pg = pygame
        self.pipe = pipe
        self.surface = pygame.Surface(size)
        self.big = pygame.font.Font(None, 400)
        self.small = pygame.font.Font(None, 80)
        self._text_cache: dict[tuple[str, bool], Any] = {}
        self._seq = 0

    def _text(self, text: str, big: bool) -> Any:
        key = (text, big)
        img = self._text_cache.get(key)
        if img is None:
            if len(self._text_cache) > 64:
                self._text_cache.clear()
            img = (self.big if big else self.small).render(text, True, (255, 255, 255))
            self._text_cache[key] = img
        return img

    def step(self, now: float) -> None:
        out = self.pipe.latest()
        self.pipe.drain_events()
        t0 = time.perf_counter()
        s, pg = self.surface, self.pg
        s.fill((0, 0, 0))
        if out is not None:
            st = out.update.state
            s.blit(self._text(str(st.reps), True), (80, 80))
            s.blit(self._text(st.phase.value, False), (80, 520))
            if out.pose is not None:
                from mirror.pose.keypoints import SKELETON  # noqa: PLC0415

                w, h = s.get_size()
                k = min(w / max(out.pose.width, 1), h / max(out.pose.height, 1))
                pts = (out.pose.xy * k).tolist()
                for a, b in SKELETON:
                    pg.draw.line(s, (0, 200, 255), pts[a], pts[b], 6)
        if out is not None and out.seq != self._seq:
            self._seq = out.seq
            self.pipe.mark_drawn(out, render_s=time.perf_counter() - t0)


def kiosk_ui(pipe: Pipeline, exercise: str) -> Callable[[float], None]:
    """The real kiosk loop body (mirror.app.App.step, headless) over this pipeline, so the
    render stage is what the mirror draws; the stand-in when the UI is not available."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    try:
        from mirror.app import App, Display  # noqa: PLC0415
        from mirror.config import Config  # noqa: PLC0415
    except ImportError:
        return StandInUI(pipe).step
    config = Config()
    app = App(config, pipe, Display(config, headless=True))
    return app.step
