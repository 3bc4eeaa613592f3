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
    assert "shallow" in first.faults  # counted, read again or at once (count depth 17)
    assert [e.number for e in result.rep_details] == list(range(1, 8))
    assert not result.partials


def test_a_partial_read_again_at_the_counting_depth_becomes_a_rep_numbered_in_order():
    """Once the view is learnt, a partial whose deepest frame now reads past the counting
    depth is a rep: announced as recounted, judged shallow, and the set renumbered."""
    from mirror.analysis.events import RepEvent
    from mirror.analysis.metrics import HingeMetrics
    from mirror.analysis.replog import RepLog, RepRecord

    nan = float("nan")
    peak = HingeMetrics(5.0, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, 0)

    def event(n: int, counted: bool, lean: float, t: float) -> RepEvent:
        return RepEvent(number=n, counted=counted, start_s=t, end_s=t + 2, bottom_s=t + 1,
                        depth=lean / 50, down_s=1.0, pause_s=0.3, up_s=0.8, faults=(),
                        metrics={"peak_lean": lean})

    log = RepLog(target_lean=50.0)
    log.records = [RepRecord(event(0, False, 14.0, 0.0), [], peak),
                   RepRecord(event(1, True, 55.0, 3.0), [])]
    assert log.reread(lambda m: 12.0, count_lean=17.0) == []  # still short: still a partial
    upgraded = log.reread(lambda m: 21.0, count_lean=17.0)
    assert [(e.number, e.counted, e.recounted) for e in upgraded] == [(1, True, True)]
    assert "shallow" in upgraded[0].faults
    assert [r.event.number for r in log.records] == [1, 2] and log.partials == 0
