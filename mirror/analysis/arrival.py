"""Where the person came from: the frames since they arrived on their spot, and whether they
are still on the way (walking, or at the mirror's buttons with the feet cut off).

A set usually starts at the buttons beside the mirror, close to the camera, then a few steps
back: none of that is standing to calibrate from, nor part of the set to replay.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from mirror.analysis.filters import KEYPOINT_MIN_SCORE
from mirror.analysis.metrics import HingeMetrics, feet_shift
from mirror.pose.keypoints import KP

ARRIVED = 0.5  # feet this far (torso lengths) from where the person first stood still: walking in
AWAY_S = 0.15  # ... for this long: a misread ankle lasts a frame or two, a walk in longer
# Or upright (the torso's vertical extent over UPRIGHT_SHARE of its length) and taller than
# standing by TALLER: nearer the camera than the spot, walking back from the mirror's buttons
# (straight back the feet barely move across the picture). A hinge only shortens the torso's
# vertical extent; its 2-D length is no guide (a real side-on pull from the floor, the camera
# close and low, read 30-50 % longer bent over than standing).
TALLER = 1.1
UPRIGHT_SHARE = 0.9
# ... than the baseline or than the person now (the median over this long), whichever is
# taller: a forced early baseline can be learnt while they are still rising from the floor.
# Where the feet stand now is their median over this long too: a passer-by's legs taken for
# the person's at the very moment of calibration made the whole set before it read as
# "away", and its reps were never replayed.
NOW_S = 0.3
# The feet moved over the last WALK_S by more than this share of the torso: walking (back from
# the mirror's buttons, the body shrinks on the way; a standing guessed from it read the spot
# as bent over, and the walk replayed against it as a rep).
WALK_S = 0.5
WALK_TRAVEL = 0.15
# Within 1.5 % of the picture's edge (share of its height or width): where the model puts
# joints the picture cut off (ankles and knees of a person at the mirror's buttons, 0.5-1 m
# from the camera; hips beside or below it).
EDGE = 0.985
# Ankles the model does not see (low scores): it guesses cut-off feet around the bottom edge,
# not on it (the real model on real frames cut off at the knees or shins: 0.93-1.3 of the
# picture's height, scored 0.02-0.36); feet it cannot see for the dark or the plates stay
# where they stand, higher in the picture.
GUESS_EDGE = 0.93
SHOULDERS_EDGE = 0.03  # both shoulders this high in the picture (share of its height): cut off


def since_arrival(
    frames: list[HingeMetrics], torso: float, one_leg: bool = False
) -> list[HingeMetrics]:
    """The frames since the person's feet arrived where they stand now: walking in is not
    replayed as reps (it reads as leaning, and its steps as dips), a pull from the floor at
    the spot where they then stood up is. Away for AWAY_S: a walk lasts, while a misread
    ankle (behind the plates, the model putting both on the free foot) does not.
    `one_leg`: arrived while either foot stays where it is now (a step moves both feet; the
    free foot's reach moves one, by up to a torso). `torso`: the standing torso's vertical
    extent; standing upright and taller than that or than now (TALLER) is away too, whatever
    the feet."""
    reach = ARRIVED * torso
    last = frames[-1]
    if not all(math.isfinite(x) for x in _feet(last, one_leg)):
        return frames
    recent = [m for m in frames if m.t >= last.t - NOW_S]
    per_foot = zip(*(_feet(m, one_leg) for m in recent), strict=True)
    here = tuple(float(np.nanmedian(xs)) for xs in per_foot)
    now = [m.vert for m in recent if math.isfinite(m.vert)]
    tall = TALLER * max(torso, float(np.median(now)) if now else 0.0)
    since: int | None = None  # the latest frame of the run of frames away
    for i in range(len(frames) - 1, -1, -1):
        m = frames[i]
        # One leg: no foot seen where one stands now, either way round (the model swaps
        # left and right side-on).
        feet = [x for x in _feet(m, one_leg) if math.isfinite(x)]
        closer = m.vert > tall and m.vert > UPRIGHT_SHARE * m.torso_len
        if not closer and not (feet and all(abs(x - h) > reach for x in feet for h in here)):
            since = None
            continue
        since = i if since is None else since
        if since > i and frames[since].t - m.t >= AWAY_S:
            return frames[since + 1 :] or frames[-1:]  # never nothing: the latest stays
    return frames


def _feet(m: HingeMetrics, one_leg: bool) -> tuple[float, ...]:
    """Where the feet are across the picture: each ankle on one leg, else between them."""
    return (m.left_ankle_x, m.right_ankle_x) if one_leg else (m.ankle_x,)


def feet_moving(history: Sequence[HingeMetrics]) -> bool:
    """The feet moved over the last WALK_S by more than WALK_TRAVEL of the torso: walking
    (back from the mirror, in from the side). No standing is guessed from a walk: it shrinks
    or grows the body on the way, and the guess read the spot as bent over."""
    recent: list[HingeMetrics] = []
    for m in reversed(history):
        if recent and m.t < recent[0].t - WALK_S:
            break
        recent.append(m)
    moved = feet_shift(recent[::-1])  # 0 with the feet unseen (the plates side-on)
    torsos = [m.torso_len for m in recent if math.isfinite(m.torso_len)]
    return bool(torsos) and moved > WALK_TRAVEL * float(np.median(torsos))


def body_cut_off(kps: np.ndarray, height: int) -> bool:
    """The picture cuts the body off as it does close to the camera (at the mirror's
    buttons): the feet (feet_at_edge), or the shoulders (both at the top edge,
    SHOULDERS_EDGE: the real model on real frames cut off just below them put them there,
    scored 0.07-0.75) with no ankle seen inside the picture. With the feet in view, the
    shoulders out of the top are a camera that low or tilted on the person's spot, where
    they train (a stand learnt there taken as a guess and replaced at every still moment
    made one leave-and-return run count a rep)."""
    if feet_at_edge(kps, height):
        return True
    top = SHOULDERS_EDGE * height
    if not (kps[KP.LEFT_SHOULDER, 1] <= top and kps[KP.RIGHT_SHOULDER, 1] <= top):
        return False
    # Ankles seen well inside the picture: the body fits below the top edge's cut.
    return not _seen_above(kps, (KP.LEFT_ANKLE, KP.RIGHT_ANKLE), GUESS_EDGE * height)


def hips_at_edge(kps: np.ndarray, width: int, height: int) -> str | None:
    """Which edge of the picture the hips are at, if no hip is placed inside its edge bands:
    "bottom" (the picture ends at the hips: a person at the mirror's buttons, close to the
    camera) or "side" (half out of it, beside the camera); None when a hip is inside. The
    torso read there is cut short or sideways, and standing still it was learnt as the first
    stand (walking back from the mirror, the turn away then counted as a rep). Where the
    model put them, scored or not: hips it cannot see for the dark are still inside."""
    x0, x1, y1 = (1 - EDGE) * width, EDGE * width, EDGE * height
    hips = (KP.LEFT_HIP, KP.RIGHT_HIP)
    if any(x0 < kps[k, 0] < x1 and kps[k, 1] < y1 for k in hips):
        return None
    return "bottom" if all(kps[k, 1] >= y1 for k in hips) else "side"


def feet_at_edge(kps: np.ndarray, height: int) -> bool:
    """The feet are cut off: the ankles seen (scored) sit at the picture's bottom edge, or,
    with neither ankle nor knee seen (at the mirror the picture ends above the knees), the
    model's guess of the lower ankle is at or past it (GUESS_EDGE). Feet only just out of
    the picture on the spot leave the knees seen: that person is standing where they train."""
    ankles = (KP.LEFT_ANKLE, KP.RIGHT_ANKLE)
    ys = [float(kps[k, 1]) for k in ankles if kps[k, 2] >= KEYPOINT_MIN_SCORE]
    if ys:
        return min(ys) >= EDGE * height
    # A knee scored on the edge itself is cut off too.
    if _seen_above(kps, (KP.LEFT_KNEE, KP.RIGHT_KNEE), EDGE * height):
        return False
    guesses = [float(kps[k, 1]) for k in ankles if math.isfinite(float(kps[k, 1]))]
    return bool(guesses) and max(guesses) >= GUESS_EDGE * height


def _seen_above(kps: np.ndarray, joints: tuple[int, ...], y: float) -> bool:
    """One of the joints scored (seen) and above the picture row y."""
    return any(kps[k, 2] >= KEYPOINT_MIN_SCORE and kps[k, 1] < y for k in joints)
