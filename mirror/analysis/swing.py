"""What the hands say: the bell's trips count swings facing the camera, a backswing takes
the hands low, and one hand far above the other is a wave, not a hinge.

Facing the camera a swing's hinge shows only as foreshortening, and a shallow swing (20-40
deg of lean) changes the torso's image by less than its jitter. The bell's trip is plain in
any view: both hands go from below the hips (between the legs) to chest height and back.
Each float after a trip down is one swing; picking the bell up and parking it never float.
Both hands must rise, and together, so a wave or a hand raised to the face is no swing.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

from mirror.analysis.calibration import Baseline
from mirror.analysis.metrics import HingeMetrics
from mirror.analysis.phases import Segment, foreshortened_share

BELL_UP = 0.25  # both wrists this far above the hips (torso fractions): the bell floats
BELL_DOWN = 0.1  # both wrists at the hips or below: the bell swung down (the next float counts)
BELL_TOGETHER = 0.35  # both hands on the bell: their heights differ by less than this
# Where the lean is readable (45 deg), a swing whose hips never lock floats the bell only to
# about hip height (the arms rise 60-80 deg off a torso still leaning 15-25 deg): above the
# hips (this torso fraction) counts when the hips drove up from a backswing at the counting
# depth to under this share of its lean, the bell having swung back well under the hips
# (BELL_UNDER; a shallow backswing keeps it at hip height, where it waits for BELL_UP). A new
# deep backswing is needed for the next one.
BELL_AT_HIPS = 0.1
HIP_DRIVE = 0.5
BELL_UNDER = -0.2
# Facing the camera from a mirror's height (above the hips) and close, a swing whose hips
# never lock sends the bell forward, toward the camera, to about hip height: seen from above it
# reads no higher than a bell hanging from a standing lifter (seed-3 suite recording 267). Its
# float is a crest: the bell rose well above its backswing (BELL_TRIP), both hands together,
# while the torso won back at least half of its deepest lean's foreshortening; it counts when
# the bell drops again (BELL_FALL) within CREST_S, into the next backswing or the park (standing
# up after parking raises the hands too, but nothing drops them again straight after; both
# hands must drop: one wrist's jitter read 0.27 after a park, seed-5 suite 177). The
# hips stay unlocked all the while, the torso leaning more than UNLOCKED (facing, the noise
# floor): a bell lifted to standing (locked out) hangs at that height too, and is lowered again
# to start swinging from the hang.
BELL_TRIP = 0.25
BELL_FALL = 0.2
CREST_S = 0.8
UNLOCKED = 16.0
# No pose for GAP_S just as the bell was seen rising from the backswing through the hips by
# BELL_TRIP within RISING_S: it floated while the person was lost (seed-3 suite recording 087
# lost a 15 fps swing for 0.7 s from the moment its bell passed the hips).
GAP_S = 0.3
RISING_S = 0.25
# Side-on, close to the picture's edge, the bell floats out of it: both wrists unseen for GAP_S
# from a sighting at the hips or above (on the way up) within SIGHTED_S of the hips' lockout
# (seed-5 suite recording 093: the arms reach out of a portrait picture at every float).
SIGHTED_S = 0.45
MIN_CYCLE_S = 0.5  # two floats closer than this are one float read twice
# Where the lean is readable (45 deg), a float needs a hinge behind it: a hand raised to wave
# lifts the hidden far wrist too (the model lays it on the near one), which reads as both.
# Simulated swings at 45 deg leaned 13.8 deg and more before their float, a wave 5-6 (unless
# the person was lost meanwhile: a dip unseen).
FLOAT_MIN_LEAN = 10.0
SAMPLES_S = 1.5  # a swing's samples: at most this long before its float (one cycle)
SWING_HANDS_LOW = 0.2  # in the backswing the wrists come below this (torso fraction)
ONE_HAND_UP = 0.8  # one wrist this far above the other (torso lengths): a wave
ONE_HAND_SHARE = 0.3  # ... in this share of a dip's frames


@dataclass
class Crest:
    """The bell's highest point since its lowest (facing the camera)."""

    t: float
    low: float  # wrist_rise_low there
    high: float  # wrist_rise_high there
    lean_min: float  # the least lean since the bell's lowest


class BellCycles:
    def __init__(self) -> None:
        self._armed = False
        self._last_float = -math.inf
        self._deepest = 0.0  # the deepest lean since the last float
        self._lowest = math.inf  # the bell's lowest (wrist_rise_high) since the last float
        self._samples: deque[tuple[float, float, HingeMetrics]] = deque()
        self._crest: Crest | None = None  # the bell's highest since its lowest (facing)
        self._sighted = (-math.inf, math.nan)  # the wrists' last sighting: t, wrist_rise
        self._sighted_before = self._sighted  # ... as it was before this frame
        self.after_gap = False  # the last float came after the person was lost (GAP_S)
        self.before = -math.inf  # ... and the float before it (its time)

    def update(
        self, m: HingeMetrics, lean: float, torso: float, deep: float | None = None,
        facing_deep: float | None = None,
    ) -> Segment | None:
        """Feed one frame; returns the swing (a counted segment) when the bell floats.
        deep: the counting depth where the lean can be trusted (45 deg), else None;
        facing_deep: facing the camera, the counting depth (for a bell hidden by the view)."""
        depth = deep if deep is not None else facing_deep
        unseen = depth is not None and self._rose_unseen(m.t, torso, depth, deep is not None)
        self._samples.append((m.t, lean, m))
        self._sighted_before = self._sighted
        if m.wrists_seen:
            self._sighted = (m.t, m.wrist_rise)
        while self._samples and m.t - self._samples[0][0] > SAMPLES_S:
            self._samples.popleft()
        self._deepest = max(self._deepest, lean)
        if m.wrist_rise_high < self._lowest:  # False for NaN
            self._lowest = m.wrist_rise_high
            self._crest = None  # still going down: the rise starts from here
        if not torso > 0:
            return None
        if facing_deep is not None and self._crested(m, lean, torso, facing_deep):
            return self._float(m)
        if unseen and not m.wrist_rise_low > BELL_UP * torso:  # still up: it floats below
            return self._float(m)
        if m.wrist_rise_high < BELL_DOWN * torso:  # False for NaN
            self._armed = True
            return None
        drove = deep is not None and self._deepest >= deep and lean <= HIP_DRIVE * self._deepest
        driven = drove and self._lowest < BELL_UNDER * torso
        up = BELL_AT_HIPS if driven else BELL_UP
        # One hand seen high, the other unseen (hidden, or out of the picture with the bell):
        # where the lean shows the hips' drive, the bell floats (its held twin is stale, and
        # where it was last seen, low, says nothing of how low a shallow backswing went).
        lone = drove and m.wrist_rise_lone > BELL_UP * torso  # False for NaN
        if not (self._armed and (lone or m.wrist_rise_low > up * torso)):
            return None
        if not lone and m.wrist_rise_high - m.wrist_rise_low > BELL_TOGETHER * torso:
            return None  # one hand far above the other: a wave, not the bell
        if m.t - self._last_float < MIN_CYCLE_S:
            return None
        if deep is not None and self._deepest < FLOAT_MIN_LEAN and not self._unseen_since():
            return None  # no hinge behind it (see FLOAT_MIN_LEAN)
        return self._float(m)

    def _unseen_since(self) -> bool:
        """The person was lost for GAP_S or more since the last float (the dip was unseen)."""
        times = [st for st, _l, _m in self._samples if st > self._last_float]
        return any(b - a >= GAP_S for a, b in zip(times, times[1:], strict=False))

    def spent(self, t: float) -> None:
        """A swing was counted at t (side-on, by the hips' lockout): its float is used up, so
        a view read as turned mid-set does not count the same bell again."""
        self._armed, self._crest = False, None
        self._deepest, self._lowest = 0.0, math.inf
        self._last_float = max(self._last_float, t)

    def out_of_sight(self, t: float, locked: float) -> bool:
        """Side-on: the wrists, last seen on their way up soon after the hips locked at
        `locked`, have been out of sight for GAP_S (the bell floated out of the picture)."""
        seen_t, rise = self._sighted_before
        return t - seen_t > GAP_S and 0.0 <= seen_t - locked < SIGHTED_S and rise >= 0.0

    def _rose_unseen(self, t: float, torso: float, depth: float, drive: bool) -> bool:
        """The person was lost (no pose for GAP_S) just as the bell, back from a deep
        backswing, was seen rising fast through the hips: it floated unseen."""
        if not (self._samples and t - self._samples[-1][0] > GAP_S):
            return False
        last_t, last_lean, last = self._samples[-1]
        before = [sm.wrist_rise_low for st, _l, sm in self._samples if last_t - st <= RISING_S]
        before = [b for b in before if b == b]  # both wrists seen
        # Where the lean shows the hips' drive (45 deg), hips seen driven up with the bell
        # rising fast from well under them: it had still to pass the hips when lost.
        through = BELL_UNDER if drive and last_lean <= HIP_DRIVE * self._deepest else 0.0
        return (
            self._armed
            and self._deepest >= depth
            and last.wrist_rise_low >= through * torso  # False for NaN
            and last.wrist_rise_low - min(before) >= BELL_TRIP * torso
            and t - self._last_float >= MIN_CYCLE_S
        )

    def _crested(self, m: HingeMetrics, lean: float, torso: float, deep: float) -> bool:
        """Facing: the bell just dropped from a crest of a swing whose hips never locked."""
        low = m.wrist_rise_low
        if not math.isfinite(low):
            return False
        c = self._crest
        if c is None:
            self._crest = Crest(m.t, low, m.wrist_rise_high, lean)
            return False
        c.lean_min = min(c.lean_min, lean)
        if low > c.low:
            c.t, c.low, c.high = m.t, low, m.wrist_rise_high
            return False
        return (
            self._armed
            and c.low - low >= BELL_FALL * torso
            and c.high - m.wrist_rise_high >= BELL_FALL * torso  # both hands: the bell
            and m.t - c.t <= CREST_S
            and c.high - self._lowest >= BELL_TRIP * torso  # the same hand reading as _lowest
            and self._lowest < BELL_UNDER * torso
            and c.high - c.low <= BELL_TOGETHER * torso
            and self._deepest >= deep
            and UNLOCKED < c.lean_min <= foreshortened_share(self._deepest, 0.5)
            and m.t - self._last_float >= MIN_CYCLE_S
        )

    def _float(self, m: HingeMetrics) -> Segment:
        since = [s for s in self._samples if s[0] > self._last_float]
        self.after_gap, self.before = self._unseen_since(), self._last_float
        self.spent(m.t)
        peak_t, peak = max(((t, lean) for t, lean, _m in since), key=lambda p: p[1])
        return Segment(since[0][0], peak=peak, peak_t=peak_t, end_t=m.t, reached_bottom=True,
                       samples=since)


def one_hand_up(seg: Segment, base: Baseline) -> bool:
    """One hand held far above the other through much of the dip: a wave or a reach, not
    a hinge (the bar or bell keeps the hands level; a good morning's both sit high). Only
    frames that show both wrists count: a held one is where it was last seen, not now."""
    gaps = [m.wrist_gap_seen for _t, _l, m in seg.samples]
    gaps = [g for g in gaps if g == g]  # both wrists seen in the frame itself
    up = sum(1 for g in gaps if g > ONE_HAND_UP * base.vert)
    return len(gaps) >= 4 and up >= ONE_HAND_SHARE * len(gaps)


def hands_low(seg: Segment, base: Baseline) -> bool:
    """A swing's backswing takes the hands down to about hip height."""
    low = SWING_HANDS_LOW * base.vert
    return any(m.wrist_rise < low for _t, _lean, m in seg.samples)
