"""`hinge-mirror eval`: the counter and the fault rules against simulated and labelled data.

Per exercise and view: exact-count rate, off-by-one rate, mean absolute error; false reps on
non-exercise motion (walking, waving, standing, leaving and re-entering); fault precision and
recall, matching detected reps to true reps by time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from mirror.analysis.counting import CountResult, count_stream

NON_EXERCISE_PROFILES = ("hip-hinge", "deadlift", "kettlebell-swing")
# Facing the person from below chest height, a hinge moves the head along the line of sight
# and reads shallower than it is (see README, "Where to put the camera"): the per-view rows
# show the front view split at this camera height, so its share of the misses is visible.
LOW_CAMERA_M = 1.2


@dataclass
class Case:
    """One labelled recording: what was done, and the truth."""

    name: str
    exercise: str  # the profile to count with
    view: str
    true_reps: int
    true_rep_times: list[tuple[float, float, tuple[str, ...]]] = field(default_factory=list)
    motion: bool = False  # a non-exercise motion: any counted rep is a false rep
    poses: object = None  # iterable of (t, Pose | None)
    camera_height_m: float | None = None  # simulated cases: the camera's height above floor


@dataclass
class Outcome:
    case: Case
    result: CountResult


@dataclass
class FaultTally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def run_case(case: Case) -> Outcome:
    return Outcome(case, count_stream(case.poses, case.exercise))


def _match(outcome: Outcome) -> list[tuple[set[str], set[str]]]:
    """Pairs (true faults, detected faults) for reps matched by time (greedy, in order)."""
    detected = list(outcome.result.rep_details)
    pairs = []
    for start, end, faults in outcome.case.true_rep_times:
        best = None
        for i, d in enumerate(detected):
            if start - 0.3 <= d.end_s <= end + 1.5:
                best = i
                break
        if best is None:
            pairs.append((set(faults), set()))
        else:
            pairs.append((set(faults), set(detected.pop(best).faults)))
    for d in detected:  # extra detections: their faults are false positives
        pairs.append((set(), set(d.faults)))
    return pairs


def summarise(outcomes: Iterable[Outcome]) -> dict:
    groups: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
    motions: dict[str, list[Outcome]] = defaultdict(list)
    faults: dict[str, dict[str, FaultTally]] = defaultdict(lambda: defaultdict(FaultTally))
    for o in outcomes:
        if o.case.motion:
            motions[o.case.name.split(":")[0]].append(o)
            continue
        groups[(o.case.exercise, o.case.view)].append(o)
        for truth, found in _match(o):
            for f in truth | found:
                tally = faults[o.case.view][f]
                if f in truth and f in found:
                    tally.tp += 1
                elif f in found:
                    tally.fp += 1
                else:
                    tally.fn += 1
    table = [{"exercise": ex, "view": view, **_rates(outs)}
             for (ex, view), outs in sorted(groups.items())]
    by_view: dict[str, list[Outcome]] = defaultdict(list)
    for (_ex, view), outs in groups.items():
        by_view[view] += outs
        if view == "front":
            for o in outs:
                h = o.case.camera_height_m
                if h is not None:
                    low = h < LOW_CAMERA_M
                    by_view[f"front, camera {'<' if low else '>='} {LOW_CAMERA_M:g} m"].append(o)
    views = [{"view": v, **_rates(outs)} for v, outs in sorted(by_view.items())]
    motion_rows = [
        {"motion": m, "n": len(outs), "false_reps": sum(o.result.reps for o in outs)}
        for m, outs in sorted(motions.items())
    ]
    fault_rows = [
        {"view": v, "fault": f, "tp": t.tp, "fp": t.fp, "fn": t.fn,
         "precision": round(t.precision, 3), "recall": round(t.recall, 3)}
        for v, per in sorted(faults.items()) for f, t in sorted(per.items())
    ]
    return {"counts": table, "views": views, "non_exercise": motion_rows, "faults": fault_rows}


def _rates(outs: list[Outcome]) -> dict:
    errs = [o.result.reps - o.case.true_reps for o in outs]
    return {
        "n": len(outs),
        "exact": sum(e == 0 for e in errs) / len(errs),
        "off_by_one": sum(abs(e) <= 1 for e in errs) / len(errs),
        "mae": sum(abs(e) for e in errs) / len(errs),
    }


def format_table(summary: dict) -> str:
    out = ["exercise          view     n  exact  off-by-1   MAE"]
    for r in summary["counts"]:
        out.append(f"{r['exercise']:<17} {r['view']:<7} {r['n']:>3}  {r['exact']:5.1%}  "
                   f"{r['off_by_one']:7.1%}  {r['mae']:5.2f}")
    out.append("")
    out.append("all exercises by view          n  exact  off-by-1   MAE")
    for r in summary.get("views", []):
        out.append(f"{r['view']:<28} {r['n']:>3}  {r['exact']:5.1%}  {r['off_by_one']:7.1%}  "
                   f"{r['mae']:5.2f}")
    out.append("")
    out.append("non-exercise motion      n  false reps")
    for r in summary["non_exercise"]:
        out.append(f"{r['motion']:<22} {r['n']:>3}  {r['false_reps']:>5}")
    out.append("")
    out.append("view     fault            tp   fp   fn  precision  recall")
    for r in summary["faults"]:
        out.append(f"{r['view']:<8} {r['fault']:<15} {r['tp']:>4} {r['fp']:>4} {r['fn']:>4}  "
                   f"{r['precision']:9.3f}  {r['recall']:6.3f}")
    return "\n".join(out)
