"""Which cue to say, and when: one at a time, with a cooldown, preferring the fault that
repeats, praise for clean work, and one request to turn sideways in a front view."""

from __future__ import annotations

from collections import Counter, deque

from mirror.analysis.events import Cue, View
from mirror.analysis.faults import CUES, PRAISE, TURN_SIDEWAYS

COOLDOWN_S = 8.0
RECENT_REPS = 3
PRAISE_EVERY = 5  # clean reps in a row


class Coach:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._recent: deque[tuple[str, ...]] = deque(maxlen=RECENT_REPS)
        self._last_cue_t = -1e9
        self._clean_streak = 0
        self._asked_to_turn = False
        self.totals: Counter[str] = Counter()

    def after_rep(self, t: float, faults: tuple[str, ...], view: View) -> Cue | None:
        self._recent.append(faults)
        self.totals.update(faults)
        if not faults:
            self._clean_streak += 1
        else:
            self._clean_streak = 0
        if t - self._last_cue_t < COOLDOWN_S:
            return None
        counts: Counter[str] = Counter(f for rep in self._recent for f in rep)
        # A fault in two of the last three reps, or one that was already cued repeatedly.
        repeating = [f for f, n in counts.most_common() if n >= 2 or self.totals[f] >= 3]
        if repeating:
            fault = repeating[0]
            text, needs_side = CUES[fault]
            return self._say(Cue(fault, text, t, needs_side))
        if view is View.FRONT and not self._asked_to_turn and len(self._recent) >= 2:
            self._asked_to_turn = True
            return self._say(Cue("turn_sideways", TURN_SIDEWAYS, t))
        if self._clean_streak and self._clean_streak % PRAISE_EVERY == 0:
            return self._say(Cue("praise", "Great reps. Keep that rhythm.", t))
        return None

    def set_end(self, t: float, reps: int) -> Cue | None:
        if reps and not self.totals:
            return Cue("praise", PRAISE, t)
        return None

    def _say(self, cue: Cue) -> Cue:
        self._last_cue_t = cue.t
        return cue
