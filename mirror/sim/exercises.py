"""Scripts for each exercise and motion: key poses, tempo, faults, and the ground truth.

Ranges follow /work/shared/DESIGN.md. A rep is: descent (or a deadlift's set-up bend / a swing's
hike) -> bottom -> ascent -> lockout (the count moment) -> hold. Faults change the kinematics a
coach would see, e.g. `squatting` drops the hips and pushes the shins forward.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mirror.sim.body import Athlete, P, balance, standing_pose
from mirror.sim.motion import Script, Timeline
from mirror.sim.spec import RepTruth, SimSpec

Range = tuple[float, float]


@dataclass(frozen=True)
class Profile:
    """Nominal kinematics of one exercise (degrees, seconds). Shin lean is not set: the body
    balances over its feet (see body.balance), which is what tells a hinge from a squat."""

    top_knee: Range
    knee: Range  # knee flexion at the bottom
    torso: Range  # trunk lean from vertical at the bottom
    down: Range
    pause: Range
    up: Range
    hold: Range
    load: Range = (0.0, 0.0)  # weight held, fraction of body mass
    sq_knee: Range = (75, 95)  # the `squatting` fault's bottom
    sq_torso: Range = (30, 45)


PROFILES: dict[str, Profile] = {
    "hip-hinge": Profile(
        (2, 8), (15, 30), (55, 80), (1.3, 2.0), (0.2, 0.6), (1.0, 1.5), (0.6, 1.2)
    ),
    "rdl": Profile(
        (8, 15), (20, 32), (65, 85), (2.0, 3.0), (0.5, 0.9), (1.1, 1.6), (0.6, 1.1), (0.15, 0.4)
    ),
    "good-morning": Profile(
        (0, 5), (5, 14), (62, 85), (2.0, 3.0), (0.5, 0.9), (1.2, 1.8), (0.6, 1.1), (0.05, 0.2)
    ),
    "single-leg-rdl": Profile(
        (2, 6),
        (8, 20),
        (65, 88),
        (1.6, 2.6),
        (0.3, 0.7),
        (1.3, 2.0),
        (0.9, 1.5),
        (0.05, 0.15),
        (55, 75),
        (35, 50),
    ),
    "deadlift": Profile(
        (2, 6),
        (90, 110),
        (45, 65),
        (1.0, 1.5),
        (0.4, 1.0),
        (1.0, 1.6),
        (0.5, 1.0),
        (0.4, 0.9),
        (120, 135),
        (22, 35),
    ),
    "kettlebell-swing": Profile(
        (2, 6),
        (18, 35),
        (50, 75),
        (0.5, 0.7),
        (0, 0),
        (0.5, 0.7),
        (0, 0),
        (0.1, 0.25),
        (65, 85),
        (30, 42),
    ),
    "squat": Profile((2, 6), (100, 130), (25, 45), (1.0, 1.5), (0.1, 0.4), (0.9, 1.3), (0.6, 1.2)),
}


class _Builder:
    def __init__(
        self, spec: SimSpec, athlete: Athlete, rng: np.random.Generator, off_frame: float
    ) -> None:
        self.spec, self.athlete, self.rng, self.off_frame = spec, athlete, rng, off_frame
        self.reps: list[RepTruth] = []
        self.events: list[tuple[str, float, float]] = []
        self.prof = PROFILES.get(spec.exercise, PROFILES["hip-hinge"])
        self.stand = standing_pose()
        self.stand[P.GRIP] = float(rng.uniform(0.115, 0.13))
        self.tempo = spec.tempo * float(rng.uniform(0.9, 1.1))
        self.load = float(rng.uniform(*self.prof.load))
        self.cop = float(rng.uniform(0.01, 0.045))  # where this person keeps their weight
        ex = spec.exercise
        if ex == "good-morning":
            self.stand[P.W_NECK] = 1.0
        elif ex in ("rdl", "deadlift") or (ex == "single-leg-rdl" and self.load > 0.1):
            self.stand[P.W_BAR] = 1.0
        elif ex == "kettlebell-swing":
            self.stand[P.GRIP] = 0.03
        hands = spec.hands
        if hands == "auto" and ex == "hip-hinge":
            hands = "hips" if rng.random() < 0.5 else "hang"
        if hands == "hips":
            self.stand[P.W_HIPS] = 1.0
        self.s = Script(self.stand)

    def u(self, r: Range) -> float:
        return float(self.rng.uniform(*r))

    def dur(self, r: Range) -> float:
        return self.u(r) * self.tempo * float(self.rng.uniform(0.85, 1.15))

    def balanced(self, q: np.ndarray) -> np.ndarray:
        """Shins leaned so the body (and its load) balances over the feet."""
        cop = self.cop + float(self.rng.normal(0, 0.004))
        return balance(self.athlete, q, self.load, cop)

    def pose(
        self, knee: float, torso: float, base: np.ndarray | None = None, shin: float | None = None
    ) -> np.ndarray:
        """Both knees bent `knee`, trunk leaning `torso`, shins leaning to stay balanced
        (or by `shin`: a deadlift's shins rest on the bar)."""
        q = (self.stand if base is None else base).copy()
        q[P.L_KNEE] = q[P.R_KNEE] = knee
        q[P.L_THIGH] = q[P.R_THIGH] = knee - (shin or 0.0)
        q[P.TORSO] = torso
        return q if shin is not None else self.balanced(q)

    def top(self, faults: tuple[str, ...]) -> np.ndarray:
        if "no_lockout" in faults:
            return self.pose(self.u(self.prof.top_knee) + self.u((10, 18)), self.u((18, 28)))
        return self.pose(self.u(self.prof.top_knee), self.u((0, 3)))

    def bottom(self, faults: tuple[str, ...]) -> np.ndarray:
        pr = self.prof
        shin = None
        if "squatting" in faults:
            knee, torso = self.u(pr.sq_knee), self.u(pr.sq_torso)
            if self.spec.exercise == "deadlift":
                shin = self.u((28, 35))
        else:
            knee, torso = self.u(pr.knee), self.u(pr.torso)
            if self.spec.exercise == "deadlift":
                shin = self.u((14, 24))
        if "shallow" in faults:
            f = self.u((0.3, 0.5))
            k0 = float(np.mean(pr.top_knee))
            knee, torso = k0 + f * (knee - k0), f * torso
            shin = None if shin is None else f * shin
        q = self.pose(knee, torso, shin=shin)
        q[P.NECK] = self.u((-5, 15))
        return q

    def rep(
        self, start: float, reach: float, pause: float, lock: float, faults: tuple[str, ...]
    ) -> None:
        """Record a rep that ends now: lowered start..reach, paused, rose to lockout."""
        self.reps.append(
            RepTruth(
                start,
                reach + pause / 2,
                lock,
                self.s.t,
                tuple(faults),
                down_s=reach - start,
                pause_s=pause,
                up_s=lock - reach - pause,
            )
        )

    def off_point(self, side: float) -> tuple[float, float]:
        """A ground point just outside the picture, to the camera's right (+1) or left (-1)."""
        y = math.radians(self.spec.yaw_deg)
        return (side * self.off_frame * math.cos(y), -side * self.off_frame * math.sin(y))

    def walk_in(self) -> None:
        side = 1.0 if self.rng.random() < 0.5 else -1.0
        self.s.place(*self.off_point(side))
        self.s.hold(0.3)
        t0 = self.s.t
        self.s.walk((0.0, 0.0), self.u((1.0, 1.4)), 0.0)
        self.events.append(("walk-in", t0, self.s.t))

    def walk_out(self, side: float) -> None:
        t0 = self.s.t
        self.s.walk(self.off_point(side), self.u((1.0, 1.4)), None)
        self.events.append(("walk-out", t0, self.s.t))

    def standing(self, r: Range = (2.0, 3.0), name: str = "stand") -> None:
        t0 = self.s.t
        self.s.hold(self.u(r))
        self.events.append((name, t0, self.s.t))

    def finish(self) -> None:
        if abs(self.s.pose[P.TORSO] - self.stand[P.TORSO]) > 5 or self.s.pose[P.L_KNEE] > 20:
            self.s.move(self.pose(self.u(self.prof.top_knee), 1.0), self.dur((0.9, 1.3)))
        self.standing()


# ---------------------------------------------------------------- exercises from standing


def _hinge_reps(b: _Builder) -> None:
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


def _deadlift(b: _Builder) -> None:
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


def _swing(b: _Builder) -> None:
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
        arms = (80, 100) if "no_lockout" not in faults else (60, 80)
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


def _single_leg(b: _Builder) -> None:
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
        q[th] = -torso * b.u((0.85, 1.0))
        q[kn] = b.u((5, 20))
        roll = b.u((15, 28)) if "hips_not_level" in faults else b.u((0, 4))
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


# ---------------------------------------------------------------- non-exercise motions


def _wave(b: _Builder) -> None:
    s = b.s
    for _ in range(int(b.rng.integers(1, 3))):
        t0 = s.t
        up = s.pose.copy()
        up[P.W_WAVE] = 1.0
        s.move(up, 0.6)
        base, hz, dur = s.pose.copy(), b.u((1.5, 3.0)), b.u((2.0, 5.0))

        def waving(t: float, base: np.ndarray = base, hz: float = hz) -> np.ndarray:
            q = base.copy()
            q[P.WAVE] = 2 * math.pi * hz * t
            return q

        s.procedural(dur, waving)
        down = s.pose.copy()
        down[P.W_WAVE], down[P.WAVE] = 0.0, 0.0
        s.move(down, 0.6)
        b.events.append(("wave", t0, s.t))
        b.standing((1.5, 3.0))


def _stand(b: _Builder) -> None:
    s = b.s
    total = b.spec.duration_s or b.u((10.0, 20.0))
    while s.t < total:
        b.standing((2.0, 4.0))
        r = b.rng.random()
        q = b.stand.copy()
        if r < 0.3:  # glance down (at a phone, the floor)
            q[P.NECK], q[P.TORSO] = b.u((25, 40)), b.u((3, 8))
        elif r < 0.6:  # weight shift onto one leg
            side = P.L_KNEE if b.rng.random() < 0.5 else P.R_KNEE
            q[side] = b.u((12, 20))
            q[P.TORSO_SIDE] = b.u((-4, 4))
        else:  # look around
            q[P.HEAD_YAW] = b.u((-50, 50))
        t0 = s.t
        s.move(q, b.u((0.6, 1.2)))
        s.hold(b.u((0.8, 2.0)))
        s.move(b.stand, b.u((0.6, 1.2)))
        b.events.append(("fidget", t0, s.t))


def _walk(b: _Builder) -> None:
    mode = ("across", "in-out", "toward")[int(b.rng.integers(3))]
    side = 1.0 if b.rng.random() < 0.5 else -1.0
    s = b.s
    if mode == "toward":
        y = math.radians(b.spec.yaw_deg)
        back = (-1.5 * math.sin(y), -1.5 * math.cos(y))
        near = max(b.spec.distance_m - 1.0, 1.0) - 0.3
        close = ((b.spec.distance_m - near) * math.sin(y), (b.spec.distance_m - near) * math.cos(y))
        s.place(*back)
        b.standing((0.5, 1.0))
        t0 = s.t
        s.walk(close, b.u((0.8, 1.2)), None)
        s.hold(b.u((0.5, 1.5)))
        s.walk(back, b.u((0.8, 1.2)), None)
        b.events.append(("walk", t0, s.t))
        b.standing((0.5, 1.0))
        return
    s.place(*b.off_point(-side))
    if mode == "across":
        t0 = s.t
        s.hold(0.5)
        s.walk(b.off_point(side), b.u((0.9, 1.5)), None)
        s.hold(0.5)
        b.events.append(("walk", t0, s.t))
    else:
        b.walk_in()
        b.standing((1.0, 3.0))
        b.walk_out(side if b.rng.random() < 0.5 else -side)
        s.hold(0.5)


def _leave_return(b: _Builder) -> None:
    side = 1.0 if b.rng.random() < 0.5 else -1.0
    b.standing()
    b.walk_out(side)
    t0 = b.s.t
    b.s.hold(b.u((2.0, 6.0)))
    b.events.append(("absent", t0, b.s.t))
    b.s.walk((0.0, 0.0), b.u((1.0, 1.4)), 0.0)
    b.standing()


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
    "wave": _wave,
    "stand": _stand,
    "walk": _walk,
    "leave-return": _leave_return,
}


def build(
    spec: SimSpec, athlete: Athlete, rng: np.random.Generator, off_frame_m: float
) -> tuple[Timeline, list[RepTruth], list[tuple[str, float, float]]]:
    """The spec's whole performance as a timeline, with its reps and other events."""
    b = _Builder(spec, athlete, rng, off_frame_m)
    ex = spec.exercise
    if ex in ("walk", "leave-return"):
        pass
    elif spec.start == "walk-in":
        b.walk_in()
        b.standing((1.5, 3.0))
    elif not (ex == "deadlift" and spec.start == "bottom"):
        b.standing()
    _SCRIPTS[ex](b)
    return b.s.timeline(), b.reps, b.events
