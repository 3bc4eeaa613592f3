"""What to simulate (SimSpec) and what really happened (SimTruth): plain data, JSON-able."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from mirror.errors import UserError

EXERCISES = ("hip-hinge", "rdl", "deadlift", "kettlebell-swing", "good-morning", "single-leg-rdl")
MOTIONS = ("squat", "walk", "wave", "stand", "leave-return")
# How a set begins: standing on the spot, walking in from the side, walking back from the
# mirror's buttons (close to the camera, then the few steps back), or at the bar on the floor.
STARTS = ("stand", "walk-in", "from-mirror", "bottom")
FAULTS = ("squatting", "shallow", "no_lockout", "too_fast", "no_pause", "hips_not_level")

# Which faults each exercise can show (a swing is fast by design; only the single-leg RDL has
# a free hip; only the controlled lifts want a pause).
FAULTS_FOR: dict[str, tuple[str, ...]] = {
    "hip-hinge": ("squatting", "shallow", "no_lockout", "too_fast"),
    "rdl": ("squatting", "shallow", "no_lockout", "too_fast", "no_pause"),
    "deadlift": ("squatting", "shallow", "no_lockout"),
    "kettlebell-swing": ("squatting", "shallow", "no_lockout"),
    "good-morning": ("squatting", "shallow", "no_lockout", "too_fast", "no_pause"),
    "single-leg-rdl": ("squatting", "shallow", "no_lockout", "too_fast", "hips_not_level"),
    "squat": (),
}


def view_of_yaw(yaw_deg: float) -> str:
    """side / oblique / front (or back) from the camera's yaw around the athlete."""
    a = abs((yaw_deg + 180) % 360 - 180)
    if a > 135:
        return "back"
    if a < 22.5:
        return "front"
    return "oblique" if a < 67.5 else "side"


@dataclass(frozen=True)
class SimSpec:
    """One simulated recording. `faults[i]` lists the fault ids injected in rep i (0-based)."""

    exercise: str = "rdl"  # one of EXERCISES or MOTIONS
    reps: int = 5
    sets: int = 1
    yaw_deg: float = 90.0  # 0 front (the mirror's view), +-90 side, +-45 oblique
    distance_m: float = 2.5
    camera_height_m: float = 1.2
    pitch_deg: float = 0.0
    fov_deg: float = 70.0  # along the image's long side
    offset_m: float = 0.0  # athlete off the optical axis, sideways
    fps: float = 15.0
    width: int = 720
    height: int = 1280
    noise: float = 1.0  # 0 = exact keypoints, 1 = MoveNet Lightning-like, 2 = bad light
    dropout: float = 0.02  # per-frame chance of no person reported (plus short bursts)
    mirrored: bool = False
    intruder: bool = False  # a second person walks through behind (the model may take them)
    far_side: str = "auto"  # hidden joints: low (low scores) | confident (laid on the near side)
    faults: tuple[tuple[str, ...], ...] = ()
    stance: str = "alternate"  # single-leg RDL stance leg: left | right | alternate
    start: str = "stand"  # stand | walk-in | from-mirror | bottom (deadlift only: at the floor)
    end: str = "stand"  # stand | floor (deadlift / swing: finish with the weight down)
    hands: str = "auto"  # auto | hang | hips (bodyweight hip hinge, squat)
    tempo: float = 1.0  # > 1 slower
    duration_s: float | None = None  # non-exercise motions
    height_m: float | None = None  # athlete height; None = drawn from the seed
    seed: int = 0
    name: str = ""

    def __post_init__(self) -> None:
        if self.exercise not in EXERCISES + MOTIONS:
            raise UserError(
                f"sim: unknown exercise {self.exercise!r}; expected one of "
                + ", ".join(EXERCISES + MOTIONS)
            )
        allowed = FAULTS_FOR.get(self.exercise, ())
        for rep in self.faults:
            for f in rep:
                if f not in FAULTS:
                    raise UserError(
                        f"sim: unknown fault {f!r}; expected one of {', '.join(FAULTS)}"
                    )
                if f not in allowed:
                    raise UserError(
                        f"sim: fault {f!r} does not apply to {self.exercise}; "
                        f"expected one of {', '.join(allowed) or 'none'}"
                    )
        if self.reps < 0 or self.sets < 1:
            raise UserError("sim: reps must be >= 0 and sets >= 1")
        if self.fps <= 0 or self.width <= 0 or self.height <= 0:
            raise UserError("sim: fps, width and height must be positive")
        if self.stance not in ("left", "right", "alternate"):
            raise UserError(f"sim: stance {self.stance!r}; expected left, right or alternate")
        if self.start not in STARTS:
            raise UserError(f"sim: start {self.start!r}; expected {', '.join(STARTS)}")
        if self.far_side not in ("auto", "low", "confident"):
            raise UserError(f"sim: far_side {self.far_side!r}; expected auto, low or confident")
        if self.end not in ("stand", "floor"):
            raise UserError(f"sim: end {self.end!r}; expected stand or floor")

    @property
    def view(self) -> str:
        return view_of_yaw(self.yaw_deg)

    def faults_of(self, rep: int) -> tuple[str, ...]:
        return self.faults[rep] if rep < len(self.faults) else ()

    def to_json(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["faults"] = [list(f) for f in self.faults]
        return d

    @staticmethod
    def from_json(d: dict[str, Any]) -> SimSpec:
        known = {f.name for f in dataclasses.fields(SimSpec)}
        kw = {k: v for k, v in d.items() if k in known}
        if "faults" in kw:
            kw["faults"] = tuple(tuple(f) for f in kw["faults"])
        return SimSpec(**kw)


@dataclass(frozen=True)
class RepTruth:
    """One real rep: descent starts, bottom, lockout reached (the count moment), rep ends.

    A deadlift rep is the same shape: lowering (or the set-up bend) into the floor position,
    the pull, the lockout. A swing's end is the bell's peak.
    """

    start_s: float
    bottom_s: float
    lockout_s: float
    end_s: float
    faults: tuple[str, ...] = ()
    down_s: float = 0.0  # tempo: lowering, time at the bottom, rising (as RepEvent has them)
    pause_s: float = 0.0
    up_s: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "start_s": round(self.start_s, 3),
            "bottom_s": round(self.bottom_s, 3),
            "lockout_s": round(self.lockout_s, 3),
            "end_s": round(self.end_s, 3),
            "faults": list(self.faults),
            "down_s": round(self.down_s, 3),
            "pause_s": round(self.pause_s, 3),
            "up_s": round(self.up_s, 3),
        }


@dataclass(frozen=True)
class SimTruth:
    exercise: str
    view: str
    yaw_deg: float
    duration_s: float
    reps: tuple[RepTruth, ...] = ()
    # things that happen and are not reps: set-up, pick-up, park, walk, rest, absent, ...
    events: tuple[tuple[str, float, float], ...] = field(default_factory=tuple)

    @property
    def count(self) -> int:
        return len(self.reps)

    def to_json(self) -> dict[str, Any]:
        return {
            "exercise": self.exercise,
            "view": self.view,
            "yaw_deg": self.yaw_deg,
            "duration_s": round(self.duration_s, 3),
            "count": self.count,
            "reps": [r.to_json() for r in self.reps],
            "events": [[n, round(a, 3), round(b, 3)] for n, a, b in self.events],
        }
