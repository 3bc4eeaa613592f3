"""What the standing baseline may be learnt from."""

from __future__ import annotations

import math

from mirror.analysis.calibration import Calibrator
from mirror.analysis.metrics import HingeMetrics

NAN = math.nan


def _still(cal: Calibrator, t0: float, knee_flex: float, lean_side: float = 0.0,
           wrist_rise: float = -10.0) -> bool:
    """0.8 s still at 20 fps; True when a baseline was learnt from it."""
    done = False
    for i in range(16):
        m = HingeMetrics(t0 + i / 20, lean_side, 100.0, 100.0, 166.7, 5.0, knee_flex, NAN,
                         170.0, NAN, wrist_rise, 30.0, 0.0, 0.0, 1)
        done = cal.update(m, at_top=True) or done
    return done


def test_crouched_at_the_bar_is_not_the_standing_baseline():
    # A squatting set-up for a pull from the floor: torso nearly upright, knees at 110 deg.
    cal = Calibrator()
    assert not _still(cal, 0.0, knee_flex=110.0, lean_side=17.0)
    assert cal.baseline is None
    assert _still(cal, 2.0, knee_flex=3.0)  # then standing tall


def test_hands_at_the_bar_on_the_floor_is_not_the_standing_baseline():
    # Facing the camera, a floor pull's set-up reads a short torso, a lean under 22 deg and
    # soft-looking knees; only the hands, 1.3 torso lengths below the hips, give it away.
    cal = Calibrator()
    assert not _still(cal, 0.0, knee_flex=30.0, lean_side=5.0, wrist_rise=-130.0)
    assert cal.baseline is None
    assert _still(cal, 2.0, knee_flex=3.0, wrist_rise=-30.0)  # arms hanging, standing tall


def test_soft_knees_and_unseen_knees_still_calibrate():
    assert _still(Calibrator(), 0.0, knee_flex=20.0)
    assert _still(Calibrator(), 0.0, knee_flex=NAN)


def test_walking_in_side_on_is_not_standing_still():
    # Walking across keeps the torso upright and its length steady, but the hips travel
    # (here 1.2 torso lengths a second): no baseline until the person stops.
    cal = Calibrator()
    for i in range(40):
        m = HingeMetrics(i / 20, 2.0, 100.0, 100.0, 166.7, 5.0, 10.0, NAN, 170.0, NAN, -10.0,
                         0.0, 0.0, 0.0, 1, hip_x=200.0 + 6.0 * i)
        assert not cal.update(m, at_top=True)
    assert cal.baseline is None
    assert _still(cal, 2.0, knee_flex=3.0)


def test_replay_after_calibration_starts_where_the_feet_arrived():
    from mirror.analysis.arrival import since_arrival

    def at(t: float, ankle_x: float) -> HingeMetrics:
        return HingeMetrics(t, 0.0, 100.0, 100.0, 166.7, 5.0, 5.0, NAN, 170.0, NAN, -10.0,
                            0.0, 0.0, 0.0, 1, ankle_x=ankle_x)

    walk = [at(i / 10, 100.0 + 20.0 * i) for i in range(20)]  # arrives at x = 480
    stay = [at(2.0 + i / 10, 480.0 + (i % 3)) for i in range(30)]  # set up, pull, stand
    assert since_arrival(walk + stay, 100.0)[0].t == walk[-3].t  # within half a torso
    assert since_arrival(stay, 100.0) == stay
    unseen = [at(i / 10, NAN) for i in range(5)]
    assert since_arrival(walk + unseen, 100.0) == walk + unseen  # feet not seen now: all
    # A passer-by's legs taken for the person's at the very moment of calibration (two
    # frames at 10 fps, 0.7 torso lengths off): where the feet stand now is their median
    # over the last 0.3 s, and the set done on the spot before is replayed.
    glitch = [at(5.0 + i / 10, 550.0) for i in range(2)]
    assert since_arrival(stay + glitch, 100.0) == stay + glitch


def test_walking_straight_back_is_not_replayed_but_a_pull_from_the_floor_is():
    """From the mirror's buttons straight back to the spot the feet barely move across the
    picture, but the body shrinks: frames standing taller than the baseline are away. Bent
    over at the bar the torso's vertical extent is short, whatever its 2-D length."""
    from mirror.analysis.arrival import since_arrival

    def at(t: float, vert: float, torso_len: float | None = None) -> HingeMetrics:
        return HingeMetrics(t, 0.0, vert, torso_len or vert, 166.7, 5.0, 5.0, NAN, 170.0, NAN,
                            -10.0, 0.0, 0.0, 0.0, 1, ankle_x=300.0)

    back = [at(i / 10, 160.0 - 3.0 * i) for i in range(20)]  # 160 -> 103 px, feet at x = 300
    stay = [at(2.0 + i / 10, 100.0 + (i % 3)) for i in range(20)]
    kept = since_arrival(back + stay, 100.0)
    assert kept[0].t == back[17].t  # the first frame within a tenth of the standing torso
    assert all(m.vert <= 110.0 for m in kept)
    pull = [at(i / 10, 40.0, torso_len=140.0) for i in range(10)]  # bent over, 2-D length 1.4x
    assert since_arrival(pull + stay, 100.0) == pull + stay
    # A baseline learnt early (forced, while they were still rising from the bar) is shorter
    # than the person standing now: "taller" is against whichever is taller.
    rise = [at(i / 10, 40.0 + 20.0 * i, torso_len=140.0) for i in range(4)]  # 40 -> 100
    tall = [at(0.4 + i / 10, 130.0) for i in range(15)]
    assert since_arrival(rise + tall, 100.0) == rise + tall


def test_hands_on_a_bar_across_the_back_still_calibrate_for_good_mornings():
    # Wrists at shoulder height (a bar on the upper back), standing still.
    def stand(cal: Calibrator) -> bool:
        done = False
        for i in range(16):
            m = HingeMetrics(i / 20, 0.0, 100.0, 100.0, 166.7, 5.0, 3.0, NAN, 170.0, NAN,
                             95.0, 75.0, 0.0, 0.0, 0)
            done = cal.update(m, at_top=True) or done
        return done

    assert not stand(Calibrator())  # arms raised: a wave or a bell held up, not standing
    assert stand(Calibrator(hands_high=True))


def _frames(fps: float, seconds: float, lean_side, feet=lambda t: (480.0, 480.0)):
    out = []
    for i in range(int(seconds * fps)):
        t = i / fps
        left, right = feet(t)
        out.append(HingeMetrics(
            t, lean_side(t), 100.0, 100.0, 166.7, 5.0, 5.0, NAN, 170.0, NAN, -10.0, 30.0, 0.0,
            0.0, 1, ankle_x=(left + right) / 2, left_ankle_x=left, right_ankle_x=right,
        ))
    return out


def test_a_never_still_lifter_is_calibrated_from_the_same_time_upright_at_10_or_30_fps():
    """A floor pull with a short lockout: upright (lean under 12 deg) for 0.4 s only. At the
    Pi's 10 fps that is 4 frames, which a frame count (8, meant as 0.27 s at 30 fps) refused:
    a single-rep set then never calibrated and its rep was lost."""

    def lean(t: float) -> float:
        return 5.0 if 1.8 <= t < 2.2 else 60.0

    for fps in (10.0, 30.0):
        base = Calibrator().force(_frames(fps, 4.0, lean))
        assert base is not None, fps
        assert base.lean_side == 5.0
    # Upright for a single frame's time (0.1 s): not enough to call it standing.
    assert Calibrator().force(_frames(10.0, 4.0, lambda t: 5.0 if 2.0 <= t < 2.1 else 60.0)) \
        is None


def test_the_free_foot_reaching_back_is_not_walking_in():
    """A single-leg RDL's free foot reaches back a torso length while the stance foot stays:
    the replay keeps the rep that began before calibration, even with the model swapping
    left and right or putting both ankles on the free foot for a frame; walking in (both
    feet moving, 3 torso lengths) is still cut off."""
    from mirror.analysis.arrival import since_arrival

    def feet(t: float) -> tuple[float, float]:  # walks in for 2 s, stands, reaches back
        if t < 2.0:
            return 180.0 + 150.0 * t, 180.0 + 150.0 * t
        free = 380.0 if 3.0 <= t < 5.0 else 480.0
        if abs(t - 3.5) < 0.01:
            return free, 480.0  # left and right swapped
        if abs(t - 4.0) < 0.01:
            return free, free  # both ankles on the free foot
        return 480.0, free

    frames = _frames(10.0, 6.0, lambda t: 0.0, feet)
    kept = since_arrival(frames, 100.0, one_leg=True)
    assert 1.6 < kept[0].t < 2.0  # from the arrival, the reach included
    # Two feet, a far reach (1.5 torso lengths) moves their midpoint past half a torso: read
    # as a step, as it would be for any two-footed exercise.
    far = _frames(10.0, 6.0, lambda t: 0.0, lambda t: (480.0, 330.0 if 3.0 <= t < 5.0 else 480.0))
    assert since_arrival(far, 100.0)[0].t == 5.0
    assert since_arrival(far, 100.0, one_leg=True) == far


def test_one_misread_ankle_is_not_an_arrival():
    """Side-on the plates hide a floor pull's ankles and the model guesses them: one frame
    read 0.5 torso lengths off (a two-lifter clip at 10 fps) cut the replay inside the pull,
    too short a rep to count. A walk keeps the feet away frame after frame."""
    from mirror.analysis.arrival import since_arrival

    glitch = _frames(10.0, 3.0, lambda t: 0.0,
                     lambda t: (560.0, 560.0) if abs(t - 1.0) < 0.01 else (480.0, 480.0))
    assert since_arrival(glitch, 100.0) == glitch


def _stand(t: float, vert: float = 100.0, leg: float = 166.7, width: float = 75.0,
           scale: float = 1.0) -> HingeMetrics:
    """One frame of standing tall facing the camera (torso/leg 0.6), all sizes times scale."""
    return HingeMetrics(t, 1.0, vert * scale, vert * scale, leg * scale, 5.0, 3.0, NAN,
                        leg * scale, NAN, -10.0 * scale, width * scale, 0.0, 0.0, 0)


def test_a_second_of_drifting_keypoints_does_not_become_the_standing_baseline():
    # Standing still between sets, the torso read 15 % long and the legs 10 % short for a
    # second (each keypoint's slow bias; shoulders to ankles held). Learnt 30 % a frame, that
    # was the baseline within the second, and the stand after it read as a shallow rep.
    cal = Calibrator()
    for i in range(60):  # 3 s at 20 fps
        cal.update(_stand(i / 20), at_top=True)
    ratios = []
    for i in range(20):
        cal.update(_stand(3.0 + i / 20, vert=115.0, leg=150.0), at_top=True)
        ratios.append(cal.baseline.ratio)
    assert max(ratios) < 0.67  # 0.6 standing; the drifted frames read 0.77


def test_a_turn_or_a_step_nearer_is_learnt_at_once():
    # Walked in side-on (shoulders 0.1 of the torso wide), then faced the camera: the view is
    # the new stand's within the still window, not a blend's seconds later.
    cal = Calibrator()
    for i in range(40):
        cal.update(_stand(i / 20, width=10.0), at_top=True)
    assert cal.baseline.width_ratio < 0.2
    for i in range(14):
        cal.update(_stand(2.0 + i / 20), at_top=True)
    assert cal.baseline.width_ratio > 0.7
    # A step nearer between sets: everything 25 % larger, learnt as it is.
    for i in range(14):
        cal.update(_stand(4.0 + i / 20, scale=1.25), at_top=True)
    assert abs(cal.baseline.vert - 125.0) < 2.0
