"""The 17 COCO keypoints and the Pose value that flows from the estimator to analysis."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

KEYPOINT_NAMES: tuple[str, ...] = (
    "nose",
    "left_eye",
    "right_eye",
    "left_ear",
    "right_ear",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
)


class KP(IntEnum):
    """Index of each keypoint in a (17, 3) keypoint array."""

    NOSE = 0
    LEFT_EYE = 1
    RIGHT_EYE = 2
    LEFT_EAR = 3
    RIGHT_EAR = 4
    LEFT_SHOULDER = 5
    RIGHT_SHOULDER = 6
    LEFT_ELBOW = 7
    RIGHT_ELBOW = 8
    LEFT_WRIST = 9
    RIGHT_WRIST = 10
    LEFT_HIP = 11
    RIGHT_HIP = 12
    LEFT_KNEE = 13
    RIGHT_KNEE = 14
    LEFT_ANKLE = 15
    RIGHT_ANKLE = 16


# Left/right pairs, used to mirror a pose and to check consistency.
LR_PAIRS: tuple[tuple[int, int], ...] = (
    (1, 2), (3, 4), (5, 6), (7, 8), (9, 10), (11, 12), (13, 14), (15, 16),
)

# Limbs drawn by a skeleton overlay.
SKELETON: tuple[tuple[int, int], ...] = (
    (5, 6), (5, 7), (7, 9), (6, 8), (8, 10), (5, 11), (6, 12), (11, 12),
    (11, 13), (13, 15), (12, 14), (14, 16), (0, 5), (0, 6),
)

TORSO = (KP.LEFT_SHOULDER, KP.RIGHT_SHOULDER, KP.LEFT_HIP, KP.RIGHT_HIP)

# A person is "found" when the torso is seen with at least this mean score.
PERSON_MIN_SCORE = 0.2


@dataclass(frozen=True, slots=True)
class Pose:
    """17 keypoints of one person in one frame.

    keypoints: float32 array (17, 3) of x, y in source-image pixels and a 0..1 score.
    t: seconds from the start of the source (camera sensor time for live sources).
    """

    keypoints: np.ndarray
    t: float
    width: int
    height: int

    @property
    def xy(self) -> np.ndarray:
        return self.keypoints[:, :2]

    @property
    def scores(self) -> np.ndarray:
        return self.keypoints[:, 2]

    def person_score(self) -> float:
        """Mean score of the torso keypoints: how sure we are a person is there."""
        s = self.keypoints[:, 2].tolist()  # plain floats: cheaper than numpy on four values
        return sum(s[i] for i in TORSO) / len(TORSO)

    def has_person(self, min_score: float = PERSON_MIN_SCORE) -> bool:
        return self.person_score() >= min_score
