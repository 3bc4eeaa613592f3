"""Building blocks of a performance: exercise profiles (ranges from /work/shared/DESIGN.md),
balanced key poses, faults applied to them, walking in and out, and the truth being recorded."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mirror.sim.body import Athlete, P, balance, standing_pose
from mirror.sim.spec import RepTruth, SimSpec
from mirror.sim.timeline import Script

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


class Builder:
    """Writes one performance: a Script of poses plus the reps and events that happened."""

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
        # some lifters pull from the floor with high hips (as on the real side-view clip:
        # knee flexion ~65, trunk ~75), most with the textbook ~100 / 55
        self.high_hips = bool(rng.random() < 0.3)
        # a person's own depth and knee bend: reps vary around it, not over the whole range
        self.depth = float(rng.uniform(0.15, 0.85))
        self.bend = float(rng.uniform(0.15, 0.85))
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
        self.hands = hands
        if hands == "hips":
            self.stand[P.W_HIPS] = 1.0
        self.s = Script(self.stand)

    def traits(self) -> dict[str, object]:
        return {
            "height_m": round(self.athlete.height_m, 3),
            "load": round(self.load, 3),
            "high_hips": self.high_hips,
            "hands": self.hands,
            "tempo": round(self.tempo, 3),
        }

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
            return self.pose(self.u(self.prof.top_knee) + self.u((8, 14)), self.u((15, 24)))
        return self.pose(self.u(self.prof.top_knee), self.u((0, 3)))

    def mine(self, r: Range, habit: float) -> float:
        """A value in range r near this person's habit (0..1 through the range)."""
        f = float(np.clip(habit + self.rng.normal(0, 0.12), 0.0, 1.0))
        return r[0] + (r[1] - r[0]) * f

    def bottom(self, faults: tuple[str, ...]) -> np.ndarray:
        pr = self.prof
        shin = None
        if "squatting" in faults:
            knee, torso = self.u(pr.sq_knee), self.u(pr.sq_torso)
            if self.spec.exercise == "deadlift":
                shin = self.u((28, 35))
        else:
            knee, torso = self.mine(pr.knee, self.bend), self.mine(pr.torso, self.depth)
            if self.spec.exercise == "deadlift":
                shin = self.u((14, 24))
                if self.high_hips:
                    knee = self.mine((60, 85), self.bend)
                    torso, shin = self.mine((65, 78), self.depth), self.u((8, 16))
        if "shallow" in faults:
            f = self.u((0.4, 0.55))
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

    def from_mirror(self) -> None:
        """Start a set the way the kiosk is used: at the buttons beside the mirror (close to the
        camera, part of the body out of the picture), then the few steps back to the spot."""
        d, y = self.spec.distance_m, math.radians(self.spec.yaw_deg)
        near = self.u((0.6, 0.9))  # from the camera
        side = (1.0 if self.rng.random() < 0.5 else -1.0) * self.u((0.3, 0.6))
        ahead, across = d - near, side
        self.s.place(
            ahead * math.sin(y) + across * math.cos(y), ahead * math.cos(y) - across * math.sin(y)
        )
        self.s.hold(self.u((1.0, 2.0)))  # pressing start
        t0 = self.s.t
        self.s.walk((0.0, 0.0), self.u((0.8, 1.2)), 0.0)
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
