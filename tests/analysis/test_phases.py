"""The phase machine's transitions on hand-made lean sequences (degrees beyond standing)."""

from __future__ import annotations

import math

from mirror.analysis.events import Phase
from mirror.analysis.metrics import HingeMetrics
from mirror.analysis.phases import PhaseMachine, Segment
from mirror.analysis.profiles import get_profile

NAN = math.nan
FPS = 20.0


def _m(t: float) -> HingeMetrics:
    return HingeMetrics(t, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, 0)


def ramp(a: float, b: float, seconds: float) -> list[float]:
    n = max(1, round(seconds * FPS))
    return [a + (b - a) * (i + 1) / n for i in range(n)]


def hold(v: float, seconds: float) -> list[float]:
    return [v] * max(1, round(seconds * FPS))


def rep(depth: float, down: float = 1.5, pause: float = 0.4, up: float = 1.2) -> list[float]:
    return ramp(0, depth, down) + hold(depth, pause) + ramp(depth, 0, up) + hold(0, 1.0)


def run(exercise: str, leans: list[float], noise: float = 8.0):
    """Feed the leans; return (machine, finished segments, phases seen in order)."""
    machine = PhaseMachine(get_profile(exercise), noise)
    segs: list[Segment] = []
    machine.begin(0.0, leans[0])
    phases = [machine.phase]
    for i, lean in enumerate(leans):
        t = i / FPS
        seg = machine.step(t, lean, _m(t), NAN)
        if machine.phase is not phases[-1]:
            phases.append(machine.phase)
        if seg is not None:
            segs.append(seg)
    return machine, segs, phases


def test_full_rep_walks_every_phase_in_order_and_counts_once():
    _, segs, phases = run("rdl", hold(0, 1.0) + rep(70))
    assert phases == [Phase.STANDING, Phase.DESCENDING, Phase.BOTTOM, Phase.ASCENDING,
                      Phase.STANDING]
    assert len(segs) == 1
    assert segs[0].reached_bottom and not segs[0].bottom_first
    assert 69 <= segs[0].peak <= 70


def test_three_reps_count_three():
    _, segs, _ = run("hip-hinge", hold(0, 1.0) + rep(60) * 3)
    assert [s.reached_bottom for s in segs] == [True, True, True]


def test_partial_dip_does_not_reach_bottom():
    machine, segs, phases = run("rdl", hold(0, 1.0) + rep(16))
    assert Phase.BOTTOM not in phases
    assert len(segs) == 1 and not segs[0].reached_bottom  # recorded as a partial
    assert machine.phase is Phase.STANDING


def test_sway_below_entry_threshold_starts_nothing():
    _, segs, phases = run("rdl", hold(0, 1.0) + rep(6) * 3)
    assert segs == [] and phases == [Phase.STANDING]


def test_bottom_first_start_is_flagged_and_counts_at_lockout():
    leans = hold(55, 1.0) + ramp(55, 0, 1.0) + hold(0, 1.0)
    _, segs, phases = run("deadlift", leans)
    assert phases == [Phase.BOTTOM, Phase.ASCENDING, Phase.STANDING]
    assert len(segs) == 1 and segs[0].bottom_first and segs[0].reached_bottom


def test_noise_around_thresholds_does_not_double_count():
    # Jitter of +/-5 deg at the bottom, and while rising through the top threshold.
    jitter = [(-5.0 if i % 2 else 5.0) for i in range(30)]
    bottom = [60 + j for j in jitter]
    mid = [25 + j for j in jitter]  # hovering around the lockout threshold on the way up
    leans = hold(0, 1.0) + ramp(0, 60, 1.5) + bottom + ramp(60, 25, 0.6) + mid
    leans += ramp(25, 0, 0.5) + hold(0, 1.0)
    _, segs, _ = run("rdl", leans)
    assert len(segs) == 1 and segs[0].reached_bottom


def test_rising_halfway_then_going_back_down_is_one_rep():
    leans = hold(0, 1.0) + ramp(0, 60, 1.5) + ramp(60, 35, 0.5) + ramp(35, 62, 0.5)
    leans += ramp(62, 0, 1.2) + hold(0, 1.0)
    _, segs, phases = run("rdl", leans)
    assert len(segs) == 1
    assert phases.count(Phase.ASCENDING) == 2  # went back to bottom in between


def test_no_rep_ends_while_still_bent_over():
    machine, segs, _ = run("rdl", hold(0, 1.0) + ramp(0, 70, 1.5) + ramp(70, 40, 1.0))
    assert segs == []
    assert machine.phase is Phase.ASCENDING


def test_front_view_count_floor_makes_shallow_dips_partial():
    machine = PhaseMachine(get_profile("rdl"), 16.0, count_floor=30.0)
    assert machine.count_lean == 30.0
    leans = hold(0, 1.0) + rep(25)
    for i, lean in enumerate(leans):
        t = i / FPS
        if machine.fresh:
            machine.begin(t, lean)
        seg = machine.step(t, lean, _m(t), NAN)
        if seg is not None:
            assert not seg.reached_bottom


def test_shallow_dip_straight_after_lockout_is_a_wobble_not_a_rep():
    lockout = hold(0, 1.0) + ramp(0, 60, 1.0) + ramp(60, 0, 1.0)
    wobble = ramp(0, 25, 0.3) + ramp(25, 0, 0.5) + hold(0, 1.0)
    _, segs, _ = run("deadlift", lockout + wobble)
    assert len(segs) == 1 and not segs[0].rushed
    # The same dip after standing still for a moment is a (shallow) rep.
    _, segs, _ = run("deadlift", lockout + hold(0, 0.6) + wobble)
    assert len(segs) == 2 and segs[1].reached_bottom


def test_a_wobble_that_turns_into_a_slow_shallow_rep_counts():
    # Leans read at 10 fps from a simulated RDL set: 1 s after a lockout the torso wobbles
    # to 11 deg (a rushed start), hovers at 5-9 and then sinks into a slow shallow rep to
    # 33 deg. The wobble is over once it came back near the top: the rep is a fresh attempt
    # (it was dropped as the wobble's continuation).
    leans = [0.0] * 10 + [20.0, 40.0, 60.0, 60.0, 45.0, 30.0, 14.4, 8.1, 3.8, 4.0, 6.8]
    leans += [10.8, 10.0, 9.0, 9.2, 7.8, 7.5, 9.1, 7.2, 8.4, 5.2, 6.7, 8.3, 8.4, 8.6, 6.9, 8.4]
    wobble_end = len(leans)
    leans += [10.6, 13.0, 14.3, 12.0, 14.3, 18.5, 22.6, 25.3, 27.5, 29.9, 33.3, 31.9, 28.3]
    leans += [30.6, 23.2, 20.1, 5.7, 0.7, 0.0, 0.0, 0.0, 0.0, 0.0]

    def segments(series: list[float]) -> list[Segment]:
        machine = PhaseMachine(get_profile("rdl"), 8.0)
        machine.begin(0.0, series[0])
        steps = (machine.step(i / 10, v, _m(i / 10), NAN) for i, v in enumerate(series))
        return [seg for seg in steps if seg is not None]

    segs = segments(leans)
    assert len(segs) == 2 and segs[1].reached_bottom and segs[1].peak >= 33
    # The wobble alone, back to standing, is still no rep (an 11 deg sway at most, which the
    # engine drops).
    alone = segments(leans[:wobble_end] + [3.0, 0.0] + [0.0] * 10)
    assert [s.reached_bottom for s in alone] in ([True], [True, False])
    assert all(s.peak < 12 for s in alone[1:])


def test_tempo_timestamps_follow_the_rep():
    from mirror.analysis.faults import tempo

    _, segs, _ = run("rdl", hold(0, 1.0) + rep(70, down=2.0, pause=0.6, up=1.0))
    tp = tempo(segs[0])
    assert 1.6 <= tp.down_s <= 2.2
    assert 0.4 <= tp.pause_s <= 0.9
    assert 0.4 <= tp.up_s <= 1.1


def test_dip_a_second_after_lockout_is_a_new_rep_even_if_the_top_never_read_still():
    # Facing the camera the standing lean jitters by more than the settle band: the person
    # is back at the top for over a second, so the next dip is an attempt, not a wobble.
    noise = 16.0
    first = hold(0, 1.0) + ramp(0, 60, 1.0) + ramp(60, 0, 1.0)
    jitter = ([12.0, 0.0] + [12.0] * 10) * 2  # 1.2 s, within the settle band for 0.1 s
    second = ramp(0, 40, 0.5) + hold(40, 0.3) + ramp(40, 0, 1.0) + hold(0, 1.0)
    _, segs, _ = run("good-morning", first + jitter + second, noise=noise)
    assert len(segs) == 2
    assert not segs[1].rushed and segs[1].reached_bottom
    # The same dip straight after the lockout is still a wobble (dropped).
    _, segs, _ = run("good-morning", first + second, noise=noise)
    assert len(segs) == 1


def test_drifting_over_the_counting_depth_from_a_half_stood_top_is_no_rep():
    # An RDL whose lockout stopped at 16 deg of lean, then the torso wobbles to 24 (past the
    # counting depth of 20) and the person stands up: no new rep. A real rep from the
    # half-stood top still counts.
    first = hold(0, 1.0) + ramp(0, 70, 1.5) + hold(70, 0.4) + ramp(70, 16, 1.2) + hold(16, 1.0)
    drift = ramp(16, 24, 0.3) + hold(24, 0.3) + ramp(24, 16, 0.3) + hold(16, 0.5)
    _, segs, _ = run("rdl", first + drift + ramp(16, 0, 1.0) + hold(0, 1.0))
    assert sum(s.reached_bottom for s in segs) == 1
    again = ramp(16, 70, 1.5) + hold(70, 0.4) + ramp(70, 0, 1.2) + hold(0, 1.0)
    _, segs, _ = run("rdl", first + again)
    assert sum(s.reached_bottom for s in segs) == 2


def test_back_up_halfway_and_down_again_ends_the_rep_short_of_lockout():
    # Facing the camera a missed lockout can read 35 deg: the rep is over once the person
    # comes back up past half its depth and goes down again.
    leans = hold(0, 1.0) + ramp(0, 80, 1.5) + hold(80, 0.4)
    for _ in range(2):
        leans += ramp(80, 35, 1.0) + hold(35, 0.5) + ramp(35, 80, 1.2) + hold(80, 0.4)
    leans += ramp(80, 0, 1.2) + hold(0, 1.0)
    _, segs, _ = run("rdl", leans, noise=16.0)
    assert [s.reached_bottom for s in segs] == [True, True, True]
    assert [s.unlocked for s in segs] == [True, True, False]
    # a bounce at the bottom (up to 60 of 80 and down) stays one rep
    bounce = hold(0, 1.0) + ramp(0, 80, 1.5) + ramp(80, 60, 0.4) + ramp(60, 80, 0.4)
    _, segs, _ = run("rdl", bounce + ramp(80, 0, 1.2) + hold(0, 1.0), noise=16.0)
    assert len(segs) == 1


def test_one_noisy_low_frame_at_a_half_stood_top_does_not_make_a_drift_a_rep():
    # A missed lockout held at 17 deg with one frame reading 9 (keypoint noise), then a drift
    # to 22: measured from the top's typical level (17) that is no descent.
    first = hold(0, 1.0) + ramp(0, 70, 1.5) + hold(70, 0.4) + ramp(70, 17, 1.2)
    top = hold(17, 0.5) + [9.0] + hold(17, 0.4)
    drift = ramp(17, 22, 0.3) + hold(22, 0.4) + ramp(22, 17, 0.3) + hold(17, 0.3)
    _, segs, _ = run("hip-hinge", first + top + drift + ramp(17, 0, 1.0) + hold(0, 1.0), 14.0)
    assert sum(s.reached_bottom for s in segs) == 1


def _feed(machine: PhaseMachine, leans: list[float], t0: float) -> float:
    """Step the leans from t0 at FPS; return the next frame's time."""
    if machine.fresh:
        machine.begin(t0, leans[0])
    for i, lean in enumerate(leans):
        machine.step(t0 + i / FPS, lean, _m(t0 + i / FPS), NAN)
    return t0 + len(leans) / FPS


def test_forgetting_a_passer_by_drops_a_trip_they_started_and_keeps_ours():
    """A trip begun on a passer-by's frames never happened; one of ours keeps its frames
    from before the passer-by was followed."""
    m = PhaseMachine(get_profile("rdl"), noise_floor=8.0)
    t = _feed(m, hold(0, 1.0), 0.0)
    _feed(m, [5.0, 15.0, 25.0], t)  # the passer-by leans as they walk
    assert m.phase is not Phase.STANDING
    m.forget_since(t)
    assert m.phase is Phase.STANDING and m.segment is None
    m2 = PhaseMachine(get_profile("rdl"), noise_floor=8.0)
    t = _feed(m2, hold(0, 1.0) + [10.0, 30.0, 45.0], 0.0)
    _feed(m2, [60.0, 70.0], t)  # followed the passer-by from t
    assert m2.segment is not None and m2.segment.peak == 70.0
    m2.forget_since(t)
    assert m2.segment is not None and m2.segment.peak == 45.0
    assert all(s[0] < t for s in m2.segment.samples)


def _front_run(leans: list[float], foreshortened: bool = True) -> list[Segment]:
    machine = PhaseMachine(get_profile("hip-hinge"), 16.0, count_floor=28.0)
    machine.foreshortened = foreshortened
    segs = []
    machine.begin(0.0, leans[0])
    for i, lean in enumerate(leans):
        seg = machine.step(i / FPS, lean, _m(i / FPS), NAN)
        if seg is not None:
            segs.append(seg)
    return segs


def test_facing_the_camera_back_up_is_judged_on_the_shortening_not_degrees():
    # Two shallow 38 deg reps facing the camera; standing between them reads 20 deg (the acos
    # of a 6 % foreshortening jitter). 20 deg is most of the way back up in shortening
    # (1 - cos: 0.06 of 0.21), so the first rep ended there: two reps, not one.
    one = ramp(0, 38, 1.5) + hold(38, 0.4) + ramp(38, 20, 1.0) + hold(20, 0.8)
    leans = hold(0, 1.0) + one + ramp(20, 38, 0.8) + hold(38, 0.4) + ramp(38, 0, 1.2)
    leans += hold(0, 1.0)
    assert [s.reached_bottom for s in _front_run(leans)] == [True, True]
    # Side-on the same degrees are measured linearly: 20 of 38 is still half way down.
    assert len(_front_run(leans, foreshortened=False)) == 1


def test_shallow_rep_whose_counting_depth_frame_turns_it_back_down_counts():
    # Traced at 45 deg: a slow shallow hinge (true torso 26 deg, counting depth 20) wavered
    # on the way down (17 -> 12), then the frame that turned it back down read 22 and the
    # rest of the bottom read 19-20: the re-descent must mark the bottom it reached.
    leans = hold(0, 1.0) + ramp(0, 17, 0.5) + ramp(17, 12, 0.2) + [16.0, 22.0]
    leans += hold(19.5, 0.5) + ramp(19, 0, 1.0) + hold(0, 1.0)
    _, segs, _ = run("hip-hinge", leans, noise=14.0)
    assert len(segs) == 1 and segs[0].reached_bottom


def test_a_slow_shallow_descent_is_measured_from_the_stand_not_its_first_frames_down():
    # Traced at 45 deg (noise floor 14): a shallow deadlift (counting depth 16) lowered slowly
    # to 18. The trigger fires at 14, when the last frames are already the way down (10-14):
    # measured from them the rep went down only 4-8 deg; from where the person stood, 18.
    leans = hold(0, 1.5) + ramp(0, 18, 2.0) + hold(18, 0.6) + ramp(18, 0, 1.2) + hold(0, 1.0)
    _, segs, _ = run("deadlift", leans, noise=14.0)
    assert len(segs) == 1 and segs[0].reached_bottom


def test_a_wander_of_two_thirds_of_the_counting_depth_from_a_half_stood_top_is_no_rep():
    # Traced at 45 deg: a deadlift's missed lockout held at 20 deg wandered to 29-31 (noise)
    # before the person stood up: 11 deg from the top's level is no new rep.
    first = hold(0, 1.0) + ramp(0, 65, 1.5) + hold(65, 0.4) + ramp(65, 20, 1.2) + hold(20, 1.0)
    wander = ramp(20, 31, 0.4) + ramp(31, 20, 0.4) + hold(20, 0.5)
    _, segs, _ = run("deadlift", first + wander + ramp(20, 0, 1.0) + hold(0, 1.0), 14.0)
    assert sum(s.reached_bottom for s in segs) == 1


def test_a_hinge_that_reads_19_deg_counts_and_a_15_deg_dip_is_a_partial():
    """Side-on the keypoints read a 22 deg torso as about 19 deg: the shallowest hinge a coach
    still counts (as shallow) must count; a dip to 15 deg is an attempt, not a rep."""
    _, segs, _ = run("hip-hinge", hold(0, 1.0) + rep(19.0))
    assert [s.reached_bottom for s in segs] == [True]
    _, segs, _ = run("hip-hinge", hold(0, 1.0) + rep(15.0))
    assert [s.reached_bottom for s in segs] == [False]


def test_a_rep_turned_down_keeps_its_own_depth_not_the_next_frames():
    """Ended by going down again, the rep's depth is its own: the frame that turned it (a jump
    in the reading as someone walked off: 54 deg after 28) belongs to what follows."""
    leans = hold(0, 1.0) + ramp(0, 28, 0.3) + hold(28, 0.2) + ramp(28, 18, 0.2) + [54.0] * 4
    _, segs, _ = run("hip-hinge", leans)
    assert len(segs) == 1 and segs[0].unlocked
    assert segs[0].peak == 28.0 and segs[0].peak_t <= segs[0].end_t


def test_a_top_short_of_standing_keeps_the_wrists_rise_up_to_the_turn_down():
    """A swing whose hips never lock floats its bell at that top, then goes down again: the
    rep's samples end at the top's highest point, but the bell's rise until the turn down is
    kept (the engine counts the swing by it)."""
    from dataclasses import replace

    leans = hold(0, 1.0) + ramp(0, 70, 0.5) + ramp(70, 33, 0.4) + hold(33, 0.3) + ramp(33, 70, 0.4)
    machine = PhaseMachine(get_profile("kettlebell-swing"), 8.0)
    machine.begin(0.0, 0.0)
    segs = []
    for i, lean in enumerate(leans):
        t = i / FPS
        rise = 38.0 if 1.9 <= t <= 2.1 else -20.0  # the float, at the top short of standing
        seg = machine.step(t, lean, replace(_m(t), wrist_rise=rise), NAN)
        segs += [seg] if seg is not None else []
    assert len(segs) == 1 and segs[0].unlocked
    assert segs[0].turn_rise == 38.0
    assert all(m.wrist_rise < 0 for _t, _l, m in segs[0].samples)


def test_two_frames_still_at_the_top_at_8_fps_are_a_quarter_second_not_an_eighth():
    # A real 45 deg good-morning set thinned to a Pi's frame rate: back at the top, two frames
    # read still before the next rep. Their span (0.125 s) is one frame short of the time they
    # stand for, and the rep, under the full depth 0.6 s after the lockout, was dropped as a
    # wobble whenever a lean a degree deeper started it a frame sooner.
    target = get_profile("good-morning").target_lean

    def segments(series: list[float]) -> list[Segment]:
        machine = PhaseMachine(get_profile("good-morning"), 8.0)
        machine.begin(0.0, series[0])
        steps = (machine.step(i / 8, v, _m(i / 8), NAN) for i, v in enumerate(series))
        return [seg for seg in steps if seg is not None]

    first = [0.0] * 8 + [7.5 * i for i in range(1, 9)] + [60.0 - 7.5 * i for i in range(1, 9)]
    dip = [15.0, 0.5 * target, 0.9 * target, 0.9 * target, 0.5 * target, 10.0] + [0.0] * 8
    segs = segments(first + [0.5] + dip)
    assert len(segs) == 2 and segs[1].reached_bottom and not segs[1].rushed
    # Straight from the last falling frame into the dip it is still a wobble.
    assert len(segments(first + dip)) == 1


def test_a_stand_whose_lean_reading_changes_source_is_re_anchored_not_a_descent():
    # Standing facing the camera, turned just past the line where the torso's tilt alone
    # reads the lean (0 deg); as the baseline's yaw is relearnt it crosses back and the
    # foreshortening, 31 deg of keypoint drift by then, appears in one frame (simulated
    # suite n=320 seed 8, a person back from leaving). Re-anchored there, the drift back
    # down is no rep; a real hinge from the new level still counts.
    before = hold(0, 1.0)
    drift = hold(31, 0.3) + ramp(31, 22, 0.7) + hold(0, 1.0)

    def front(reanchor: bool, after: list[float]) -> list[Segment]:
        m = PhaseMachine(get_profile("hip-hinge"), 16.0, count_floor=28.0)
        m.foreshortened = True
        t = _feed(m, before, 0.0)
        if reanchor:
            m.reanchor(t, drift[0])
        segs = []
        for i, lean in enumerate(drift + after):
            seg = m.step(t + i / FPS, lean, _m(t + i / FPS), NAN)
            if seg is not None:
                segs.append(seg)
        return [s for s in segs if s.reached_bottom]

    assert len(front(False, [])) == 1  # read as a descent from 0: a false rep
    assert front(True, []) == []
    assert len(front(True, rep(60))) == 1
