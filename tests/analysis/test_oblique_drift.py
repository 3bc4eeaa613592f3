"""At 45 deg the lean is read from hips to halfway between the shoulders and the face: the
shoulders' keypoint drift alone, unturned by sin(yaw), made phantom reps of a still stand."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from mirror.analysis.calibration import Baseline
from mirror.analysis.engine import NOISE_FLOOR, HingeAnalyzer
from mirror.analysis.events import View
from mirror.analysis.metrics import HingeMetrics, compute_metrics
from mirror.pose.keypoints import KP

NAN = math.nan


def test_head_dir_runs_from_the_hips_to_between_the_shoulders_and_the_face():
    xy = np.full((17, 2), np.nan)
    xy[[KP.LEFT_HIP, KP.RIGHT_HIP]] = [[90.0, 300.0], [110.0, 300.0]]
    xy[[KP.LEFT_SHOULDER, KP.RIGHT_SHOULDER]] = [[100.0, 200.0], [140.0, 200.0]]  # mid 120
    xy[[KP.NOSE, KP.LEFT_EYE, KP.RIGHT_EYE]] = [[100.0, 150.0], [95.0, 150.0], [105.0, 150.0]]
    m = compute_metrics(0.0, xy, np.full(17, 0.9))
    # top: halfway between (120, 200) and (100, 150) = (110, 175); hips (100, 300)
    assert m.lean_dir_head == pytest.approx(math.degrees(math.atan2(10.0, 125.0)))
    assert m.lean_dir == pytest.approx(math.degrees(math.atan2(20.0, 100.0)))
    xy[KP.RIGHT_EYE] = np.nan  # two face points: no head direction
    assert math.isnan(compute_metrics(0.0, xy, np.full(17, 0.9)).lean_dir_head)


# Turned 45 deg: shoulder width / torso 0.62 gives sin(yaw) 0.6.
OBLIQUE = Baseline(100.0, 0.6, 0.0, 0.0, 0.0, 170.0, 0.0, 0.0, View.OBLIQUE, 0.624,
                   lean_dir=0.0, lean_dir_head=0.0)


def _frame(t: float, shoulders: float, head: float) -> HingeMetrics:
    return HingeMetrics(t, abs(shoulders), 100.0, 100.0, 166.7, 0.0, 0.0, NAN, 170.0, NAN,
                        -10.0, 62.4, 0.0, 0.0, 0, lean_dir=shoulders, lean_dir_head=head)


def _lean(base: Baseline, shoulders: float, head: float) -> float:
    return HingeAnalyzer("hip-hinge").lean(_frame(0.0, shoulders, head), base)


def test_oblique_shoulder_drift_the_head_does_not_follow_is_no_lean():
    # A still stand: the shoulders' keypoints drift 10 deg in the image (unturned, 16 deg:
    # past the view's noise floor, a rep begun), the head-averaged direction 3 deg.
    assert _lean(OBLIQUE, 10.0, 3.0) < 6.0
    assert _lean(replace(OBLIQUE, lean_dir_head=NAN), 10.0, 3.0) > NOISE_FLOOR[View.OBLIQUE]


def test_oblique_real_shallow_hinge_still_reads_its_depth():
    # A shallow hinge moves the head with the torso: 14 deg in the image, 22 deg unturned.
    assert _lean(OBLIQUE, 14.0, 14.0) == pytest.approx(math.degrees(math.atan(
        math.tan(math.radians(14.0)) / 0.6)), abs=0.5)


def test_side_on_the_shoulders_alone_read_the_lean():
    side = replace(OBLIQUE, view=View.SIDE, width_ratio=0.0)
    assert _lean(side, 10.0, 3.0) == pytest.approx(10.0)
