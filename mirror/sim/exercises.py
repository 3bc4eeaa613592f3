"""Scripts for each exercise: key poses, tempo, faults, and the ground truth.

Ranges follow /work/shared/DESIGN.md. A rep is: descent (or a deadlift's set-up bend / a swing's
hike) -> bottom -> ascent -> lockout (the count moment) -> hold. Faults change the kinematics a
coach would see, e.g. `squatting` drops the hips and pushes the shins forward.
"""

from __future__ import annotations

import numpy as np

from mirror.sim.body import Athlete, P
from mirror.sim.builder import Builder
from mirror.sim.motions import leave_return, stand, walk, wave
from mirror.sim.spec import RepTruth, SimSpec
from mirror.sim.timeline import Timeline


def _hinge_reps(b: Builder) -> None:
    """hip-hinge, rdl, good-morning, squat: stand, sets of reps with rests, stand."""
    spec, pr, s = b.spec, b.prof, b.s
    controlled = spec.exercise in ("hip-hinge", "rdl", "good-morning", "single-leg-rdl")
    arms_fwd = spec.exercise == "squat" and spec.hands != "hang" and b.rng.random() < 0.6
    per_set = _split(spec.reps, spec.sets)
    i = 0
    for k, n in enumerate(per_set):
        if k > 0:
            b.finish()
            b.standing((4.0, 8.0), "rest")
        for _ in range(n):
            faults = spec.faults_of(i)
            if spec.exercise == "squat":
                faults = ("squatting",)
            bottom = b.bottom(faults if spec.exercise != "squat" else ())
            if arms_fwd:
                bottom[P.L_ARM] = bottom[P.R_ARM] = b.u((70, 90))
            down = b.dur(pr.down)
            if "too_fast" in faults and controlled:
                down = b.u((0.3, 0.45))
            no_pause = "no_pause" in faults
            pause = 0.0 if no_pause else b.dur(pr.pause)
            sharp = 0.08 if no_pause else 0.3
            start = s.t
            s.move(bottom, down, acc=0.3, dec=sharp, arms=(0.0, 0.7) if arms_fwd else (0, 1))
            reach = s.t
            s.hold(pause)
            top = b.top(faults)
            s.move(top, b.dur(pr.up), acc=sharp, dec=0.3)
            lock = s.t
            s.hold(b.dur(pr.hold))
            b.rep(start, reach, pause, lock, faults)
            i += 1
    b.finish()


def _deadlift(b: Builder) -> None:
    """From the floor: set-up bend (or start at the bottom), pull, lock out, lower."""
    spec, pr, s = b.spec, b.prof, b.s
    if spec.start == "bottom":
        s.pose = b.bottom(spec.faults_of(0))
        s.hold(b.u((0.5, 1.2)))
    for i in range(spec.reps):
        faults = spec.faults_of(i)
        if i == 0:
            faults = tuple(f for f in faults if f != "shallow")  # the bar starts on the floor
        start = 0.0 if (i == 0 and spec.start == "bottom") else s.t
        if not (i == 0 and spec.start == "bottom"):
            bottom = b.bottom(faults)
            if i == 0:
                s.move(bottom, b.u((1.3, 2.0)))
                b.events.append(("set-up", start, s.t))
            else:
                s.move(bottom, b.dur(pr.down))
        reach = s.t
        pause = b.dur((0.8, 1.5)) if i == 0 else b.dur(pr.pause)
        s.hold(pause)
        s.move(b.top(faults), b.dur(pr.up), acc=0.35, dec=0.3)
        lock = s.t
        s.hold(b.dur(pr.hold))
        b.rep(start, reach, pause, lock, faults)
    if spec.end == "floor":
        t0 = s.t
        s.move(b.bottom(()), b.dur(pr.down))
        s.hold(b.u((1.0, 2.0)))
        b.events.append(("bar-down", t0, s.t))
    else:
        b.finish()


def _swing(b: Builder) -> None:
    """Pick the bell up (hinge to it, hike it back), swing, park it, stand up: only swings count."""
    spec, s = b.spec, b.s
    cycle = b.u((1.0, 1.5)) * b.tempo

    def backswing(faults: tuple[str, ...]) -> np.ndarray:
        q = b.bottom(faults)
        q[P.L_ARM] = q[P.R_ARM] = b.u((-40, -22))
        return q

    def reach_bell() -> np.ndarray:
        q = b.pose(b.u((25, 40)), b.u((55, 68)))
        q[P.L_ARM] = q[P.R_ARM] = b.u((22, 32))
        q[P.NECK] = b.u((0, 15))
        return q

    t0 = s.t
    s.move(reach_bell(), b.u((1.0, 1.5)))
    s.hold(b.u((0.3, 0.8)))
    b.events.append(("pick-up", t0, s.t))
    start = s.t
    for i in range(spec.reps):
        faults = spec.faults_of(i)
        # hike (first rep) or the drop from the previous swing into this backswing
        dur = b.u((0.45, 0.6)) if i == 0 else cycle * b.u((0.45, 0.5))
        body = (0.0, 1.0) if i == 0 else (0.3, 1.0)
        s.move(backswing(faults), dur, body=body, arms=(0.0, 0.85))
        bottom = s.t
        rise = cycle * b.u((0.5, 0.55))
        top = b.top(faults)
        arms = (80, 105) if "no_lockout" not in faults else (60, 80)
        top[P.L_ARM] = top[P.R_ARM] = b.u(arms)
        top[P.TORSO] = top[P.TORSO] - 3 if "no_lockout" not in faults else top[P.TORSO]
        lock_frac = b.u((0.5, 0.6))
        s.move(top, rise, acc=0.25, dec=0.35, body=(0.0, lock_frac), arms=(0.2, 1.0))
        b.rep(start, bottom, 0.0, s.t - rise * (1 - lock_frac), faults)
        start = s.t
    t0 = s.t
    s.move(backswing(()), cycle * 0.5, body=(0.3, 1.0), arms=(0.0, 0.85))
    s.move(reach_bell(), b.u((0.6, 0.9)))
    s.hold(b.u((0.5, 1.0)))
    b.events.append(("park", t0, s.t))
    if spec.end == "floor":
        s.hold(b.u((1.0, 2.0)))
    else:
        b.finish()


def _single_leg(b: Builder) -> None:
    spec, pr, s = b.spec, b.prof, b.s
    for i in range(spec.reps):
        faults = spec.faults_of(i)
        stance = spec.stance if spec.stance != "alternate" else ("left", "right")[i % 2]
        free = -1 if stance == "left" else 1  # +1 = left leg free
        ready = s.pose.copy()
        ready[P.ANCHOR_L], ready[P.ANCHOR_R] = (1.0, 0.0) if stance == "left" else (0.0, 1.0)
        s.move(ready, 0.3)
        q = b.bottom(faults)
        q[P.ANCHOR_L], q[P.ANCHOR_R] = ready[P.ANCHOR_L], ready[P.ANCHOR_R]
        th = P.L_THIGH if free == 1 else P.R_THIGH
        kn = P.L_KNEE if free == 1 else P.R_KNEE
        torso = q[P.TORSO]
        # the free leg reaches back in line with the trunk (a bent knee lifts the foot)
        q[kn] = b.u((5, 20))
        q[th] = -torso * b.u((0.85, 1.0)) + 0.5 * q[kn]
        roll = b.u((20, 35)) if "hips_not_level" in faults else b.u((0, 4))
        q[P.PELVIS_ROLL] = free * roll
        q = b.balanced(q)
        down = b.u((0.3, 0.45)) if "too_fast" in faults else b.dur(pr.down)
        start = s.t
        s.move(q, down)
        reach = s.t
        pause = b.dur(pr.pause)
        s.hold(pause)
        top = b.top(faults)
        top[P.ANCHOR_L], top[P.ANCHOR_R] = ready[P.ANCHOR_L], ready[P.ANCHOR_R]
        top = b.balanced(top)
        s.move(top, b.dur(pr.up))
        lock = s.t
        s.hold(b.dur(pr.hold))
        b.rep(start, reach, pause, lock, faults)
    b.finish()


def _split(n: int, sets: int) -> list[int]:
    base, extra = divmod(n, sets)
    return [base + (1 if k < extra else 0) for k in range(sets)]


_SCRIPTS = {
    "hip-hinge": _hinge_reps,
    "rdl": _hinge_reps,
    "good-morning": _hinge_reps,
    "squat": _hinge_reps,
    "deadlift": _deadlift,
    "kettlebell-swing": _swing,
    "single-leg-rdl": _single_leg,
    "wave": wave,
    "stand": stand,
    "walk": walk,
    "leave-return": leave_return,
}


def build(
    spec: SimSpec, athlete: Athlete, rng: np.random.Generator, off_frame_m: float
) -> tuple[Timeline, list[RepTruth], list[tuple[str, float, float]], dict[str, object]]:
    """The spec's whole performance as a timeline, with its reps, other events, and the
    athlete's traits (load, style) drawn from the seed."""
    b = Builder(spec, athlete, rng, off_frame_m)
    ex = spec.exercise
    if ex in ("walk", "leave-return"):
        pass
    elif spec.start == "walk-in":
        b.walk_in()
        b.standing((1.5, 3.0))
    elif spec.start == "from-mirror":
        b.from_mirror()
        b.standing((1.5, 3.0))
    elif not (ex == "deadlift" and spec.start == "bottom"):
        b.standing()
    _SCRIPTS[ex](b)
    return b.s.timeline(), b.reps, b.events, b.traits()
