"""Hand-made poses for the depth signals and the standing baseline they are measured from."""

from __future__ import annotations

import math
from dataclasses import replace

from mirror.analysis.calibration import Baseline, Calibrator
from mirror.analysis.depth import SIDE_ONLY_SIN, DepthSignals
from mirror.analysis.engine import COUNT_FLOOR, HingeAnalyzer
from mirror.analysis.events import View
from mirror.analysis.metrics import HingeMetrics

NAN = math.nan
FRONT = Baseline(100.0, 0.6, 0.0, 0.0, 0.0, 170.0, 0.0, 0.0, View.FRONT, 0.75)


def _pose(t: float, vert: float, leg: float, hip_height: float, lean_side: float = 0.0,
          wrist_rise: float = -10.0, width: float = 75.0) -> HingeMetrics:
    return HingeMetrics(t, lean_side, vert, vert, leg, 0.0, 0.0, NAN, hip_height, NAN,
                        wrist_rise, width, 0.0, 0.0, 0)


def _lean_after(poses: list[HingeMetrics]) -> float:
    analyzer = HingeAnalyzer("hip-hinge")
    lean = 0.0
    for m in poses:
        lean = analyzer.lean(m, FRONT)
    return lean


def test_front_squatting_rep_reads_deep_from_the_shoulder_drop():
    # Hips 25 % lower, knees bent (the leg 16 % shorter in the image), torso a little
    # shorter: torso/leg foreshortening reads nothing, the shoulders dropped by half a torso.
    stand = [_pose(i / 20, 100.0, 166.7, 170.0) for i in range(20)]
    squat = [_pose(1 + i / 20, 90.0, 140.0, 127.5) for i in range(20)]
    assert _lean_after(stand) < 5.0
    assert _lean_after(stand + squat) >= COUNT_FLOOR[View.FRONT]


def test_front_standing_jitter_stays_under_the_slack():
    # 4 % shorter torso and 3 % lower hips (a glance down, a weight shift): no depth.
    fidget = [_pose(i / 20, 96.0, 166.7, 165.0) for i in range(40)]
    assert _lean_after(fidget) < 20.0


def _feed(cal: Calibrator, t0: float, **kw: float) -> bool:
    done = False
    for i in range(16):
        done = cal.update(_pose(t0 + i / 20, 100.0, 166.7, 170.0, **kw), at_top=True) or done
    return done


def test_arms_raised_is_not_the_standing_baseline():
    cal = Calibrator()
    assert not _feed(cal, 0.0, wrist_rise=120.0)  # a swing's float, a wave: still but not it
    assert _feed(cal, 2.0)


def test_a_still_half_hinge_is_rejected_even_when_the_width_reads_frontal():
    # Near 45 deg the shoulder width can read frontal; the 2-D lean still shows the hinge.
    cal = Calibrator()
    assert _feed(cal, 0.0, width=60.0)
    assert cal.baseline is not None and cal.baseline.view is View.FRONT
    assert not _feed(cal, 2.0, lean_side=15.0, width=60.0)
    assert cal.baseline.lean_side < 1.0


def test_a_standing_tilt_backwards_adds_to_the_lean_once_forward_is_known():
    # Side-on, the person stands tilted 4 deg backwards in the image (keypoint bias, or a far
    # shoulder drawn in at 45 deg). Hinging to 30 deg forward in the image is a 34 deg lean
    # beyond standing, not 26 as the unsigned tilt reads it.
    side = Baseline(100.0, 0.6, 4.0, 0.0, 0.0, 170.0, 0.0, 0.0, View.SIDE, 0.0, lean_dir=-4.0)
    analyzer = HingeAnalyzer("rdl")

    def at(t: float, deg: float) -> HingeMetrics:
        return HingeMetrics(t, abs(deg), 100.0, 100.0, 166.7, 0.0, 0.0, NAN, 170.0, NAN,
                            -10.0, 0.0, 0.0, 0.0, 0, lean_dir=deg)

    assert analyzer._signals.depth(at(0.0, 20.0), side) == 16.0  # forward not known yet
    for i in range(1, 5):
        analyzer._signals.depth(at(i / 20, 30.0 + i), side)  # deep frames: forward is +x
    assert abs(analyzer._signals.depth(at(0.3, 20.0), side) - 24.0) < 1e-6
    assert abs(analyzer._signals.depth(at(0.35, -4.0), side)) < 1e-6  # standing again: 0


HEAD = 140.0  # hips to face standing (px): head_ratio 140 / 166.7
FRONT_FACE = Baseline(100.0, 0.6, 0.0, 0.0, 0.0, 170.0, 0.0, 0.0, View.FRONT, 0.75,
                      head_ratio=HEAD / 166.7)


def _front_lean(vert: float, head: float) -> float:
    analyzer = HingeAnalyzer("hip-hinge")
    lean = 0.0
    for i in range(30):
        m = replace(_pose(i / 20, vert, 166.7, 170.0), head_vert=head)
        lean = analyzer.lean(m, FRONT_FACE)
    return lean


def test_front_depth_reads_hips_to_face_so_torso_keypoint_drift_is_no_rep():
    # The shoulders' keypoints drift 12 % towards the hips (acos: 28 deg, past the front
    # counting floor) while the face stays where it stood: the person is standing.
    assert _front_lean(88.0, HEAD) < 15.0
    # A real 40 deg lean foreshortens the torso and the head above it alike.
    deg = math.cos(math.radians(40.0))
    assert abs(_front_lean(100.0 * deg, HEAD * deg) - 40.0) < 2.0


def test_the_baselines_yaw_crossing_the_tilt_only_line_is_a_change_of_source():
    # Standing still facing the camera with narrow-reading shoulders, the baseline's yaw,
    # relearnt from the stand, slides across the line from which the torso's tilt alone is
    # the lean (SIDE_ONLY_SIN): the lean's source changes in that frame and no other (the
    # engine re-anchors the top there rather than reading a descent).
    signals = DepthSignals()
    changed = []
    for i, width_ratio in enumerate([0.62, 0.64, 0.66, 0.68, 0.70, 0.70]):
        base = replace(FRONT, width_ratio=width_ratio)
        signals.depth(_pose(i / 20, 100.0, 166.7, 170.0), base)
        changed.append((base.yaw_sin >= SIDE_ONLY_SIN, signals.source_changed))
    flips = [i for i, (_, c) in enumerate(changed) if c]
    assert [tilt for tilt, _ in changed][:3] == [True] * 3 and not changed[-1][0]
    assert len(flips) == 1 and not changed[flips[0]][0] and changed[flips[0] - 1][0]
