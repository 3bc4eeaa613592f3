"""The interface between frame sources and analysis: anything that turns an image into a Pose."""

from __future__ import annotations

from typing import Protocol

from mirror.camera.frame import Frame
from mirror.pose.keypoints import Pose


class PoseEstimator(Protocol):
    def estimate(self, frame: Frame) -> Pose:
        """17 keypoints in source pixels for the most prominent person (scores say if any)."""
        ...

    def reset(self) -> None:
        """Forget tracking state (a new source or the person left)."""
        ...
