"""Things people do in front of the mirror that must not count, found on fresh simulated seeds
(5-16, never tuned on before): walking away or up close, turning to leave, a wave at 45 deg."""

from __future__ import annotations

import math

import pytest

from mirror.analysis.counting import count_stream
from mirror.analysis.metrics import HingeMetrics
from mirror.analysis.phases import Segment

NAN = math.nan


def _case(seed: int, prefix: str):
    from mirror.sim import simulate, suite

    spec = next(s for s in suite(320, seed) if s.name.startswith(prefix))
    return spec, simulate(spec).recording.frames


@pytest.mark.parametrize(
    ("seed", "prefix", "profile", "why"),
    [
        (10, "318_leave-return", "hip-hinge", "turning to walk out moved the feet 0.56 torso"),
        (11, "317_leave-return", "deadlift", "turning to walk out moved the feet 0.46 torso"),
        (5, "291_walk", "hip-hinge", "walking away read a 55 deg lean for 0.33 s"),
        (12, "293_walk", "deadlift", "walked up to 0.7 m from the camera and stood there"),
        (13, "301_wave", "kettlebell-swing", "the hidden far wrist rose with the waving hand"),
    ],
)
def test_motion_found_on_fresh_seeds_is_not_a_rep(seed, prefix, profile, why):
    spec, frames = _case(seed, prefix)
    assert spec.exercise in ("walk", "leave-return", "wave")
    assert count_stream(frames, profile).reps == 0, why


def _seg(verts: list[float]) -> Segment:
    s = Segment(0.0, peak=40.0, peak_t=1.0, end_t=2.0, reached_bottom=True)
    s.samples = [
        (i / 10, 40.0, HingeMetrics(i / 10, NAN, v, *[NAN] * 11, 0))
        for i, v in enumerate(verts)
    ]
    return s


def test_start_scale_reads_the_torso_as_the_dip_starts():
    # A hinge only shortens the torso: the start (first quarter) is what tells distance.
    s = _seg([150.0] * 4 + [90.0] * 12)
    assert s.start_scale(100.0) == pytest.approx(1.5)
    assert math.isnan(_seg([150.0] * 3).start_scale(100.0))  # too few frames to say
