"""Fault rules on hand-made reps: each rule pinned with a pose a coach would call it on, and
one they would not."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from mirror.analysis.calibration import Baseline
from mirror.analysis.events import View
from mirror.analysis.faults import rep_faults
from mirror.analysis.metrics import HingeMetrics
from mirror.analysis.phases import Segment
from mirror.analysis.profiles import get_profile

NAN = math.nan
FPS = 20.0
VERT = 200.0  # standing torso height in pixels


def base(view: View = View.SIDE, **kw: float) -> Baseline:
    b = Baseline(VERT, 0.55, 3.0, 5.0, 5.0, 400.0, 0.0, 0.0, view,
                 0.05 if view is View.SIDE else 0.4)
    return replace(b, **kw)


def metrics(t: float, **kw: float) -> HingeMetrics:
    m = HingeMetrics(t, 3.0, VERT, VERT, 380.0, 5.0, 5.0, 3.0, 400.0, 0.0, -80.0, 10.0, 0.0, 0.0,
                     1, 0.0, 0.0, 0.0, 5.0)
    return replace(m, **kw)


def segment(depth: float, at_bottom: dict[str, float], start: dict[str, float] | None = None,
            down: float = 1.8, pause: float = 0.8, up: float = 1.2) -> Segment:
    """A rep to `depth` deg whose metrics blend from `start` (standing) to `at_bottom`."""
    start = start or {}
    leans = list(np.linspace(0, depth, round(down * FPS)))
    leans += [depth] * round(pause * FPS) + list(np.linspace(depth, 0, round(up * FPS)))
    samples = []
    for i, lean in enumerate(leans):
        f = lean / depth
        kw = {k: start.get(k, 0.0) + f * (v - start.get(k, 0.0)) for k, v in at_bottom.items()}
        kw.setdefault("lean_side", 3.0 + lean)
        samples.append((i / FPS, float(lean), metrics(i / FPS, **kw)))
    peak_i = int(np.argmax(leans))
    return Segment(0.0, peak=depth, peak_t=peak_i / FPS, end_t=len(leans) / FPS,
                   reached_bottom=True, samples=samples)


def faults(seg: Segment, b: Baseline, exercise: str = "single-leg-rdl") -> list[str]:
    return rep_faults(seg, get_profile(exercise), b, b.view, True)[0]


# -- hips_not_level (single-leg RDL: the free hip opens) -------------------------------------

def test_side_on_open_hip_in_a_shallow_rep_is_flagged():
    # 35 deg of lean: the pelvis rolled about 25 deg, its hips 0.16 torso apart across the
    # trunk, of which the image shows the vertical part, sin(35 deg) of it: 0.09 torso.
    lift = 0.16 * math.sin(math.radians(35)) * VERT
    seg = segment(35, {"ankle_dy": -60.0, "hip_dy": -lift})  # left foot up, left hip up
    assert "hips_not_level" in faults(seg, base())


def test_side_on_level_hips_are_not_flagged():
    seg = segment(80, {"ankle_dy": -120.0, "hip_dy": -0.04 * VERT})
    assert "hips_not_level" not in faults(seg, base())


def test_side_on_free_hip_a_little_low_is_not_an_opening():
    # Noise the other way (the free hip reads lower) must not look like the fault.
    seg = segment(80, {"ankle_dy": -120.0, "hip_dy": 0.15 * VERT})
    assert "hips_not_level" not in faults(seg, base())


def test_free_foot_judged_against_the_feet_at_the_start_of_the_rep():
    # A high camera shows the far (left) foot 40 px higher when standing; at the bottom the
    # left foot has risen to 10 px: the left foot is the free one, and its hip went up.
    lift = 0.3 * math.sin(math.radians(60)) * VERT
    seg = segment(60, {"ankle_dy": 10.0, "hip_dy": -lift}, start={"ankle_dy": 40.0})
    assert "hips_not_level" in faults(seg, base())
    level = segment(60, {"ankle_dy": 10.0, "hip_dy": 0.0}, start={"ankle_dy": 40.0})
    assert "hips_not_level" not in faults(level, base())


def _across(deg: float, amount: float) -> dict[str, float]:
    """Side-on, facing image right, leaning `deg`: the left hip `amount` px from the right one
    across the trunk, up and back (the trunk's image normal pointing up)."""
    a = math.radians(deg)
    return {"lean_dir": deg, "hip_dx": -amount * math.cos(a), "hip_dy": -amount * math.sin(a)}


def test_side_on_opening_is_read_across_the_trunk_without_the_standing_tilt():
    # A camera above the hips showed the far (left) hip 0.1 torso higher while standing. At
    # the bottom the hips are 0.14 torso apart across the trunk: an opening. Taking the
    # standing tilt off the bottom's vertical offset left 0.04 and missed it.
    seg = segment(80, {"ankle_dy": -120.0, **_across(80, 0.14 * VERT)})
    assert "hips_not_level" in faults(seg, base(hip_dy=-0.1 * VERT))
    level = segment(80, {"ankle_dy": -120.0, **_across(80, 0.03 * VERT)})
    assert "hips_not_level" not in faults(level, base(hip_dy=-0.1 * VERT))


def test_side_on_hips_set_apart_sideways_from_the_start_are_not_an_opening():
    # A camera somewhat off side-on shows the hips 0.3 torso apart across the image all rep
    # long: the offset held from the start of the rep is the camera's, not the pelvis's.
    sideways = {"hip_dx": -0.3 * VERT}
    seg = segment(60, {"ankle_dy": -90.0, "lean_dir": 60.0, **sideways}, start=sideways)
    assert "hips_not_level" not in faults(seg, base())


def test_side_on_far_hip_coming_into_view_is_an_opening():
    # Side-on the far hip is hidden and scores low (0.18); at the bottom it scores 0.35: the
    # pelvis turned it toward the camera, though its position reads level.
    seg = segment(80, {"ankle_dy": -120.0, "hip_score_lo": 0.35}, start={"hip_score_lo": 0.18})
    assert "hips_not_level" in faults(seg, base())
    # an estimator that scores hidden joints confidently: no rise to read
    sure = segment(80, {"ankle_dy": -120.0, "hip_score_lo": 0.72}, start={"hip_score_lo": 0.7})
    assert "hips_not_level" not in faults(sure, base())


def test_at_45_deg_hips_and_shoulders_together_show_the_opening():
    # Turned, both sides are seen: the trunk rolls with the pelvis, lifting the free
    # shoulder too. Each alone short of the limit, together past it.
    seg = segment(75, {"ankle_dy": -90.0, "hip_dy": -0.1 * VERT, "shoulder_dy": -0.14 * VERT})
    assert "hips_not_level" in faults(seg, base(View.OBLIQUE))
    hips_only = segment(75, {"ankle_dy": -90.0, "hip_dy": -0.1 * VERT})
    assert "hips_not_level" not in faults(hips_only, base(View.OBLIQUE))


def test_at_45_deg_shoulders_alone_set_apart_at_the_bottom_are_not_an_opening():
    # Perspective alone moves the nearer shoulder away from the other at the bottom (true
    # keypoints of clean simulated reps at 45 deg: about a tenth of the torso, up to 0.17):
    # level hips with the shoulders 0.2 torso apart is no opening; the shoulders count at
    # half weight, so the same shoulders beside a hip lift short of the limit tip it over.
    shoulders_only = segment(75, {"ankle_dy": -90.0, "shoulder_dy": -0.2 * VERT})
    assert "hips_not_level" not in faults(shoulders_only, base(View.OBLIQUE))
    with_hips = segment(75, {"ankle_dy": -90.0, "hip_dy": -0.1 * VERT,
                             "shoulder_dy": -0.2 * VERT})
    assert "hips_not_level" in faults(with_hips, base(View.OBLIQUE))


def test_at_45_deg_a_shallow_reps_opening_is_scaled_up_by_its_lean():
    # 35 deg of lean: hips and shoulders rolled 0.16 and 0.12 torso apart across the trunk,
    # the image shows sin(35 deg) of it. Read as it shows (0.13), it was short of the limit.
    up = math.sin(math.radians(35)) * VERT
    seg = segment(35, {"ankle_dy": -50.0, "hip_dy": -0.16 * up, "shoulder_dy": -0.12 * up})
    assert "hips_not_level" in faults(seg, base(View.OBLIQUE))
    # level hips in the same shallow rep: the keypoints' usual few pixels stay under it
    level = segment(35, {"ankle_dy": -50.0, "hip_dy": -0.04 * up, "shoulder_dy": -0.06 * up})
    assert "hips_not_level" not in faults(level, base(View.OBLIQUE))


def test_two_leg_exercises_never_judge_the_hips():
    seg = segment(75, {"ankle_dy": -90.0, "hip_dy": -0.2 * VERT})
    assert "hips_not_level" not in faults(seg, base(), exercise="rdl")


# -- squatting where the hip angle or the knees say little alone ----------------------------

HIP_H = 400.0  # standing hip height in pixels (the test baseline's)


def test_one_leg_sinking_with_the_torso_high_is_squatting() -> None:
    # The stance knee reads soft (15 deg), but the hips sank 27 % with the torso at 40 deg.
    sat = segment(40, {"hip_height": 0.73 * HIP_H, "knee_flex_max": 15.0, "knee_flex": 15.0})
    assert "squatting" in faults(sat, base(View.OBLIQUE))
    assert "squatting" in faults(sat, base(View.SIDE))


def test_one_leg_hinge_dropping_the_hips_as_the_torso_tips_is_clean() -> None:
    deep = segment(80, {"hip_height": 0.73 * HIP_H, "knee_flex_max": 15.0, "knee_flex": 15.0})
    assert "squatting" not in faults(deep, base(View.OBLIQUE))
    small = segment(40, {"hip_height": 0.88 * HIP_H, "knee_flex_max": 15.0, "knee_flex": 15.0})
    assert "squatting" not in faults(small, base(View.OBLIQUE))


def test_deadlift_at_45_deg_hips_bending_no_more_than_the_knees_is_squatting() -> None:
    # Knees 90 deg past standing, hips 80: under the 125 deg knee limit and the 55 % hip
    # drop, but the hips bend less than the knees.
    sq = segment(55, {"knee_flex": 95.0, "hip_flex": 85.0, "hip_height": 0.5 * HIP_H})
    assert "squatting" in faults(sq, base(View.OBLIQUE), exercise="deadlift")


def test_deadlift_at_45_deg_with_the_hips_leading_is_clean() -> None:
    ok = segment(65, {"knee_flex": 95.0, "hip_flex": 115.0, "hip_height": 0.6 * HIP_H})
    assert "squatting" not in faults(ok, base(View.OBLIQUE), exercise="deadlift")
    # A little knee bend leaves the ratio unread (it is noise at 45 deg).
    little = segment(65, {"knee_flex": 25.0, "hip_flex": 20.0, "hip_height": 0.9 * HIP_H})
    assert "squatting" not in faults(little, base(View.OBLIQUE), exercise="deadlift")


def _turned_rdl(thigh: float, shin: float, yaw_sin: float, knee_2d: float) -> Segment:
    """An RDL rep at 45 deg whose thigh and shin (true directions from vertical) read
    squashed sideways by yaw_sin; knee_2d: the 2-D knee angle the estimator gives."""
    def seen(deg: float) -> float:
        return math.degrees(math.atan(yaw_sin * math.tan(math.radians(deg))))
    return segment(35, {"thigh_dir": seen(thigh), "shin_dir": -seen(shin), "knee_flex": knee_2d,
                        "hip_height": 0.92 * HIP_H},
                   start={"thigh_dir": 0.0, "shin_dir": 0.0, "knee_flex": 5.0})


def test_rdl_at_45_deg_squat_read_small_in_2d_is_squatting_once_unturned() -> None:
    # 75 deg of true knee bend reads 39 deg in 2-D at sin(yaw) 0.45: under knee_max (40).
    sq = _turned_rdl(45, 30, 0.45, 39.0)
    assert "squatting" not in rep_faults(sq, get_profile("rdl"), base(View.OBLIQUE),
                                         View.OBLIQUE, True)[0]  # no yaw: 2-D only
    assert "squatting" in rep_faults(sq, get_profile("rdl"), base(View.OBLIQUE),
                                     View.OBLIQUE, True, 0.45)[0]


def test_rdl_at_45_deg_soft_knees_stay_clean_when_unturned() -> None:
    ok = _turned_rdl(18, 8, 0.45, 12.0)  # 26 deg of true bend: a soft-kneed hinge
    assert "squatting" not in rep_faults(ok, get_profile("rdl"), base(View.OBLIQUE),
                                         View.OBLIQUE, True, 0.45)[0]


def test_one_leg_hinge_at_45_deg_deep_with_the_stance_knee_reading_bent_is_clean() -> None:
    # Deep one-leg hinges at 45 deg read 35-41 deg past standing on the stance knee in 2-D.
    deep = segment(80, {"knee_flex_max": 43.0, "knee_flex": 43.0})
    assert "squatting" not in faults(deep, base(View.OBLIQUE))
    assert "squatting" in faults(deep, base(View.SIDE))  # side-on the knee reads true
    upright = segment(40, {"knee_flex_max": 45.0, "knee_flex": 45.0})
    assert "squatting" in faults(upright, base(View.OBLIQUE))


def test_profile_data() -> None:
    assert get_profile("deadlift").turned_hinge_ratio > 0
    assert get_profile("single-leg-rdl").sink_drop > 0
    assert all(get_profile(e).turned_hinge_ratio == 0 for e in ("rdl", "kettlebell-swing"))


def _swing_with_pick_up(backswing_knee: float) -> Segment:
    """The first swing's segment: the bell pick-up (60 deg lean, knees 20) held, then the
    hike into a backswing at 35 deg lean with the hips 15 % lower, then the snap up."""
    rows = [(60.0, 20.0, HIP_H * 0.92)] * 12
    rows += [(45.0, (20.0 + backswing_knee) / 2, HIP_H * 0.88)] * 2
    rows += [(35.0, backswing_knee, HIP_H * 0.85)] * 3
    rows += [(lean, 10.0, HIP_H * 0.97) for lean in (25.0, 15.0, 8.0, 3.0)]
    samples = [(i / FPS, lean, metrics(i / FPS, knee_flex=k, hip_height=h, lean_side=3.0 + lean))
               for i, (lean, k, h) in enumerate(rows)]
    return Segment(0.0, peak=60.0, peak_t=0.0, end_t=len(rows) / FPS, reached_bottom=True,
                   samples=samples)


def test_swing_squatting_in_the_backswing_after_the_pick_up_is_flagged() -> None:
    # The deepest lean is the pick-up (knees 20): the squat shows where the hips are lowest.
    seg = _swing_with_pick_up(backswing_knee=55.0)
    assert "squatting" in faults(seg, base(View.OBLIQUE), exercise="kettlebell-swing")


def test_swing_with_a_hinged_backswing_after_the_pick_up_is_clean() -> None:
    seg = _swing_with_pick_up(backswing_knee=18.0)
    assert "squatting" not in faults(seg, base(View.OBLIQUE), exercise="kettlebell-swing")


def test_one_leg_squat_at_45_deg_read_small_in_2d_is_squatting_once_unturned() -> None:
    # Torso at 40 deg, the stance knee truly bent 70 deg reads 30 in 2-D at sin(yaw) 0.45.
    def seen(deg: float) -> float:
        return math.degrees(math.atan(0.45 * math.tan(math.radians(deg))))
    bottom = {"thigh_dir": seen(45), "shin_dir": -seen(25), "knee_flex": 30.0,
              "knee_flex_max": 30.0}
    start = {"thigh_dir": 0.0, "shin_dir": 0.0, "knee_flex": 5.0, "knee_flex_max": 5.0}
    sq = segment(40, bottom, start=start)
    one_leg = get_profile("single-leg-rdl")
    assert "squatting" not in rep_faults(sq, one_leg, base(View.OBLIQUE), View.OBLIQUE, True)[0]
    assert "squatting" in rep_faults(sq, one_leg, base(View.OBLIQUE), View.OBLIQUE, True,
                                     0.45)[0]
    deep = segment(80, bottom, start=start)  # the same knees with the torso tipped: a hinge
    assert "squatting" not in rep_faults(deep, one_leg, base(View.OBLIQUE), View.OBLIQUE, True,
                                         0.45)[0]


def _turned_deadlift(lean: float, thigh: float, shin: float) -> Segment:
    """A deadlift rep at 45 deg (sin yaw 0.6): true torso lean, thigh and shin directions,
    drawn squashed sideways; the 2-D angles set as the estimator would read them."""
    def seen(deg: float) -> float:
        return math.degrees(math.atan2(0.6 * math.sin(math.radians(deg)),
                                       math.cos(math.radians(deg))))
    knee_2d, hip_2d = seen(thigh) + seen(shin), seen(lean) + seen(thigh)
    return segment(55, {"lean_dir": seen(lean), "thigh_dir": seen(thigh),
                        "shin_dir": -seen(shin), "knee_flex": knee_2d + 5.0,
                        "hip_flex": hip_2d + 5.0, "hip_height": 0.5 * HIP_H},
                   start={"lean_dir": 0.0, "thigh_dir": 0.0, "shin_dir": 0.0})


def test_deadlift_at_45_deg_squat_by_the_unturned_hip_knee_ratio() -> None:
    # Torso 55, thigh 60, shin 55: hips 115 against knees 110 past standing (ratio 1.05): a
    # squat, though the 2-D angles read a ratio of 1.0 (over the 0.95 limit).
    sq = _turned_deadlift(55, 60, 55)
    dl = get_profile("deadlift")
    assert "squatting" not in rep_faults(sq, dl, base(View.OBLIQUE), View.OBLIQUE, True)[0]
    assert "squatting" in rep_faults(sq, dl, base(View.OBLIQUE), View.OBLIQUE, True, 0.6)[0]
    # Torso 65, thigh 65, shin 30: hips 130 against knees 95 (1.37): hips leading, clean.
    ok = _turned_deadlift(65, 65, 30)
    assert "squatting" not in rep_faults(ok, dl, base(View.OBLIQUE), View.OBLIQUE, True, 0.6)[0]


def test_facing_the_camera_a_swing_whose_hips_drop_is_squatting_not_shallow() -> None:
    # Facing the camera only the hips' drop tells a squat. A swing at 30 deg of lean (short of
    # its 45) with the hips 15 % down: squatting, and "hips back" is the one cue (not "deeper").
    sq = segment(30, {"hip_height": 0.85 * HIP_H})
    found = faults(sq, base(View.FRONT), exercise="kettlebell-swing")
    assert "squatting" in found and "shallow" not in found
    # the same drop side-on is within a swing's (where knees and hip angle are read too)
    assert "squatting" not in faults(sq, base(View.SIDE), exercise="kettlebell-swing")
    # a hinge's own few per cent facing the camera: shallow, not squatting
    hinge = segment(30, {"hip_height": 0.95 * HIP_H})
    found = faults(hinge, base(View.FRONT), exercise="kettlebell-swing")
    assert "shallow" in found and "squatting" not in found


def test_facing_the_camera_a_one_leg_rdl_sinking_a_tenth_is_squatting() -> None:
    # Side-on a one-leg hinge drops its hips a quarter as the torso tips; facing the camera
    # (hips moving back, away) they read level, and a 10 % drop is the stance knee bending.
    sat = segment(40, {"hip_height": 0.9 * HIP_H})
    assert "squatting" in faults(sat, base(View.FRONT))
    level = segment(40, {"hip_height": 0.97 * HIP_H})
    assert "squatting" not in faults(level, base(View.FRONT))


# -- too_fast: the lowering's end --------------------------------------------------------------


def _creeping_rep(knee: float) -> Segment:
    """Side-on at 10 fps: lowered to 90 % of 60 deg in 0.3 s, then the bottom creeps the last
    6 deg over 0.6 s (as it does under load), holds, and comes up."""
    leans = [0.0, 18.0, 36.0, 54.0, 54.5, 55.0, 55.5, 56.0, 58.0, 60.0, 60.0, 60.0, 60.0, 45.0,
             30.0, 15.0, 0.0]
    samples = [
        (i / 10, lean, metrics(i / 10, lean_side=3.0 + lean, knee_flex=5.0 + knee * lean / 60,
                               hip_flex=5.0 + 1.5 * lean))
        for i, lean in enumerate(leans)
    ]
    return Segment(0.0, peak=60.0, peak_t=0.9, end_t=len(leans) / 10, reached_bottom=True,
                   samples=samples)


def test_a_quick_lowering_whose_bottom_creeps_deeper_is_too_fast() -> None:
    """The lowering is over at 90 % of the depth (0.3 s here), not at the first frame within
    the peak's band (0.7 s: slower than the hip hinge's 0.6 s); at 10 fps a 0.4 s lowering
    read 0.77 s this way."""
    assert "too_fast" in faults(_creeping_rep(knee=10.0), base(), "hip-hinge")
    slow = segment(60.0, {"hip_flex": 95.0, "knee_flex": 15.0}, down=1.8)
    assert "too_fast" not in faults(slow, base(), "hip-hinge")


def test_a_squatting_reps_lowering_is_read_to_the_leans_peak() -> None:
    """A knee-dominant rep's lean peaks early while the hips keep dropping: read at 90 % of
    the lean's depth, squats at 45 deg were flagged too fast when they were not."""
    found = faults(_creeping_rep(knee=80.0), base(), "hip-hinge")
    assert "squatting" in found and "too_fast" not in found
