"""Button gestures as a pure state machine: levels in, Commands out.

Why polling levels with an injected clock: debounce, long presses, two-button holds and stuck
pins all depend on time, and tests must drive time without sleeping. The GPIO adapter samples
the pins and calls update(now, levels); nothing here knows about gpiozero or the screen.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import Enum

from mirror.session.state import Command

log = logging.getLogger(__name__)


class Button(str, Enum):
    PREV = "prev"
    NEXT = "next"
    START = "start"
    END = "end"


SHORT: dict[Button, Command] = {
    Button.PREV: Command.PREV_EXERCISE,
    Button.NEXT: Command.NEXT_EXERCISE,
    Button.START: Command.START_PAUSE,
    Button.END: Command.END_SET,
}
LONG: dict[Button, Command] = {
    Button.PREV: Command.VOLUME_DOWN,
    Button.NEXT: Command.VOLUME_UP,
    Button.START: Command.MUTE_TOGGLE,
    Button.END: Command.RESET,
}
# Two buttons held together: (which, hold "long" or "very_long", command).
COMBOS: tuple[tuple[frozenset[Button], str, Command], ...] = (
    (frozenset({Button.PREV, Button.NEXT}), "very_long", Command.SHUTDOWN_REQUEST),
    (frozenset({Button.START, Button.END}), "long", Command.TOGGLE_OVERLAY),
)


@dataclass(frozen=True)
class Timing:
    debounce_s: float = 0.03
    long_s: float = 1.5
    very_long_s: float = 5.0
    stuck_s: float = 30.0


@dataclass
class _Btn:
    raw: bool = False
    raw_since: float = 0.0
    down: bool = False  # debounced level
    down_since: float = 0.0
    long_fired: bool = False
    consumed: bool = False  # part of a two-button hold: no single-button command
    stuck: bool = False


@dataclass
class Gestures:
    timing: Timing = field(default_factory=Timing)
    names: dict[Button, str] = field(default_factory=dict)  # for log lines ("GPIO5")

    def __post_init__(self) -> None:
        self._b = {b: _Btn() for b in Button}
        self._combo_fired: set[frozenset[Button]] = set()

    def pressed(self) -> set[Button]:
        return {b for b, s in self._b.items() if s.down and not s.stuck}

    def update(self, now: float, levels: dict[Button, bool]) -> list[Command]:
        """Sample of every button's raw level (True = pressed) at time `now`."""
        out: list[Command] = []
        t = self.timing
        for b, s in self._b.items():
            raw = bool(levels.get(b, False))
            if raw != s.raw:
                s.raw, s.raw_since = raw, now
            if s.raw != s.down and now - s.raw_since >= t.debounce_s:
                s.down, s.down_since = s.raw, s.raw_since
                if s.down:
                    s.long_fired = s.consumed = False
                elif s.stuck:
                    s.stuck = False
                    log.warning("button %s released: using it again", self._name(b))
                elif not s.long_fired and not s.consumed:
                    out.append(SHORT[b])
        held = self.pressed()
        if len(held) >= 2:
            for b in held:
                self._b[b].consumed = True
        for combo, hold, cmd in COMBOS:
            if combo <= held:
                since = max(self._b[b].down_since for b in combo)
                need = t.very_long_s if hold == "very_long" else t.long_s
                if combo not in self._combo_fired and now - since >= need:
                    self._combo_fired.add(combo)
                    out.append(cmd)
            else:
                self._combo_fired.discard(combo)
        for b in held:
            s = self._b[b]
            if not s.consumed and not s.long_fired and now - s.down_since >= t.long_s:
                s.long_fired = True
                out.append(LONG[b])
        for b, s in self._b.items():
            if s.down and not s.stuck and now - s.down_since >= t.stuck_s:
                s.stuck = True
                log.warning("button %s held for %.0f s: ignoring it until it is released",
                            self._name(b), now - s.down_since)
        return out

    def _name(self, b: Button) -> str:
        return f"{b.value.upper()} ({self.names[b]})" if b in self.names else b.value.upper()
