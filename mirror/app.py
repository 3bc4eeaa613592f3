"""The mirror app: UI loop at the display rate over a pluggable analysis producer.

    producer (own thread: live pipeline or simulated athlete) --latest()/drain_events()--+
    controls (GPIO buttons, keys) --Commands--> SessionFlow <------------------------------+
    SessionFlow --AppState--> Renderer (pygame)      SessionFlow --effects--> audio, store

The loop never waits on the producer: it reads whatever is newest each frame, so drawing and
animation stay at 60 fps whatever inference costs.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # no banner in the kiosk's log

import pygame  # noqa: E402

from mirror.analysis.engine import AnalysisUpdate  # noqa: E402
from mirror.analysis.events import Cue, RepEvent  # noqa: E402
from mirror.config import Config  # noqa: E402
from mirror.errors import HistoryError, ModelError, SourceError, UserError  # noqa: E402
from mirror.fileio import replacing  # noqa: E402
from mirror.session.flow import Effect, EffectKind, SessionFlow  # noqa: E402
from mirror.session.producer import Producer, SwitchableAnalyzer  # noqa: E402
from mirror.session.state import Command, Screen  # noqa: E402
from mirror.signals import catch_stop_signals  # noqa: E402
from mirror.ui.pacing import FramePacer
from mirror.ui.renderer import Renderer  # noqa: E402

log = logging.getLogger(__name__)

DIAG_EVERY_S = 0.5
ERROR_CHECK_S = 1.0


STATS_WINDOW = 60_000
# The GIL time slice while the kiosk runs (Python's default is 5 ms); `bench` uses it too.
# When invoke() returns, the model's thread waits for the GIL while the UI or analysis thread
# runs Python: measured in bench (invoke wall minus thread CPU time) 0.17-0.24 ms per invoke at
# 1 ms, 0.07-0.13 ms at 0.2 ms (x86, 5-7 ms invokes; on a Pi 4's 95 ms it is noise either way).
KIOSK_SWITCH_INTERVAL_S = 0.0002


@dataclass
class LoopStats:
    frames: int = 0
    elapsed_s: float = 0.0
    # Bounded: a kiosk runs for months (the last ~17 minutes at 60 fps are kept).
    intervals: deque[float] = field(default_factory=lambda: deque(maxlen=STATS_WINDOW))
    render_ms: deque[float] = field(default_factory=lambda: deque(maxlen=STATS_WINDOW))

    @property
    def fps(self) -> float:
        return self.frames / self.elapsed_s if self.elapsed_s > 0 else 0.0

    def pct(self, values: Iterable[float], q: float) -> float:
        if not values:
            return 0.0
        s = sorted(values)
        return s[min(len(s) - 1, int(q / 100 * len(s)))]

    def summary(self) -> str:
        iv = [x * 1000 for x in self.intervals]
        slow = sum(1 for x in iv if x > 1000 / 60 * 1.5)
        return (f"ui: {self.frames} frames in {self.elapsed_s:.1f} s = {self.fps:.1f} fps; "
                f"frame interval p50 {self.pct(iv, 50):.1f} ms, p99 {self.pct(iv, 99):.1f} ms, "
                f"max {max(iv, default=0):.1f} ms, {slow} frames over 25 ms; "
                f"render p50 {self.pct(self.render_ms, 50):.2f} ms, "
                f"p99 {self.pct(self.render_ms, 99):.2f} ms")


def describe_error(err: Any) -> tuple[str, str]:
    """Plain words for the error screen."""
    text = str(err)
    if isinstance(err, ModelError) or "model" in text.lower():
        return "No pose model", text
    if isinstance(err, SourceError) or "camera" in text.lower():
        return "No camera", text
    return "Something went wrong", text


class Display:
    """The screen, or an off-screen surface when headless. Rotation for side-mounted screens."""

    def __init__(self, config: Config, headless: bool, window: tuple[int, int] | None = None,
                 title: str = "Hinge Mirror") -> None:
        d = config.display
        self.rotation = d.rotation
        self.headless = headless
        self.window: pygame.Surface | None = None
        if not headless:
            try:
                pygame.display.init()
                if pygame.display.get_driver() in ("dummy", "offscreen"):
                    raise pygame.error("no display")
                flags = pygame.FULLSCREEN if d.fullscreen and window is None else 0
                size = window or ((d.width, d.height) if d.width and d.height else (0, 0))
                self.window = pygame.display.set_mode(size, flags)
                pygame.display.set_caption(title)
                pygame.mouse.set_visible(not d.fullscreen or window is not None)
            except pygame.error as exc:
                log.info("no display (%s): running headless", exc)
                self.headless = True
        if self.window is not None:
            size = self.window.get_size()
        else:
            size = (d.width or 1080, d.height or 1920) if window is None else window
        self.screen_size = size
        if self.rotation in (90, 270):
            size = (size[1], size[0])
        self.surface = pygame.Surface(size) if self.window is None or self.rotation else \
            self.window

    def present(self) -> None:
        if self.window is None:
            return
        if self.rotation:
            self.window.blit(pygame.transform.rotate(self.surface, -self.rotation), (0, 0))
        pygame.display.flip()

    def shown(self) -> pygame.Surface:
        """What the glass shows (rotated as mounted)."""
        if self.rotation:
            return pygame.transform.rotate(self.surface, -self.rotation)
        return self.surface


class App:
    def __init__(self, config: Config, producer: Producer, display: Display, *,
                 analyzer: SwitchableAnalyzer | None = None, audio: Any = None,
                 store: Any = None, buttons: Any = None,
                 on_shutdown: Callable[[], None] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time,
                 director: Callable[[float, Any], list[Command]] | None = None) -> None:
        self.config = config
        self.producer = producer
        self.display = display
        self.analyzer = analyzer
        self.audio = audio
        self.store = store
        self.buttons = buttons
        self.on_shutdown = on_shutdown
        self.clock = clock
        self.director = director
        self.flow = SessionFlow(config, wall)
        self.renderer = Renderer(config.exercises.order)
        self.renderer.warm(display.surface.get_size())
        self.stats = LoopStats()
        self.running = True
        self._last_seq = -1
        self._pose = None
        self._next_diag = 0.0
        self._next_error_check = 0.0
        self._in_error: tuple[str, str] | None = None
        self._t0: float | None = None
        if audio is not None:
            audio.set_volume(self.flow.state.volume, self.flow.state.muted)

    # ---- one frame ----------------------------------------------------------------------

    def commands(self, now: float) -> list[Command]:
        cmds: list[Command] = []
        if not self.display.headless:
            from mirror.controls.keyboard import key_command  # noqa: PLC0415

            for event in pygame.event.get():
                cmd = key_command(event)
                if cmd is not None:
                    cmds.append(cmd)
        if self.buttons is not None:
            try:
                cmds += self.buttons.poll(now)
            except Exception as exc:  # a GPIO glitch must not stop the mirror
                log.warning("buttons: %s", exc)
        if self.director is not None:
            cmds += self.director(now, self.flow.state)
        return cmds

    def step(self, now: float, commands: list[Command] | None = None) -> None:
        """Apply input, then draw one frame (tests call this directly with their own clock)."""
        effects: list[Effect] = []
        cmds = self.commands(now) if commands is None else commands
        for cmd in cmds:
            effects += self.flow.command(cmd, now)
        if cmds and self.audio is not None:
            self.audio.set_volume(self.flow.state.volume, self.flow.state.muted)
        self._check_errors(now)
        out = self.producer.latest()
        events = self.producer.drain_events()
        if out is not None and (out.seq != self._last_seq or events):
            self._last_seq = out.seq
            self._pose = out.pose
            reps = tuple(e for e in events if isinstance(e, RepEvent))
            cues = [e for e in events if isinstance(e, Cue)]
            update = AnalysisUpdate(out.update.state, reps, cues[-1] if cues else None)
            effects += self.flow.analysis(update, now)
        else:
            effects += self.flow.tick(now)
        for effect in effects:
            self._perform(effect)
        if now >= self._next_diag and self.flow.state.diagnostics_on:
            self._next_diag = now + DIAG_EVERY_S
            self.flow.set_diagnostics(self._diagnostics())
        t0 = time.perf_counter()
        self.renderer.draw(self.display.surface, self.flow.state, now, self._pose)
        self.display.present()
        render_s = time.perf_counter() - t0
        self.stats.render_ms.append(render_s * 1000)
        if out is not None:
            self.producer.mark_drawn(out, render_s)

    def _diagnostics(self) -> dict[str, float]:
        d = {"ui_fps": round(self.stats.fps, 1)}
        if self.stats.render_ms:
            d["render_ms"] = round(self.stats.render_ms[-1], 2)
        for k, v in self.producer.diagnostics().items():
            if isinstance(v, int | float) and v is not None:
                d[k] = float(v)
        return d

    def _source_problem(self, diag: dict[str, Any]) -> tuple[str, str] | None:
        """What is wrong with the source, in plain words, or None."""
        err = getattr(self.producer, "error", None)
        if err:
            return describe_error(err)
        if diag.get("camera") == "lost":
            why = str(diag.get("camera_message") or "the camera stopped sending pictures")
            return "Camera lost", f"{why}. Trying again by itself."
        return None

    def _check_errors(self, now: float) -> None:
        if now < self._next_error_check:
            return
        self._next_error_check = now + ERROR_CHECK_S
        try:
            diag = self.producer.diagnostics()
        except Exception:  # diagnostics must never take the mirror down
            diag = {}
        for effect in self.flow.set_dark(bool(diag.get("dark"))):  # the light meter's verdict
            self._perform(effect)
        problem = self._source_problem(diag)
        if problem is not None:
            if problem != self._in_error:
                log.error("source: %s: %s", *problem)
                self.flow.source_error(*problem)
                self._in_error = problem
        elif self._in_error:
            self._in_error = None
            log.info("source: working again")
            self.flow.source_ok()

    def _perform(self, e: Effect) -> None:
        k = e.kind
        audio = self.audio
        if k == EffectKind.CHIME and audio is not None:
            audio.play("chime")
        elif k == EffectKind.PARTIAL and audio is not None:
            audio.play("partial")
        elif k == EffectKind.SPEAK and audio is not None:
            audio.say(e.text)
        elif k == EffectKind.COUNT and audio is not None:
            audio.say(e.text, tone_fallback=False)
        elif k == EffectKind.SET_EXERCISE and self.analyzer is not None:
            self.analyzer.set_exercise(e.text)
        elif k == EffectKind.RESET_ANALYSIS and self.analyzer is not None:
            self.analyzer.reset()
        elif k == EffectKind.SAVE_SET and self.store is not None and e.record is not None:
            self.store.save_set(e.record)
        elif k == EffectKind.SHUTDOWN:
            log.warning("shutdown confirmed on the mirror")
            if self.on_shutdown is not None:
                self.on_shutdown()
            self.running = False
        elif k == EffectKind.QUIT:
            self.running = False

    # ---- the loop -----------------------------------------------------------------------

    def run(self, seconds: float | None = None, screenshot: str | Path | None = None
            ) -> LoopStats:
        pacer = FramePacer(self.config.display.fps, self.clock)
        # The UI thread gives up the GIL inside pygame calls; with the default 5 ms switch
        # interval a busy producer thread can make it wait that long each time it wants it
        # back. KIOSK_SWITCH_INTERVAL_S keeps frames on time; restored on exit.
        switch = sys.getswitchinterval()
        sys.setswitchinterval(min(switch, KIOSK_SWITCH_INTERVAL_S))
        self.producer.start()
        start = last = self.clock()
        restore_signals = catch_stop_signals(self.stop)
        log.info("mirror running (%s)", "headless" if self.display.headless else "on screen")
        try:
            while self.running:
                now = pacer.wait(self.producer)  # on the cadence, or early for a new output
                if seconds is not None and now - start >= seconds:
                    break
                try:
                    self.step(now)
                except UserError:
                    raise
                except Exception:  # never die on one bad frame: log it and keep drawing
                    log.exception("frame failed")
                self.stats.frames += 1
                if self.stats.frames > 1:
                    self.stats.intervals.append(now - last)
                last = now
        finally:
            restore_signals()
            sys.setswitchinterval(switch)
            self.stats.elapsed_s = self.clock() - start
            self._save_set_in_progress()
            self.producer.stop()
            if screenshot is not None:
                save_png(self.display.shown(), screenshot)
        return self.stats

    def stop(self) -> None:
        """End the loop at the next frame (from a signal handler or another thread)."""
        self.running = False

    def _save_set_in_progress(self) -> None:
        """The loop is ending (time up, quit, a stop signal): a set with reps is saved, not
        dropped."""
        try:
            if self.flow.state.screen == Screen.ACTIVE:
                for effect in self.flow.command(Command.END_SET, self.clock()):
                    if effect.kind == EffectKind.SAVE_SET:
                        self._perform(effect)
        except Exception:  # saving must not turn a clean stop into a crash
            log.exception("could not save the set in progress")


def save_png(surface: pygame.Surface, path: str | Path) -> None:
    """All or nothing, and never over a folder or a device (see mirror.fileio)."""
    with replacing(path, "screenshot", ".png") as tmp:
        pygame.image.save(surface, str(tmp))


def system_poweroff() -> None:
    """Power the Pi off (the kiosk user needs permission: see the README's kiosk setup)."""
    import subprocess  # noqa: PLC0415

    try:
        subprocess.run(["systemctl", "poweroff"], check=True, timeout=20)
    except (OSError, subprocess.SubprocessError) as exc:
        log.error("could not power off: %s", exc)


def run_app(config: Config, producer: Producer, analyzer: SwitchableAnalyzer | None, *,
            headless: bool = False, window: tuple[int, int] | None = None,
            seconds: float | None = None, screenshot: str | Path | None = None,
            history: str | Path | None | bool = True, buttons: bool = True,
            on_shutdown: Callable[[], None] | None = None,
            director: Callable[[float, Any], list[Command]] | None = None,
            headless_seconds: float | None = None) -> LoopStats:
    """Everything around App: display, sound, buttons, history; tidy shutdown of each.

    history: True = the configured path, a path, or None/False for none (the demo).
    headless_seconds: the run length when no display was found and `seconds` is None.
    """
    from mirror.controls.gpio import open_buttons  # noqa: PLC0415
    from mirror.session.store import BackgroundStore, HistoryStore  # noqa: PLC0415
    from mirror.ui.audio import Audio  # noqa: PLC0415

    pygame.font.init()
    display = Display(config, headless, window)
    if display.headless and seconds is None:
        seconds = headless_seconds
    s = config.sound
    audio = Audio(enabled=s.enabled, volume=s.volume, muted=s.muted, speech=s.speech,
                  cache_dir=s.cache_dir)
    store = None
    notice = ""
    if history:
        path = config.history_path if history is True else Path(history)
        try:
            store = BackgroundStore(HistoryStore(path))
        except HistoryError as exc:  # run on without history: nothing was moved or deleted
            log.error("%s; this session's sets will not be saved", exc)
            notice = f"Sets are not being saved (history: {exc.reason})"
    pins = open_buttons(config.buttons) if buttons else None
    app = App(config, producer, display, analyzer=analyzer, audio=audio, store=store,
              buttons=pins, on_shutdown=on_shutdown, director=director)
    if notice:
        app.flow.state = replace(app.flow.state, notice=notice)
    if app.audio is not None:
        from mirror.session.flow import NUMBER_WORDS  # noqa: PLC0415

        app.audio.prepare(list(NUMBER_WORDS[1:]))
    try:
        return app.run(seconds, screenshot)
    finally:
        if pins is not None:
            pins.close()
        if store is not None:
            store.close()
        audio.close()
        pygame.quit()
