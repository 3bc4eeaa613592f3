"""Form faults, each a measurable rule on one rep, and the words a coach would use.

What 17 keypoints cannot see (spine rounding, heel lift, bar path) is not judged here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mirror.analysis.calibration import Baseline
from mirror.analysis.depth import HIP_FLEX_SHARE
from mirror.analysis.events import View
from mirror.analysis.metrics import HingeMetrics
from mirror.analysis.phases import Segment, TopStretch
from mirror.analysis.profiles import ExerciseProfile
from mirror.analysis.yaw import unturn_dir

# fault id -> (cue a coach would say, needs a side or 45 deg view to be judged)
CUES: dict[str, tuple[str, bool]] = {
    "squatting": ("Hips back, not down: keep your shins vertical.", True),
    "shallow": ("Hinge deeper: push your hips back until you feel your hamstrings.", False),
    "no_lockout": ("Stand tall at the top: squeeze your glutes.", True),
    "too_fast": ("Slow down on the way down: take two to three seconds.", False),
    "no_pause": ("Pause for a beat at the bottom.", False),
    "hips_not_level": ("Keep your hips level: point the free foot's toes down.", False),
}
PRAISE = "Clean set. Great hinging."
TURN_SIDEWAYS = "Turn sideways for a moment so I can check your hips and knees."

LOCKOUT_TOLERANCE = 9.0  # degrees of lean or hip flexion left at the top: not standing tall
# At 45 deg the 2-D lean reads smaller near upright: the tilt plus a fifth of the torso's
# foreshortening (both in degrees) against this.
OBLIQUE_LOCKOUT = 8.0
TOP_FORE_WEIGHT = 0.2
# ... or, once the torso's own tilt was measured while the top was held (TopStretch.held_tilt,
# against standing tall: depth.DepthSignals.tilt), that tilt alone against this: unturned, it
# is on the side-on scale, so side-on's tolerance. The foreshortening is left out there: its
# extent is taken before the top settles (the end of the way up), and on top of the tilt it
# flagged clean tops (seeds 5-8: precision .86 with it, .95 without; recall .98 both).
OBLIQUE_TILT_LOCKOUT = LOCKOUT_TOLERANCE
PAUSE_BAND = 0.1  # within this share of the deepest lean counts as being at the bottom
PAUSE_FLOOR = 5.0  # ... or within this many degrees (a shallow rep's tenth is lost in noise)
HIP_TILT_MAX = 0.24  # hip height difference / torso over the rep, either way: not level
KNEE_SHARE_FOR_RATIO = 0.6  # at 45 deg the hip/knee ratio is read only past this much knee
# At 45 deg: the knee bend unturned by the yaw beyond knee_max by this much is squatting
# (the yaw is known to about +-0.1 in sin, which moves a soft hinge's knee by 10 deg).
TURNED_KNEE_MARGIN = 15.0
# One leg at 45 deg: a knee past knee_max is squatting only with the torso short of
# target_lean by this much more (a deep one-leg hinge's stance knee reads 35-41 deg).
ONE_LEG_SQUAT_LEAN = 5.0
# At 45 deg the unturned hip/knee ratio reads a little above the 2-D one: the profile's
# turned ratio plus this (the standing hip angle is left in: it is not kept unturned).
UNTURNED_RATIO_SLACK = 0.12
LOWEST_PCT = 10  # a swing's backswing: the frames with the hips in their lowest tenth
MIN_SIN_LEAN = 0.4  # below about 24 deg of lean the vertical part is too small to scale up
# Side-on the far hip hides behind the near one and scores low; an opened hip turns it toward
# the camera: at the bottom its score (the lower hip score) within this band, and this much
# above its score at the start of the rep, is "hips_not_level". The band's top keeps out
# estimators that score hidden joints as confidently as seen ones (no rise to read there).
FAR_HIP_SEEN = (0.26, 0.5)
FAR_HIP_RISE = 0.05


# The lowering is done at this share of the rep's depth, for too_fast: the bottom often creeps a
# few degrees deeper after the fast part, and at 10 fps the frame just short of the peak's band
# put the end 0.3 s late (a 0.4 s lowering read 0.77 s).
LOWERED = 0.9


@dataclass(frozen=True)
class Tempo:
    down_s: float
    pause_s: float
    up_s: float
    lowered_s: float = 0.0  # to LOWERED of the depth (too_fast's reading)


def tempo(seg: Segment) -> Tempo:
    """Lowering until near the deepest point, time held there, and rising back to the top."""
    ts = np.array([s[0] for s in seg.samples])
    lean = np.array([s[1] for s in seg.samples])
    if ts.size == 0:
        return Tempo(0.0, 0.0, 0.0)
    near = lean >= seg.peak - max(3.0, 0.07 * seg.peak)
    first = float(ts[np.argmax(near)])
    done = lean >= seg.peak - max(3.0, (1.0 - LOWERED) * (seg.peak - seg.top_lean))
    lowered = float(ts[np.argmax(done)])
    last = float(ts[len(near) - 1 - np.argmax(near[::-1])])
    # The pause: the deepest point from the top three samples (one noisy frame must not set
    # it), "near" as within a tenth of it: a turn without a pause stays there about 0.5 s.
    peak = float(np.sort(lean)[-3:].mean())
    idx = np.flatnonzero(lean >= peak - max(PAUSE_FLOOR, PAUSE_BAND * peak))
    pause = float(ts[idx[-1]] - ts[idx[0]]) if idx.size else 0.0
    return Tempo(max(0.0, first - seg.start_t), pause, max(0.0, seg.end_t - last),
                 max(0.0, lowered - seg.start_t))


def _at_lowest_hips(seg: Segment, attr: str) -> float:
    """Median of a metric over the frames with the hips at their lowest in the rep."""
    rows = [(m.hip_height, getattr(m, attr)) for _t, _lean, m in seg.samples]
    rows = [r for r in rows if math.isfinite(r[0]) and math.isfinite(r[1])]
    if len(rows) < 3:
        return math.nan
    hh = np.array([r[0] for r in rows])
    vals = np.array([r[1] for r in rows])
    return float(np.median(vals[hh <= np.percentile(hh, LOWEST_PCT)]))


def _bottom(seg: Segment, attr: str) -> float:
    """Median of a metric over the frames near the deepest point."""
    return _bottom_of(seg, lambda m: getattr(m, attr))


def _bottom_of(seg: Segment, value: Callable[[HingeMetrics], float]) -> float:
    """Median of a per-frame value over the frames near the deepest point."""
    vals = [
        value(m)
        for _t, lean, m in seg.samples
        if lean >= seg.peak - max(4.0, 0.1 * seg.peak)
    ]
    arr = np.asarray(vals, dtype=float)
    arr = arr[np.isfinite(arr)]
    return float(np.median(arr)) if arr.size else math.nan


def unturned_knee(m: HingeMetrics, yaw_sin: float) -> float:
    """Knee flexion with the thigh's and shin's sideways parts scaled back by sin(yaw), as
    side-on. At 45 deg the 2-D knee angle of a squat reads 30-50 deg for a true 65-80."""
    if not (yaw_sin > 0 and math.isfinite(m.thigh_dir + m.shin_dir)):
        return math.nan
    bend = abs(unturn_dir(m.thigh_dir, yaw_sin) - unturn_dir(m.shin_dir, yaw_sin))
    return 360.0 - bend if bend > 180.0 else bend


def unturned_hip(m: HingeMetrics, yaw_sin: float) -> float:
    """Hip flexion (torso lean plus thigh angle) with both segments' sideways parts scaled
    back by sin(yaw), as side-on."""
    if not (yaw_sin > 0 and math.isfinite(m.lean_dir + m.thigh_dir)):
        return math.nan
    return abs(unturn_dir(m.lean_dir, yaw_sin) + unturn_dir(m.thigh_dir, yaw_sin))


def hips_reached(seg: Segment, base: Baseline, yaw_sin: float, need: float) -> bool:
    """At 45 deg, a dip the torso began reached the counting depth by the hips: half the hip
    flexion gained (as side-on, depth.hip_drop_deg), unturned like the knee bend, past `need`
    on two frames (one is a spike). A shallow knee-bent pull there (torso 21 deg, knees 44)
    reads its torso 13-15 deg against a counting depth of 16; the hips bend by torso plus
    thigh. Not for one leg (the caller's): the thigh read may be the free leg."""
    if not math.isfinite(base.hip_flex):
        return False
    deep = [h for _t, _l, sm in seg.samples
            if HIP_FLEX_SHARE * ((h := unturned_hip(sm, yaw_sin)) - base.hip_flex) >= need]
    return len(deep) >= 2


def rep_faults(
    seg: Segment, profile: ExerciseProfile, base: Baseline, view: View, counted: bool,
    yaw_sin: float = math.nan,
) -> tuple[list[str], dict[str, float]]:
    """Faults of one rep (without no_lockout, judged on the standing that follows)."""
    faults: list[str] = []
    tp = tempo(seg)
    # One leg: the free leg reaches back straight, so the near knee may be the wrong one; at
    # 45 deg both knees are seen and the more bent is the stance knee (side-on the far knee
    # is hidden and its angle noise).
    both = profile.single_leg and view is View.OBLIQUE
    knee = _bottom(seg, "knee_flex_max" if both else "knee_flex") - base.knee_flex
    if profile.needs_arm_swing:
        # A swing's bottom is the backswing, but the first rep's segment starts with the
        # bell pick-up, often the deepest lean: the hips' lowest point marks the backswing.
        knee = max(knee, _at_lowest_hips(seg, "knee_flex") - base.knee_flex)
    hip = _bottom(seg, "hip_flex") - base.hip_flex
    hip_height = _bottom(seg, "hip_height")
    hip_drop = (
        (base.hip_height - hip_height) / base.hip_height if base.hip_height > 0 else math.nan
    )
    ratio = hip / knee if knee > 5 else math.inf
    metrics = {
        "peak_lean": round(seg.peak, 1),
        "knee_flex": round(knee, 1),
        "hip_flex": round(hip, 1),
        "hip_drop": round(hip_drop, 3),
        "down_s": round(tp.down_s, 2),
        "pause_s": round(tp.pause_s, 2),
        "up_s": round(tp.up_s, 2),
    }
    facing = view is View.FRONT and profile.front_hip_drop > 0
    squat = hip_drop > (profile.front_hip_drop if facing else profile.max_hip_drop)
    if profile.single_leg and view is not View.FRONT:
        squat = knee > profile.knee_max  # the hips drop in a clean one-leg hinge too...
        if view is View.OBLIQUE:
            # ... and at 45 deg a deep one-leg hinge's stance knee reads 35-41 deg in 2-D
            # (the thigh swings back across the image): only with the torso kept up is it a
            # squat, and then the near knee's bend unturned by the yaw counts too (a one-leg
            # squat's reads 30 deg in 2-D; with the torso up a hinge's unturned stays under 25).
            unturned = _bottom_of(seg, lambda m: unturned_knee(m, yaw_sin)) - base.knee_flex
            squat = (squat or unturned > profile.knee_max) and (
                seg.peak < profile.target_lean + ONE_LEG_SQUAT_LEAN
            )
        # ... but only as the torso tips: a big drop with the torso still high is sitting
        sink = profile.sink_drop
        squat = squat or (sink > 0 and hip_drop > sink and seg.peak < profile.target_lean)
    elif view is View.SIDE and math.isfinite(knee):
        squat = squat or knee > profile.knee_max or ratio < profile.min_hinge_ratio
    elif view is View.OBLIQUE and math.isfinite(knee):
        # At 45 deg the hip angle is distorted (so no hip/knee ratio) but a squat's knee bend
        # still reads far beyond a hinge's.
        squat = squat or knee > profile.knee_max
        # The 2-D knee angle reads a squat's 65-80 deg bend as 30-50: the thigh's and the
        # shin's sideways parts, unturned by the yaw, read it as side-on (with a margin for
        # the yaw's error: a hinge's soft knees read up to 45 deg so).
        unturned = _bottom_of(seg, lambda m: unturned_knee(m, yaw_sin)) - base.knee_flex
        squat = squat or unturned > profile.knee_max + TURNED_KNEE_MARGIN
        turned = profile.turned_hinge_ratio
        if turned > 0 and knee > KNEE_SHARE_FOR_RATIO * profile.knee_max:
            squat = squat or ratio < turned
            # The hip and knee angles both unturned by the yaw tell a squatting deadlift
            # (0.84-1.09 on seeds 0-3) from a clean one (1.13 and up) better than 2-D.
            hip_u = _bottom_of(seg, lambda m: unturned_hip(m, yaw_sin))
            if unturned > 5:
                squat = squat or hip_u / unturned < turned + UNTURNED_RATIO_SLACK
    if squat:
        faults.append("squatting")
    # A squat's torso stays up: short of the depth, but "hips back" is the one cue it needs.
    if counted and seg.peak < profile.target_lean and not squat:
        faults.append("shallow")
    # A knee-dominant rep's lean peaks early while the hips go on dropping: its lowering is
    # read to the lean's peak band, the rest to LOWERED of the depth.
    pace = tp.down_s if squat else tp.lowered_s
    if profile.min_down_s and not seg.bottom_first and pace < profile.min_down_s:
        faults.append("too_fast")
    if profile.min_pause_s and tp.pause_s < profile.min_pause_s:
        faults.append("no_pause")
    open_max = profile.hip_open_max[0 if view is View.SIDE else 1]
    if open_max > 0 and base.vert > 0:
        if view is View.UNKNOWN:  # unsure how much of the hips shows: only a clear opening
            open_max = max(open_max, HIP_TILT_MAX)
        tilt = _max_abs_dev(seg, "hip_dy", base.hip_dy) / base.vert
        opening = _hip_open(seg, base, view, profile.hip_open_shoulders)
        metrics["hip_tilt"] = round(tilt, 3)
        metrics["hip_open"] = round(opening, 3)
        seen = _far_hip_seen(seg) if view is View.SIDE else False
        if opening > open_max or tilt > HIP_TILT_MAX or seen:
            faults.append("hips_not_level")
    return faults, metrics


def _hip_open(seg: Segment, base: Baseline, view: View, shoulder_weight: float) -> float:
    """How far the free side's hip (and, off side-on, shoulder) rose above the stance side's
    at the bottom (torso fractions): opening the hip rolls the pelvis (and the trunk with it)
    about the trunk's axis, lifting the free side.

    The roll moves the hips apart across the trunk; only the vertical part of that is
    measured, sin(lean) of it in every view, so it is divided by sin(lean): a shallow rep
    opens the hip as much as a deep one (at 45 deg, left undivided, 39 of the 66 openings
    in simulated reps under 50 deg were missed). Signed by the raised foot, so noise either
    way does not look like the fault. The shoulders count with the profile's weight off
    side-on only: side-on the far shoulder is too hidden to add anything, and at the bottom
    they sit far below their standing height, where the camera's perspective alone sets the
    nearer one apart from the other (a tenth of the torso in clean simulated reps' true
    keypoints at 45 deg).
    """
    rows = [(lean, m) for _t, lean, m in seg.samples if lean >= 0.6 * seg.peak]
    if not rows:
        return 0.0
    free_left = _free_left(seg)
    if free_left is None:
        return 0.0
    if view is View.SIDE:
        across = _across_trunk(seg, rows)
        if across.size:
            lift = across if free_left else -across
            return float(np.percentile(lift, 70)) / base.vert
    shoulders = 0.0 if view is View.SIDE else shoulder_weight
    across = [
        ((m.hip_dy - base.hip_dy) + shoulders * (m.shoulder_dy - base.shoulder_dy))
        / max(math.sin(math.radians(min(lean, 90.0))), MIN_SIN_LEAN)
        for lean, m in rows
    ]
    dev = np.array(across, dtype=float)
    dev = dev[np.isfinite(dev)]
    if not dev.size:
        return 0.0
    lift = -dev if free_left else dev  # left side up: its y smaller, the differences negative
    return float(np.percentile(lift, 70)) / base.vert


def _across_trunk(seg: Segment, rows: list[tuple[float, HingeMetrics]]) -> np.ndarray:
    """Side-on: the left hip's offset from the right one along the trunk's image normal
    (pointing up), in the given frames. A pelvis rolled about the trunk moves its hips apart
    exactly across the trunk, so the whole opening shows at any lean, not just its vertical
    sin(lean) part. Only the standing sideways offset is taken off (a camera a little off
    side-on sets the hips apart across the image, the same at every lean); the standing
    vertical one is not: perspective puts it elsewhere at the bottom, and read at another
    moment it added more noise than it took away (the simulated suite's side-on reps)."""
    start = [m.hip_dx for t, lean, m in seg.samples if t <= seg.peak_t and lean < 0.3 * seg.peak]
    start = [v for v in start if math.isfinite(v)]
    dx0 = float(np.median(start)) if start else 0.0
    out = []
    for _lean, m in rows:
        if not math.isfinite(m.lean_dir):
            continue
        a = math.radians(m.lean_dir)
        nx, ny = math.cos(a), math.sin(a)  # normal of the hip->shoulder line, (dy, dx) / len
        if ny > 0:
            nx, ny = -nx, -ny
        out.append((m.hip_dx - dx0) * nx + m.hip_dy * ny)
    arr = np.asarray(out, dtype=float)
    return arr[np.isfinite(arr)]


def _far_hip_seen(seg: Segment) -> bool:
    """Side-on: did the hidden far hip come into view at the bottom (see FAR_HIP_SEEN)?"""
    bottom = [m.hip_score_lo for _t, lean, m in seg.samples if lean >= 0.6 * seg.peak]
    start = [
        m.hip_score_lo for t, lean, m in seg.samples if t <= seg.peak_t and lean < 0.3 * seg.peak
    ]
    bottom = [v for v in bottom if math.isfinite(v)]
    start = [v for v in start if math.isfinite(v)]
    if not (bottom and start):
        return False
    low, high = FAR_HIP_SEEN
    seen = float(np.median(bottom))
    return low < seen < high and seen - float(np.mean(start)) > FAR_HIP_RISE


def _free_left(seg: Segment) -> bool | None:
    """Is the left foot the raised one? From the ankles' height difference at the bottom
    against the rep's start: perspective puts the two feet at different image heights
    already when standing (a high camera shows the far foot higher)."""
    bottom = [m.ankle_dy for _t, lean, m in seg.samples if lean >= 0.6 * seg.peak]
    start = [m.ankle_dy for t, lean, m in seg.samples if t <= seg.peak_t and lean < 0.3 * seg.peak]
    if not np.isfinite(start).any():
        start = [m.ankle_dy for _t, _lean, m in seg.samples[:3]]
    if not np.isfinite(bottom).any():
        return None
    ref = float(np.nanmedian(start)) if np.isfinite(start).any() else 0.0
    return float(np.nanmedian(bottom)) - ref < 0


def _max_abs_dev(seg: Segment, attr: str, ref: float) -> float:
    vals = np.array([getattr(m, attr) for _t, lean, m in seg.samples if lean >= 0.6 * seg.peak])
    vals = vals[np.isfinite(vals)]
    return float(np.percentile(np.abs(vals - ref), 80)) if vals.size else 0.0


def lockout_fault(top: TopStretch, view: View, standing_vert: float = math.nan) -> bool:
    """Did the person fail to stand tall between reps? Needs a side or 45 deg view."""
    if view is View.FRONT or top.samples < 2:
        return False
    worst, hip = top.lockout_levels()
    if math.isfinite(hip):
        worst = max(worst, hip * 0.8)
    if view is View.OBLIQUE:
        held = top.held_tilt()
        if math.isfinite(held):
            return held > OBLIQUE_TILT_LOCKOUT
        return worst + top_foreshortening(top, standing_vert) > OBLIQUE_LOCKOUT
    return worst > LOCKOUT_TOLERANCE


def top_foreshortening(top: TopStretch, standing_vert: float) -> float:
    """At 45 deg a lean toward or away from the camera near upright barely tilts the torso's
    image but shortens it: the torso's vertical extent at the top (its 80th percentile, as
    the standing reference is) against standing, as degrees of lean, weighted down for the
    noise (its extent wanders 3 % while standing still: 14 deg on the acos scale)."""
    verts = np.asarray(top.verts, dtype=float)
    if not (standing_vert > 0 and verts.size):
        return 0.0
    rel = float(np.percentile(verts, 80)) / standing_vert
    return TOP_FORE_WEIGHT * math.degrees(math.acos(min(1.0, max(0.0, rel))))
