"""Physical buttons through gpiozero: sampled each UI frame, turned into Commands by Gestures.

gpiozero is imported lazily so the app runs (keyboard only) where it or a pin factory is missing.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Callable
from typing import Any

from mirror.config import ButtonsConfig
from mirror.controls.gestures import Button, Gestures, Timing
from mirror.session.state import Command

log = logging.getLogger(__name__)


def timing_from(cfg: ButtonsConfig) -> Timing:
    return Timing(cfg.debounce_ms / 1000.0, cfg.long_press_s, cfg.very_long_press_s, cfg.stuck_s)


class GpioButtons:
    def __init__(self, cfg: ButtonsConfig, clock: Callable[[], float] = time.monotonic,
                 pin_factory: Any = None) -> None:
        from gpiozero import Button as GzButton  # noqa: PLC0415

        self._clock = clock
        pins = {Button.PREV: cfg.prev, Button.NEXT: cfg.next, Button.START: cfg.start,
                Button.END: cfg.end}
        if len(set(pins.values())) != len(pins):
            from mirror.errors import UserError  # noqa: PLC0415

            raise UserError(f"buttons: each button needs its own pin (got {pins})")
        self._buttons: dict[Button, Any] = {}
        try:
            for b, pin in pins.items():
                # bounce_time=None: Gestures debounces on levels, with the clock tests control
                self._buttons[b] = GzButton(pin, pull_up=cfg.pull_up, bounce_time=None,
                                            pin_factory=pin_factory)
        except Exception:
            self.close()
            raise
        self.gestures = Gestures(timing_from(cfg), {b: f"GPIO{p}" for b, p in pins.items()})

    def poll(self, now: float | None = None) -> list[Command]:
        levels = {b: bool(btn.is_pressed) for b, btn in self._buttons.items()}
        return self.gestures.update(self._clock() if now is None else now, levels)

    def close(self) -> None:
        for btn in self._buttons.values():
            btn.close()
        self._buttons.clear()


def open_buttons(cfg: ButtonsConfig, clock: Callable[[], float] = time.monotonic
                 ) -> GpioButtons | None:
    """The configured buttons, or None (one log line) where there is no GPIO."""
    if not cfg.enabled:
        return None
    try:
        with warnings.catch_warnings():  # gpiozero warns once per factory it falls back from
            warnings.simplefilter("ignore")
            return GpioButtons(cfg, clock)
    except ImportError as exc:
        log.warning("gpiozero not installed (%s): buttons off, keyboard only", exc)
    except Exception as exc:  # BadPinFactory and friends: not a Pi
        log.warning("no GPIO here (%s): buttons off, keyboard only", exc)
    return None
