"""The simulated athlete: a 3-D kinematic body doing hinge exercises (and squats, walking,
waving, standing) seen by a pinhole camera, observed with MoveNet-like noise.

    from mirror.sim import SimSpec, simulate, suite
    result = simulate(SimSpec(exercise="rdl", reps=5, yaw_deg=90, fps=15, seed=1))
    result.recording  # mirror.pose.recording.Recording
    result.truth.count, result.truth.reps  # ground truth
"""

from mirror.sim.athlete import SimAthlete, SimResult, endless, simulate
from mirror.sim.spec import (
    EXERCISES,
    FAULTS,
    FAULTS_FOR,
    MOTIONS,
    RepTruth,
    SimSpec,
    SimTruth,
    view_of_yaw,
)
from mirror.sim.suite import suite

__all__ = [
    "EXERCISES",
    "FAULTS",
    "FAULTS_FOR",
    "MOTIONS",
    "RepTruth",
    "SimAthlete",
    "SimResult",
    "SimSpec",
    "SimTruth",
    "endless",
    "simulate",
    "suite",
    "view_of_yaw",
]
