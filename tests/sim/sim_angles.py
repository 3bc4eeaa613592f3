"""Plain 2-D angle helpers for the sim tests (image coordinates, y down)."""

from __future__ import annotations

import math

import numpy as np

L = {"sh": 5, "el": 7, "wr": 9, "hip": 11, "knee": 13, "ank": 15}
R = {k: v + 1 for k, v in L.items()}


def from_vertical(top: np.ndarray, bottom: np.ndarray) -> float:
    """Angle of the segment bottom->top from straight up, degrees (0..180)."""
    v = top[:2] - bottom[:2]
    return math.degrees(math.atan2(abs(float(v[0])), -float(v[1])))


def flexion(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    """180 - the inner angle at b: 0 for a straight limb."""
    u, w = a[:2] - b[:2], c[:2] - b[:2]
    cos = float(np.dot(u, w) / np.linalg.norm(u) / np.linalg.norm(w))
    return 180.0 - math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def side_metrics(kp: np.ndarray, side: dict[str, int] = L) -> dict[str, float]:
    sh, hip, knee, ank = (kp[side[k]] for k in ("sh", "hip", "knee", "ank"))
    return {
        "torso": from_vertical(sh, hip),
        "knee": flexion(hip, knee, ank),
        "hip": flexion(sh, hip, knee),
        "shin": from_vertical(knee, ank),
        "thigh": from_vertical(hip, knee),
    }
