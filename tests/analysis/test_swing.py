"""Swings facing the camera are counted by the bell's trips (mirror/analysis/swing.py)."""

from __future__ import annotations

import math

from mirror.analysis.metrics import HingeMetrics
from mirror.analysis.swing import BellCycles

NAN = math.nan
TORSO = 100.0


def _m(t: float, low: float, high: float, lone: float = NAN) -> HingeMetrics:
    return HingeMetrics(t, 0.0, TORSO, TORSO, 166.7, 0.0, 0.0, NAN, 170.0, NAN,
                        (low + high) / 2, 60.0, 0.0, 0.0, 0, wrist_rise_low=low,
                        wrist_rise_high=high, wrist_rise_lone=lone)


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


def test_at_45_deg_the_bell_seen_in_one_hand_floats_when_the_other_is_lost():
    """Close up at 45 deg the far hand hides behind the bell and the bell leaves the picture
    at the top: the far wrist is held where it was last seen, low, while the near one rises
    (seed-2 suite recording 111 counted 5 of 8 when that stale wrist made it 'a wave')."""
    def cycle(lone: bool) -> list[HingeMetrics]:
        back = [(-50.0, -45.0, NAN, 70.0)] * 8
        up = [(-10.0, 20.0 + 8.0 * k, 20.0 + 8.0 * k if lone else NAN, 70.0 - 8.0 * k)
              for k in range(1, 9)]
        return back + up + list(reversed(up))

    def count(frames: list[tuple[float, float, float, float]], deep: float | None) -> int:
        bells, n = BellCycles(), 0
        for i, (low, high, one, lean) in enumerate(frames):
            n += bells.update(_m(i / 20, low, high, one), lean, TORSO, deep) is not None
        return n

    stand = [(-20.0, -15.0, NAN, 0.0)] * 20
    assert count(stand + cycle(lone=True) * 3, deep=15.0) == 3
    # both hands seen far apart: a wave, as before; and facing, one hand alone claims nothing
    assert count(stand + cycle(lone=False) * 3, deep=15.0) == 0
    assert count(stand + cycle(lone=True) * 3, deep=None) == 0


def _facing(frames: list[tuple[float, float]], deep: float | None = 28.0) -> int:
    """(bell rise, lean) at 30 fps facing the camera; the number of swings counted."""
    bells, n = BellCycles(), 0
    for i, (rise, lean) in enumerate(frames):
        n += bells.update(_m(i / 30, rise - 2.0, rise + 2.0), lean, TORSO, None, deep) is not None
    return n


def _ramp(a: tuple[float, float], b: tuple[float, float], n: int) -> list[tuple[float, float]]:
    return [(a[0] + (b[0] - a[0]) * k / n, a[1] + (b[1] - a[1]) * k / n) for k in range(1, n + 1)]


def test_facing_a_swing_whose_hips_never_lock_counts_at_its_crest():
    """Seed-3 suite recording 267 (camera at 1.57 m, 2 m away): the hips drive up only to
    half the lean and the bell, sent towards the camera, reads at hip height, below where it
    hangs from a standing lifter's hands: two of four swings were lost."""
    hang = [(-20.0, 0.0)] * 30
    pick_up = _ramp((-20.0, 0.0), (-110.0, 85.0), 30) + [(-110.0, 85.0)] * 20
    swing = (_ramp((-55.0, 80.0), (-15.0, 40.0), 12) + [(-15.0, 40.0)] * 4
             + _ramp((-15.0, 40.0), (-55.0, 80.0), 12))
    park = _ramp((-55.0, 80.0), (-110.0, 85.0), 20) + [(-110.0, 85.0)] * 20
    stand_up = _ramp((-110.0, 85.0), (-20.0, 0.0), 30) + [(-20.0, 0.0)] * 60
    frames = hang + pick_up + _ramp((-110.0, 85.0), (-55.0, 80.0), 10) + swing * 3 + park
    assert _facing(frames + stand_up) == 3  # standing up from the park is no swing
    assert _facing(frames + stand_up, deep=None) == 0  # the old reading: none counted
    # a bell that only bobs at the bottom (the hips never drive up) is no swing
    bob = _ramp((-55.0, 80.0), (-25.0, 75.0), 10) + _ramp((-25.0, 75.0), (-55.0, 80.0), 10)
    assert _facing(hang + pick_up + bob * 3 + park + stand_up) == 0
    # the bell lifted to standing tall (hips locked) and lowered at once to swing from the hang
    dead = _ramp((-110.0, 85.0), (-20.0, 0.0), 40) + _ramp((-20.0, 0.0), (-110.0, 85.0), 40)
    assert _facing(hang + pick_up + dead) == 0


def test_close_up_swings_count_exactly():
    """The bell out of sight at 45 deg, hip-high floats facing the camera and a float lost
    in a 0.7 s pose dropout, end to end; and a side-on set whose view reads 45 deg for its
    last frames (the float the hips counted is not counted again by the bell: 153)."""
    from mirror.analysis.counting import count_stream
    from mirror.sim import simulate, suite

    for seed, prefix, reps in ((2, "111_kettlebell-swing_oblique", 8),
                               (3, "267_kettlebell-swing_front", 4),
                               (3, "087_kettlebell-swing_front", 3),
                               (3, "153_kettlebell-swing_side", 6)):
        spec = next(s for s in suite(320, seed) if s.name.startswith(prefix))
        res = simulate(spec)
        assert count_stream(res.recording.frames, spec.exercise).reps == res.truth.count == reps


def test_a_float_counted_side_on_is_spent_for_the_bell():
    """One float, one swing: once the hips' lockout counted it, the bell's own reading of
    the same float (the view flipping to 45 deg) claims nothing."""
    swing = [(-50.0, 60.0)] * 8 + [(-50.0 + 15.0 * k, 60.0 - 7.0 * k) for k in range(1, 9)]
    bells = BellCycles()
    for i, (rise, lean) in enumerate(swing[:-3]):
        assert bells.update(_m(i / 20, rise, rise, rise), lean, TORSO, None) is None
    bells.spent((len(swing) - 4) / 20)
    for i, (rise, lean) in enumerate(swing[-3:], start=len(swing) - 3):
        assert bells.update(_m(i / 20, rise - 40.0, rise, rise), lean, TORSO, 15.0) is None


def test_a_bell_lost_from_sight_as_it_rose_through_the_hips_floated():
    """Seed-3 suite recording 087 (15 fps): no pose for 0.7 s from the moment the bell rose
    past the hips; when the person was found again the next backswing had begun."""
    def run(frames: list[tuple[float, float, float]]) -> int:
        bells, n = BellCycles(), 0
        for t, rise, lean in frames:
            n += bells.update(_m(t, rise - 2.0, rise + 2.0), lean, TORSO, None, 28.0) is not None
        return n

    fps = 15
    stand = [(i / fps, -20.0, 0.0) for i in range(15)]
    back = [(1.0 + i / fps, -90.0, 80.0) for i in range(8)]
    rising = [(1.6, -50.0, 75.0), (1.67, -15.0, 68.0), (1.73, 5.0, 60.0)]
    after = [(2.47 + i / fps, 0.0 - 6.0 * i, 35.0 + 5 * i) for i in range(8)]
    assert run(stand + back + rising + after) == 1
    # found again still floating: counted once, by the float itself
    high = [(2.47 + i / fps, 60.0 - 8.0 * i, 5.0) for i in range(12)]
    assert run(stand + back + rising + high) == 1
    # lost as the bell was lifted from the floor (slower, under the hips), found standing
    lift = [(1.6, -70.0, 60.0), (1.67, -55.0, 45.0), (1.73, -40.0, 30.0)]
    hang = [(2.47 + i / fps, -20.0, 0.0) for i in range(15)]
    assert run(stand + back + lift + hang) == 0
    # a short dropout (under GAP_S) claims nothing: the float is seen after it, once
    short = [(1.93 + i / fps, 45.0 + 10.0 * i, 10.0) for i in range(6)]
    down = [(2.33 + i / fps, 80.0 - 25.0 * i, 20.0 + 10 * i) for i in range(8)]
    assert run(stand + back + rising + short + down) == 1
