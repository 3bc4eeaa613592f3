"""The simulated athlete's body: proportions, and forward kinematics from a few joint angles.

Coordinates are metres, right-handed: x = the athlete's left when heading is 0, y = up,
z = the athlete's forward at heading 0. A pose is a flat float vector (indices in `P`) so that
poses interpolate channel by channel; hand placement modes are blend weights, not switches.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import IntEnum

import numpy as np


class P(IntEnum):
    """Channels of a body pose vector. Angles in degrees."""

    ROOT_X = 0  # ground position of the anchor point (between the feet, or a stance foot)
    ROOT_Z = 1
    HEADING = 2  # 0 faces +z; 90 faces +x
    TORSO = 3  # trunk lean forward from vertical
    TORSO_SIDE = 4  # lateral lean, positive towards the athlete's left
    PELVIS_ROLL = 5  # rotation about the trunk axis: positive lifts/opens the left hip
    TWIST = 6  # shoulders' extra rotation about the trunk axis
    L_THIGH = 7  # thigh forward from straight down (negative = leg behind)
    L_KNEE = 8  # knee flexion
    R_THIGH = 9
    R_KNEE = 10
    NECK = 11  # head flexion relative to the trunk (positive looks down)
    HEAD_YAW = 12
    L_ARM = 13  # hanging arm: wrist direction forward from straight down (world vertical)
    R_ARM = 14
    GRIP = 15  # wrist half-distance for hanging arms, in units of body height
    W_HIPS = 16  # blend weight: hands on the hips
    W_NECK = 17  # blend weight: hands on a bar behind the neck
    W_WAVE = 18  # blend weight: right hand waving above the shoulder
    WAVE = 19  # waving phase, radians
    ANCHOR_L = 20  # weight of the left foot as the fixed point on the ground
    ANCHOR_R = 21
    W_BAR = 22  # blend weight: hands keep a bar over the mid-foot (barbell lifts)


N_PARAMS = len(P)
ARM_CHANNELS = (P.L_ARM, P.R_ARM, P.GRIP, P.W_HIPS, P.W_NECK, P.W_WAVE, P.WAVE, P.W_BAR)


@dataclass(frozen=True)
class Athlete:
    """Segment lengths in metres (joint centre to joint centre, as keypoints sit)."""

    height_m: float
    ankle_h: float
    shank: float
    thigh: float
    torso: float  # hip joint centre to shoulder joint centre
    neck: float  # shoulder centre to head centre
    upper_arm: float
    forearm: float
    hip_w: float  # distance between the hip keypoints
    shoulder_w: float
    stance_w: float  # distance between the ankles when standing

    @staticmethod
    def sample(rng: np.random.Generator, height_m: float | None = None) -> Athlete:
        """Anthropometric ratios (Drillis & Contini) with per-person variation of a few %."""
        h = float(height_m) if height_m is not None else float(rng.uniform(1.5, 1.95))

        def r(ratio: float, sd: float = 0.035) -> float:
            return h * ratio * float(np.clip(np.exp(rng.normal(0.0, sd)), 0.92, 1.08))

        return Athlete(
            height_m=h,
            ankle_h=r(0.039, 0.02),
            shank=r(0.246),
            thigh=r(0.245),
            torso=r(0.288),
            neck=r(0.11, 0.03),
            upper_arm=r(0.186),
            forearm=r(0.146),
            hip_w=r(0.115, 0.05),
            shoulder_w=r(0.21, 0.05),
            stance_w=h * float(rng.uniform(0.12, 0.2)),
        )


@dataclass(frozen=True)
class BodyState:
    """Keypoints in world metres plus the body axes the camera needs to judge occlusion."""

    joints: np.ndarray  # (17, 3) in KEYPOINT_NAMES order
    pelvis_left: np.ndarray  # unit vectors, world
    shoulder_left: np.ndarray
    head_left: np.ndarray
    face: np.ndarray
    torso_dir: np.ndarray
    height_m: float


def standing_pose() -> np.ndarray:
    p = np.zeros(N_PARAMS)
    p[P.L_KNEE] = p[P.R_KNEE] = 3.0
    p[P.L_THIGH] = p[P.R_THIGH] = 1.0
    p[P.TORSO] = 1.0
    p[P.GRIP] = 0.12
    return p


def axis_rot(axis: np.ndarray, deg: float) -> np.ndarray:
    """Rotation matrix about a unit axis (right-hand rule)."""
    a = math.radians(deg)
    x, y, z = axis
    c, s, cc = math.cos(a), math.sin(a), 1.0 - math.cos(a)
    return np.array(
        [
            [c + x * x * cc, x * y * cc - z * s, x * z * cc + y * s],
            [y * x * cc + z * s, c + y * y * cc, y * z * cc - x * s],
            [z * x * cc - y * s, z * y * cc + x * s, c + z * z * cc],
        ]
    )


_X = np.array([1.0, 0.0, 0.0])
_Y = np.array([0.0, 1.0, 0.0])
_Z = np.array([0.0, 0.0, 1.0])


def _two_bone(
    root: np.ndarray, target: np.ndarray, a: float, b: float, pole: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Elbow and wrist for a shoulder->target reach, the elbow bending towards `pole`."""
    d_vec = target - root
    d = float(np.linalg.norm(d_vec))
    n = d_vec / d if d > 1e-9 else -_Y
    d = min(max(d, abs(a - b) + 1e-3), a + b - 1e-4)
    x = (a * a - b * b + d * d) / (2 * d)
    h = math.sqrt(max(a * a - x * x, 0.0))
    m = pole - n * float(np.dot(pole, n))
    mn = float(np.linalg.norm(m))
    if mn < 1e-9:
        m = np.cross(n, _X)
        mn = float(np.linalg.norm(m)) or 1.0
    m = m / mn
    return root + n * x + m * h, root + n * d


def _slerp(u: np.ndarray, v: np.ndarray, f: float, fallback: np.ndarray) -> np.ndarray:
    """Unit vector a fraction f of the way from u to v along the great circle."""
    c = float(np.clip(np.dot(u, v), -1.0, 1.0))
    ang = math.acos(c)
    if ang < 1e-6:
        return v
    if math.pi - ang < 1e-3:  # opposite: turn through the fallback side
        w = fallback - u * float(np.dot(fallback, u))
        w /= np.linalg.norm(w)
        return u * math.cos(math.pi * f) + w * math.sin(math.pi * f)
    s = math.sin(ang)
    return u * (math.sin((1 - f) * ang) / s) + v * (math.sin(f * ang) / s)


def forward(a: Athlete, p: np.ndarray) -> BodyState:
    """Place the 17 keypoints for pose vector `p` (feet on the ground, anchored at the root)."""
    H = a.height_m
    r_t = axis_rot(_Z, -p[P.TORSO_SIDE]) @ axis_rot(_X, p[P.TORSO])
    d_t = r_t @ _Y
    r_p = axis_rot(d_t, p[P.PELVIS_ROLL]) @ r_t
    r_s = axis_rot(d_t, 0.6 * p[P.PELVIS_ROLL] + p[P.TWIST]) @ r_t
    lat_p, lat_s = r_p @ _X, r_s @ _X

    k = np.zeros((17, 3))
    hips = {1: lat_p * a.hip_w / 2, -1: -lat_p * a.hip_w / 2}
    sc = d_t * a.torso
    shoulders = {1: sc + lat_s * a.shoulder_w / 2, -1: sc - lat_s * a.shoulder_w / 2}

    # legs, each in the sagittal plane of the heading frame
    spread = (a.stance_w - a.hip_w) / 2
    ankles = {}
    for side, thigh_i, knee_i, kn, an, hp in (
        (1, P.L_THIGH, P.L_KNEE, 13, 15, 11),
        (-1, P.R_THIGH, P.R_KNEE, 14, 16, 12),
    ):
        th, kf = math.radians(p[thigh_i]), math.radians(p[knee_i])
        hip = hips[side]
        knee = hip + a.thigh * np.array([side * spread / 2 / a.thigh, -math.cos(th), math.sin(th)])
        ankle = knee + a.shank * np.array(
            [side * spread / 2 / a.shank, -math.cos(th - kf), math.sin(th - kf)]
        )
        k[hp], k[kn], k[an] = hip, knee, ankle
        ankles[side] = ankle

    # head: neck flexion about the shoulder axis, then yaw about the head's own axis
    r_n = axis_rot(lat_s, p[P.NECK])
    head_up = r_n @ d_t
    face = r_n @ (r_t @ _Z)
    r_y = axis_rot(head_up, p[P.HEAD_YAW])
    face, head_lat = r_y @ face, r_y @ lat_s
    hc = sc + head_up * a.neck
    k[0] = hc + face * 0.055 * H - head_up * 0.02 * H
    k[1] = hc + face * 0.045 * H + head_up * 0.005 * H + head_lat * 0.018 * H
    k[2] = hc + face * 0.045 * H + head_up * 0.005 * H - head_lat * 0.018 * H
    k[3] = hc - face * 0.01 * H + head_lat * 0.045 * H
    k[4] = hc - face * 0.01 * H - head_lat * 0.045 * H

    # arms: blend of wrist targets, two-bone IK
    reach = 0.97 * (a.upper_arm + a.forearm)
    wl, wr = float(p[P.ANCHOR_L]), float(p[P.ANCHOR_R])
    anchor = (1 - wl - wr) * (ankles[1] + ankles[-1]) / 2 + wl * ankles[1] + wr * ankles[-1]
    bar_z = anchor[2] + 0.04 * H
    for side, arm_i, sh_k, el_k, wr_k in ((1, P.L_ARM, 5, 7, 9), (-1, P.R_ARM, 6, 8, 10)):
        sh = shoulders[side]
        al = math.radians(p[arm_i])
        tx = side * p[P.GRIP] * H
        rr = math.sqrt(max(reach**2 - (tx - sh[0]) ** 2, (0.3 * reach) ** 2))
        hang = np.array([tx, sh[1] - rr * math.cos(al), sh[2] + rr * math.sin(al)])
        back = np.array([side * 0.3, -0.2, -1.0])
        raw = [
            float(p[P.W_BAR]),
            float(p[P.W_HIPS]),
            float(p[P.W_NECK]),
            float(p[P.W_WAVE]) if side == -1 else 0.0,
        ]
        ws = [min(max(w, 0.0), 1.0) for w in raw]
        total = sum(ws)
        if total > 1.0:
            ws, total = [w / total for w in ws], 1.0
        targets, allw = [(hang, back)], [1.0 - total]
        if ws[0] > 1e-9:  # the bar stays over the mid-foot
            dz, dx = bar_z - sh[2], tx - sh[0]
            if reach**2 > dz * dz + dx * dx + (0.05 * reach) ** 2:
                bar = np.array([tx, sh[1] - math.sqrt(reach**2 - dz * dz - dx * dx), bar_z])
            else:
                v = np.array([dx, -0.05 * reach, dz])
                bar = sh + reach * v / np.linalg.norm(v)
            targets.append((bar, back))
            allw.append(ws[0])
        if ws[1] > 1e-9:  # hands on the hips
            on_hips = hips[side] + r_p @ np.array([side * 0.045 * H, 0.05 * H, 0.01 * H])
            targets.append((on_hips, r_p @ np.array([side * 1.0, 0.0, -0.6])))
            allw.append(ws[1])
        if ws[2] > 1e-9:  # hands on a bar behind the neck
            neck_t = sc + r_s @ np.array([side * 0.11 * H, 0.04 * H, -0.05 * H])
            targets.append((neck_t, r_s @ np.array([side * 1.0, -1.0, 0.3])))
            allw.append(ws[2])
        if ws[3] > 1e-9:  # waving
            w = 0.08 * H + 0.06 * H * math.sin(p[P.WAVE])
            wave_t = sh + r_s @ np.array([-w, 0.24 * H, 0.05 * H])
            targets.append((wave_t, np.array([-1.0, -1.0, 0.0])))
            allw.append(ws[3])
        # blend directions (on the sphere) and reaches, so the hand swings on an arc
        offs = [t - sh for t, _ in targets]
        lens = [math.sqrt(float(o @ o)) for o in offs]
        dirn = offs[0] / lens[0]
        acc = allw[0]
        for w, o, n in zip(allw[1:], offs[1:], lens[1:], strict=True):
            acc += w
            dirn = _slerp(dirn, o / max(n, 1e-9), w / acc, side * _X)
        target = sh + dirn * sum(w * n for w, n in zip(allw, lens, strict=True))
        pole = sum(w * q for w, (_, q) in zip(allw, targets, strict=True))
        elbow, wrist = _two_bone(sh, target, a.upper_arm, a.forearm, pole)
        k[sh_k], k[el_k], k[wr_k] = sh, elbow, wrist

    # anchor the chosen foot point on the ground at the root, then turn to the heading
    shift = np.array([(wl - wr) * a.stance_w / 2 - anchor[0], 0.0, -anchor[2]])
    k += shift
    psi = math.radians(p[P.HEADING])
    c, s = math.cos(psi), math.sin(psi)
    rh = np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])
    k = k @ rh.T
    k[:, 1] += a.ankle_h - min(k[15, 1], k[16, 1])
    k[:, 0] += p[P.ROOT_X]
    k[:, 2] += p[P.ROOT_Z]
    return BodyState(
        joints=k,
        pelvis_left=rh @ lat_p,
        shoulder_left=rh @ lat_s,
        head_left=rh @ head_lat,
        face=rh @ face,
        torso_dir=rh @ d_t,
        height_m=H,
    )


# Segment masses as fractions of body mass (Dempster), placed on the keypoints' segments.
_MASS = (0.081, 0.497, 0.028, 0.028, 0.022, 0.022, 0.1, 0.1, 0.0465, 0.0465)


def centre_of_mass(j: np.ndarray, load: float = 0.0) -> np.ndarray:
    """Whole-body centre of mass from keypoints, plus a load (fraction of body mass) in the
    hands (for hands at the neck that is a bar on the back)."""
    sc, hc = (j[5] + j[6]) / 2, (j[11] + j[12]) / 2
    pts = (
        (j[0] + j[3] + j[4]) / 3,
        (sc + hc) / 2,
        (j[5] + j[7]) / 2,
        (j[6] + j[8]) / 2,
        (j[7] + j[9]) / 2,
        (j[8] + j[10]) / 2,
        (j[11] + j[13]) / 2,
        (j[12] + j[14]) / 2,
        (j[13] + j[15]) / 2,
        (j[14] + j[16]) / 2,
    )
    total = sum(m * q for m, q in zip(_MASS, pts, strict=True)) + load * (j[9] + j[10]) / 2
    return total / (sum(_MASS) + load)


def balance(
    a: Athlete,
    p: np.ndarray,
    load: float = 0.0,
    cop: float = 0.02,
    shin_range: tuple[float, float] = (-8.0, 45.0),
) -> np.ndarray:
    """Lean the planted shin(s) so the centre of mass sits `cop` (x height) in front of the
    stance ankle(s): feet stay put, so a hinge sends the hips back and a squat the knees
    forward, as a real body must to stay on its feet."""
    q = p.copy()
    q[P.ROOT_X] = q[P.ROOT_Z] = q[P.HEADING] = 0.0
    wl, wr = float(p[P.ANCHOR_L]), float(p[P.ANCHOR_R])
    legs = (
        [(P.L_THIGH, P.L_KNEE)]
        if wl > 0.5
        else [(P.R_THIGH, P.R_KNEE)]
        if wr > 0.5
        else [(P.L_THIGH, P.L_KNEE), (P.R_THIGH, P.R_KNEE)]
    )
    stance = [15] if wl > 0.5 else [16] if wr > 0.5 else [15, 16]

    def err(shin: float) -> float:
        for th, kn in legs:
            q[th] = q[kn] - shin
        j = forward(a, q).joints
        return float(centre_of_mass(j, load)[2] - j[stance, 2].mean()) - cop * a.height_m

    lo, hi = shin_range
    if err(lo) > 0:
        hi = lo
    elif err(hi) < 0:
        lo = hi
    for _ in range(22):
        mid = (lo + hi) / 2
        if err(mid) > 0:
            hi = mid
        else:
            lo = mid
    err((lo + hi) / 2)
    out = p.copy()
    for th, kn in legs:
        out[th] = q[th]
        out[kn] = q[kn]
    return out
