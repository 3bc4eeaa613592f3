"""45 deg no_lockout: the top's torso tilt is judged against standing tall, not against the
calibration's own tilt, which at 45 deg drifts and follows a missed lockout's half-stood top."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from mirror.analysis.calibration import Baseline
from mirror.analysis.depth import STAND_TILT_CAP, DepthSignals
from mirror.analysis.events import View
from mirror.analysis.faults import lockout_fault
from mirror.analysis.metrics import HingeMetrics
from mirror.analysis.phases import TopStretch
from mirror.analysis.yaw import unturn

NAN = math.nan
# Turned 45 deg: shoulder width / torso 0.62 gives sin(yaw) 0.6.
OBLIQUE = Baseline(100.0, 0.6, 0.0, 0.0, 0.0, 170.0, 0.0, 0.0, View.OBLIQUE, 0.624,
                   lean_dir=0.0, lean_dir_head=0.0)


def _frame(head: float) -> HingeMetrics:
    return HingeMetrics(0.0, abs(head), 100.0, 100.0, 166.7, 0.0, 0.0, NAN, 170.0, NAN,
                        -10.0, 62.4, 0.0, 0.0, 0, lean_dir=head, lean_dir_head=head)


def _held(tilt: float) -> TopStretch:
    return TopStretch(samples=10, judged=(tilt, 0.0), verts=[100.0] * 10, tilts=[tilt] * 10)


def test_a_baseline_that_took_in_a_half_stood_top_does_not_excuse_it():
    # The top stands 10 deg tilted in the image (17 deg unturned: a missed lockout); the
    # baseline was re-learnt there (still, and its 2-D lean within the not-tall guard).
    base = replace(OBLIQUE, lean_dir_head=10.0, lean_dir=10.0, lean_side=10.0)
    signals = DepthSignals()
    assert signals.reread(_frame(10.0), base) == pytest.approx(0.0)  # the lean's own reading
    tilt = signals.tilt(_frame(10.0), base)
    assert tilt == pytest.approx(unturn(10.0, 0.6) - STAND_TILT_CAP, abs=0.1)
    assert lockout_fault(_held(tilt), View.OBLIQUE, 100.0)


def test_a_small_standing_tilt_is_still_taken_off():
    # Standing 1.5 deg tilted in the image (2.5 unturned: within the cap): a top there is tall.
    base = replace(OBLIQUE, lean_dir_head=1.5, lean_dir=1.5, lean_side=1.5)
    tilt = DepthSignals().tilt(_frame(1.5), base)
    assert tilt == pytest.approx(0.0, abs=0.01)
    assert not lockout_fault(_held(tilt), View.OBLIQUE, 100.0)


def test_a_clean_top_with_some_tilt_noise_is_standing_tall():
    # A tall top whose head line reads 4 deg in the image (6.6 unturned) against an upright stand
    tilt = DepthSignals().tilt(_frame(4.0), OBLIQUE)
    assert not lockout_fault(_held(tilt), View.OBLIQUE, 100.0)


def test_a_measured_tilt_is_judged_without_the_foreshortening():
    # Held upright within 5 deg while the torso's extent read 0.93 of standing (taken before
    # the top settled, on the way up): standing tall. Unmeasured, the extent still counts.
    stretch = TopStretch(samples=10, judged=(5.0, 0.0), verts=[93.0] * 10, tilts=[5.0] * 10)
    assert not lockout_fault(stretch, View.OBLIQUE, 100.0)
    assert lockout_fault(TopStretch(samples=10, judged=(5.0, 0.0), verts=[93.0] * 10),
                         View.OBLIQUE, 100.0)
