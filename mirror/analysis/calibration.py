"""Standing baseline and camera view, learned from the person while they stand still.

Thresholds elsewhere are relative to this baseline (this person, this camera), not fixed pixel
constants. The baseline keeps updating at every still, upright moment, so it follows a person
who steps nearer or further between sets.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from mirror.analysis.events import View
from mirror.analysis.metrics import HingeMetrics

STILL_WINDOW_S = 0.6
UPRIGHT_MAX_LEAN = 22.0
START_S = 0.4  # the lean the person starts in: the median over this long
LESS_UPRIGHT_DEG = 6.0  # a still stand leaning this much more than the baseline: not tall
FRONT_WIDTH_RATIO = 0.78  # shoulder width / torso height of a person facing the camera
KNEES_BENT_DEG = 45.0  # knees bent this much (median over the window): crouched, not standing
HANDS_UP = 0.5  # wrists this far above the hips (torso fraction): arms raised, not standing tall
# Wrists this far below the hips (torso fraction): hands at the bar on the floor or at the
# shins, bent over. Standing, hanging arms put them 0.1-0.3 below; facing the camera, a pull's
# floor position read 1.6 (its short torso stretches the fraction) and was calibrated from.
HANDS_DOWN = 0.8
# Never still: the most upright frames seen, this long in all, stand in for a still stand
# (a time, not a frame count: 8 frames were 0.27 s at 30 fps but 0.8 s at the Pi's 10 fps,
# longer than a deadlift's lockout between two pulls).
FORCE_UPRIGHT_S = 0.25
# ... leaning under this (15 let a floor pull's rise into the baseline: a simulated 45 deg
# deadlift lost its first rep; a real clip whose lockout has the head out of the picture reads
# 12.7-14 and so, at 10 fps, has too few such frames to calibrate: see the README).
FORCE_UPRIGHT_DEG = 12.0
STILL_TRAVEL = 0.15  # the hips moving sideways this far (torso fraction) in the window: walking
# Standing still and tall with the torso's 2-D length this much shorter than calibrated, and
# the feet elsewhere (below): the person walked away from the camera (from the mirror's buttons
# back to their spot). A side-on hinge does not shorten it (see Calibrator._moved_away).
MOVED_AWAY = 0.85
NARROWER = 0.8  # ... and the shoulders this much narrower (a held squat facing read 0.85)
# ... with the feet this far (torso lengths, as seen now) from where they stood: between the
# ankles, or on one leg the lower one (a single-leg RDL's free foot reaches back a torso).
FEET_MOVED = 0.5
# Feet this far away (torso lengths) need no narrower shoulders: walking back from the buttons
# the person also turns (seen at an angle there, facing the camera on the spot: wider).
FEET_FAR = 1.0
ONE_FOOT_UP = 0.3  # ankles this far apart in height (torso lengths): one foot is off the floor
# Torso / leg above this: the legs are cut off by the picture's edge (standing at the mirror,
# close to the camera; MoveNet keeps the ankles' guesses inside the frame), no body to measure
# anything from: the engine skips such frames, so neither the baseline nor a rep sees them.
# Standing in view it is 0.5-0.7 whatever the camera's height; a deep squat facing the camera
# (hips down to the knees, torso upright) about 1.1; at the mirror 3-10.
LEGS_CUT = 1.5
# Each still stand moves the baseline toward itself by the time it lasted (at most BLEND_STEP_S
# a frame), with this time constant, after an equal-weight mean over the first stands. 30 % a
# frame (before) followed any 0.6 s window within a few frames at 30 fps, a third as fast at
# 10: a half second of drifting keypoints while standing between sets (torso/leg 18 % off,
# the person still) became "standing", and the stand after it counted as a shallow rep.
BLEND_TAU_S = 1.0
BLEND_STEP_S = 0.1
# ... but a stand is learnt afresh when it is another stand: turned (shoulder width / torso
# this much apart: walked in side-on, then faced the camera) or nearer or further away
# (shoulders to ankles this much apart, as a share: keypoint drift moves torso and leg apart,
# not their sum). Blended, a walk toward the camera and back read as a hinge.
TURNED = 0.2
RESIZED = 0.15
WIDE = 0.3  # a calibrated width ratio from which the shoulders' width tells the body's size


@dataclass(frozen=True)
class Baseline:
    """The person standing tall, as this camera sees them."""

    vert: float  # torso vertical extent (px)
    ratio: float  # torso vertical extent / leg length (NaN if legs not visible)
    lean_side: float
    hip_flex: float
    knee_flex: float
    hip_height: float
    hip_dy: float
    shoulder_dy: float
    view: View
    width_ratio: float  # shoulder width / torso: 0 side-on, ~0.75 facing the camera
    lean_dir: float = math.nan  # the standing lean with its direction (HingeMetrics.lean_dir)
    head_ratio: float = math.nan  # hips-to-face extent / leg length (facing the camera)
    lean_dir_head: float = math.nan  # the standing HingeMetrics.lean_dir_head
    torso_len: float = math.nan  # 2-D shoulder-hip distance (px): with the width, the body's size
    ankle_x: float = math.nan  # where the feet stood (px): a hinge keeps them there, walking not
    ankle_y: float = math.nan
    # A guess, to give way to the first still stand: from the most upright moments
    # (Calibrator.force), or from a body the picture cut off (at the mirror's buttons).
    forced: bool = False

    @property
    def torso(self) -> float:
        return self.vert

    @property
    def yaw_sin(self) -> float:
        """How side-on the camera is: 0 facing it, 1 side-on (from the shoulder width)."""
        if not math.isfinite(self.width_ratio):
            return 1.0
        return math.sqrt(max(0.0, 1.0 - min(1.0, self.width_ratio / FRONT_WIDTH_RATIO) ** 2))


def classify_view(width_ratio: float) -> View:
    """Shoulder width against torso height: about 0.75 facing the camera, near 0 side-on."""
    if not math.isfinite(width_ratio):
        return View.UNKNOWN
    if width_ratio >= 0.55:
        return View.FRONT
    if width_ratio <= 0.25:
        return View.SIDE
    return View.OBLIQUE


def _nanmedian(values: list[float]) -> float:
    arr = np.asarray(values, dtype=float)
    arr = arr[np.isfinite(arr)]
    return float(np.median(arr)) if arr.size else math.nan


class Calibrator:
    """Watches for the person standing still and upright; produces/refreshes the Baseline."""

    def __init__(self, hands_high: bool = False) -> None:
        self.hands_high = hands_high  # the hands rest high (a bar on the back): raised is normal
        self._window: deque[HingeMetrics] = deque()
        self.baseline: Baseline | None = None
        self._tallest = (math.inf, math.inf)  # least lean and hip flexion of any accepted stand
        self.relocated = False  # the last update found the person standing elsewhere
        self._last_t = math.nan  # the last still frame learnt from
        self._learnt_s = 0.0  # how long the person has stood still for the baseline

    def reset(self) -> None:
        self._window.clear()
        self.baseline = None
        self._tallest = (math.inf, math.inf)
        self.relocated = False
        self._last_t, self._learnt_s = math.nan, 0.0

    def still_upright(self) -> bool:
        w = self._window
        if len(w) < 4 or w[-1].t - w[0].t < STILL_WINDOW_S * 0.8:
            return False
        # Runs every frame on a handful of values: plain Python beats numpy's call overhead.
        if not all(m.lean_side < UPRIGHT_MAX_LEAN for m in w):  # NaN fails too
            return False
        # Arms raised (a swing's float at chest height, a wave) pull the shoulders and lean
        # the body back: still, but not the standing posture every lean is measured from.
        raised = any(m.wrist_rise > HANDS_UP * m.vert for m in w)  # NaN (unseen) passes
        if raised and not self.hands_high:
            return False
        if any(m.wrist_rise < -HANDS_DOWN * m.vert for m in w):
            return False  # at the bar on the floor (see HANDS_DOWN)
        # Crouched at the bar before a pull from the floor (squatting: the torso nearly
        # upright, the knees at 110 deg) is still and upright-ish, but nothing is measured
        # from there. Unseen knees (NaN) pass.
        if _nanmedian([m.knee_flex for m in w]) > KNEES_BENT_DEG:
            return False
        verts = [m.vert for m in w]
        if not all(math.isfinite(v) for v in verts):
            return False
        mean = sum(verts) / len(verts)
        if mean <= 0:
            return False
        # Walking in side-on keeps the torso's length steady too: still means staying put.
        xs = [m.hip_x for m in w if m.hip_x == m.hip_x]
        if xs and max(xs) - min(xs) > STILL_TRAVEL * mean:
            return False
        var = sum((v - mean) ** 2 for v in verts) / len(verts)
        return math.sqrt(var) <= 0.035 * mean

    def update(
        self, m: HingeMetrics, at_top: bool, stuck: bool = False, cut_off: bool = False
    ) -> bool:
        """Feed one frame; returns True when the baseline was (re)computed from it.

        `relocated` tells when it was computed afresh because the person stands elsewhere now
        (see MOVED_AWAY): at the top, or when the phases have been `stuck` away from it longer
        than any rep's bottom lasts (the old baseline reads the smaller body as bent over, and
        the phases would wait for a top forever). `cut_off`: the picture cuts the body off
        (arrival.body_cut_off): a stand learnt now is only a guess, as a forced one is (at
        the mirror's buttons, pressing start; or a camera that never shows the feet)."""
        self.relocated = False
        self._window.append(m)
        while self._window and m.t - self._window[0].t > STILL_WINDOW_S:
            self._window.popleft()
        if not (at_top or stuck) or not self.still_upright():
            return False  # mid-rep nothing is learnt: the window check is not even read
        w = list(self._window)
        # A forced guess is dropped for the first still stand while the phases are stuck:
        # guessed from a walk back from the mirror, it reads the person on their spot as
        # bent over for good (the perspective close up inflates the torso/leg ratio), though
        # neither smaller nor elsewhere enough for _moved_away.
        old = self.baseline
        if old is not None and ((stuck and old.forced) or self._moved_away(w)):
            self.baseline, self._tallest, self.relocated = None, (math.inf, math.inf), True
        elif not at_top:
            return False
        vert = _nanmedian([x.vert for x in w])
        if self.baseline is not None and vert < 0.8 * self.baseline.vert:
            # Much shorter torso than calibrated: bent over and still, not standing tall.
            ratio_now = _nanmedian([x.ratio for x in w])
            if not (math.isfinite(ratio_now) and ratio_now > 0.93 * self.baseline.ratio):
                return False
        lean = _nanmedian([x.lean_side for x in w])
        hip = _nanmedian([x.hip_flex for x in w])
        width = _width(w)
        torso = _nanmedian([x.torso_len for x in w])
        width_ratio = width / torso if torso > 0 else math.nan
        # In every view: near 45 deg the shoulder width can read frontal while the 2-D lean
        # still shows a slow hinge (facing the camera, lean and hip angle just stay near 0).
        if self._less_upright(lean, hip):
            return False  # standing still but not tall (no lockout): not a new baseline
        self._tallest = (_nanmin(self._tallest[0], lean), _nanmin(self._tallest[1], hip))
        new = Baseline(
            vert=vert,
            ratio=_nanmedian([x.ratio for x in w]),
            lean_side=lean,
            hip_flex=hip,
            knee_flex=_nanmedian([x.knee_flex for x in w]),
            hip_height=_nanmedian([x.hip_height for x in w]),
            hip_dy=_nanmedian([x.hip_dy for x in w]),
            shoulder_dy=_nanmedian([x.shoulder_dy for x in w]),
            view=classify_view(width_ratio),
            width_ratio=width_ratio,
            lean_dir=_nanmedian([x.lean_dir for x in w]),
            head_ratio=_nanmedian([x.head_ratio for x in w]),
            lean_dir_head=_nanmedian([x.lean_dir_head for x in w]),
            torso_len=torso,
            ankle_x=_nanmedian([_feet_x(x) for x in w]),
            ankle_y=_nanmedian([x.ankle_y for x in w]),
            forced=cut_off,
        )
        self._learn(new, m.t)
        return True

    def _learn(self, new: Baseline, t: float) -> None:
        """Blend a still stand into the baseline by its time (see BLEND_TAU_S); a forced
        guess, or another stand (TURNED, RESIZED), it replaces outright."""
        kept = self.baseline  # None after a relocation
        step = min(t - self._last_t, BLEND_STEP_S) if self._last_t == self._last_t else 0.0
        self._last_t = t
        if kept is None or kept.forced or _another_stand(kept, new):
            self.baseline, self._learnt_s = new, STILL_WINDOW_S
            return
        k = max(step / (self._learnt_s + step), 1.0 - math.exp(-step / BLEND_TAU_S))
        self._learnt_s += step
        self.baseline = _blend(kept, new, k)

    def _moved_away(self, w: list[HingeMetrics]) -> bool:
        """Still and upright (the caller checked), smaller, and standing elsewhere: the torso's
        2-D length shorter (a side-on hinge only turns it in the picture's plane) and the
        feet moved; when they moved only a little, facing the camera, the shoulders narrower
        too (a held squat toward the camera shortens the torso, not the shoulders). Not the
        torso/leg proportions: from the mirror's buttons the camera sees a near body in steep
        perspective (legs short, torso long)."""
        b = self.baseline
        assert b is not None
        torso = _nanmedian([x.torso_len for x in w])
        if not (math.isfinite(torso) and b.torso_len > 0 and torso < MOVED_AWAY * b.torso_len):
            return False
        fx, fy = _nanmedian([_feet_x(x) for x in w]), _nanmedian([x.ankle_y for x in w])
        moved = math.hypot(fx - b.ankle_x, fy - b.ankle_y) / torso  # NaN: feet unseen
        if moved < FEET_MOVED:
            return False  # still where they stood: a shallow hinge held, not a walk
        if moved >= FEET_FAR or not (math.isfinite(b.width_ratio) and b.width_ratio >= WIDE):
            return True  # far from where they stood, or side-on (a hinge keeps the torso)
        width = _width(w)
        if not math.isfinite(width):
            return False
        return width < NARROWER * b.width_ratio * b.torso_len

    def force(self, history: Iterable[HingeMetrics]) -> Baseline | None:
        """Never still: standing is what the most upright recent frames show."""
        hist = [m for m in history if math.isfinite(m.vert) and m.vert > 0]
        upright = [m for m in hist if _finite(m.lean_side, 90.0) < FORCE_UPRIGHT_DEG]
        if len(upright) < 2 or len(upright) * _frame_s(hist) < FORCE_UPRIGHT_S:
            return None

        def pick(attr: str, q: float = 50) -> float:
            vals = np.array([getattr(m, attr) for m in upright], dtype=float)
            vals = vals[np.isfinite(vals)]
            return float(np.percentile(vals, q)) if vals.size else math.nan

        torso = pick("torso_len")
        width_ratio = pick("shoulder_width") / torso if torso > 0 else math.nan
        self.baseline = Baseline(
            pick("vert", 80), pick("ratio", 80), pick("lean_side"), pick("hip_flex"),
            pick("knee_flex"), pick("hip_height", 80), pick("hip_dy"), pick("shoulder_dy"),
            classify_view(width_ratio), width_ratio, pick("lean_dir"), pick("head_ratio", 80),
            torso_len=torso, ankle_x=_nanmedian([_feet_x(m) for m in upright]),
            ankle_y=pick("ankle_y"), forced=True,
        )
        return self.baseline

    def _less_upright(self, lean: float, hip: float) -> bool:
        """Still but bent more than the person's tallest stand so far: a rest in a half
        hinge (a missed lockout, a slow shallow dip) must not become the new 'standing', or
        the fault hides itself. Against the tallest stand, not the blended baseline, so a
        slow bend cannot creep the baseline down with it."""
        return lean > self._tallest[0] + LESS_UPRIGHT_DEG or (
            hip > self._tallest[1] + 1.5 * LESS_UPRIGHT_DEG
        )


def _feet_x(m: HingeMetrics) -> float:
    """Where the feet stand across the picture: between the ankles, or with one foot well off
    the floor, the other's x (which one reads lower flips with noise when both stand)."""
    if math.isfinite(m.ankle_dy + m.left_ankle_x + m.right_ankle_x) and (
        abs(m.ankle_dy) > ONE_FOOT_UP * m.vert
    ):
        return m.left_ankle_x if m.ankle_dy > 0 else m.right_ankle_x
    return m.ankle_x


def _frame_s(frames: list[HingeMetrics]) -> float:
    """The typical time between frames (the median step; gaps with no person are skipped)."""
    steps = np.diff([m.t for m in frames])
    return float(np.median(steps)) if steps.size else 0.0


def _width(w: list[HingeMetrics]) -> float:
    """Shoulder width while standing: over the frames that saw both shoulders, unless most
    saw one (side-on). A far shoulder lost now and then (45 deg) must not pull it to 0."""
    vals = np.array([x.shoulder_width for x in w], dtype=float)
    vals = vals[np.isfinite(vals)]
    both = vals[vals > 0]
    if not vals.size:
        return math.nan
    return float(np.median(both)) if both.size * 2 >= vals.size else 0.0


def _nanmin(a: float, b: float) -> float:
    if b != b:  # NaN never wins over a number
        return a
    return a if a <= b else b


def _another_stand(old: Baseline, new: Baseline) -> bool:
    """Turned or moved nearer or further since the baseline (TURNED, RESIZED)."""
    def width(b: Baseline) -> float:
        return b.width_ratio if math.isfinite(b.width_ratio) else 0.0

    def size(b: Baseline) -> float:  # shoulders to ankles; NaN without the legs
        return b.vert * (1.0 + 1.0 / b.ratio) if b.ratio > 0 else math.nan

    return abs(width(new) - width(old)) > TURNED or abs(size(new) / size(old) - 1.0) > RESIZED


def _blend(old: Baseline, new: Baseline, k: float) -> Baseline:
    """Follow slow changes (distance, stance) without letting one odd moment take over."""

    def mix(a: float, b: float) -> float:
        if not math.isfinite(a):
            return b
        if not math.isfinite(b):
            return a
        return a + k * (b - a)

    width_ratio = mix(old.width_ratio, new.width_ratio)
    return Baseline(
        vert=mix(old.vert, new.vert),
        ratio=mix(old.ratio, new.ratio),
        lean_side=mix(old.lean_side, new.lean_side),
        hip_flex=mix(old.hip_flex, new.hip_flex),
        knee_flex=mix(old.knee_flex, new.knee_flex),
        hip_height=mix(old.hip_height, new.hip_height),
        hip_dy=mix(old.hip_dy, new.hip_dy),
        shoulder_dy=mix(old.shoulder_dy, new.shoulder_dy),
        view=classify_view(width_ratio),
        width_ratio=width_ratio,
        lean_dir=mix(old.lean_dir, new.lean_dir),
        head_ratio=mix(old.head_ratio, new.head_ratio),
        lean_dir_head=mix(old.lean_dir_head, new.lean_dir_head),
        torso_len=mix(old.torso_len, new.torso_len),
        ankle_x=mix(old.ankle_x, new.ankle_x),
        ankle_y=mix(old.ankle_y, new.ankle_y),
    )


# -- where the first calibration's replay starts ----------------------------------------------
def start_lean(frames: list[HingeMetrics], leans: list[float]) -> float:
    """The lean the person started in: the median over the first START_S, so one jittery
    first frame (facing the camera, foreshortening reads 25-30 deg of noise at times) does
    not start the machine at the bottom of a rep; a bar on the floor is held far longer."""
    t0 = frames[0].t
    first = [lean for fm, lean in zip(frames, leans, strict=True) if fm.t - t0 <= START_S]
    return float(np.median(first))


def _finite(v: float, default: float) -> float:
    return v if math.isfinite(v) else default
