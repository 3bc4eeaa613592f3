"""A simulated athlete who walks in faces the camera's way through the whole set: the first
rep's poses (built with heading 0) once spun them a full turn from the walk's -360."""

from __future__ import annotations

import numpy as np

from mirror.sim import SimAthlete, SimSpec
from mirror.sim.body import P


def test_no_turning_during_the_reps_after_a_walk_in():
    for seed in range(4):
        spec = SimSpec(exercise="hip-hinge", reps=3, yaw_deg=90.0, start="walk-in", seed=seed)
        a = SimAthlete(spec)
        first = a.truth.reps[0]
        times = np.arange(first.start_s, first.end_s, 0.05)
        headings = [a.timeline.at(t)[P.HEADING] for t in times]
        assert max(headings) - min(headings) < 1.0
