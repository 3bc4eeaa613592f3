"""At 45 deg a shallow knee-bent pull reads its torso short of the counting depth; the hips,
which bend by torso plus thigh, still show the rep (fresh simulated seed 11, never tuned on
before this check was written)."""

from __future__ import annotations

import pytest

from mirror.analysis.counting import count_stream


@pytest.mark.parametrize(("prefix", "reps"), [("140_deadlift", 8), ("080_deadlift", 7)])
def test_shallow_pulls_at_45_deg_count_by_the_hips(prefix, reps):
    from mirror.sim import simulate, suite

    spec = next(s for s in suite(320, 11) if s.name.startswith(prefix))
    assert spec.view == "oblique" and "shallow" in spec.name
    res = simulate(spec)
    assert res.truth.count == reps
    assert count_stream(res.recording.frames, "deadlift").reps == reps
