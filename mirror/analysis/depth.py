"""Depth signals: the one number of degrees beyond standing the phase machine runs on.

Side-on the torso's tilt is the lean; turned, its sideways part is unturned by the yaw;
facing the camera only foreshortening (torso against leg) and the shoulders' drop show it.
The hips' drop adds what a knee-dominant (squatting) rep hides from the torso's tilt.
"""

from __future__ import annotations

import math

from mirror.analysis.calibration import Baseline
from mirror.analysis.events import View
from mirror.analysis.filters import SlowFollower
from mirror.analysis.metrics import HingeMetrics
from mirror.analysis.yaw import YawLearner, blend_yaw, refine_view, unturn

HIP_DROP_DEG = 100.0  # a hip drop of 10 % of standing hip height weighs like 10 deg of lean
HIP_FLEX_SHARE = 0.5  # side-on, hip flexion beyond standing weighs half a degree of lean
REL_SMOOTH_S = 0.12  # facing the camera, the torso/leg ratio is smoothed this much
SHOULDER_DROP_SLACK = 20.0  # the shoulder drop reads this many degrees more than the lean
SIDE_ONLY_SIN = 0.45  # turned at least this far (sin yaw), the torso's tilt alone reads the lean
FORWARD_LEAN = 25.0  # tilted this far, the torso's image direction says which way is forward
FORWARD_MEMORY = 0.95  # per deep frame: a person who turns round is followed within a rep
# Facing the camera, the head's part (shoulders up to the face) may shorten this much more
# than the torso (as a share of standing) before the rest is put down to a glance down.
GLANCE_SLACK = 0.1
# At a rep's top, the most forward tilt (unturned, degrees) of the calibration stand that
# excuses the same tilt at the top (DepthSignals.tilt). Standing tall the trunk is vertical in
# the image at any yaw; at 45 deg the calibration's own tilt is read from 0.6 s of standing and
# follows every still stand after it: it read -2..17 deg where the simulated trunk stood at 0-3.
STAND_TILT_CAP = 3.0


class DepthSignals:
    """Per-person state of the depth signals (smoothers and the learnt yaw)."""

    def __init__(self) -> None:
        self._leg = SlowFollower(1.0)
        self._rel = SlowFollower(REL_SMOOTH_S)
        self._sh = SlowFollower(REL_SMOOTH_S)
        self._yaw = YawLearner()
        self._forward = 0.0  # > 0: hinging toward image right (decaying vote of deep frames)
        self._held_view: View | None = None  # the view the trusted yaw fit chose
        # (the lean read from the torso's tilt alone, the baseline's own yaw past that line)
        self._tilt_only: tuple[bool, bool] | None = None
        self.source_changed = False  # see lean()

    def view(self, base: Baseline) -> View:
        """The camera view: the standing width's, corrected by the yaw fit (refine_view)."""
        view = refine_view(base.view, self._yaw, self._held_view)
        if self._yaw.trusted:
            self._held_view = view
        return view

    def depth(self, m: HingeMetrics, base: Baseline) -> float:
        """Degrees of lean beyond standing: the torso's lean or the hips' drop, the larger."""
        self._yaw.update(math.sqrt(max(0.0, m.torso_len**2 - m.vert**2)), m.vert, base.vert)
        if abs(m.lean_dir) >= FORWARD_LEAN:  # False for NaN
            self._forward = FORWARD_MEMORY * self._forward + math.copysign(1.0, m.lean_dir)
        return max(self.lean(m, base), hip_drop_deg(m, base, self.view(base)))

    def lean(self, m: HingeMetrics, base: Baseline) -> float:
        """Torso lean beyond standing, from the best evidence this view gives.

        Side-on, the torso's 2-D direction is the lean. Turned by a yaw, its sideways part
        shrinks by sin(yaw) (undone here; yaw from the shoulder width and a fit over deep
        frames). Facing the camera, only foreshortening shows it: torso height against leg
        length (both scale with distance), the leg smoothed over a second; the extent runs
        from the hips up to the face, not just the shoulders, where the face is seen.
        """
        yaw_sin, side = self._side_lean(m, base)
        # source_changed: the baseline's yaw, relearnt from a still stand, crossed the line
        # and took the lean's source with it (from the tilt alone to the foreshortening, or
        # back): a standing reading that jumps, not a hinge (engine re-anchors the top). A
        # crossing by the yaw fit alone is left alone: a descent's first frames cross it too.
        now = (yaw_sin >= SIDE_ONLY_SIN, base.yaw_sin >= SIDE_ONLY_SIN)
        was = self._tilt_only
        self.source_changed = was is not None and now[0] != was[0] and now[1] != was[1]
        self._tilt_only = now
        if now[0]:
            return max(0.0, side)
        leg = self._leg.update(m.t, m.leg)
        if math.isfinite(leg) and leg > 1 and math.isfinite(base.ratio) and base.ratio > 0:
            # Hips to face where the face is seen: the head foreshortens with the torso and
            # its five keypoints average the jitter (standing, the torso alone read 30 deg
            # of drift at times, as deep as a shallow rep).
            torso = m.vert / leg / base.ratio
            head = _hips_to_face(m, leg, base, torso)  # NaN unless both are known
            rel = head if math.isfinite(head) else torso
        else:
            rel = m.vert / base.vert
        rel = self._rel.update(m.t, rel)  # acos near 1 turns a 3 % jitter into 15 deg: smooth
        fore = math.degrees(math.acos(min(1.0, max(0.0, rel))))
        return max(side, fore, self._shoulder_drop(m, base))

    def _side_lean(
        self, m: HingeMetrics, base: Baseline, stand_cap: float = math.inf
    ) -> tuple[float, float]:
        """(sin yaw, the torso's 2-D tilt unturned by it, beyond standing, whose own tilt
        counts up to `stand_cap` degrees). No state changes."""
        view = self.view(base)
        yaw_sin = base.yaw_sin  # off side-on, the width guess reads high, the fit low: blend
        yaw_sin = yaw_sin if view is View.SIDE else blend_yaw(yaw_sin, self._yaw)
        head = head_dirs(m, base, view)
        now, then = head or (m.lean_dir, base.lean_dir)
        obs, stand = (abs(now), abs(then)) if head else (m.lean_side, base.lean_side)
        obs, stand = _finite(obs, 0.0), _finite(stand, 0.0)
        if self._forward and math.isfinite(now + then):
            # Which way is forward is known: a standing tilt backwards adds to the lean.
            fwd = math.copysign(1.0, self._forward)
            obs, stand = fwd * now, fwd * then
        if yaw_sin <= 0.3:
            return yaw_sin, 0.0
        stand_deg = min(_unturn_signed(stand, yaw_sin), stand_cap)
        return yaw_sin, _unturn_signed(obs, yaw_sin) - stand_deg

    def yaw_sin(self, base: Baseline) -> float:
        """sin(yaw) as the lean is unturned by (the width's guess blended with the fit)."""
        return base.yaw_sin if self.view(base) is View.SIDE else blend_yaw(base.yaw_sin, self._yaw)

    @property
    def settled(self) -> bool:
        """The yaw fit is trusted and which way is forward is known: leans read true now."""
        return self._yaw.trusted and self._forward != 0.0

    def reread(self, m: HingeMetrics, base: Baseline, stand_cap: float = math.inf
               ) -> float | None:
        """A past frame's lean read again with what is known now, where the torso's tilt
        alone gives it (side-on and turned); None facing the camera. `stand_cap`: the most of
        the baseline's own tilt taken off (see tilt)."""
        yaw_sin, side = self._side_lean(m, base, stand_cap)
        return max(0.0, side) if yaw_sin >= SIDE_ONLY_SIN else None

    def tilt(self, m: HingeMetrics, base: Baseline) -> float | None:
        """The torso's tilt at a rep's top (for no_lockout), as reread, but against standing
        tall rather than against the baseline's own tilt beyond STAND_TILT_CAP: at 45 deg that
        tilt drifts 5-10 deg while standing still (each keypoint's slow bias, unturned by
        sin(yaw) near 0.6), and the baseline follows every still stand, a missed lockout's
        half-stood top too (its 2-D lean shrinks by sin(yaw) under the calibrator's not-tall
        guard). Measured against that, a top 15-24 deg short of tall read 1-4 deg."""
        return self.reread(m, base, STAND_TILT_CAP)

    def _shoulder_drop(self, m: HingeMetrics, base: Baseline) -> float:
        """Facing the camera, the second depth signal: how far the shoulders came down to the
        standing hip level, as a fraction of the standing torso, on the lean's scale less a
        slack. A hinge shortens the torso; a squatting rep drops the hips and bends the
        knees, which also shortens the legs, so torso/leg foreshortening misses it while
        the shoulders still drop by the hip drop plus the torso's shortening."""
        if not (base.hip_height > 0 and base.vert > 0 and math.isfinite(m.hip_height)):
            return 0.0
        rel = self._sh.update(m.t, (m.vert + m.hip_height - base.hip_height) / base.vert)
        return math.degrees(math.acos(min(1.0, max(0.0, rel)))) - SHOULDER_DROP_SLACK


def head_dirs(m: HingeMetrics, base: Baseline, view: View) -> tuple[float, float] | None:
    """The torso's signed 2-D direction now and standing, read to the face (None: the
    shoulders' lean_dir it is).

    At 45 deg, the shoulders-to-hips line alone drifts into phantom reps: each keypoint's
    slow bias (and a hidden far shoulder or hip drawn toward its partner) tilts it by several
    degrees, which unturning by sin(yaw) near 0.6 nearly doubles. Taking the top halfway to
    the face averages five more keypoints' drift and lengthens the lever (the head moves with
    the torso in a hinge). Side-on the far eye and ear are hidden and the shoulders read the
    lean exactly; facing, the tilt is not the lean at all: those keep lean_dir.
    """
    if view is View.OBLIQUE and math.isfinite(m.lean_dir_head + base.lean_dir_head):
        return m.lean_dir_head, base.lean_dir_head
    return None


def _hips_to_face(m: HingeMetrics, leg: float, base: Baseline, torso: float) -> float:
    """Hips-to-face extent against standing, with the head's part (shoulders up to the face)
    shortened little more than the torso is: a glance down (at a phone, at the bell) drops
    the face by a neck's bend while the torso stays upright; facing the camera that read as
    a 30 deg lean (4 of 1080 fresh simulated non-exercise runs counted it). In a hinge the
    head moves with the torso and both shorten alike, except from a camera near hip height,
    where perspective hides the torso's shortening more than the head's (one shallow good
    morning in seeds 0-3 is lost to this; seed 3's 088 gained back)."""
    if not (math.isfinite(m.head_vert) and math.isfinite(base.head_ratio) and base.head_ratio > 0):
        return math.nan
    if not (math.isfinite(torso) and math.isfinite(base.ratio)):
        return m.head_vert / leg / base.head_ratio
    head_part = (m.head_vert - m.vert) / leg
    head_part = max(head_part, (base.head_ratio - base.ratio) * min(1.0, torso - GLANCE_SLACK))
    return (m.vert / leg + head_part) / base.head_ratio


def hip_drop_deg(m: HingeMetrics, base: Baseline, view: View | None = None) -> float:
    """Hips lowered, as a fraction of their standing height, on the lean's degree scale.

    A knee-dominant rep (a squatting deadlift) barely tilts the torso but drops the hips;
    this is the same in every view, where the torso's tilt is only seen side-on. Side-on,
    the lean is exact and the far ankle too unreliable for this to add anything.
    """
    if (base.view if view is None else view) is View.SIDE:
        # Side-on the hip angle is exact: half the hip flexion gained (a squat bends it
        # as much as a hinge does while barely tilting the torso).
        rel = m.hip_flex - base.hip_flex
        return HIP_FLEX_SHARE * rel if math.isfinite(rel) else 0.0
    if not (base.hip_height > 0 and math.isfinite(m.hip_height)):
        return 0.0
    return HIP_DROP_DEG * (base.hip_height - m.hip_height) / base.hip_height


def _unturn_signed(lean_deg: float, yaw_sin: float) -> float:
    return math.copysign(unturn(min(abs(lean_deg), 89.0), yaw_sin), lean_deg)


def _finite(v: float, default: float) -> float:
    return v if math.isfinite(v) else default
