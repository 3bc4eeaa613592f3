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

from mirror.analysis.calibration import Baseline
from mirror.analysis.metrics import HingeMetrics
from mirror.analysis.phases import Segment

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
MIN_CYCLE_S = 0.5  # two floats closer than this are one float read twice
SAMPLES_S = 1.5  # a swing's samples: at most this long before its float (one cycle)
SWING_HANDS_LOW = 0.2  # in the backswing the wrists come below this (torso fraction)
ONE_HAND_UP = 0.8  # one wrist this far above the other (torso lengths): a wave
ONE_HAND_SHARE = 0.3  # ... in this share of a dip's frames


class BellCycles:
    def __init__(self) -> None:
        self._armed = False
        self._last_float = -math.inf
        self._deepest = 0.0  # the deepest lean since the last float
        self._lowest = math.inf  # the bell's lowest (wrist_rise_high) since the last float
        self._samples: deque[tuple[float, float, HingeMetrics]] = deque()

    def update(
        self, m: HingeMetrics, lean: float, torso: float, deep: float | None = None
    ) -> Segment | None:
        """Feed one frame; returns the swing (a counted segment) when the bell floats.
        deep: the counting depth where the lean can be trusted (45 deg), else None."""
        self._samples.append((m.t, lean, m))
        while self._samples and m.t - self._samples[0][0] > SAMPLES_S:
            self._samples.popleft()
        self._deepest = max(self._deepest, lean)
        if m.wrist_rise_high < self._lowest:  # False for NaN
            self._lowest = m.wrist_rise_high
        if not torso > 0:
            return None
        if m.wrist_rise_high < BELL_DOWN * torso:  # False for NaN
            self._armed = True
            return None
        driven = (
            deep is not None
            and self._deepest >= deep
            and lean <= HIP_DRIVE * self._deepest
            and self._lowest < BELL_UNDER * torso
        )
        up = BELL_AT_HIPS if driven else BELL_UP
        if not (self._armed and m.wrist_rise_low > up * torso):
            return None
        if m.wrist_rise_high - m.wrist_rise_low > BELL_TOGETHER * torso:
            return None  # one hand far above the other: a wave, not the bell
        if m.t - self._last_float < MIN_CYCLE_S:
            return None
        self._armed = False
        self._deepest, self._lowest = 0.0, math.inf
        since = [s for s in self._samples if s[0] > self._last_float]
        self._last_float = m.t
        peak_t, peak = max(((t, lean) for t, lean, _m in since), key=lambda p: p[1])
        return Segment(since[0][0], peak=peak, peak_t=peak_t, end_t=m.t, reached_bottom=True,
                       samples=since)


def one_hand_up(seg: Segment, base: Baseline) -> bool:
    """One hand held far above the other through much of the dip: a wave or a reach, not
    a hinge (the bar or bell keeps the hands level; a good morning's both sit high)."""
    gaps = [m.wrist_rise_high - m.wrist_rise_low for _t, _l, m in seg.samples]
    gaps = [g for g in gaps if g == g]  # both wrists seen
    up = sum(1 for g in gaps if g > ONE_HAND_UP * base.vert)
    return len(gaps) >= 4 and up >= ONE_HAND_SHARE * len(gaps)


def hands_low(seg: Segment, base: Baseline) -> bool:
    """A swing's backswing takes the hands down to about hip height."""
    low = SWING_HANDS_LOW * base.vert
    return any(m.wrist_rise < low for _t, _lean, m in seg.samples)
