"""Things people do in front of the mirror that are not reps: waving, standing about,
walking across or in and out, leaving and coming back. None of them may count."""

from __future__ import annotations

import math

import numpy as np

from mirror.sim.body import P
from mirror.sim.builder import Builder


def wave(b: Builder) -> None:
    s = b.s
    for _ in range(int(b.rng.integers(1, 3))):
        t0 = s.t
        up = s.pose.copy()
        up[P.W_WAVE] = 1.0
        s.move(up, 0.6)
        base, hz, dur = s.pose.copy(), b.u((1.5, 3.0)), b.u((2.0, 5.0))

        def waving(t: float, base: np.ndarray = base, hz: float = hz) -> np.ndarray:
            q = base.copy()
            q[P.WAVE] = base[P.WAVE] + 2 * math.pi * hz * t
            return q

        s.procedural(dur, waving)
        down = s.pose.copy()
        down[P.W_WAVE] = 0.0
        s.move(down, 0.6)
        b.events.append(("wave", t0, s.t))
        b.standing((1.5, 3.0))


def stand(b: Builder) -> None:
    s = b.s
    total = b.spec.duration_s or b.u((10.0, 20.0))
    while s.t < total:
        b.standing((2.0, 4.0))
        r = b.rng.random()
        q = b.stand.copy()
        if r < 0.3:  # glance down (at a phone, the floor)
            q[P.NECK], q[P.TORSO] = b.u((25, 40)), b.u((3, 8))
        elif r < 0.6:  # weight shift onto one leg
            side = P.L_KNEE if b.rng.random() < 0.5 else P.R_KNEE
            q[side] = b.u((12, 20))
            q[P.TORSO_SIDE] = b.u((-4, 4))
        else:  # look around
            q[P.HEAD_YAW] = b.u((-50, 50))
        t0 = s.t
        s.move(q, b.u((0.6, 1.2)))
        s.hold(b.u((0.8, 2.0)))
        s.move(b.stand, b.u((0.6, 1.2)))
        b.events.append(("fidget", t0, s.t))


def walk(b: Builder) -> None:
    mode = ("across", "in-out", "toward")[int(b.rng.integers(3))]
    side = 1.0 if b.rng.random() < 0.5 else -1.0
    s = b.s
    if mode == "toward":
        y = math.radians(b.spec.yaw_deg)
        back = (-1.5 * math.sin(y), -1.5 * math.cos(y))
        near = max(b.spec.distance_m - 1.0, 1.0) - 0.3
        close = ((b.spec.distance_m - near) * math.sin(y), (b.spec.distance_m - near) * math.cos(y))
        s.place(*back)
        b.standing((0.5, 1.0))
        t0 = s.t
        s.walk(close, b.u((0.8, 1.2)), None)
        s.hold(b.u((0.5, 1.5)))
        s.walk(back, b.u((0.8, 1.2)), None)
        b.events.append(("walk", t0, s.t))
        b.standing((0.5, 1.0))
        return
    s.place(*b.off_point(-side))
    if mode == "across":
        t0 = s.t
        s.hold(0.5)
        s.walk(b.off_point(side), b.u((0.9, 1.5)), None)
        s.hold(0.5)
        b.events.append(("walk", t0, s.t))
    else:
        b.walk_in()
        b.standing((1.0, 3.0))
        b.walk_out(side if b.rng.random() < 0.5 else -side)
        s.hold(0.5)


def leave_return(b: Builder) -> None:
    side = 1.0 if b.rng.random() < 0.5 else -1.0
    b.standing()
    b.walk_out(side)
    t0 = b.s.t
    b.s.hold(b.u((2.0, 6.0)))
    b.events.append(("absent", t0, b.s.t))
    b.s.walk((0.0, 0.0), b.u((1.0, 1.4)), 0.0)
    b.standing()
