"""Stand-ins for the demo: a scripted side-view athlete and an analyzer that reads its script.

Why: `hinge-mirror demo` must show every screen on any machine, and its tests must not depend on
how the real engine judges a simulated body. When mirror.sim and the real engine are available
the demo uses them instead (see app_command); these stay as the deterministic fallback.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import numpy as np

from mirror.analysis.engine import AnalysisUpdate
from mirror.analysis.events import AnalysisState, Cue, Phase, RepEvent, View
from mirror.camera.frame import Frame
from mirror.pose.keypoints import KP, Pose
from mirror.session.state import Command, Screen

W, H = 480, 640

TEMPO = {  # down, pause, up, stand (seconds)
    "kettlebell-swing": (0.45, 0.05, 0.45, 0.25),
    "deadlift": (1.2, 0.3, 1.0, 0.8),
}
DEFAULT_TEMPO = (1.8, 0.4, 1.1, 0.8)
ABSENT_S, SETTLE_S, REPS, LINGER_S, AWAY_S = 2.0, 3.0, 6, 1.5, 14.0


@dataclass(frozen=True)
class Truth:
    present: bool
    phase: Phase
    depth: float  # fraction of target
    rep: int  # reps finished so far in this cycle
    in_set: bool


class ScriptedAthlete:
    """Cycles: away, walks in and stands, 6 reps (the 4th shallow), stands, walks away."""

    def __init__(self, exercise: str = "hip-hinge") -> None:
        self.exercise = exercise
        self.t0 = 0.0  # the cycle restarts here (a new exercise starts with the person away)

    def tempo(self) -> tuple[float, float, float, float]:
        return TEMPO.get(self.exercise, DEFAULT_TEMPO)

    def cycle_s(self) -> float:
        return ABSENT_S + SETTLE_S + REPS * sum(self.tempo()) + LINGER_S + AWAY_S

    def truth(self, t: float) -> Truth:
        t = (t - self.t0) % self.cycle_s()
        if t < ABSENT_S:
            return Truth(False, Phase.NOT_READY, 0.0, 0, False)
        t -= ABSENT_S
        if t < SETTLE_S:
            return Truth(True, Phase.STANDING, 0.0, 0, False)
        t -= SETTLE_S
        d, p, u, s = self.tempo()
        rep_s = d + p + u + s
        if t < REPS * rep_s:
            i, k = int(t // rep_s), t % rep_s
            target = 0.6 if i == 3 else 1.05 + 0.05 * math.sin(i)
            if k < d:
                return Truth(True, Phase.DESCENDING, target * _ease(k / d), i, True)
            if k < d + p:
                return Truth(True, Phase.BOTTOM, target, i, True)
            if k < d + p + u:
                return Truth(True, Phase.ASCENDING, target * (1 - _ease((k - d - p) / u)), i,
                             True)
            return Truth(True, Phase.LOCKOUT, 0.0, i + 1, True)
        t -= REPS * rep_s
        if t < LINGER_S:
            return Truth(True, Phase.STANDING, 0.0, REPS, True)
        return Truth(False, Phase.NOT_READY, 0.0, REPS, False)

    def pose_at(self, t: float) -> Pose | None:
        tr = self.truth(t)
        if not tr.present:
            return None
        return side_pose(tr.depth, t)


def _ease(x: float) -> float:
    return 0.5 - 0.5 * math.cos(math.pi * max(0.0, min(1.0, x)))


def side_pose(depth: float, t: float = 0.0) -> Pose:
    """A side-view hinge: torso leans ~80 deg at depth 1, hips travel back, knees soften."""
    lean = math.radians(80 * depth)
    knee = math.radians(20 * depth)
    ankle = np.array([W * 0.5, H * 0.92])
    shin, thigh, torso = H * 0.22, H * 0.23, H * 0.27
    knee_p = ankle + [shin * math.sin(knee) * 0.5, -shin * math.cos(knee * 0.5)]
    hip = knee_p + [-thigh * math.sin(knee + lean * 0.25), -thigh * math.cos(knee)]
    sh = hip + [torso * math.sin(lean), -torso * math.cos(lean)]
    head = sh + [H * 0.07 * math.sin(lean + 0.3), -H * 0.07 * math.cos(lean + 0.3)]
    elbow = sh + [H * 0.12 * math.sin(lean * 0.1), H * 0.12]
    wrist = elbow + [0, H * 0.11]
    kp = np.zeros((17, 3), np.float32)
    pts = {KP.NOSE: head, KP.LEFT_EYE: head, KP.RIGHT_EYE: head, KP.LEFT_EAR: head - [6, 0],
           KP.RIGHT_EAR: head - [6, 0], KP.LEFT_SHOULDER: sh, KP.RIGHT_SHOULDER: sh + [4, 0],
           KP.LEFT_ELBOW: elbow, KP.RIGHT_ELBOW: elbow, KP.LEFT_WRIST: wrist,
           KP.RIGHT_WRIST: wrist, KP.LEFT_HIP: hip, KP.RIGHT_HIP: hip + [4, 0],
           KP.LEFT_KNEE: knee_p, KP.RIGHT_KNEE: knee_p + [4, 0], KP.LEFT_ANKLE: ankle,
           KP.RIGHT_ANKLE: ankle + [4, 0]}
    for i, p in pts.items():
        kp[i] = (p[0], p[1], 0.9)
    return Pose(kp, t, W, H)


class ScriptAnalyzer:
    """Reads the athlete's script instead of judging the pose (a stand-in for the engine)."""

    CUES = {3: Cue("shallow", "Go a little deeper", 0.0), 5: Cue("squatting",
                                                               "Hips back, not down", 0.0)}

    def __init__(self, athlete: ScriptedAthlete, exercise: str) -> None:
        self.athlete = athlete
        self.exercise = exercise
        self._last: Truth | None = None
        self._calib_t: float | None = None
        self._count = 0
        self._rep_start = 0.0
        self._fresh = True

    def reset(self) -> None:
        self._last, self._calib_t, self._count = None, None, 0

    def update(self, t: float, pose: Pose | None) -> AnalysisUpdate:
        if self._fresh:
            self._fresh = False
            self.athlete.exercise, self.athlete.t0 = self.exercise, t
        tr = self.athlete.truth(t)
        prev, self._last = self._last, tr
        if not tr.present:
            self._calib_t = None
            return AnalysisUpdate(AnalysisState(t=t, exercise=self.exercise, reps=self._count))
        if self._calib_t is None:
            self._calib_t = t
        calibrated = t - self._calib_t >= 1.5 or tr.in_set
        reps: list[RepEvent] = []
        cue = None
        if prev is not None and tr.phase == Phase.DESCENDING and prev.phase != Phase.DESCENDING:
            self._rep_start = t
        if prev is not None and tr.rep > prev.rep:
            d, p, u, _ = self.athlete.tempo()
            i = tr.rep - 1
            shallow = i == 3
            self._count += 0 if shallow else 1
            reps.append(RepEvent(self._count, not shallow, self._rep_start, t, self._rep_start + d,
                                 0.6 if shallow else 1.05 + 0.05 * math.sin(i), d, p, u,
                                 ("shallow",) if shallow else ()))
            if tr.rep in self.CUES:
                cue = replace(self.CUES[tr.rep], t=t)
        state = AnalysisState(t=t, exercise=self.exercise, person_visible=True,
                              calibrated=calibrated, view=View.SIDE,
                              phase=tr.phase if calibrated else Phase.NOT_READY,
                              reps=self._count, depth=tr.depth, last_rep=reps[-1] if reps else None,
                              cue=cue)
        return AnalysisUpdate(state, tuple(reps), cue)


class Director:
    """Presses NEXT when a rest has gone on a while, so the demo walks through every exercise."""

    def __init__(self, after_rest_s: float = 4.0) -> None:
        self.after_rest_s = after_rest_s
        self._done_for_set = -1

    def __call__(self, now: float, state) -> list[Command]:
        if (state.screen == Screen.REST and state.rest_s >= self.after_rest_s
                and self._done_for_set != state.set_number):
            self._done_for_set = state.set_number
            return [Command.NEXT_EXERCISE]
        return []


class SimShow:
    """Endless poses from mirror.sim: each set walks in, does 6 reps (the 3rd squatted, the 5th
    shallow) seen from the side, then the person is away; the next set is whatever exercise the
    app has switched to meanwhile (`exercise_now`).

    poses() feeds analysis directly; frames() renders the athlete as images for the real pose
    model (the demo's --inference), a FrameSource for mirror.pipeline.
    """

    def __init__(self, exercise_now: Callable[[], str], fps: float = 15.0, reps: int = 6,
                 away_s: float = 14.0, yaw_deg: float = 90.0, seed: int = 0,
                 size: tuple[int, int] = (480, 640)) -> None:
        self.exercise_now = exercise_now
        self.fps, self.reps, self.away_s = fps, reps, away_s
        self.yaw_deg, self.seed = yaw_deg, seed
        self.size = size
        self._closed = False

    def _sets(self) -> Iterator[tuple[float, float, object | None]]:
        """(start time, local time, athlete or None while away), frame by frame."""
        from mirror.sim import SimAthlete, SimSpec  # noqa: PLC0415

        t0, k = 0.0, 0
        while not self._closed:
            ex = self.exercise_now()
            faults = [()] * self.reps
            if self.reps > 4:
                faults[2], faults[4] = ("squatting",), ("shallow",)
            spec = SimSpec(exercise=ex, reps=self.reps, yaw_deg=self.yaw_deg, fps=self.fps,
                           start="walk-in", faults=tuple(faults), seed=self.seed + k,
                           width=self.size[0], height=self.size[1])
            athlete = SimAthlete(spec)
            for t in athlete.times():
                yield t0, t, athlete
            t0 += athlete.duration
            for i in range(int(self.away_s * self.fps)):
                yield t0, (i + 1) / self.fps, None
            t0 += self.away_s + 1 / self.fps
            k += 1

    def poses(self) -> Iterator[tuple[float, Pose | None]]:
        for t0, t, athlete in self._sets():
            yield t0 + t, (athlete.pose_at(t) if athlete is not None else None)

    # -- images, for the real model ------------------------------------------------------

    def frames(self) -> Iterator[Frame]:
        empty = np.full((self.size[1], self.size[0], 3), 110, np.uint8)
        for i, (t0, t, athlete) in enumerate(self._sets()):
            image = athlete.render(t) if athlete is not None else empty
            yield Frame(image, t0 + t, i)

    def close(self) -> None:
        self._closed = True


class SimFrameSource:
    """SimShow as a FrameSource (fps, size, frames, close) for mirror.pipeline.Pipeline."""

    def __init__(self, show: SimShow) -> None:
        self.show = show

    @property
    def fps(self) -> float:
        return self.show.fps

    @property
    def size(self) -> tuple[int, int]:
        return self.show.size

    def frames(self) -> Iterator[Frame]:
        return self.show.frames()

    def close(self) -> None:
        self.show.close()
