"""A pinhole camera placed around the athlete's station, and what it can and cannot see."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mirror.sim.body import BodyState, axis_rot

# Which keypoints belong to the athlete's left (+1) or right (-1) side, by index.
SIDE = np.array([0, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1])
PARTNER = np.array([0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15])


@dataclass(frozen=True)
class Camera:
    """yaw 0 = in front of the athlete (the mirror's view); +90 = on the athlete's left side."""

    yaw_deg: float
    distance_m: float
    height_m: float
    width: int
    height: int
    fov_deg: float = 70.0  # along the image's long side
    pitch_deg: float = 0.0  # extra tilt on top of aiming at the athlete's middle
    roll_deg: float = 0.0
    aim_height_m: float = 0.9
    offset_m: float = 0.0  # athlete's sideways offset from the optical axis

    @property
    def focal_px(self) -> float:
        return max(self.width, self.height) / 2 / math.tan(math.radians(self.fov_deg) / 2)

    def __post_init__(self) -> None:
        # the camera never moves: work its pose out once
        object.__setattr__(self, "_pos", self._position())
        object.__setattr__(self, "_axes", self._axes())

    def position(self) -> np.ndarray:
        return self._pos  # type: ignore[attr-defined]

    def axes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(right, down, forward) unit vectors of the camera in world coordinates."""
        return self._axes  # type: ignore[attr-defined]

    def _position(self) -> np.ndarray:
        y = math.radians(self.yaw_deg)
        return np.array(
            [self.distance_m * math.sin(y), self.height_m, self.distance_m * math.cos(y)]
        )

    def _axes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        c = self._position()
        y = math.radians(self.yaw_deg)
        side = np.array([math.cos(y), 0.0, -math.sin(y)])
        target = np.array([0.0, self.aim_height_m, 0.0]) - side * self.offset_m
        f = target - c
        f /= np.linalg.norm(f)
        r = np.cross(f, [0.0, 1.0, 0.0])
        r /= np.linalg.norm(r)
        # extra pitch about the right axis (positive tilts the view down)
        f = axis_rot(r, -self.pitch_deg) @ f
        d = np.cross(f, r)
        if self.roll_deg:
            m = axis_rot(f, self.roll_deg)
            r, d = m @ r, m @ d
        return r, d, f

    def project(self, pts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """World points (N, 3) -> pixel xy (N, 2) and depth (N,) along the optical axis."""
        r, d, f = self.axes()
        rel = pts - self.position()
        z = np.maximum(rel @ f, 0.05)
        fp = self.focal_px
        u = (self.width - 1) / 2 + fp * (rel @ r) / z
        v = (self.height - 1) / 2 + fp * (rel @ d) / z
        return np.stack([u, v], axis=1), z

    def person_height_px(self, body: BodyState) -> float:
        """The athlete's standing height in pixels at their current depth: the noise scale."""
        _, z = self.project(body.joints[11:13].mean(axis=0, keepdims=True))
        return float(self.focal_px * body.height_m / z[0])

    def occlusion(self, body: BodyState) -> np.ndarray:
        """0 (in plain view) .. 1 (hidden) per keypoint, from the body's orientation."""
        c = self.position()
        to_cam = c - body.joints
        to_cam /= np.linalg.norm(to_cam, axis=1, keepdims=True)
        lat = np.zeros((17, 3))
        lat[[1, 2, 3, 4]] = body.head_left
        lat[[5, 6, 7, 8, 9, 10]] = body.shoulder_left
        lat[11:] = body.pelvis_left
        v = SIDE * np.einsum("ij,ij->i", lat, to_cam)
        occ = np.clip((-v - 0.6) / 0.35, 0.0, 1.0)
        occ[0] = 0.0
        # face turned away (looking at the floor, or back to the camera)
        facing = float(np.dot(body.face, to_cam[0]))
        occ[:3] = np.maximum(occ[:3], np.clip((-facing - 0.1) / 0.5, 0.0, 1.0))
        # bent over towards the camera: the trunk hides the hips
        toward = float(np.dot(body.torso_dir, to_cam[11]))
        occ[11:13] = np.maximum(occ[11:13], 0.3 * np.clip((toward - 0.45) / 0.4, 0.0, 1.0))
        return occ
