"""Signal conditioning: confidence gating, One Euro smoothing, and who-is-this checks.

Low-score keypoints are missing (NaN), not zero. A keypoint unsure for a moment (its score
under the gate) is read at the model's guess; one unsure for longer is NaN. A sudden jump of
the whole body (another person stepping in front, MoveNet switching to them) is treated as
"not our person" until either the person comes back or the new one stays long enough to be
adopted.
"""

from __future__ import annotations

import math

import numpy as np

KEYPOINT_MIN_SCORE = 0.2
HOLD_S = 0.35  # how long after its last sure sighting an unsure keypoint's guess is used


class OneEuroFilter:
    """Casiez et al.'s One Euro filter over an array of values (all share one timebase).

    Low cutoff when still (kills jitter), higher cutoff when moving fast (little lag).
    """

    def __init__(self, min_cutoff: float = 1.8, beta: float = 1.6, d_cutoff: float = 1.0) -> None:
        self.min_cutoff, self.beta, self.d_cutoff = min_cutoff, beta, d_cutoff
        self._x: np.ndarray | None = None
        self._dx: np.ndarray | None = None
        self._t: float | None = None

    @staticmethod
    def _alpha(cutoff: np.ndarray | float, dt: float) -> np.ndarray | float:
        tau = 1.0 / (2 * math.pi * cutoff)
        return 1.0 / (1.0 + tau / dt)

    def reset(self) -> None:
        self._x = self._dx = self._t = None

    def __call__(self, t: float, x: np.ndarray, scale: float = 1.0) -> np.ndarray:
        """scale: the units per 'one' of speed for the beta term (the person's size in px),
        so fast and slow are judged relative to the body while x stays in its own units."""
        if self._x is None or self._t is None or t <= self._t:
            self._x, self._dx, self._t = x.copy(), np.zeros_like(x), t
            return self._x
        dt = t - self._t
        prev = np.where(np.isnan(self._x), x, self._x)  # a value that reappears restarts
        dx = (x - prev) / dt
        dx = np.where(np.isnan(dx), 0.0, dx)
        self._dx = self._dx + self._alpha(self.d_cutoff, dt) * (dx - self._dx)
        cutoff = self.min_cutoff + self.beta * np.abs(self._dx) / scale
        a = self._alpha(cutoff, dt)
        out = prev + a * (x - prev)
        self._x, self._t = out, t
        return out


class KeypointConditioner:
    """Gate by score, bridge short gaps, smooth with One Euro (speed in torso units).

    A keypoint under the score gate for less than HOLD_S is read where the model now guesses
    it, not held where it was last sure: side-on the far shoulder and hip flicker about the
    gate, and a far point held where it stood dragged the midpoints behind a moving body (at
    10 fps a quick swing's lean read half the torso's tilt; a person turning to walk away
    read a 20 deg lean that the raw keypoints did not show).
    """

    def __init__(self, min_score: float = KEYPOINT_MIN_SCORE) -> None:
        self.min_score = min_score
        self._filter = OneEuroFilter()
        self._last_seen = np.full(17, -math.inf)
        self.scale = 1.0  # pixels per unit for the filter (set from the person's size)

    def reset(self) -> None:
        self._filter.reset()
        self._last_seen[:] = -math.inf

    def __call__(self, t: float, keypoints: np.ndarray, scale: float) -> np.ndarray:
        """keypoints (17, 3) -> (17, 2) smoothed x, y with NaN for missing."""
        xy = keypoints[:, :2].astype(np.float64)
        self._last_seen[keypoints[:, 2] >= self.min_score] = t
        xy[t - self._last_seen > HOLD_S] = np.nan
        # Pixels in, pixels out; only the speed is judged in body units. (Filtering xy/scale
        # and multiplying back rescaled the filter's memory about the image origin whenever
        # the per-frame size moved: a still ankle at x=340 px swung by 40 px as the torso
        # foreshortened in a hinge, and every frame's size jitter shook all points.)
        self.scale = max(scale, 1e-6)
        return self._filter(t, xy, self.scale)


FEET_SEEN = 0.3  # an ankle score this high: the feet take part in telling people apart
# COCO indices: shoulders, hips, ankles (left, right)
_PARTS = np.array([[5, 6], [11, 12], [15, 16]])


def body_points(kps: np.ndarray, torso: float) -> tuple[np.ndarray, float]:
    """Shoulder, hip and feet midpoints (feet NaN when unseen) and a body size for body_jump:
    the torso, or half the leg when larger (facing the camera, the torso shortens to nothing
    at the bottom of a hinge; the leg does not)."""
    pts = kps[_PARTS, :2].mean(axis=1)
    if kps[_PARTS[2], 2].max() < FEET_SEEN:
        pts[2] = np.nan
        return pts, torso
    return pts, max(torso, 0.5 * float(np.hypot(*(pts[2] - pts[1]))))


def body_jump(prev_center: np.ndarray | None, center: np.ndarray, size: float, dt: float) -> bool:
    """True when the body moved further than a person can in dt (another person).

    centre: one point, or rows of points (shoulders, hips, feet): the largest move counts,
    so a passer-by reported in the athlete's place is caught by the part that jumped.
    """
    if prev_center is None or size <= 0:
        return False
    return body_move(prev_center, center) > jump_limit(size, dt)


def jump_limit(size: float, dt: float) -> float:
    """The farthest (px) a part of a person of this size moves in dt: a hinge moves the hips
    well under 2 torso lengths a second; a frame's worth extra."""
    return size * (0.6 + 2.0 * dt)


def body_move(prev_center: np.ndarray, center: np.ndarray) -> float:
    """The largest move (px) of any part seen in both (0 when none is)."""
    moves = np.hypot(*(np.atleast_2d(center) - np.atleast_2d(prev_center)).T)
    moves = moves[np.isfinite(moves)]
    return float(moves.max()) if moves.size else 0.0


class SlowFollower:
    """Exponential smoothing with a time constant, skipping NaNs (for slow scale changes)."""

    def __init__(self, tau_s: float) -> None:
        self.tau = tau_s
        self.value = math.nan
        self._t = math.nan

    def update(self, t: float, x: float) -> float:
        if not math.isfinite(x):
            return self.value
        if not math.isfinite(self.value) or not t > self._t:
            self.value, self._t = x, t
            return x
        a = 1.0 - math.exp(-(t - self._t) / self.tau)
        self.value += a * (x - self.value)
        self._t = t
        return self.value
