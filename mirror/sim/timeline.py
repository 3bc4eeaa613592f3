"""A timeline of body poses: eased moves between key poses, holds, walking, fidgeting."""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mirror.sim.body import ARM_CHANNELS, N_PARAMS, P

_ARM_MASK = np.zeros(N_PARAMS, dtype=bool)
_ARM_MASK[list(ARM_CHANNELS)] = True


def ease(tau: float, acc: float = 0.3, dec: float = 0.3) -> float:
    """Position 0..1 along a trapezoidal velocity profile (accelerate, cruise, decelerate).

    Short `dec` gives an abrupt stop (a bounce at the bottom); long gives a gentle arrival.
    """
    tau = min(max(tau, 0.0), 1.0)
    acc, dec = max(acc, 1e-6), max(dec, 1e-6)
    v = 1.0 / (1.0 - (acc + dec) / 2)
    if tau < acc:
        return v * tau * tau / (2 * acc)
    if tau <= 1 - dec:
        return v * (acc / 2 + tau - acc)
    u = 1 - tau
    return 1 - v * u * u / (2 * dec)


@dataclass
class Segment:
    t0: float
    t1: float
    a: np.ndarray
    b: np.ndarray
    acc: float = 0.3
    dec: float = 0.3
    body: tuple[float, float] = (0.0, 1.0)  # window of the segment in which the body moves
    arms: tuple[float, float] = (0.0, 1.0)  # ... and the arms (a swing's arms lag the hips)
    fn: Callable[[float], np.ndarray] | None = None  # procedural: fn(seconds into segment)

    def at(self, t: float) -> np.ndarray:
        if self.fn is not None:
            return self.fn(t - self.t0)
        dur = self.t1 - self.t0
        tau = (t - self.t0) / dur if dur > 0 else 1.0

        def win(w: tuple[float, float]) -> float:
            return ease((tau - w[0]) / max(w[1] - w[0], 1e-6), self.acc, self.dec)

        sb, sa = win(self.body), win(self.arms)
        s = np.where(_ARM_MASK, sa, sb)
        return self.a + (self.b - self.a) * s


class Script:
    """Builds a timeline forwards: each call appends a segment and advances the clock."""

    def __init__(self, pose: np.ndarray) -> None:
        self.t = 0.0
        self.pose = pose.copy()
        self.segments: list[Segment] = []

    def place(self, x: float, z: float) -> None:
        """Put the athlete somewhere else before anything happens there (no segment)."""
        self.pose = self.pose.copy()
        self.pose[P.ROOT_X], self.pose[P.ROOT_Z] = x, z

    def hold(self, dur: float) -> float:
        self.segments.append(Segment(self.t, self.t + dur, self.pose.copy(), self.pose.copy()))
        self.t += dur
        return self.t

    def move(
        self,
        to: np.ndarray,
        dur: float,
        acc: float = 0.3,
        dec: float = 0.3,
        body: tuple[float, float] = (0.0, 1.0),
        arms: tuple[float, float] = (0.0, 1.0),
    ) -> float:
        to = to.copy()
        # Turn the short way: a pose built with heading 0 after a walk that ended at -360
        # (the same way) spun the athlete a full turn through the first rep.
        to[P.HEADING] = _near_angle(to[P.HEADING], self.pose[P.HEADING])
        self.segments.append(
            Segment(self.t, self.t + dur, self.pose, to.copy(), acc, dec, body, arms)
        )
        self.pose = to.copy()
        self.t += dur
        return self.t

    def procedural(self, dur: float, fn: Callable[[float], np.ndarray]) -> float:
        self.segments.append(Segment(self.t, self.t + dur, self.pose, self.pose, fn=fn))
        self.pose = fn(dur).copy()
        self.t += dur
        return self.t

    def walk(self, to_xz: tuple[float, float], speed: float, end_heading: float | None) -> float:
        """Walk in a straight line to `to_xz` (turning to face the way), then turn."""
        start = self.pose.copy()
        x0, z0 = start[P.ROOT_X], start[P.ROOT_Z]
        dx, dz = to_xz[0] - x0, to_xz[1] - z0
        dist = math.hypot(dx, dz)
        if dist > 1e-6:
            head = math.degrees(math.atan2(dx, dz))
            turn = start.copy()
            turn[P.HEADING] = _near_angle(head, start[P.HEADING])
            self.move(turn, 0.5)
            dur = dist / speed
            base = self.pose.copy()
            stride_hz = 0.85 + 0.15 * speed
            amp = float(np.clip(14 + 9 * speed, 14, 28))

            def gait(s: float) -> np.ndarray:
                q = base.copy()
                f = min(s / dur, 1.0)
                q[P.ROOT_X] = x0 + dx * f
                q[P.ROOT_Z] = z0 + dz * f
                env = min(1.0, s / 0.4, max(dur - s, 0.0) / 0.4)
                ph = 2 * math.pi * stride_hz * s
                q[P.L_THIGH] = base[P.L_THIGH] + env * amp * math.sin(ph)
                q[P.R_THIGH] = base[P.R_THIGH] - env * amp * math.sin(ph)
                q[P.L_KNEE] = base[P.L_KNEE] + env * 55 * max(0.0, math.cos(ph + 0.4)) ** 2
                q[P.R_KNEE] = base[P.R_KNEE] + env * 55 * max(0.0, -math.cos(ph + 0.4)) ** 2
                q[P.L_ARM] = base[P.L_ARM] - env * 18 * math.sin(ph)
                q[P.R_ARM] = base[P.R_ARM] + env * 18 * math.sin(ph)
                q[P.TORSO] = base[P.TORSO] + env * 4
                q[P.TWIST] = env * 6 * math.sin(ph)
                return q

            self.procedural(dur, gait)
        if end_heading is not None:
            turn = self.pose.copy()
            turn[P.HEADING] = _near_angle(end_heading, self.pose[P.HEADING])
            self.move(turn, 0.6)
        return self.t

    def timeline(self) -> Timeline:
        return Timeline(self.segments, self.t)


def _near_angle(target: float, current: float) -> float:
    """`target` shifted by whole turns to be within 180 deg of `current` (turn the short way)."""
    return current + ((target - current + 180) % 360 - 180)


class Timeline:
    def __init__(self, segments: list[Segment], duration: float) -> None:
        self.segments = segments
        self.duration = duration
        self._starts = [s.t0 for s in segments]

    def at(self, t: float) -> np.ndarray:
        t = min(max(t, 0.0), self.duration)
        i = max(bisect.bisect_right(self._starts, t) - 1, 0)
        return self.segments[i].at(min(t, self.segments[i].t1))


class Fidget:
    """Small, slow, never-still movements of a standing person (sums of slow sinusoids)."""

    _AMP = {
        P.TORSO: 1.5,
        P.TORSO_SIDE: 1.0,
        P.HEADING: 2.0,
        P.HEAD_YAW: 8.0,
        P.NECK: 4.0,
        P.L_KNEE: 1.5,
        P.R_KNEE: 1.5,
        P.L_ARM: 3.0,
        P.R_ARM: 3.0,
        P.ROOT_X: 0.015,
        P.ROOT_Z: 0.015,
    }

    def __init__(self, rng: np.random.Generator, amount: float = 1.0) -> None:
        self.ch = np.array(list(self._AMP), dtype=int)
        amp = np.array(list(self._AMP.values())) * amount
        self.amp = amp[:, None] * rng.normal(0, 1, (len(self.ch), 3)) / math.sqrt(3)
        self.freq = rng.uniform(0.05, 0.4, (len(self.ch), 3))
        self.phase = rng.uniform(0, 2 * math.pi, (len(self.ch), 3))

    def at(self, t: float) -> np.ndarray:
        out = np.zeros(N_PARAMS)
        out[self.ch] = (self.amp * np.sin(2 * math.pi * self.freq * t + self.phase)).sum(axis=1)
        return out
