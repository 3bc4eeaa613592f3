"""Hinge geometry on hand-made 17-keypoint poses (image y grows downwards)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mirror.analysis.calibration import Baseline, classify_view
from mirror.analysis.engine import HingeAnalyzer
from mirror.analysis.events import View
from mirror.analysis.faults import unturned_knee
from mirror.analysis.metrics import compute_metrics
from mirror.pose.keypoints import KP

SEG = 50.0  # torso, thigh and shin length in px


def _dir(deg: float) -> np.ndarray:
    """Unit vector `deg` forward (+x) of straight up (-y)."""
    r = math.radians(deg)
    return np.array([math.sin(r), -math.cos(r)])


def side_pose(lean: float, shin: float, thigh: float, far_score: float = 0.1) -> np.ndarray:
    """A person facing image-right: shin leans `shin` forward, thigh `thigh` back from the
    knee, torso `lean` forward of vertical. Left side near the camera."""
    kps = np.zeros((17, 3))
    ankle = np.array([300.0, 400.0])
    knee = ankle + SEG * _dir(shin)
    hip = knee + SEG * _dir(-thigh)
    shoulder = hip + SEG * _dir(lean)
    nose = shoulder + 15 * _dir(lean) + np.array([12.0, 0.0])
    wrist = shoulder + np.array([0.0, 45.0])
    for left, right, p in (
        (KP.LEFT_ANKLE, KP.RIGHT_ANKLE, ankle), (KP.LEFT_KNEE, KP.RIGHT_KNEE, knee),
        (KP.LEFT_HIP, KP.RIGHT_HIP, hip), (KP.LEFT_SHOULDER, KP.RIGHT_SHOULDER, shoulder),
        (KP.LEFT_WRIST, KP.RIGHT_WRIST, wrist),
    ):
        kps[left] = (*p, 0.9)
        kps[right] = (*(p + np.array([0.5, 0.0])), far_score)
    kps[KP.NOSE] = (*nose, 0.9)
    return kps


def front_pose(lean: float) -> np.ndarray:
    """Facing the camera, torso tipped `lean` towards it: only its height shrinks."""
    kps = np.zeros((17, 3))
    hip_y, cx = 300.0, 320.0
    sh_y = hip_y - SEG * math.cos(math.radians(lean))
    pts = {
        KP.LEFT_SHOULDER: (cx + 20, sh_y), KP.RIGHT_SHOULDER: (cx - 20, sh_y),
        KP.LEFT_HIP: (cx + 15, hip_y), KP.RIGHT_HIP: (cx - 15, hip_y),
        KP.LEFT_KNEE: (cx + 15, hip_y + SEG), KP.RIGHT_KNEE: (cx - 15, hip_y + SEG),
        KP.LEFT_ANKLE: (cx + 15, hip_y + 2 * SEG), KP.RIGHT_ANKLE: (cx - 15, hip_y + 2 * SEG),
        KP.NOSE: (cx, sh_y - 20), KP.LEFT_WRIST: (cx + 25, hip_y), KP.RIGHT_WRIST: (cx - 25, hip_y),
    }
    for k, (x, y) in pts.items():
        kps[k] = (x, y, 0.9)
    return kps


def metrics_of(kps: np.ndarray):
    xy = kps[:, :2].copy()
    xy[kps[:, 2] < 0.2] = np.nan
    return compute_metrics(0.0, xy, kps[:, 2])


def test_standing_side_view_is_straight():
    m = metrics_of(side_pose(0, 0, 0))
    assert m.lean_side == pytest.approx(0, abs=1e-6)
    assert m.hip_flex == pytest.approx(0, abs=1e-6)
    assert m.knee_flex == pytest.approx(0, abs=1e-6)
    assert m.vert == pytest.approx(SEG)
    assert m.leg == pytest.approx(2 * SEG)
    assert m.facing == 1


@pytest.mark.parametrize("lean, shin, thigh", [(60, 5, 15), (45, 20, 10), (30, 35, 60)])
def test_side_view_angles(lean, shin, thigh):
    m = metrics_of(side_pose(lean, shin, thigh))
    assert m.lean_side == pytest.approx(lean, abs=1e-6)
    assert m.hip_flex == pytest.approx(lean + thigh, abs=1e-6)
    assert m.knee_flex == pytest.approx(shin + thigh, abs=1e-6)
    assert m.shin == pytest.approx(shin, abs=1e-6)
    assert m.vert == pytest.approx(SEG * math.cos(math.radians(lean)))


def test_hinge_sends_hips_back_and_a_squat_sends_them_down():
    stand = metrics_of(side_pose(0, 0, 0))
    hinge = metrics_of(side_pose(60, 5, 20))
    squat = metrics_of(side_pose(35, 35, 80))
    assert hinge.hips_back == pytest.approx(SEG * (math.sin(math.radians(20))
                                                   - math.sin(math.radians(5))))
    assert hinge.hip_height > 0.9 * stand.hip_height
    assert squat.hip_height < 0.6 * stand.hip_height


def test_mirrored_side_view_gives_the_same_angles():
    kps = side_pose(50, 10, 20)
    mirrored = kps.copy()
    mirrored[:, 0] = 640 - kps[:, 0]
    a, b = metrics_of(kps), metrics_of(mirrored)
    assert b.lean_side == pytest.approx(a.lean_side)
    assert b.hip_flex == pytest.approx(a.hip_flex)
    assert b.facing == -a.facing


def test_front_view_foreshortening_and_view_classification():
    stand, bent = metrics_of(front_pose(0)), metrics_of(front_pose(60))
    assert classify_view(stand.shoulder_width / stand.torso_len) is View.FRONT
    assert classify_view(metrics_of(side_pose(0, 0, 0)).shoulder_width / SEG) is View.SIDE
    assert bent.vert / stand.vert == pytest.approx(0.5)
    assert bent.lean_side == pytest.approx(0, abs=1e-6)  # no sideways evidence at all
    base = Baseline(stand.vert, stand.ratio, 0.0, 0.0, 0.0, stand.hip_height, 0.0, 0.0,
                    View.FRONT, stand.shoulder_width / stand.torso_len)
    analyzer = HingeAnalyzer("rdl")
    assert analyzer.lean(stand, base) == pytest.approx(0, abs=1e-6)
    analyzer = HingeAnalyzer("rdl")
    assert analyzer.lean(bent, base) == pytest.approx(60, abs=0.5)


def test_side_view_lean_beyond_standing():
    stand, bent = metrics_of(side_pose(4, 0, 0)), metrics_of(side_pose(64, 5, 15))
    base = Baseline(stand.vert, stand.ratio, stand.lean_side, stand.hip_flex, stand.knee_flex,
                    stand.hip_height, 0.0, 0.0, View.SIDE, 0.0)
    assert HingeAnalyzer("rdl").lean(bent, base) == pytest.approx(60, abs=0.5)


def test_hip_tilt_in_front_view():
    kps = front_pose(0)
    kps[KP.LEFT_HIP, 1] -= 12  # free hip opening upwards
    m = metrics_of(kps)
    assert m.hip_dy == pytest.approx(-12)
    assert m.shoulder_dy == pytest.approx(0)


def test_head_vert_runs_from_the_hips_to_the_faces_mean_height():
    xy = np.full((17, 2), np.nan)
    xy[[KP.LEFT_HIP, KP.RIGHT_HIP]] = [[90.0, 300.0], [110.0, 300.0]]
    xy[[KP.LEFT_SHOULDER, KP.RIGHT_SHOULDER]] = [[80.0, 200.0], [120.0, 200.0]]
    xy[[KP.NOSE, KP.LEFT_EYE, KP.RIGHT_EYE]] = [[100.0, 170.0], [95.0, 160.0], [105.0, 160.0]]
    m = compute_metrics(0.0, xy, np.full(17, 0.9))
    assert m.head_vert == pytest.approx(300.0 - 490.0 / 3)
    xy[KP.RIGHT_EYE] = np.nan  # two face points: a mean that jumps as they come and go
    assert math.isnan(compute_metrics(0.0, xy, np.full(17, 0.9)).head_vert)


def test_knee_bend_seen_at_45_deg_is_unturned_by_the_yaw():
    # A squat (thigh 50 deg, shin 28 deg: 78 deg of knee bend) seen from a camera turned so
    # sideways distances shrink to sin(yaw) = 0.6 of side-on: the 2-D knee angle reads ~50.
    kps = side_pose(40, 28, 50)
    kps[:, 0] = 300.0 + 0.6 * (kps[:, 0] - 300.0)
    m = metrics_of(kps)
    assert m.thigh_dir == pytest.approx(math.degrees(math.atan(0.6 * math.tan(math.radians(50)))))
    assert m.knee_flex < 55
    assert unturned_knee(m, 0.6) == pytest.approx(78, abs=1e-6)
    # Side-on (sin 1) the unturned bend is the knee angle itself.
    side = metrics_of(side_pose(40, 28, 50))
    assert unturned_knee(side, 1.0) == pytest.approx(side.knee_flex, abs=1e-6)
