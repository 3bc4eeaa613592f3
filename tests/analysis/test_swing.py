"""Swings facing the camera are counted by the bell's trips (mirror/analysis/swing.py)."""

from __future__ import annotations

import math

from mirror.analysis.metrics import HingeMetrics
from mirror.analysis.swing import BellCycles

NAN = math.nan
TORSO = 100.0


def _m(t: float, low: float, high: float) -> HingeMetrics:
    return HingeMetrics(t, 0.0, TORSO, TORSO, 166.7, 0.0, 0.0, NAN, 170.0, NAN,
                        (low + high) / 2, 60.0, 0.0, 0.0, 0, wrist_rise_low=low,
                        wrist_rise_high=high)


def _feed(bells: BellCycles, wrists: list[tuple[float, float]], t0: float = 0.0) -> list[float]:
    """Wrist rises (low, high) at 20 fps; the times a swing was counted."""
    floats = []
    for i, (low, high) in enumerate(wrists):
        seg = bells.update(_m(t0 + i / 20, low, high), 10.0, TORSO)
        if seg is not None:
            assert seg.reached_bottom and seg.end_t == t0 + i / 20
            floats.append(seg.end_t)
    return floats


def _swing() -> list[tuple[float, float]]:
    """Hands between the legs, up to chest height together, back down: 1.2 s."""
    down = [(-40.0, -30.0)] * 8
    up = [(-40.0 + 140.0 * k / 8, -30.0 + 140.0 * k / 8) for k in range(1, 9)]
    return down + up + list(reversed(up))


def test_each_float_after_a_trip_down_is_one_swing():
    assert len(_feed(BellCycles(), [(-40.0, -30.0)] * 20 + _swing() * 4)) == 4


def test_a_wave_or_a_bell_that_never_went_down_is_no_swing():
    # one hand waving far above the other
    wave = [(-40.0, -30.0)] * 10 + [(-40.0, 150.0)] * 30 + [(-40.0, -30.0)] * 10
    assert _feed(BellCycles(), wave) == []
    # the bell held at chest height and jiggled: one float only
    held = [(-40.0, -30.0)] * 10 + [(60.0 + 10 * (i % 2), 70.0) for i in range(40)]
    assert len(_feed(BellCycles(), held)) == 1
    # a wrist unseen: nothing is claimed
    assert _feed(BellCycles(), [(NAN, NAN)] * 10 + [(NAN, 100.0)] * 10) == []


def test_a_float_the_bell_cycles_found_is_not_held_back_waiting_for_the_arms():
    # Seed-3 suite recording 075: a swing at 48 deg whose bell floated to 0.28 torso above
    # the hips (BELL_UP 0.25): counted by the bell, it then waited for the side-on arm rise
    # (0.3) and was dropped at the next backswing.
    from mirror.analysis.counting import count_stream
    from mirror.sim import simulate, suite

    spec = next(s for s in suite(320, 3) if s.name.startswith("075_kettlebell-swing_oblique"))
    res = simulate(spec)
    assert count_stream(res.recording.frames, spec.exercise).reps == res.truth.count == 7


def _cycles(bells: BellCycles, frames: list[tuple[float, float]], deep: float | None) -> int:
    """(wrist rise both hands, lean) at 20 fps; the number of swings counted."""
    n = 0
    for i, (rise, lean) in enumerate(frames):
        n += bells.update(_m(i / 20, rise, rise), lean, TORSO, deep) is not None
    return n


def test_at_45_deg_a_swing_whose_hips_never_lock_counts_when_the_bell_reaches_the_hips():
    # The backswing takes the bell well under the hips at 70 deg of lean; the hips drive up
    # to 25 deg (no lockout) and the bell floats only to 0.15 torso above the hips.
    back = [(-50.0, 70.0)] * 8
    up = [(-50.0 + 65.0 * k / 8, 70.0 - 45.0 * k / 8) for k in range(1, 9)]
    cycle = back + up + list(reversed(up))
    frames = [(-10.0, 0.0)] * 20 + cycle * 3
    assert _cycles(BellCycles(), frames, deep=15.0) == 3
    assert _cycles(BellCycles(), frames, deep=None) == 0  # facing: the lean cannot tell
    # a shallow backswing keeps the bell at hip height: it waits for the full float
    shallow = [(5.0, 30.0)] * 8 + [(5.0 + 9.0 * k / 8, 30.0 - 20.0 * k / 8) for k in range(1, 9)]
    assert _cycles(BellCycles(), [(-10.0, 0.0)] * 20 + shallow * 3, deep=15.0) == 0


def test_a_gap_after_the_arms_were_seen_down_is_a_parked_bell_not_a_swing():
    """Side-on a swing counts when the bell floats as the hips lock; a pose gap while waiting
    gives it the benefit. Seen with the arms still down for a while after the hips locked,
    then a gap: the bell was parked (seed-1 suite recording 159 counted that as a sixth swing)."""
    from mirror.analysis.calibration import Baseline
    from mirror.analysis.engine import SWING_ARMS_WAIT_S, HingeAnalyzer
    from mirror.analysis.events import View
    from mirror.analysis.phases import PhaseMachine, Segment

    a = HingeAnalyzer("kettlebell-swing")
    a.machine = PhaseMachine(a.profile, 8.0)
    base = Baseline(TORSO, NAN, 0.0, 0.0, 0.0, 170.0, 0.0, 0.0, View.SIDE, 0.1)
    locked = 1.0  # the hips locked here; the bell should float within SWING_ARMS_WAIT_S
    pending = Segment(0.0, peak=60.0, peak_t=0.5, reached_bottom=True)
    a._swing, a._prev_t = (pending, locked + SWING_ARMS_WAIT_S), locked + 0.7  # seen down
    assert a._resolve_swing(_m(locked + 1.1, -40.0, -30.0), base) is None
    a._swing, a._prev_t = (pending, locked + SWING_ARMS_WAIT_S), locked + 0.1  # gap at once
    assert a._resolve_swing(_m(locked + 0.5, -40.0, -30.0), base) is pending
