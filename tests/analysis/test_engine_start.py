"""Where the phase machine starts: standing, or at the bottom (a bar on the floor)."""

from __future__ import annotations

import math

from mirror.analysis.engine import _start_lean
from mirror.analysis.metrics import HingeMetrics

NAN = math.nan


def _m(t: float) -> HingeMetrics:
    return HingeMetrics(t, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, 0)


def test_one_jittery_first_frame_does_not_start_at_the_bottom():
    frames = [_m(i / 15) for i in range(30)]
    leans = [29.0, 24.0, 6.0, 3.0, 2.0, 4.0, 1.0] + [2.0] * 23  # front-view jitter at t=0
    assert _start_lean(frames, leans) < 10


def test_starting_bent_over_reads_as_the_bottom():
    frames = [_m(i / 15) for i in range(30)]
    leans = [62.0, 65.0, 63.0, 66.0, 64.0, 65.0, 64.0] + [40.0] * 23
    assert _start_lean(frames, leans) > 60
