"""MoveNet-like observation of projected keypoints: jitter, drifting bias, scores, occlusion,
left/right swaps, dropouts, the image edge and mirroring.

Every random draw is a function of (seed, frame index) or precomputed from the seed, so any
time can be observed on its own (`SimAthlete.pose_at`) and a seed always gives the same data.
"""

from __future__ import annotations

import numpy as np

from mirror.pose.keypoints import LR_PAIRS, Pose
from mirror.sim.camera import PARTNER

# Per-keypoint noise multipliers and typical scores, measured on MoveNet Lightning int8 over
# the real clips (frame-to-frame jitter about 0.007-0.012 of body height; wrists and, in
# fast lifts, ankles about twice that; hips score high, wrists and ankles low).
_NOISE_MULT = np.array(
    [1.0, 1.0, 1.0, 1.0, 1.0, 1.2, 1.2, 1.3, 1.3, 1.8, 1.8, 1.1, 1.1, 1.3, 1.3, 1.3, 1.3]
)
_SCORE_BASE = np.array(
    [0.6, 0.6, 0.6, 0.58, 0.58, 0.72, 0.72, 0.65, 0.65, 0.5, 0.5, 0.78, 0.78, 0.65, 0.65, 0.6, 0.6]
)
_SWAP_GROUPS = (((13, 14), (15, 16)), ((7, 8), (9, 10)), ((11, 12),), ((15, 16),))


class Observer:
    def __init__(
        self,
        seed: int,
        fps: float,
        duration_s: float,
        width: int,
        height: int,
        noise: float,
        dropout: float,
        mirrored: bool,
        side_view: float,
        far_side: str = "auto",
    ) -> None:
        """side_view: 0 (front) .. 1 (pure side), how often limb labels get swapped."""
        self.seed, self.fps, self.w, self.h = seed, fps, width, height
        self.noise, self.mirrored = noise, mirrored
        rng = np.random.default_rng([seed, 7001])
        n = int(duration_s * fps) + 2
        # whole-frame dropouts: single frames plus short bursts
        drop = rng.random(n) < dropout
        starts = np.flatnonzero(rng.random(n) < dropout * 0.08)
        for s in starts:
            drop[s : s + int(rng.integers(3, 12))] = True
        self.drop = drop
        # limb label swaps (side and oblique views): (t0, t1, pairs)
        self.swaps: list[tuple[float, float, tuple[tuple[int, int], ...]]] = []
        rate = 0.12 * max(0.0, side_view - 0.3) / 0.7 * min(noise, 2.0)
        t = 0.0
        while rate > 0:
            t += float(rng.exponential(1 / rate))
            if t >= duration_s:
                break
            dur = float(rng.integers(1, 6)) / fps
            group = _SWAP_GROUPS[int(rng.integers(len(_SWAP_GROUPS)))]
            self.swaps.append((t, t + dur, group))
        # slowly drifting bias: a few sinusoids per keypoint and axis
        self.b_freq = rng.uniform(0.05, 0.5, size=(3, 17, 2))
        self.b_phase = rng.uniform(0, 2 * np.pi, size=(3, 17, 2))
        self.b_amp = rng.normal(0, 1, size=(3, 17, 2)) / np.sqrt(3)
        self.s_freq = rng.uniform(0.05, 0.3, size=17)
        self.s_phase = rng.uniform(0, 2 * np.pi, size=17)
        self.s_base = np.clip(_SCORE_BASE + rng.normal(0, 0.06, 17), 0.4, 0.92)
        # hidden far-side joints: MoveNet either admits it (low scores) or, as often on the
        # real clips, confidently lays them almost on the near side's joints
        self.confident_far = bool(rng.random() < 0.5)
        if far_side != "auto":
            self.confident_far = far_side == "confident"
        self.p_freq = rng.uniform(0.1, 0.5, 17)
        self.p_phase = rng.uniform(0, 2 * np.pi, 17)

    def dropped(self, i: int) -> bool:
        return 0 <= i < len(self.drop) and bool(self.drop[i])

    def observe(self, t: float, xy: np.ndarray, occ: np.ndarray, scale_px: float) -> Pose | None:
        """Turn true pixel positions into what MoveNet would report at time t."""
        i = int(round(t * self.fps))
        if self.dropped(i):
            return None
        rng = np.random.default_rng([self.seed, 7002, i])
        nz = self.noise
        bias = (self.b_amp * np.sin(2 * np.pi * self.b_freq * t + self.b_phase)).sum(axis=0)
        sd = _NOISE_MULT[:, None] * scale_px * nz
        out = xy + bias * sd * 0.009 + rng.normal(0, 1, (17, 2)) * sd * 0.008
        # hidden joints drift towards their visible partner (slowly), a little noisier
        slow = 0.5 + 0.3 * np.sin(2 * np.pi * self.p_freq * t + self.p_phase)
        pull = occ * slow * min(nz, 1.5)
        out = out + (xy[PARTNER] - xy) * pull[:, None]
        out += rng.normal(0, 1, (17, 2)) * (occ * scale_px * 0.008 * nz)[:, None]
        score = self.s_base + 0.08 * np.sin(2 * np.pi * self.s_freq * t + self.s_phase)
        score = score + rng.normal(0, 0.04, 17)
        if self.confident_far:
            hidden = score[PARTNER] * rng.uniform(0.75, 1.0, 17)
        else:
            hidden = rng.uniform(0.05, 0.3, 17)
        score = score * (1 - occ) + hidden * occ
        for t0, t1, group in self.swaps:
            if t0 <= t < t1:
                for a, b in group:
                    out[[a, b]] = out[[b, a]]
                    score[[a, b]] = score[[b, a]]
        # the image edge: MoveNet keeps a guess inside the frame with a low score
        inside = (out[:, 0] >= 0) & (out[:, 0] <= self.w - 1) & (out[:, 1] >= 0)
        inside &= out[:, 1] <= self.h - 1
        if inside.sum() < 5 or not inside[[5, 6, 11, 12]].any():
            return None
        score = np.where(inside, score, score * rng.uniform(0.1, 0.4, 17))
        out[:, 0] = np.clip(out[:, 0], 0, self.w - 1)
        out[:, 1] = np.clip(out[:, 1], 0, self.h - 1)
        kp = np.concatenate([out, np.clip(score, 0.01, 0.99)[:, None]], axis=1)
        if self.mirrored:
            kp = mirror_keypoints(kp, self.w)
        return Pose(kp.astype(np.float32), float(t), self.w, self.h)


def mirror_keypoints(kp: np.ndarray, width: int) -> np.ndarray:
    """What MoveNet reports on a horizontally flipped image: x flipped, body sides swapped."""
    out = kp.copy()
    out[:, 0] = width - 1 - out[:, 0]
    for a, b in LR_PAIRS:
        out[[a, b]] = out[[b, a]]
    return out
