"""A person the model loses for a moment (bent over at the bottom of a pull) is still the same
person on the same spot: the rep in progress goes on. Someone gone longer is a new arrival."""

from __future__ import annotations

import pytest

from mirror.analysis.counting import count_stream
from mirror.sim import SimSpec, simulate


def _deadlifts(yaw: float):
    spec = SimSpec(exercise="deadlift", reps=4, yaw_deg=yaw, fps=15, noise=0.6, dropout=0.0,
                   seed=21, camera_height_m=1.5, distance_m=3.5)
    res = simulate(spec)
    return res.recording.frames, res.truth.reps[2]


def _blank(frames, t0: float, t1: float):
    return [(t, None if t0 <= t <= t1 else pose) for t, pose in frames]


@pytest.mark.parametrize("yaw", [0, 45, 90])
@pytest.mark.parametrize("before_lockout", [0.3, 0.7])
def test_lost_for_a_second_on_the_way_up_the_rep_still_counts(yaw, before_lockout):
    frames, rep = _deadlifts(yaw)
    assert count_stream(frames, "deadlift").reps == 4
    # No pose for 1.15 s of the pull, found again this long before lockout.
    end = rep.lockout_s - before_lockout
    gap = _blank(frames, end - 1.15, end)
    assert count_stream(gap, "deadlift").reps == 4  # was 3: restarted as a too-short pull


def test_gone_longer_than_held_is_a_new_arrival():
    frames, rep = _deadlifts(90)
    gap = _blank(frames, rep.bottom_s, rep.bottom_s + 3.0)  # past HELD_S: they left
    assert count_stream(gap, "deadlift").reps == 3
