"""The simulated athlete seen through a camera: body + script + camera + MoveNet-like noise."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from mirror.pose.keypoints import Pose
from mirror.pose.recording import Recording, RecordingHeader
from mirror.sim.body import Athlete, BodyState, forward
from mirror.sim.camera import Camera
from mirror.sim.exercises import build
from mirror.sim.intruder import Intruder
from mirror.sim.observe import Observer
from mirror.sim.spec import SimSpec, SimTruth
from mirror.sim.timeline import Fidget


@dataclass(frozen=True)
class SimResult:
    spec: SimSpec
    recording: Recording
    truth: SimTruth


class SimAthlete:
    """One spec's performance, observable at any time: `pose_at(t)` is deterministic per seed."""

    def __init__(self, spec: SimSpec) -> None:
        self.spec = spec
        rng = np.random.default_rng([spec.seed, 1])
        self.athlete = Athlete.sample(rng, spec.height_m)
        h = self.athlete.height_m
        self.camera = Camera(
            yaw_deg=spec.yaw_deg,
            distance_m=spec.distance_m,
            height_m=spec.camera_height_m,
            width=spec.width,
            height=spec.height,
            fov_deg=spec.fov_deg,
            pitch_deg=spec.pitch_deg,
            roll_deg=float(rng.normal(0, 1.0)),
            aim_height_m=h * float(rng.uniform(0.45, 0.55)),
            offset_m=spec.offset_m,
        )
        self.timeline, reps, events, self.traits = build(
            spec, self.athlete, rng, self._off_frame_m()
        )
        self.fidget = Fidget(rng)
        self.duration = self.timeline.duration
        self.intruder: Intruder | None = None
        if spec.intruder:
            track = [(float(t), self.body_at(float(t))) for t in np.arange(0, self.duration, 0.1)]
            self.intruder = Intruder(
                np.random.default_rng([spec.seed, 31]),
                self.camera,
                track,
                self.duration,
                self._off_frame_m(),
            )
            events.append(("intruder", self.intruder.t0, self.intruder.t1))
            if self.intruder.taken is not None:
                events.append(("intruder-reported", *self.intruder.taken))
        self.truth = SimTruth(
            exercise=spec.exercise,
            view=spec.view,
            yaw_deg=spec.yaw_deg,
            duration_s=self.duration,
            reps=tuple(reps),
            events=tuple(events),
        )
        side = abs(math.sin(math.radians(spec.yaw_deg)))
        self.observer = Observer(
            spec.seed,
            spec.fps,
            self.duration,
            spec.width,
            spec.height,
            spec.noise,
            spec.dropout,
            spec.mirrored,
            side,
            spec.far_side,
        )

    def _off_frame_m(self) -> float:
        """How far sideways from the station a person is out of the picture."""
        w, h = self.spec.width, self.spec.height
        half = math.tan(math.radians(self.spec.fov_deg) / 2) * min(w / max(w, h), 1.0)
        return self.spec.distance_m * half + abs(self.spec.offset_m) + 0.9

    def body_at(self, t: float) -> BodyState:
        return forward(self.athlete, self.timeline.at(t) + self.fidget.at(t))

    def true_keypoints(self, t: float) -> np.ndarray:
        """Noise-free (17, 3) keypoints in pixels with score 1 (not mirrored)."""
        xy, _ = self.camera.project(self.body_at(t).joints)
        return np.concatenate([xy, np.ones((17, 1))], axis=1).astype(np.float32)

    def pose_at(self, t: float) -> Pose | None:
        """What a MoveNet-like estimator reports at time t (None: no person found)."""
        if self.intruder is not None and self.intruder.reported(t):
            body = self.intruder.body_at(t)
        else:
            body = self.body_at(t)
        xy, _ = self.camera.project(body.joints)
        return self.observer.observe(
            t, xy, self.camera.occlusion(body), self.camera.person_height_px(body)
        )

    def times(self, fps: float | None = None) -> list[float]:
        """Frame times with a little capture jitter, strictly increasing."""
        fps = fps or self.spec.fps
        n = int(self.duration * fps) + 1
        rng = np.random.default_rng([self.spec.seed, 3])
        jit = rng.normal(0, 0.08 / fps, n).clip(-0.3 / fps, 0.3 / fps)
        t = np.arange(n) / fps + jit
        t[0] = 0.0
        return [float(x) for x in np.clip(t, 0.0, self.duration)]

    def frames(self, fps: float | None = None) -> Iterator[tuple[float, Pose | None]]:
        for t in self.times(fps):
            yield t, self.pose_at(t)

    def header(self) -> RecordingHeader:
        s = self.spec
        return RecordingHeader(
            s.width,
            s.height,
            float(s.fps),
            {
                "source": "sim",
                "sim": s.to_json(),
                "athlete": self.traits,
                "truth": self.truth.to_json(),
            },
        )

    def render(self, t: float) -> np.ndarray:
        """A plain stick-figure image of the body at time t (for feeding a pose estimator)."""
        from mirror.sim.render import render_stick

        kp = self.true_keypoints(t)
        img = render_stick(kp, self.spec.width, self.spec.height, self.spec.mirrored)
        if self.intruder is not None and self.intruder.visible(t):
            xy, _ = self.camera.project(self.intruder.body_at(t).joints)
            other = np.concatenate([xy, np.ones((17, 1))], axis=1)
            render_stick(other, self.spec.width, self.spec.height, self.spec.mirrored, img)
        return img


def simulate(spec: SimSpec) -> SimResult:
    """Run a spec: the recording a camera + MoveNet would have produced, and the truth."""
    a = SimAthlete(spec)
    rec = Recording(a.header(), list(a.frames()))
    return SimResult(spec, rec, a.truth)


def endless(
    seed: int = 0,
    fps: float = 15.0,
    width: int = 720,
    height: int = 1280,
    yaw_deg: float | None = None,
    reps: int = 6,
) -> Iterator[tuple[float, Pose | None]]:
    """A never-ending show for the live demo: each set walks in, does `reps` of the next
    exercise (a couple of them with a fault), and walks off; views cycle side, oblique, front
    unless `yaw_deg` is fixed. Time runs on across sets."""
    from mirror.sim.spec import EXERCISES, FAULTS_FOR  # noqa: PLC0415

    views = (90.0, 45.0, 0.0, -90.0, -45.0)
    t0, k = 0.0, 0
    while True:
        rng = np.random.default_rng([seed, 21, k])
        ex = EXERCISES[k % len(EXERCISES)]
        faults: list[tuple[str, ...]] = [()] * reps
        allowed = FAULTS_FOR[ex]
        for i in rng.choice(range(1, reps), size=min(2, reps - 1), replace=False):
            faults[int(i)] = (allowed[int(rng.integers(len(allowed)))],)
        if ex == "deadlift":
            faults[0] = tuple(f for f in faults[0] if f != "shallow")
        spec = SimSpec(
            exercise=ex,
            reps=reps,
            yaw_deg=views[k % len(views)] if yaw_deg is None else yaw_deg,
            fps=fps,
            width=width,
            height=height,
            start="walk-in",
            faults=tuple(faults),
            seed=seed * 1000 + k,
        )
        athlete = SimAthlete(spec)
        for t in athlete.times():
            yield t0 + t, athlete.pose_at(t)
        t0 += athlete.duration + 1.0 / fps
        k += 1
