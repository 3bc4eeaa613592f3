"""The simulated athlete: a 3-D kinematic body doing the six hinge exercises (and squats,
walking, waving, standing, leaving and coming back) seen by a pinhole camera at any yaw,
distance and height, observed with MoveNet-like noise (calibrated on the real clips).

    from mirror.sim import SimSpec, simulate, suite
    res = simulate(SimSpec(exercise="rdl", reps=5, yaw_deg=90, fps=15, seed=1,
                           faults=((), ("squatting",))))
    res.recording          # mirror.pose.recording.Recording (header.extra: sim, athlete, truth)
    res.truth.count        # real reps; res.truth.reps[i]: start/bottom/lockout/end, faults, tempo
    SimAthlete(spec).pose_at(t)   # random access, deterministic per seed (live demo)
    endless(seed, fps)            # never-ending stream of sets for the demo
    suite(320)                    # the evaluation suite, each spec named

Modules: body (segments, pose channels, forward kinematics, balance), timeline (eased moves,
walking, fidget), builder / exercises / motions (scripts, faults, truth), camera (pinhole,
occlusion), observe (noise, scores, swaps, dropouts, edges, mirroring), intruder (a passer-by),
suite, render (stick-figure images), command (`hinge-mirror sim`).
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
