"""Per-frame hinge geometry from smoothed keypoints (image y grows downwards).

All angles in degrees. 2-D joint angles are exact only in a side view; the engine decides
which to trust by the view. NaN means "not measurable in this frame".
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from mirror.analysis.filters import KEYPOINT_MIN_SCORE
from mirror.pose.keypoints import KP

NAN = math.nan


@dataclass(frozen=True, slots=True)
class HingeMetrics:
    t: float
    lean_side: float  # torso lean from vertical, from its 2-D direction (exact side-on)
    vert: float  # vertical extent of the torso, hips below shoulders (px)
    torso_len: float  # 2-D shoulder-hip distance (px)
    leg: float  # 2-D hip-ankle distance (px)
    hip_flex: float  # 180 - shoulder-hip-knee angle
    knee_flex: float  # 180 - hip-knee-ankle angle
    shin: float  # knee-ankle line from vertical
    hip_height: float  # ankle y - hip y (px)
    hips_back: float  # hip x behind the ankle, against the facing direction (px)
    wrist_rise: float  # hip y - wrist y (px): positive with hands above the hips
    shoulder_width: float  # |left - right shoulder x| (px)
    hip_dy: float  # left hip y - right hip y (px): pelvis tilt in the image
    shoulder_dy: float  # left shoulder y - right shoulder y (px)
    facing: int  # +1 facing image right, -1 left, 0 unknown (front)
    ankle_x: float = NAN  # x between the ankles: the feet stay put during a rep
    ankle_y: float = NAN  # y between the ankles (walking towards the camera moves it)
    ankle_dy: float = NAN  # left ankle y - right ankle y: negative with the left foot raised
    # Each ankle's x: on one leg the stance foot stays put while the free one reaches back.
    left_ankle_x: float = NAN
    right_ankle_x: float = NAN
    knee_flex_max: float = NAN  # the more bent knee (one leg: the stance knee)
    # lean_side with its direction: positive leaning toward image right. A standing tilt
    # the other way than the hinge's (keypoint bias, a far shoulder drawn in) must be added
    # to a lean, not taken off it as lean_side's unsigned reading would.
    lean_dir: float = NAN
    hip_x: float = NAN  # x between the hips: a still stand keeps it put, walking does not
    wrist_rise_low: float = NAN  # the lower wrist's rise (NaN unless both wrists are seen)
    wrist_rise_high: float = NAN  # the higher wrist's
    # The one wrist seen in this very frame while the other is not (held or lost): at 45 deg
    # the far hand hides behind the bell, and close up the bell leaves the picture at the top
    # of a swing, the held far wrist staying where it was last seen (swing.py).
    wrist_rise_lone: float = NAN
    # The higher wrist's height over the lower's (px) when both are seen in this very frame:
    # side-on the far wrist is held from where it was last glimpsed (the top of the last
    # swing, say), which says nothing about where the hands are now (swing.one_hand_up).
    wrist_gap_seen: float = NAN
    wrists_seen: int = 2  # wrists seen in this very frame (held ones are not)
    # Hips to face (px, the mean height of the face keypoints seen): facing the camera the
    # torso and head foreshorten together, and five more keypoints average the jitter down.
    head_vert: float = NAN
    hip_dx: float = NAN  # left hip x - right hip x (px): with hip_dy, the hips' offset
    hip_score_lo: float = NAN  # the lower raw hip score: side-on, how much the far hip shows
    # The near thigh (hip to knee) and shin (knee to ankle) directions from vertical, signed
    # (positive toward image right): turned to the camera, each segment's sideways part
    # shrinks by sin(yaw), which the knee angle alone cannot undo (faults.unturned_knee).
    thigh_dir: float = NAN
    shin_dir: float = NAN
    # lean_dir with the torso's top taken halfway between the shoulders and the face (NaN
    # unless FACE_MIN face keypoints show): seven keypoints' drift averages down where the
    # shoulders' two drift alone, on a longer lever (depth.head_dirs: at 45 deg).
    lean_dir_head: float = NAN

    @property
    def ratio(self) -> float:
        """Torso height against leg length: unchanged when the person moves nearer or away."""
        if math.isfinite(self.leg) and self.leg > 1:
            return self.vert / self.leg
        return NAN

    @property
    def head_ratio(self) -> float:
        """Hips-to-face extent against leg length (NaN unless both are seen)."""
        if math.isfinite(self.leg) and self.leg > 1:
            return self.head_vert / self.leg
        return NAN


def _mid(xy: np.ndarray, a: int, b: int) -> np.ndarray:
    pa, pb = xy[a], xy[b]
    if np.isnan(pa[0]):
        return pb
    if np.isnan(pb[0]):
        return pa
    return (pa + pb) / 2


def _angle_at(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    """Angle abc in degrees (NaN if a point is missing)."""
    v1x, v1y = a[0] - b[0], a[1] - b[1]
    v2x, v2y = c[0] - b[0], c[1] - b[1]
    n = math.hypot(v1x, v1y) * math.hypot(v2x, v2y)
    if not n > 0:
        return NAN
    cos = max(-1.0, min(1.0, (v1x * v2x + v1y * v2y) / n))
    return math.degrees(math.acos(cos))


def _direction(top: np.ndarray, bottom: np.ndarray) -> float:
    """Direction of the segment top -> bottom from straight down, signed by image x."""
    dx, dy = float(bottom[0] - top[0]), float(bottom[1] - top[1])
    if not (math.isfinite(dx + dy) and (dx or dy)):
        return NAN
    return math.degrees(math.atan2(dx, dy))


def _shoulder_width(xy: np.ndarray) -> float:
    """|left - right shoulder x|; 0 when only one shoulder shows (the far one hidden: side-on)."""
    left, right = xy[KP.LEFT_SHOULDER][0], xy[KP.RIGHT_SHOULDER][0]
    if math.isnan(left) and math.isnan(right):
        return NAN
    if math.isnan(left) or math.isnan(right):
        return 0.0
    return float(abs(left - right))


FACE = [KP.NOSE, KP.LEFT_EYE, KP.RIGHT_EYE, KP.LEFT_EAR, KP.RIGHT_EAR]
FACE_MIN = 3  # face keypoints needed for head_vert (a mean over fewer jumps as they come and go)
SIDE_MARGIN = 0.6  # summed score the other side must win by to switch sides


def near_side(scores: np.ndarray, prev: int | None = None) -> int:
    """0 for the person's left side, 1 for the right: the one the camera sees better.

    With the previous choice given, switch only when the other side is clearly better: at
    45 deg both sides score alike, and flipping frame to frame mixes two different 2-D
    projections into one angle series.
    """
    left = scores[[KP.LEFT_SHOULDER, KP.LEFT_HIP, KP.LEFT_KNEE, KP.LEFT_ANKLE]].sum()
    right = scores[[KP.RIGHT_SHOULDER, KP.RIGHT_HIP, KP.RIGHT_KNEE, KP.RIGHT_ANKLE]].sum()
    if prev == 0 and right <= left + SIDE_MARGIN:
        return 0
    if prev == 1 and left <= right + SIDE_MARGIN:
        return 1
    return 0 if left >= right else 1


def compute_metrics(
    t: float, xy: np.ndarray, scores: np.ndarray, side: int | None = None
) -> HingeMetrics:
    """xy: (17, 2) smoothed with NaN for missing; scores: raw (17,) for choosing sides
    (side: 0 left, 1 right, to measure the joint angles on; default the better-seen one)."""
    ankle_dy = float(xy[KP.LEFT_ANKLE][1] - xy[KP.RIGHT_ANKLE][1])
    if side is None:
        side = near_side(scores)
    s_i, h_i, k_i, a_i = (
        (KP.LEFT_SHOULDER, KP.LEFT_HIP, KP.LEFT_KNEE, KP.LEFT_ANKLE)
        if side == 0
        else (KP.RIGHT_SHOULDER, KP.RIGHT_HIP, KP.RIGHT_KNEE, KP.RIGHT_ANKLE)
    )
    sh = _mid(xy, KP.LEFT_SHOULDER, KP.RIGHT_SHOULDER)
    hp = _mid(xy, KP.LEFT_HIP, KP.RIGHT_HIP)
    an = _mid(xy, KP.LEFT_ANKLE, KP.RIGHT_ANKLE)
    wr = _mid(xy, KP.LEFT_WRIST, KP.RIGHT_WRIST)
    lwy, rwy = float(xy[KP.LEFT_WRIST][1]), float(xy[KP.RIGHT_WRIST][1])
    both_wrists = math.isfinite(lwy + rwy)
    fresh = [w for w in (KP.LEFT_WRIST, KP.RIGHT_WRIST) if scores[w] >= KEYPOINT_MIN_SCORE]
    dx, dy = sh[0] - hp[0], hp[1] - sh[1]
    lean_dir = math.degrees(math.atan2(dx, dy)) if np.isfinite(dx + dy) else NAN
    lean_side = abs(lean_dir)
    # Joint angles on the near side, falling back to the far side's points.
    S = xy[s_i] if np.isfinite(xy[s_i][0]) else sh
    H = xy[h_i] if np.isfinite(xy[h_i][0]) else hp
    K = xy[k_i] if np.isfinite(xy[k_i][0]) else _mid(xy, KP.LEFT_KNEE, KP.RIGHT_KNEE)
    A = xy[a_i] if np.isfinite(xy[a_i][0]) else an
    hip_flex = 180.0 - _angle_at(S, H, K)
    knee_flex = 180.0 - _angle_at(H, K, A)
    shin = NAN
    thigh_dir = _direction(H, K)
    shin_dir = _direction(K, A)
    if np.isfinite(K[0] + A[0]):
        shin = math.degrees(math.atan2(abs(K[0] - A[0]), A[1] - K[1]))
    nose = xy[KP.NOSE]
    facing = 0
    if np.isfinite(nose[0]) and np.isfinite(sh[0]):
        torso = math.hypot(dx, dy) if np.isfinite(dx + dy) else 0.0
        off = nose[0] - sh[0]
        if torso > 0 and abs(off) > 0.12 * torso:
            facing = 1 if off > 0 else -1
    hips_back = (A[0] - H[0]) * facing if facing and np.isfinite(A[0] + H[0]) else NAN
    # The stance leg is the one reaching lowest (a single-leg RDL lifts the other).
    ankle_ys = [float(y) for y in (xy[KP.LEFT_ANKLE][1], xy[KP.RIGHT_ANKLE][1]) if y == y]
    ankle_y = max(ankle_ys) if ankle_ys else NAN
    legs = [
        math.hypot(*(xy[h] - xy[a]))
        for h, a in ((KP.LEFT_HIP, KP.LEFT_ANKLE), (KP.RIGHT_HIP, KP.RIGHT_ANKLE))
    ]
    legs = [v for v in legs if math.isfinite(v)]
    face = xy[FACE]
    face = face[np.isfinite(face[:, 0] + face[:, 1])]
    face_mean = face.mean(axis=0) if len(face) >= FACE_MIN else None
    head_vert = float(hp[1] - face_mean[1]) if face_mean is not None else NAN
    lean_dir_head = _head_dir(face_mean, sh, hp)
    return HingeMetrics(
        t=t,
        lean_side=lean_side,
        vert=float(dy),
        torso_len=float(math.hypot(dx, dy)),
        leg=max(legs) if legs else NAN,
        hip_flex=hip_flex,
        knee_flex=knee_flex,
        shin=shin,
        hip_height=float(ankle_y - hp[1]),
        hips_back=float(hips_back),
        wrist_rise=float(hp[1] - wr[1]),
        shoulder_width=_shoulder_width(xy),
        hip_dy=float(xy[KP.LEFT_HIP][1] - xy[KP.RIGHT_HIP][1]),
        shoulder_dy=float(xy[KP.LEFT_SHOULDER][1] - xy[KP.RIGHT_SHOULDER][1]),
        facing=facing,
        ankle_x=float(an[0]),
        ankle_y=float(an[1]),
        ankle_dy=ankle_dy,
        left_ankle_x=float(xy[KP.LEFT_ANKLE][0]),
        right_ankle_x=float(xy[KP.RIGHT_ANKLE][0]),
        lean_dir=lean_dir,
        hip_x=float(hp[0]),
        wrist_rise_low=float(hp[1] - max(lwy, rwy)) if both_wrists else NAN,
        wrist_rise_high=float(hp[1] - min(lwy, rwy)) if both_wrists else NAN,
        wrist_rise_lone=float(hp[1] - xy[fresh[0]][1]) if len(fresh) == 1 else NAN,
        wrist_gap_seen=abs(lwy - rwy) if len(fresh) == 2 else NAN,
        wrists_seen=len(fresh),
        head_vert=head_vert,
        knee_flex_max=float(np.fmax(
            180.0 - _angle_at(xy[KP.LEFT_HIP], xy[KP.LEFT_KNEE], xy[KP.LEFT_ANKLE]),
            180.0 - _angle_at(xy[KP.RIGHT_HIP], xy[KP.RIGHT_KNEE], xy[KP.RIGHT_ANKLE]),
        )),
        hip_dx=float(xy[KP.LEFT_HIP][0] - xy[KP.RIGHT_HIP][0]),
        hip_score_lo=float(min(scores[KP.LEFT_HIP], scores[KP.RIGHT_HIP])),
        thigh_dir=thigh_dir,
        shin_dir=shin_dir,
        lean_dir_head=lean_dir_head,
    )


def _head_dir(face_mean: np.ndarray | None, sh: np.ndarray, hp: np.ndarray) -> float:
    """Direction from the hips' midpoint up to halfway between the shoulders' midpoint and the
    seen face keypoints' mean, signed like lean_dir (NaN: fewer than FACE_MIN were seen)."""
    if face_mean is None:
        return NAN
    top = (sh + face_mean) / 2
    dx, dy = float(top[0] - hp[0]), float(hp[1] - top[1])
    return math.degrees(math.atan2(dx, dy)) if math.isfinite(dx + dy) else NAN


def feet_shift(frames: Iterable[HingeMetrics]) -> float:
    """How far the feet moved in the picture over these frames (px): the median of the first
    quarter that saw them against the last quarter's (a hinge keeps them put, walking does
    not; quarters, so a misread ankle or two does not count). 0 when under 4 frames saw them."""
    xy = np.array([(m.ankle_x, m.ankle_y) for m in frames], dtype=float).reshape(-1, 2)
    xy = xy[np.isfinite(xy).all(axis=1)]
    if len(xy) < 4:
        return 0.0
    q = max(1, len(xy) // 4)
    return float(np.hypot(*(np.median(xy[:q], axis=0) - np.median(xy[-q:], axis=0))))
