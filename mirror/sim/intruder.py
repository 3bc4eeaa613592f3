"""A second person walking through behind the athlete. A single-pose model reports one person:
while the walker passes close to the athlete in the picture, it may report the walker instead
for a moment, which is what a counter has to survive."""

from __future__ import annotations

import math

import numpy as np

from mirror.sim.body import Athlete, BodyState, forward, standing_pose
from mirror.sim.camera import Camera
from mirror.sim.timeline import Script, Timeline


class Intruder:
    def __init__(
        self,
        rng: np.random.Generator,
        camera: Camera,
        athlete_track: list[tuple[float, BodyState]],
        duration: float,
        off_frame_m: float,
    ) -> None:
        self.body = Athlete.sample(rng)
        y = math.radians(camera.yaw_deg)
        right = np.array([math.cos(y), -math.sin(y)])  # the camera's right, on the ground
        back = -np.array([math.sin(y), math.cos(y)])  # away from the camera
        depth = float(rng.uniform(0.8, 1.8))
        side = 1.0 if rng.random() < 0.5 else -1.0
        a = back * depth - side * right * (off_frame_m + 0.5)
        b = back * depth + side * right * (off_frame_m + 0.5)
        speed = float(rng.uniform(1.0, 1.5))
        walk_s = float(np.linalg.norm(b - a)) / speed + 0.5
        self.t0 = float(rng.uniform(0.25, 0.6)) * max(duration - walk_s, 1.0)
        s = Script(standing_pose())
        s.place(float(a[0]), float(a[1]))
        s.walk((float(b[0]), float(b[1])), speed, None)
        self.timeline: Timeline = s.timeline()
        self.t1 = self.t0 + self.timeline.duration
        # when the walker passes near the athlete in the picture, the model may take them
        near = []
        for t, athlete in athlete_track:
            if self.t0 <= t <= self.t1:
                xa, _ = camera.project(athlete.joints[11:13])
                xb, _ = camera.project(self.body_at(t).joints[11:13])
                h = camera.person_height_px(athlete)
                if abs(xa[:, 0].mean() - xb[:, 0].mean()) < 0.25 * h:
                    near.append(t)
        self.taken: tuple[float, float] | None = None
        if near:
            c = float(rng.uniform(near[0], near[-1]))
            half = float(rng.uniform(0.1, 0.35))
            self.taken = (c - half, c + half)

    def body_at(self, t: float) -> BodyState:
        return forward(self.body, self.timeline.at(t - self.t0))

    def reported(self, t: float) -> bool:
        """Does the model report the walker instead of the athlete at time t?"""
        return self.taken is not None and self.taken[0] <= t <= self.taken[1]

    def visible(self, t: float) -> bool:
        return self.t0 <= t <= self.t1
