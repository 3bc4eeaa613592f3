"""Shallow is judged against the person's own depth in the set, including reps that come later."""

from mirror.analysis.engine import HingeAnalyzer
from mirror.analysis.events import RepEvent
from mirror.analysis.replog import RepRecord


def _add(a: HingeAnalyzer, peak: float, faults: tuple[str, ...] = ()) -> list[str]:
    """Judge a counted rep of this peak lean and store it as the engine does."""
    judged = a.log.judge_depth(peak, list(faults))
    ev = RepEvent(number=a.reps + 1, counted=True, start_s=0, end_s=1, bottom_s=0.5, depth=1,
                  down_s=1, pause_s=0.5, up_s=1, faults=tuple(judged),
                  metrics={"peak_lean": peak})
    a.log.records.append(RepRecord(ev, judged))
    return judged


def test_two_shallow_reps_at_the_start_do_not_vouch_for_each_other() -> None:
    a = HingeAnalyzer("rdl")  # target 55 deg
    assert _add(a, 30.0) == ["shallow"]  # against the profile's depth
    assert _add(a, 31.0) == []  # against the first rep only: looks like this person's depth
    assert _add(a, 80.0) == []
    # The deep rep shows the real depth: the second rep is marked on the set's record.
    assert [r.event.faults for r in a.log.records] == [("shallow",), ("shallow",), ()]


def test_a_deeper_rep_does_not_mark_reps_at_the_profiles_depth() -> None:
    a = HingeAnalyzer("rdl")
    _add(a, 60.0)
    _add(a, 95.0)  # far past the target: the reference is capped at the profile's depth
    assert [r.event.faults for r in a.log.records] == [(), ()]


def test_squatting_reps_are_not_also_shallow() -> None:
    a = HingeAnalyzer("rdl")
    _add(a, 30.0, ("squatting",))
    _add(a, 80.0)
    assert a.log.records[0].event.faults == ("squatting",)
