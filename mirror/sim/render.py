"""A stick figure on grey (numpy only), so a pose estimator can be fed synthetic images."""

from __future__ import annotations

import numpy as np

from mirror.pose.keypoints import SKELETON

_BONES = SKELETON + ((0, 1), (0, 2), (1, 3), (2, 4))


def render_stick(
    kp: np.ndarray, width: int, height: int, mirrored: bool = False, img: np.ndarray | None = None
) -> np.ndarray:
    """uint8 RGB (height, width, 3): limbs as thick light segments, the head as a disc
    (drawn over `img` when given: a second person)."""
    if img is None:
        img = np.full((height, width, 3), 110, dtype=np.uint8)
    xy = kp[:, :2].astype(np.float64)
    if mirrored:
        xy[:, 0] = width - 1 - xy[:, 0]
    span = float(np.ptp(xy[:, 1])) or 100.0
    thick = max(2.0, span * 0.035)
    for a, b in _BONES:
        color = (235, 225, 200) if a % 2 else (200, 215, 240)
        _segment(img, xy[a], xy[b], thick, color)
    head = xy[[0, 3, 4]].mean(axis=0)
    _segment(img, head, head, thick * 2.2, (240, 220, 190))
    return img


def _segment(
    img: np.ndarray, p: np.ndarray, q: np.ndarray, r: float, color: tuple[int, int, int]
) -> None:
    h, w = img.shape[:2]
    x0 = int(max(min(p[0], q[0]) - r, 0))
    x1 = int(min(max(p[0], q[0]) + r + 1, w))
    y0 = int(max(min(p[1], q[1]) - r, 0))
    y1 = int(min(max(p[1], q[1]) + r + 1, h))
    if x0 >= x1 or y0 >= y1:
        return
    ys, xs = np.mgrid[y0:y1, x0:x1]
    d = q - p
    L2 = float(d @ d)
    if L2 < 1e-9:
        dist2 = (xs - p[0]) ** 2 + (ys - p[1]) ** 2
    else:
        u = np.clip(((xs - p[0]) * d[0] + (ys - p[1]) * d[1]) / L2, 0, 1)
        dist2 = (xs - p[0] - u * d[0]) ** 2 + (ys - p[1] - u * d[1]) ** 2
    img[y0:y1, x0:x1][dist2 <= r * r] = color
