"""At 45 deg a shallow first rep reads short until the yaw and the forward direction are
learnt from a deep rep; it is read again then (HingeAnalyzer._reread_partials)."""

from __future__ import annotations

from mirror.analysis.counting import count_stream
from mirror.sim import simulate, suite


def test_shallow_first_rep_at_45_deg_counts_once_the_yaw_is_learnt():
    # Seed-1 suite recording 252: hip hinge, 48 deg yaw, 20 fps, first rep shallow.
    spec = next(s for s in suite(320, 1) if s.name.startswith("252_"))
    res = simulate(spec)
    result = count_stream(res.recording.frames, spec.exercise)
    assert result.reps == res.truth.count == 7
    first = result.rep_details[0]
    assert first.recounted and "shallow" in first.faults
    assert [e.number for e in result.rep_details] == list(range(1, 8))
    assert not result.partials
