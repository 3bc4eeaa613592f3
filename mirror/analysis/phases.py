"""The phase machine: standing -> descending -> bottom -> ascending -> lockout.

It runs on one number per frame, the torso lean beyond the calibrated standing posture, with
hysteresis (enter and leave thresholds apart), a required order, and minimum durations. A rep
counts at lockout after a bottom; a dip that turns back before the exercise's counting depth is
a partial rep, recorded but not counted. Each rep keeps its samples so faults and tempo can be
judged when it ends.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from mirror.analysis.events import Phase
from mirror.analysis.metrics import HingeMetrics, feet_shift
from mirror.analysis.profiles import ExerciseProfile

LOCKOUT_SHOW_S = 0.5  # how long "lockout" shows after a rep ends
SETTLED_TOP_S = 0.4  # standing still this long after a rep: that is their lockout
# Back at the top this long after a rep, a new dip is a new attempt even if the lean never read
# still (facing the camera, the foreshortening jitters by more than the settle band).
WOBBLE_WINDOW_S = 1.0
WOBBLE_OVER = 0.5  # a wobble back up to this share of the counting depth is over
TOP_VERTS = 90  # the last 3 s at 30 fps of the top's torso extent
# The top's held posture: its torso tilt over this long after the rep ends (a set's last top,
# held short of tall, is followed by standing up for the rest: that must not excuse it).
TOP_TILT_S = 1.5
TOP_TILT_PCT = 20  # its low end (noise reads a still torso a few degrees either way)
# A rep goes down from where the person stood by at least this share of the exercise's
# counting depth: drifting from a half-stood top (a missed lockout) over the counting depth
# is not a new rep (at 45 deg such a top wanders 5-10 deg) ...
MIN_DESCENT = 0.75
# ... and by this share of the view's counting depth (facing the camera it is raised over
# the foreshortening's noise, which also makes a clean top read 15 deg and more).
MIN_DESCENT_VIEW = 0.5
TOP_RECENT = 10  # the top's level: the median of this many last frames
# Back up from the bottom to under this share of the rep's depth and down again: that rep is
# over (it stopped short of standing tall: facing the camera such a top can read 30+ deg).
HALF_RISE = 0.5


def foreshortened_share(peak: float, part: float) -> float:
    """The lean at which a torso leaning `peak` has `part` of its foreshortening (facing the
    camera the lean is read from it, and its noise is even in the ratio, not in degrees)."""
    c = math.cos(math.radians(min(max(peak, 0.0), 90.0)))
    return math.degrees(math.acos(1.0 - part * (1.0 - c)))


@dataclass
class Segment:
    """One trip down and up, with what is needed to judge it."""

    start_t: float
    peak: float = 0.0
    peak_t: float = 0.0
    end_t: float = 0.0
    reached_bottom: bool = False
    bottom_first: bool = False
    rushed: bool = False  # started before the person had stood at the top for a moment
    top_lean: float = 0.0  # the lean of the stand it started from
    unlocked: bool = False  # ended by going down again before standing tall
    # ... and then the wrists' highest rise (above the hips) between the ascent's highest
    # point and the turn down: where a swing whose hips never lock floats its bell.
    turn_rise: float = -math.inf
    unseen: bool = False  # the dip happened while the person was lost: no form to judge
    samples: list[tuple[float, float, HingeMetrics]] = field(default_factory=list)

    def start_scale(self, standing_vert: float) -> float:
        """The torso's height as the dip starts (its first quarter) against standing: above 1
        the person is nearer the camera than where they were calibrated (a hinge only ever
        shortens it). NaN if unknown."""
        verts = np.array([m.vert for _t, _lean, m in self.samples], dtype=float)
        verts = verts[np.isfinite(verts)]
        if len(verts) < 4 or not standing_vert > 0:
            return float("nan")
        return float(np.median(verts[: max(1, len(verts) // 4)]) / standing_vert)

    def feet_travel(self, lead_in: Iterable[HingeMetrics] = ()) -> float:
        """How far the feet moved in the image from the segment's start to its end (px):
        a rep keeps them where they are; walking about does not.

        `lead_in`: the frames from the segment's start (the person's last moment at the top)
        up to its first sample. The lean crosses the trigger only part-way down, and a person
        turning to walk off may have walked most of the way before it does (seed-8 suite
        recording 319: the feet moved 2.4 torso lengths in the 0.6 s before the trigger and
        0.26 after it)."""
        first = self.samples[0][0] if self.samples else math.inf
        ms = [m for m in lead_in if self.start_t <= m.t < first]
        ms += [m for _t, _lean, m in self.samples]
        return feet_shift(ms)


@dataclass
class TopStretch:
    """The standing time after a rep: how tall the person stood (for no_lockout)."""

    min_lean: float = float("inf")
    min_hip_flex: float = float("inf")
    max_wrist_rise: float = float("-inf")
    near_top_t: float = 0.0  # last time the lean was near its standing minimum
    samples: int = 0
    settled_s: float = 0.0  # time spent still near the standing level
    anchor: float = float("inf")  # the level the person settled at
    last_t: float = float("nan")
    judged: tuple[float, float] | None = None  # (lean, hip flex) once first settled
    # The torso's vertical extent at the top until judged (bounded: facing the camera the top
    # may never read settled while a person stands there between sets).
    verts: deque[float] = field(default_factory=lambda: deque(maxlen=TOP_VERTS))
    # (t, lean) of the last frames at the top
    recent: deque[tuple[float, float]] = field(
        default_factory=lambda: deque(maxlen=3 * TOP_RECENT)
    )

    def frame_s(self) -> float:
        """The last frame's interval: settled_s spans the settled frames' times, one
        interval short of the time they stand for (3 frames are 0.2 s at 10 fps)."""
        r = self.recent
        return r[-1][0] - r[-2][0] if len(r) >= 2 else 0.0

    def level(self) -> float:
        """Where the person stood: a low quartile of the last leans up to the last one near
        the top's minimum (the minimum is one noisy frame, which made a drift at a half-stood
        top look like a new descent; the median still holds the end of the way up after a
        short top). The frames after it are the way down: a slow descent under the trigger
        (at 45 deg it is 14 deg) must not raise the level the rep is measured from."""
        at_top = [lean for t, lean in self.recent if t <= self.near_top_t][-TOP_RECENT:]
        return float(np.percentile(at_top, 25)) if at_top else self.min_lean
    first_t: float = float("nan")
    # The torso's tilt alone (no hip drop), unturned by the yaw, over the first TOP_TILT_S.
    tilts: list[float] = field(default_factory=list)

    def held_tilt(self) -> float:
        """How far the torso stayed tilted while the top was held (NaN if not measured):
        at 45 deg the hips' drop, part of the lean elsewhere, reads 10 deg and more at a
        clean top when the standing hip height is stale, while a missed lockout's bent
        knees lower the hips only a little."""
        if not self.tilts:
            return float("nan")
        return float(np.percentile(self.tilts, TOP_TILT_PCT))

    def lockout_levels(self) -> tuple[float, float]:
        """How tall the person stood: at their first settled stand after the rep (a set's
        end, when they finally straighten up, must not excuse the missed lockout)."""
        return self.judged if self.judged is not None else (self.min_lean, self.min_hip_flex)


class PhaseMachine:
    def __init__(
        self, profile: ExerciseProfile, noise_floor: float, count_floor: float = 0.0
    ) -> None:
        self.profile = profile
        self.noise = noise_floor
        self.count_floor = count_floor  # the view's least believable counting depth
        self.foreshortened = False  # the lean is read from foreshortening (facing the camera)
        self.phase = Phase.STANDING
        self.fresh = True
        self.segment: Segment | None = None
        self.top = TopStretch()
        self.last_end_t = -1e9
        self._ascent_low = float("inf")
        self._ascent_low_t = 0.0
        self._local_peak = 0.0  # deepest point since the last turn downwards
        self._after_rep = True  # the last segment reached depth (or none yet)

    # thresholds -------------------------------------------------------------------------------

    @property
    def count_lean(self) -> float:
        return max(self.profile.count_lean, self.count_floor)

    @property
    def enter(self) -> float:
        return max(self.noise, self.profile.partial_lean * 0.8)

    def top_threshold(self, peak: float) -> float:
        return max(self.noise * 0.8, min(self.share(peak, 0.5), 30.0))

    def share(self, peak: float, part: float) -> float:
        """The lean `part` of the way down to `peak`. Facing the camera the lean is read as
        acos of the torso's foreshortening, whose noise is even in the ratio, not in degrees:
        there part of the way is part of the shortening (half of a 38 deg rep's shortening is
        at 26 deg, not 19; near standing acos turns a 6 % jitter into 20 deg)."""
        return foreshortened_share(peak, part) if self.foreshortened else part * peak

    # stepping ---------------------------------------------------------------------------------

    def begin(self, t: float, lean: float) -> None:
        """First frame: standing, or bent over already (a deadlift from the floor)."""
        self.fresh = False
        if lean < self.count_lean:
            return
        self.segment = Segment(t, peak=lean, peak_t=t, reached_bottom=True, bottom_first=True)
        self._local_peak = lean
        self.phase = Phase.BOTTOM

    def reanchor(self, t: float, lean: float) -> None:
        """Standing, the lean is now read from other evidence (engine): its new level is the
        top, not a descent from the old one."""
        self.top.recent.clear()
        self.top.recent.append((t, lean))
        self.top.min_lean, self.top.near_top_t = lean, t

    def display_phase(self, t: float) -> Phase:
        if self.phase is Phase.STANDING and t - self.last_end_t < LOCKOUT_SHOW_S:
            return Phase.LOCKOUT
        return self.phase

    def step(
        self, t: float, lean: float, m: HingeMetrics, hip_flex_rel: float,
        tilt: float | None = None,
    ) -> Segment | None:
        """Advance one frame. Returns a finished segment (rep or partial) when one ends.
        `tilt`: the torso's tilt alone, where the view shows it (for the top's posture)."""
        if self.phase is Phase.STANDING:
            self._track_top(t, lean, m, hip_flex_rel, tilt)
            trigger = max(self.enter, self.top.min_lean + max(6.0, self.noise * 0.6))
            if lean > trigger:
                start = self.top.near_top_t if self.top.samples else t
                # Straight after a rep's lockout, a quick dip is a wobble; after a sway that
                # never reached depth the person was standing all along.
                rushed = (
                    self.top.settled_s + self.top.frame_s() < self.profile.min_top_s
                    and self._after_rep
                    and t - self.last_end_t < WOBBLE_WINDOW_S
                )
                self.segment = Segment(
                    start, peak=lean, peak_t=t, rushed=rushed, top_lean=max(0.0, self.top.level())
                )
                self._local_peak = lean
                self.phase = Phase.DESCENDING
                self._sample(t, lean, m)
            return None
        seg = self.segment
        assert seg is not None
        self._sample(t, lean, m)
        if lean > seg.peak:
            seg.peak, seg.peak_t = lean, t
        drop = max(4.0, 0.12 * seg.peak)
        if self.phase in (Phase.DESCENDING, Phase.BOTTOM):
            self._local_peak = max(self._local_peak, lean)
            if self._at_depth(seg, lean):
                seg.reached_bottom = True
                self.phase = Phase.BOTTOM
            if lean < self._local_peak - drop:
                self.phase = Phase.ASCENDING
                self._ascent_low = lean
            return None
        # ascending
        if lean < self._ascent_low:
            self._ascent_low, self._ascent_low_t = lean, t
        if lean > self._ascent_low + max(8.0, drop):
            if seg.reached_bottom and self._ascent_low <= self.share(seg.peak, HALF_RISE):
                return self._turned_down(seg, t, lean)
            # Down again after a hesitation on the way: the frame that turns it round may be
            # the one at the counting depth (a slow shallow rep wavers near its bottom).
            # A wobble straight after a lockout that came back up near the top and now goes
            # down again is over: this is a fresh attempt, judged as any other.
            if not seg.reached_bottom and self._ascent_low <= WOBBLE_OVER * self.count_lean:
                seg.rushed = False
            seg.reached_bottom = seg.reached_bottom or self._at_depth(seg, lean)
            self.phase = Phase.BOTTOM if lean >= self.count_lean else Phase.DESCENDING
            self._local_peak = lean
            return None
        if lean < self.top_threshold(seg.peak):
            seg.end_t = t
            self.segment = None
            self.phase = Phase.STANDING
            self.top = TopStretch()
            self._track_top(t, lean, m, hip_flex_rel, tilt)
            if seg.rushed and seg.peak < self.profile.target_lean:
                return None  # a wobble straight after lockout, not a new attempt
            self._after_rep = seg.reached_bottom
            self.last_end_t = t
            return seg
        return None

    def forget_since(self, t0: float) -> None:
        """The frames since t0 were someone else's (a passer-by followed by mistake).

        A trip that began on them never happened: back to standing, the top read afresh. A
        trip of our person's that they interrupted keeps the frames before t0."""
        seg = self.segment
        if seg is None:
            self.top = TopStretch()
            return
        kept = [s for s in seg.samples if s[0] < t0]
        if not kept:
            self.segment, self.phase, self.top = None, Phase.STANDING, TopStretch()
            return
        seg.samples = kept
        seg.peak_t, seg.peak = max(((s[0], s[1]) for s in kept), key=lambda s: s[1])
        self._local_peak = seg.peak

    def _at_depth(self, seg: Segment, lean: float) -> bool:
        """At the counting depth, having gone down far enough from the top it started at."""
        descent = max(MIN_DESCENT * self.profile.count_lean, MIN_DESCENT_VIEW * self.count_lean)
        return lean >= self.count_lean and lean - seg.top_lean >= descent

    def _turned_down(self, seg: Segment, t: float, lean: float) -> Segment:
        """The rep ended at its highest point short of standing; the next has begun."""
        seg.end_t, seg.unlocked = self._ascent_low_t, True
        rises = [m.wrist_rise for st, _l, m in seg.samples if st >= seg.end_t]
        seg.turn_rise = max((r for r in rises if r == r), default=-math.inf)
        seg.samples = [s for s in seg.samples if s[0] <= seg.end_t]
        if seg.samples and seg.peak_t > seg.end_t:
            # The frame that turned it down is the next rep's: a jump in the reading there
            # (walking off read 54 deg after 28) must not become this one's depth.
            seg.peak_t, seg.peak = max(((s[0], s[1]) for s in seg.samples), key=lambda s: s[1])
        nxt = Segment(self._ascent_low_t, peak=lean, peak_t=t, top_lean=self._ascent_low)
        nxt.reached_bottom = self._at_depth(nxt, lean)
        self.segment = nxt
        self.phase = Phase.BOTTOM if nxt.reached_bottom else Phase.DESCENDING
        self._local_peak = lean
        self._after_rep = True
        self.last_end_t = seg.end_t
        return seg

    def _sample(self, t: float, lean: float, m: HingeMetrics) -> None:
        assert self.segment is not None
        self.segment.samples.append((t, lean, m))

    def _track_top(
        self, t: float, lean: float, m: HingeMetrics, hip_flex_rel: float, tilt: float | None
    ) -> None:
        top = self.top
        top.samples += 1
        top.recent.append((t, lean))
        if top.first_t != top.first_t:  # NaN: the top's first frame
            top.first_t = t
        if tilt is not None and math.isfinite(tilt) and t - top.first_t <= TOP_TILT_S:
            top.tilts.append(tilt)
        if top.judged is None and m.vert == m.vert:  # not NaN
            top.verts.append(m.vert)
        if lean < top.min_lean:
            top.min_lean = lean
        tol = max(3.0, self.noise * 0.4)
        if lean <= top.min_lean + tol:
            top.near_top_t = t
        # Settled: time spent within a band around one level (still falling restarts it).
        if not lean >= top.anchor - tol:
            top.anchor, top.settled_s = lean, 0.0
        elif lean <= top.anchor + tol and top.last_t == top.last_t:
            top.settled_s += t - top.last_t
        top.last_t = t
        if hip_flex_rel == hip_flex_rel and hip_flex_rel < top.min_hip_flex:  # not NaN
            top.min_hip_flex = hip_flex_rel
        if top.judged is None and top.settled_s >= SETTLED_TOP_S:
            top.judged = (top.min_lean, top.min_hip_flex)
        if m.wrist_rise == m.wrist_rise and m.wrist_rise > top.max_wrist_rise:
            top.max_wrist_rise = m.wrist_rise
