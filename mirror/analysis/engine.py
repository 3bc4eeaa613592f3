"""The analysis engine: one call per pose, returns the new state and any new events.

    analyzer = HingeAnalyzer("rdl")
    update = analyzer.update(t, pose_or_none)
    update.state   -> AnalysisState (draw it)
    update.reps    -> RepEvents finished by this pose (chime / log them)
    update.cue     -> a Cue to speak now, or None

Pipeline inside: gate + One Euro smoothing -> metrics -> calibration/view -> lean beyond
standing -> phase machine -> faults -> coach. Cheap enough to run right after inference.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, replace

import numpy as np

from mirror.analysis.arrival import body_cut_off, feet_moving, hips_at_edge, since_arrival
from mirror.analysis.calibration import LEGS_CUT, Baseline, Calibrator, start_lean
from mirror.analysis.coach import Coach
from mirror.analysis.depth import DepthSignals
from mirror.analysis.events import AnalysisState, Cue, Phase, RepEvent, View
from mirror.analysis.faults import hips_reached, lockout_fault, rep_faults, tempo
from mirror.analysis.filters import KeypointConditioner
from mirror.analysis.metrics import HingeMetrics, compute_metrics, near_side
from mirror.analysis.phases import PhaseMachine, Segment
from mirror.analysis.profiles import get_profile
from mirror.analysis.replog import RepLog, RepRecord
from mirror.analysis.swing import BellCycles, hands_low, one_hand_up
from mirror.analysis.tracking import PersonTracker, Verdict
from mirror.pose.keypoints import Pose

LOST_AFTER_S = 1.0  # no person this long: they left; re-calibrate when they return
# ... unless they stood on their spot when lost and are found on it again within this long: the
# model lost them for a moment (bent over at the bottom of a pull, for 1.1 s in the simulated
# suite), and the rep in progress goes on instead of restarting half-way up as a "pull from the
# floor" too short to count.
HELD_S = 2.5
FORCE_CALIBRATION_S = 3.0  # visible but never still: calibrate from the most upright moments
SWING_ARMS_WAIT_S = 0.9  # after the hips lock, the bell must rise within this
SWING_ARMS_RISE = 0.2  # wrists above the hips by this fraction of the torso (0.3 missed
# floats at 10 fps, whose frames can straddle the bell's peak; parking or picking up the bell
# keeps the wrists at or below the hips)
# The feet moving this many torso lengths in a rep (from the segment's start, the last moment
# at the top): walking, not a rep. Counted reps moved them 0.19-0.32 at most per seed in the
# simulated suite, 0.24 on the real clips (a far lifter's ankles jitter); turning to walk away
# took them 0.43-0.56 inside a dip, and 2.4 in the half second before its lean crossed in.
FEET_TRAVEL = 0.35
# Under this even a rushed hinge (down and up) is no rep: a jump in the reading (a person
# turning to walk away read 55 deg for 0.33 s). The shortest simulated rep took 1.0 s.
QUICK_REP_S = 0.45
# The torso this much taller than calibrated as a dip starts: the person came up close to the
# camera, where the standing calibration no longer holds.
CLOSER = 1.3
# A rep begun at the bottom (a pull from the floor) bent something to reach the bar: short of
# the exercise's target lean, the hips this far below standing (fraction of their height) or
# the hip or knee this many degrees more bent than standing. The last steps of a walk back,
# or the turn to the bar, can start a replay in what reads as such a bottom: 32-37 deg of
# lean with the hips at -0.02..0.01, hip and knee within 4 deg of standing (5 simulated sets
# started at the mirror); a real one read short at 10 fps from a forced early baseline:
# 32 deg, hips 0.07, hip 17.5 deg.
FLOOR_HIP_DROP = 0.03
FLOOR_BEND_DEG = 8.0
# Away from the top this long: no rep's bottom lasts so long (a paused RDL holds 1-2 s); a person
# read as bent over by a baseline from somewhere else (the mirror's buttons) may be re-based.
STUCK_S = 3.0
SWING_GAP_S = 0.3  # no pose this long while waiting for the bell: it rose unseen ...
SWING_SEEN_S = 0.45  # ... unless the arms were seen low this long after the hips locked first
# Arms seen low after such a gap, or after one through the hips' whole rise: the bell floated
# unseen only if it swings back between the legs, a new bend within this long (a parked bell
# stays down, and so do the hands: seed-10 suite recordings 093 and 033).
SWING_BLIND_S = 0.9
NOISE_FLOOR = {View.SIDE: 8.0, View.OBLIQUE: 14.0, View.FRONT: 16.0, View.UNKNOWN: 14.0}
# Facing the camera, depth is only foreshortening: shallow lean is lost in its noise.
COUNT_FLOOR = {View.SIDE: 0.0, View.OBLIQUE: 0.0, View.FRONT: 28.0, View.UNKNOWN: 24.0}


@dataclass(frozen=True)
class AnalysisUpdate:
    state: AnalysisState
    reps: tuple[RepEvent, ...] = ()
    cue: Cue | None = None


class HingeAnalyzer:
    def __init__(self, exercise: str) -> None:
        self.profile = get_profile(exercise)
        self.conditioner = KeypointConditioner()
        self.calibrator = Calibrator(self.profile.hands_high)
        self.coach = Coach()
        self.log = RepLog(self.profile.target_lean)
        self.last_view = View.UNKNOWN
        self._reset_person()
        self._state = AnalysisState(exercise=self.profile.id)

    # -- lifecycle ----------------------------------------------------------------------------

    def _reset_person(self) -> None:
        """Forget who is in view (they left, or someone else came) but keep the counts."""
        self.conditioner.reset()
        self.calibrator.reset()
        self._first_seen_t: float | None = None
        self.tracker = PersonTracker(self.profile.single_leg)
        self._reset_reading()
        self._prev_t = -math.inf  # the last analysed frame
        self._side: int | None = None  # the body side the joint angles are measured on
        self._held = False  # lost on their spot a moment ago: see HELD_S

    def _reset_reading(self, keep: HingeMetrics | None = None) -> None:
        """Drop what was read from the frames so far (phases, depth signals, swings); keep
        `keep` as the only history."""
        self.machine: PhaseMachine | None = None
        self._history: deque[HingeMetrics] = deque([keep] if keep else [], maxlen=300)
        self._signals = DepthSignals()
        self._pending_top_rep: RepRecord | None = None
        self._swing: tuple[Segment, float] | None = None
        self._blind = -math.inf  # the pending swing's float may be unseen: a bend till then counts
        self._bells = BellCycles()

    def _relocated(self, m: HingeMetrics) -> None:
        """The person stands still, tall and smaller than calibrated: they walked back from the
        camera (the mirror's buttons) to their spot. Whatever the phases made of the walk (the
        smaller body reads bent over, a "bottom" that never ends) is dropped, not counted; the
        counts stay. The calibrator has the new baseline already."""
        self._reset_reading(keep=m)

    def reset(self) -> None:
        """A new set: counts and cues start again; the person stays calibrated."""
        self.log.clear()
        self.coach.reset()
        if self.machine is not None:
            old = self.machine
            self.machine = PhaseMachine(self.profile, old.noise, old.count_floor)
            self.machine.foreshortened = old.foreshortened
        self._pending_top_rep = None
        self._state = replace(self._state, reps=0, partial_reps=0, last_rep=None, cue=None)

    @property
    def reps(self) -> int:
        return self.log.reps

    @property
    def baseline(self) -> Baseline | None:
        return self.calibrator.baseline

    # -- per frame ----------------------------------------------------------------------------

    def update(self, t: float, pose: Pose | None) -> AnalysisUpdate:
        if pose is None or not pose.has_person():
            return self._missing(t, "Step into view")
        kps = pose.keypoints
        if self._held:  # back after a gap _missing held the person through
            self._held = False
            last = self._last_seen_t
            near = last is not None and t - last <= HELD_S
            if near and self.tracker.finds_home(kps, self._body_size(kps)):
                self.conditioner.reset()  # the same person: only the joint filter is stale
            else:
                self._reset_person()
        if not self._same_person(t, kps):
            return self._missing(t, "Someone else is in view", stranger=True)
        if self._first_seen_t is None:
            self._first_seen_t = t
        size = self._body_size(kps)
        xy = self.conditioner(t, kps, size)
        self._side = near_side(kps[:, 2], self._side)
        m = compute_metrics(t, xy, kps[:, 2], self._side)
        if not (math.isfinite(m.vert) and m.vert > 0):
            return self._emit(t, person=True, message="Turn so I can see your shoulders and hips")
        # Too close (at the mirror's buttons) or half out of the picture: nothing here is a rep.
        edge = hips_at_edge(kps, pose.width, pose.height)
        if edge == "side":
            if self.machine is None:
                # Not learnt from, but kept for where they came from: the walk in from the
                # picture's side is no part of the set to replay (at 10 fps, without these
                # frames two steps were all that was left of it, replayed as a pull).
                self._history.append(m)
            return self._emit(t, person=True, message="Move to the middle so I can see all of you")
        if m.ratio > LEGS_CUT or edge:
            return self._emit(t, person=True, message="Step back so I can see your legs")
        cut_off = body_cut_off(kps, pose.height)
        if self.machine is not None or not cut_off:
            # Before the first calibration, a body the picture cuts off (feet at its bottom
            # edge, or shoulders at its top) is the person at the mirror's buttons: not the
            # standing a forced calibration guesses, nor part of the set to replay.
            self._history.append(m)
        at_top = self.machine is None or self.machine.phase is Phase.STANDING
        seg = self.machine.segment if self.machine is not None else None
        stuck = seg is not None and m.t - seg.start_t > STUCK_S
        calibrated_now = self.calibrator.update(m, at_top, stuck, cut_off)
        if self.calibrator.relocated:
            self._relocated(m)
        base = self.calibrator.baseline
        # Not while walking, but for a pull from the floor: side-on the plates hide its
        # ankles, whose guesses jump 0.4-0.5 torso lengths in real clips (as in _finish).
        if (base is None and t - self._first_seen_t > FORCE_CALIBRATION_S
                and (self.profile.floor_start or not feet_moving(self._history))):
            base = self.calibrator.force(self._history)
        if base is None:
            return self._emit(t, person=True, message="Stand tall and still to start")
        reps: list[RepEvent] = []
        cue: Cue | None = None
        lean = 0.0
        if self.machine is None:
            # First calibration: replay what was seen before it, so a rep done while the
            # baseline was being learned (or a pull from the floor) is judged like any other.
            view = self._signals.view(base)
            self.machine = PhaseMachine(self.profile, NOISE_FLOOR[view], COUNT_FLOOR[view])
            frames = since_arrival(list(self._history) or [m], base.vert, self.profile.single_leg)
        else:
            frames = [m]
        settled = self._signals.settled
        leans, switched = [], []
        for fm in frames:
            leans.append(self._signals.depth(fm, base))
            switched.append(self._signals.source_changed)
        if not settled and self._signals.settled:
            reps.extend(self._reread_partials(base))
        view = self._signals.view(base)  # the yaw fit may have corrected the width's view
        if calibrated_now or view is not self.last_view:
            self.machine.noise = NOISE_FLOOR[view]
            self.machine.count_floor = COUNT_FLOOR[view]
            self.machine.foreshortened = view is View.FRONT
        self.last_view = view
        if self.machine.fresh:
            self.machine.begin(frames[0].t, start_lean(frames, leans))
        for fm, lean, switch in zip(frames, leans, switched, strict=True):
            if switch and self.machine.phase is Phase.STANDING:
                self.machine.reanchor(fm.t, lean)  # the lean changed source mid-stand
            try:
                _lean, rep, step_cue = self._advance(fm, base, lean)
            finally:
                self._prev_t = fm.t
            if rep is not None:
                reps.append(rep)
            cue = step_cue or cue
        return self._emit(t, person=True, lean=lean, reps=reps, cue=cue)

    def lean(self, m: HingeMetrics, base: Baseline) -> float:
        """Torso lean beyond standing (see DepthSignals.lean)."""
        return self._signals.lean(m, base)

    def _advance(
        self, m: HingeMetrics, base: Baseline, lean: float
    ) -> tuple[float, RepEvent | None, Cue | None]:
        machine = self.machine
        assert machine is not None
        hip_rel = m.hip_flex - base.hip_flex if math.isfinite(base.hip_flex) else math.nan
        cue = None
        was_standing = machine.phase is Phase.STANDING
        # The torso's own tilt feeds only the top's posture (standing, or arriving there).
        at_top = machine.phase in (Phase.STANDING, Phase.ASCENDING)
        seg = machine.step(m.t, lean, m, hip_rel, self._signals.tilt(m, base) if at_top else None)
        if was_standing and machine.phase is not Phase.STANDING:
            cue = self._judge_lockout(m.t, base)
        swing = None
        if self.profile.needs_arm_swing:  # at 45 deg the lean tells the hips' drive too
            deep = machine.count_lean if self.last_view is View.OBLIQUE else None
            facing = machine.count_lean if self.last_view is View.FRONT else None
            swing = self._bells.update(m, lean, base.vert, deep, facing)
        by_bell = self.profile.needs_arm_swing and self.last_view in (View.FRONT, View.OBLIQUE)
        if by_bell:
            seg = swing  # facing the camera, the bell's trips count swings (see swing.py)
        elif seg is not None and self.profile.needs_arm_swing and not hands_low(seg, base):
            seg = None  # the bell never swung between the legs (arms up all along: a wave)
        elif swing is not None and self._dip_unseen():
            seg, swing.unseen = swing, True
        if seg is not None and self.profile.needs_arm_swing and seg.reached_bottom and not by_bell:
            # A swing counts when the bell rises as the hips lock: wait for the arms (a bell's
            # trip ends at its float, where they have risen already).
            # Hips that never locked (down again short of standing): the bell floated, if at
            # all, before the turn down (seed-9 suite recording 159: its last swing floated the
            # bell at a 16 deg lean, then went down to park it).
            rise = SWING_ARMS_RISE * base.vert
            floated = seg.turn_rise > rise
            if not floated and not any(
                sm.wrist_rise > rise for t, _l, sm in seg.samples if t >= seg.peak_t
            ):
                self._await_bell(seg, m.t)
                seg = None
        elif self._swing is not None:
            seg = self._resolve_swing(m, base)
        if seg is not None:
            rec = self._finish(seg, base)
            if rec is not None:
                if rec.event.counted and self.profile.needs_arm_swing:
                    self._bells.spent(m.t)  # one float, one swing, whichever view counted it
                cue = self.coach.after_rep(m.t, rec.event.faults, self.last_view) or cue
                return lean, rec.event, cue
        return lean, None, cue

    def _dip_unseen(self) -> bool:
        """Side-on, the bell floated again after the person was lost for the whole dip in
        between (seed-9 suite recording 039: no pose for 0.8 s from the last float's top):
        the hips were seen standing on both sides, the bell low and up again. A float of a
        dip the hips saw is theirs to count (a segment ended since the last float)."""
        machine, bells = self.machine, self._bells
        assert machine is not None
        return (
            bells.after_gap and machine.phase is Phase.STANDING and self._swing is None
            and machine.last_end_t <= bells.before
        )

    def _await_bell(self, seg: Segment, t: float) -> None:
        """The hips locked at t with the arms down: the swing waits for its bell (if the
        person was lost through the rise, its float may have gone unseen: SWING_BLIND_S)."""
        rise = [st for st, _l, _m in seg.samples if st >= seg.peak_t] + [t]
        unseen = any(b - a > SWING_GAP_S for a, b in zip(rise, rise[1:], strict=False))
        self._swing = (seg, t + SWING_ARMS_WAIT_S)
        self._blind = t + SWING_BLIND_S if unseen else -math.inf

    def _resolve_swing(self, m: HingeMetrics, base: Baseline) -> Segment | None:
        """The pending swing counts once the bell rises; a new deep bend or a long wait
        without it means the bell was picked up or parked (set-up, not a rep)."""
        assert self._swing is not None and self.machine is not None
        pending, deadline = self._swing
        locked = deadline - SWING_ARMS_WAIT_S
        risen = m.wrist_rise > SWING_ARMS_RISE * base.vert or self._bells.out_of_sight(m.t, locked)
        # Unseen for a while just when the bell should rise: it may have floated unseen (but
        # the bell floats as the hips lock: arms seen still down well after it is a bell parked).
        if m.t - self._prev_t > SWING_GAP_S and self._prev_t - locked < SWING_SEEN_S:
            self._blind = m.t + SWING_BLIND_S
        bend = self.machine.phase is not Phase.STANDING and m.t <= self._blind
        if risen or bend:
            self._swing = None
            pending.end_t = m.t if risen else self._prev_t
            return pending
        if self.machine.phase is Phase.BOTTOM or m.t > max(deadline, self._blind):
            self._swing = None
        return None

    def finish(self, t: float) -> AnalysisUpdate:
        """End of the source or of the set: judge the last lockout, maybe praise."""
        base = self.calibrator.baseline
        cue = self._judge_lockout(t, base) if base else None
        cue = cue or self.coach.set_end(t, self.reps)
        return self._emit(t, person=self._state.person_visible, cue=cue)

    # -- pieces -------------------------------------------------------------------------------

    def _same_person(self, t: float, kps: np.ndarray) -> bool:
        """Our person's body, or a stranger's (see tracking.py)."""
        tracker = self.tracker
        verdict = tracker.check(t, kps, self._body_size(kps), LOST_AFTER_S)
        if verdict is Verdict.STRANGER:
            return False
        if verdict is Verdict.ADOPTED:  # the new body stayed: our person now, recalibrate
            self._reset_person()
            self.tracker = tracker
        elif verdict is Verdict.RETURNED and tracker.forget_from is not None:
            self._forget_since(tracker.forget_from)
        return True

    @property
    def _last_seen_t(self) -> float | None:
        return self.tracker.last_seen_t  # our person's last accepted frame

    def _forget_since(self, t0: float) -> None:
        """The frames since t0 were a passer-by's, followed by mistake: drop them."""
        self.conditioner.reset()  # its memory is the passer-by's joints
        while self._history and self._history[-1].t >= t0:
            self._history.pop()
        if self.machine is not None:
            self.machine.forget_since(t0)

    @staticmethod
    def _body_size(kps: np.ndarray) -> float:
        # Plain floats: numpy's per-call overhead dominates on four points, every frame.
        (lsx, lsy), (rsx, rsy) = kps[5:7, :2].tolist()  # shoulders
        (lhx, lhy), (rhx, rhy) = kps[11:13, :2].tolist()  # hips
        sx, sy = lsx + rsx - lhx - rhx, lsy + rsy - lhy - rhy
        return max(math.hypot(sx / 2, sy / 2), 1.0)

    def _missing(self, t: float, message: str, stranger: bool = False) -> AnalysisUpdate:
        last = self._last_seen_t
        if last is not None and t - last > LOST_AFTER_S and not stranger:
            if self.tracker.at_home and t - last <= HELD_S:
                self._held = True
            else:
                self._reset_person()
        visible = last is not None and t - last <= LOST_AFTER_S
        return self._emit(t, person=visible, message="" if visible else message)

    def _finish(self, seg: Segment, base: Baseline) -> RepRecord | None:
        p = self.profile
        duration = seg.end_t - seg.start_t
        quick_dive = seg.peak >= p.target_lean and not seg.bottom_first  # a rushed rep
        quick_ok = duration >= (p.min_rep_s / 2 if p.needs_arm_swing else QUICK_REP_S)
        if duration < p.min_rep_s and not (quick_dive and quick_ok):
            return None
        if seg.start_scale(base.vert) > CLOSER:
            return None  # came up close to the camera: not where the calibration was made
        counted = seg.reached_bottom or (
            self.last_view is View.OBLIQUE and not p.single_leg
            and hips_reached(seg, base, self._signals.yaw_sin(base), self.machine.count_lean)
        )
        if seg.bottom_first and not p.floor_start:
            return None  # lifting the bar or bell into position is set-up, not a rep
        if not counted and seg.peak < max(p.partial_lean, self.machine.noise + 8.0):
            return None  # a sway, not an attempt
        # Walking about: a rep keeps the feet where they are. Not asked of a pull begun at the
        # floor (the walk in is cut off by since_arrival; side-on the plates hide its ankles,
        # whose guesses moved 0.4-0.5 torso lengths in real side-on clips at 10 fps).
        if not (p.single_leg or seg.bottom_first) and (
            seg.feet_travel(self._history) > FEET_TRAVEL * base.vert
        ):
            return None
        if one_hand_up(seg, base):
            return None  # waving (a far person's torso reads short by 15 % as the hips drift)
        if seg.samples and not seg.unseen:
            faults, metrics = rep_faults(
                seg, p, base, self.last_view, counted, self._signals.yaw_sin(base)
            )
        else:
            faults, metrics = [], {"peak_lean": round(seg.peak, 1)}
        if seg.bottom_first and seg.peak < p.target_lean and _nothing_bent(metrics):
            return None  # a step or a turn as the replay starts, not a pull from the floor
        if counted and not seg.unseen:
            faults = self.log.judge_depth(seg.peak, faults)
        if counted and seg.unlocked and p.needs_arm_swing and self.last_view is not View.FRONT:
            # A swing down again before the hips straightened: its top is the lockout missed
            # (no standing follows it to be judged on).
            faults = [*faults, "no_lockout"] if "no_lockout" not in faults else faults
        tp = tempo(seg)
        number = self.reps + (1 if counted else 0)
        event = RepEvent(
            number=number, counted=counted, start_s=round(seg.start_t, 3),
            end_s=round(seg.end_t, 3), bottom_s=round(seg.peak_t, 3),
            depth=round(seg.peak / p.target_lean, 3), down_s=round(tp.down_s, 2),
            pause_s=round(tp.pause_s, 2), up_s=round(tp.up_s, 2), faults=tuple(faults),
            metrics=metrics,
        )
        peak_m = next((sm for st, _l, sm in seg.samples if st == seg.peak_t), None)
        rec = RepRecord(event, faults, None if counted else peak_m)
        self.log.records.append(rec)
        self._pending_top_rep = rec if counted else None
        return rec

    def _reread_partials(self, base: Baseline) -> list[RepEvent]:
        """Once the yaw and the forward direction are learnt (the first deep rep), the
        partials before it are read again: at 45 deg the standing width's yaw guess and an
        unsigned tilt under-read a shallow first rep by 5-10 deg."""
        assert self.machine is not None
        return self.log.reread(lambda m: self._signals.reread(m, base), self.machine.count_lean)

    def _judge_lockout(self, t: float, base: Baseline | None) -> Cue | None:
        rec, self._pending_top_rep = self._pending_top_rep, None
        if rec is None or base is None or self.machine is None:
            return None
        lean, hip = self.machine.top.lockout_levels()
        top = {"top_lean": round(lean, 1), "top_hip_flex": round(hip, 1)}
        rec.event = replace(rec.event, metrics={**rec.event.metrics, **top})
        missed = lockout_fault(self.machine.top, self.last_view, base.vert)
        if missed and "no_lockout" not in rec.faults:
            rec.faults.append("no_lockout")
            rec.event = replace(rec.event, faults=tuple(rec.faults))
            return self.coach.after_rep(t, ("no_lockout",), self.last_view)
        return None

    def _emit(
        self, t: float, person: bool, lean: float = 0.0, reps: list[RepEvent] | None = None,
        cue: Cue | None = None, message: str = "",
    ) -> AnalysisUpdate:
        base = self.calibrator.baseline
        machine = self.machine
        partial = self.log.partials
        last = self.log.records[-1].event if self.log.records else None
        state = AnalysisState(
            t=t, exercise=self.profile.id, person_visible=person,
            calibrated=base is not None, view=self.last_view if base else View.UNKNOWN,
            phase=machine.display_phase(t) if (machine and person) else Phase.NOT_READY,
            reps=self.reps, partial_reps=partial,
            depth=round(max(0.0, lean) / self.profile.target_lean, 3),
            last_rep=last, cue=cue or self._state.cue, message=message,
        )
        self._state = state
        return AnalysisUpdate(state, tuple(reps or ()), cue)


def _nothing_bent(metrics: dict[str, float]) -> bool:
    """Hips, hip and knee all read as standing (see FLOOR_HIP_DROP). Unknown is not nothing:
    side-on the plates hide a floor pull's ankles, and the pull keeps the benefit."""
    drop = metrics.get("hip_drop", math.nan)
    hip, knee = metrics.get("hip_flex", math.nan), metrics.get("knee_flex", math.nan)
    return drop < FLOOR_HIP_DROP and hip < FLOOR_BEND_DEG and knee < FLOOR_BEND_DEG
