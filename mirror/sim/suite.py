"""The evaluation suite: every exercise in every view, over frame rates, image shapes, camera
placements, noise, dropouts and faults, plus the motions that must never count."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from mirror.sim.spec import EXERCISES, FAULTS_FOR, SimSpec

# (view name, sign of yaw): side and oblique from both sides, and the mirror's front view.
VIEWS: tuple[tuple[str, int], ...] = (
    ("side", 1),
    ("side", -1),
    ("oblique", 1),
    ("oblique", -1),
    ("front", 0),
)
SIZES = ((720, 1280), (1280, 720), (640, 480), (480, 640), (404, 720))
FPS = (15, 20, 24, 25, 30)
# Non-exercise motions and their share of the suite (all must count zero hinge reps, except
# squats, which count as reps flagged `squatting`).
MOTION_MIX = (("squat", 10), ("walk", 8), ("wave", 6), ("stand", 8), ("leave-return", 8))


def fit_distance(width: int, height: int, fov_deg: float, body_m: float = 1.95) -> float:
    """Closest distance at which a standing person (with margin) fits the picture's height."""
    long = max(width, height)
    vfov = 2 * math.atan(math.tan(math.radians(fov_deg) / 2) * height / long)
    return 1.25 * body_m / (2 * math.tan(vfov / 2))


def _yaw(rng: np.random.Generator, view: str, sign: int) -> float:
    if view == "side":
        return sign * float(rng.uniform(80, 100))
    if view == "oblique":
        return sign * float(rng.uniform(35, 55))
    return float(rng.uniform(-10, 10))


def _camera(rng: np.random.Generator) -> dict[str, Any]:
    w, h = SIZES[int(rng.integers(len(SIZES)))]
    fov = float(rng.uniform(62, 78))
    near = fit_distance(w, h, fov)
    if rng.random() < 0.06:  # close: head or feet leave the picture at times
        d = max(1.6, 0.85 * near)
    else:
        d = float(rng.uniform(max(1.8, near), max(4.0, near + 0.5)))
    return dict(
        width=w,
        height=h,
        fov_deg=round(fov, 1),
        distance_m=round(d, 2),
        camera_height_m=round(float(rng.uniform(0.6, 1.8)), 2),
        pitch_deg=round(float(rng.normal(0, 3)), 1),
        offset_m=round(float(rng.normal(0, 0.15)), 2),
        fps=int(FPS[int(rng.integers(len(FPS)))]),
        noise=round(float(rng.uniform(0.6, 1.5)), 2),
        dropout=round(float(rng.uniform(0.0, 0.04)), 3),
        mirrored=bool(rng.random() < 0.3),
    )


# Faults drawn more often where they are an exercise's signature (and otherwise rare).
_FAULT_WEIGHT = {"hips_not_level": 2.5, "no_pause": 1.5, "too_fast": 1.3}


# Fault pairs not injected into one rep: squatting and shallow contradict each other, and a
# shallow or squatting rep that also never stands tall moves the torso only 10-20 deg between
# a bent top and a shallow bottom, a bounce no coach would count as a rep.
_NOT_A_PAIR = ({"squatting", "shallow"}, {"no_lockout", "shallow"}, {"no_lockout", "squatting"})


def _faults(rng: np.random.Generator, ex: str, reps: int) -> tuple[tuple[str, ...], ...]:
    """Inject one fault (sometimes two) into about half the reps, keeping some clean."""
    allowed = FAULTS_FOR[ex]
    w = np.array([_FAULT_WEIGHT.get(f, 1.0) for f in allowed])
    main = allowed[int(rng.choice(len(allowed), p=w / w.sum()))]
    first = 1 if ex == "deadlift" and main == "shallow" else 0  # a deadlift starts on the floor
    pool = list(range(first, reps))
    k = int(np.clip(round(len(pool) * rng.uniform(0.35, 0.65)), 1, max(len(pool) - 1, 1)))
    chosen = set(rng.choice(pool, size=k, replace=False).tolist())
    second = None
    signature = {"single-leg-rdl": "hips_not_level", "rdl": "no_pause", "good-morning": "no_pause"}
    if ex in signature and main != signature[ex] and rng.random() < 0.35:
        second = signature[ex]  # otherwise too rare to measure
    elif rng.random() < 0.2:
        options = [f for f in allowed if f != main and {f, main} not in _NOT_A_PAIR]
        if ex == "deadlift":
            options = [f for f in options if f != "shallow"]
        if options:
            second = options[int(rng.integers(len(options)))]
    out = []
    for i in range(reps):
        fs: tuple[str, ...] = ()
        if i in chosen:
            fs = (main,) if second is None else (main, second)
        out.append(fs)
    return tuple(out)


def _name(i: int, spec: SimSpec) -> str:
    side = "" if spec.view == "front" else ("L" if spec.yaw_deg > 0 else "R")
    bits = [f"{i:03d}", spec.exercise, f"{spec.view}{side}", f"{int(spec.fps)}fps"]
    faults = sorted({f for rep in spec.faults for f in rep})
    if faults:
        bits.append("+".join(faults))
    if spec.mirrored:
        bits.append("mirrored")
    if spec.intruder:
        bits.append("intruder")
    return "_".join(bits)


def iter_suite(n: int = 320, seed: int = 0) -> Iterator[SimSpec]:
    n_motion = sum(k for _, k in MOTION_MIX) * n // 320
    n_ex = n - n_motion
    combos = len(EXERCISES) * len(VIEWS)
    for i in range(n_ex):
        rng = np.random.default_rng([seed, 11, i])
        ex = EXERCISES[i % len(EXERCISES)]
        view, sign = VIEWS[(i // len(EXERCISES)) % len(VIEWS)]
        k = i // combos  # the how-many-th spec of this exercise and view
        reps = int(rng.integers(3, 9))
        kw: dict[str, Any] = _camera(rng)
        kw.update(
            exercise=ex,
            reps=reps,
            yaw_deg=round(_yaw(rng, view, sign), 1),
            tempo=round(float(rng.uniform(0.85, 1.2)), 2),
            seed=seed * 100003 + i,
        )
        if ex != "deadlift" and reps >= 4 and rng.random() < 0.2:
            kw["sets"] = 2
        r = rng.random()
        if ex == "deadlift":
            kw["start"] = "bottom" if r < 0.2 else ("walk-in" if r < 0.4 else "stand")
        elif r < 0.15:
            kw["start"] = "walk-in"
        if ex in ("deadlift", "kettlebell-swing") and rng.random() < 0.3:
            kw["end"] = "floor"
        if ex == "single-leg-rdl":
            kw["stance"] = ("alternate", "left", "right")[int(rng.integers(3))]
        if rng.random() < 0.05:
            kw["intruder"] = True
        if k % 3 != 0:
            kw["faults"] = _faults(rng, ex, reps)
        spec = SimSpec(**kw)
        yield SimSpec(**{**kw, "name": _name(i, spec)})
    j = n_ex
    for motion, share in MOTION_MIX:
        for m in range(share * n // 320):
            rng = np.random.default_rng([seed, 12, j])
            view, sign = VIEWS[m % len(VIEWS)]
            kw = _camera(rng)
            kw.update(
                exercise=motion,
                reps=int(rng.integers(3, 7)) if motion == "squat" else 0,
                yaw_deg=round(_yaw(rng, view, sign), 1),
                seed=seed * 100003 + j,
            )
            spec = SimSpec(**kw)
            yield SimSpec(**{**kw, "name": _name(j, spec)})
            j += 1


def suite(n: int = 320, seed: int = 0) -> list[SimSpec]:
    """About n specs; n >= 300 covers each exercise x view about 9 times, 2/3 with faults."""
    return list(iter_suite(n, seed))
