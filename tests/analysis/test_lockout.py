"""no_lockout: at 45 deg a top still leaning toward the camera reads a small 2-D tilt, but the
torso's image is shorter than standing; the judgement adds that foreshortening."""

from __future__ import annotations

import math
from dataclasses import replace

from mirror.analysis.events import View
from mirror.analysis.faults import lockout_fault, top_foreshortening
from mirror.analysis.metrics import HingeMetrics
from mirror.analysis.phases import PhaseMachine, TopStretch
from mirror.analysis.profiles import get_profile

VERT = 200.0  # standing torso height in pixels


def top(lean: float, hip: float, rel: float) -> TopStretch:
    """A settled top at this 2-D lean and hip flexion, the torso's extent rel of standing."""
    return TopStretch(samples=10, judged=(lean, hip), verts=[rel * VERT] * 10)


def test_at_45_deg_a_short_torso_with_a_small_tilt_is_not_locked_out() -> None:
    # 20 deg of real lean toward the camera: the image tilts 4 deg, the torso is 0.93 tall
    assert lockout_fault(top(4.0, 0.0, 0.93), View.OBLIQUE, VERT)


def test_at_45_deg_the_same_tilt_at_full_height_is_standing_tall() -> None:
    assert not lockout_fault(top(4.0, 0.0, 1.0), View.OBLIQUE, VERT)
    assert not lockout_fault(top(4.0, 0.0, 1.03), View.OBLIQUE, VERT)


def test_at_45_deg_a_clear_tilt_alone_still_counts() -> None:
    assert lockout_fault(top(9.0, 0.0, 1.0), View.OBLIQUE, VERT)


def test_side_on_and_facing_ignore_the_torso_height() -> None:
    assert not lockout_fault(top(4.0, 0.0, 0.93), View.SIDE, VERT)
    assert not lockout_fault(top(20.0, 0.0, 0.9), View.FRONT, VERT)


def test_foreshortening_reads_degrees_of_lean_weighted_down() -> None:
    assert top_foreshortening(top(0.0, 0.0, 1.0), VERT) == 0.0
    # acos(0.9) = 25.8 deg, a fifth of it
    assert math.isclose(top_foreshortening(top(0.0, 0.0, 0.9), VERT), 5.16, abs_tol=0.05)
    assert top_foreshortening(TopStretch(samples=3), VERT) == 0.0  # torso never seen
    assert top_foreshortening(top(0.0, 0.0, 0.9), math.nan) == 0.0  # no standing reference


def test_the_top_keeps_the_torso_height_until_judged() -> None:
    machine = PhaseMachine(get_profile("rdl"), noise_floor=2.0)
    m = HingeMetrics(0.0, 3.0, VERT, VERT, 380.0, 5.0, 5.0, 3.0, 400.0, 0.0, -80.0, 10.0, 0.0,
                     0.0, 1, 0.0, 0.0, 0.0, 5.0)
    for i in range(20):  # standing still at 20 fps: settled after 0.4 s
        machine.step(i / 20, 0.5, replace(m, t=i / 20, vert=VERT - i), 0.0)
    verts = machine.top.verts
    assert machine.top.judged is not None
    assert 8 <= len(verts) < 20 and verts[0] == VERT


def held(lean: float, tilts: list[float], rel: float = 1.0) -> TopStretch:
    """A top whose first settle read `lean` (hip drop included) while the torso's own tilt
    over the held top read `tilts`."""
    stretch = top(lean, 0.0, rel)
    stretch.tilts = list(tilts)
    return stretch


def test_at_45_deg_a_stale_hip_drop_does_not_make_a_clean_top_unlocked() -> None:
    # The lean read 11 deg (all of it the hips' drop against a stale standing height) while
    # the torso itself stood upright: standing tall.
    assert lockout_fault(top(11.0, 0.0, 1.0), View.OBLIQUE, VERT)  # the settle level alone
    assert not lockout_fault(held(11.0, [0.0, 1.0, 2.0, 0.5, 1.5]), View.OBLIQUE, VERT)


def test_at_45_deg_a_held_tilt_is_a_missed_lockout_even_after_standing_up() -> None:
    # A set's last top held at 12-15 deg of torso tilt, then the person stood tall: the
    # settle level read the final stand (2 deg), the held tilt still shows the miss.
    assert not lockout_fault(top(2.0, 0.0, 1.0), View.OBLIQUE, VERT)
    assert lockout_fault(held(2.0, [12.0, 13.0, 14.0, 15.0, 12.5]), View.OBLIQUE, VERT)


def test_held_tilt_is_the_low_end_over_the_first_seconds_of_the_top() -> None:
    machine = PhaseMachine(get_profile("rdl"), noise_floor=2.0)
    m = HingeMetrics(0.0, 3.0, VERT, VERT, 380.0, 5.0, 5.0, 3.0, 400.0, 0.0, -80.0, 10.0, 0.0,
                     0.0, 1, 0.0, 0.0, 0.0, 5.0)
    for i in range(60):  # 3 s at 20 fps: tilted 14 +- 1 deg, then upright after 2 s
        t = i / 20
        tilt = (14.0 + (1.0 if i % 2 else -1.0)) if t < 2.0 else 0.0
        machine.step(t, 0.5, replace(m, t=t), 0.0, tilt)
    assert math.isclose(machine.top.held_tilt(), 13.0, abs_tol=0.01)  # the upright end ignored
    assert math.isnan(TopStretch(samples=3).held_tilt())  # facing the camera: not measured
