"""What the standing baseline may be learnt from."""

from __future__ import annotations

import math

from mirror.analysis.calibration import Calibrator
from mirror.analysis.metrics import HingeMetrics

NAN = math.nan


def _still(cal: Calibrator, t0: float, knee_flex: float, lean_side: float = 0.0) -> bool:
    """0.8 s still at 20 fps; True when a baseline was learnt from it."""
    done = False
    for i in range(16):
        m = HingeMetrics(t0 + i / 20, lean_side, 100.0, 100.0, 166.7, 5.0, knee_flex, NAN,
                         170.0, NAN, -10.0, 30.0, 0.0, 0.0, 1)
        done = cal.update(m, at_top=True) or done
    return done


def test_crouched_at_the_bar_is_not_the_standing_baseline():
    # A squatting set-up for a pull from the floor: torso nearly upright, knees at 110 deg.
    cal = Calibrator()
    assert not _still(cal, 0.0, knee_flex=110.0, lean_side=17.0)
    assert cal.baseline is None
    assert _still(cal, 2.0, knee_flex=3.0)  # then standing tall


def test_soft_knees_and_unseen_knees_still_calibrate():
    assert _still(Calibrator(), 0.0, knee_flex=20.0)
    assert _still(Calibrator(), 0.0, knee_flex=NAN)
