"""Dev probe: per-rep fault metrics of one exercise over suite seeds (for tuning a rule).

    python tools/dev/faultprobe.py single-leg-rdl 0 13 [--max-fps 10] > reps.jsonl
    python tools/dev/faultprobe.py all 0 3 --view front > reps.jsonl

One line per true rep (or one per case when it has none): the case, its spec, the rep's true
faults and the matched detection's faults and metrics, with the case's counted and true reps.

Simulated recordings are cached under /tmp/hm/probe (delete to re-simulate)."""

from __future__ import annotations

import argparse
import json
import pickle
from pathlib import Path

from mirror.analysis.counting import count_stream
from mirror.analysis.eval_command import at_rate
from mirror.analysis.evaluation import Case
from mirror.sim import EXERCISES, simulate, suite

CACHE = Path("/tmp/hm/probe")


def cases(exercise: str, seed: int, view: str | None) -> list[tuple[object, Case]]:
    path = CACHE / f"{exercise}_{view or 'all'}_{seed}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    out = []
    for spec in suite(380, seed):
        if spec.exercise != exercise and not (exercise == "all" and spec.exercise in EXERCISES):
            continue
        if view and spec.view != view:
            continue
        res = simulate(spec)
        times = [(r.start_s, r.end_s, tuple(r.faults)) for r in res.truth.reps]
        out.append((spec, Case(spec.name, spec.exercise, res.truth.view, res.truth.count, times,
                               poses=res.recording.frames,
                               camera_height_m=spec.camera_height_m)))
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("exercise")
    ap.add_argument("first", type=int)
    ap.add_argument("last", type=int)
    ap.add_argument("--max-fps", type=float)
    ap.add_argument("--view", help="only cases seen from this view (side, oblique, front)")
    a = ap.parse_args()
    for seed in range(a.first, a.last + 1):
        for spec, case in cases(a.exercise, seed, a.view):
            if a.view and case.view != a.view:
                continue
            case = at_rate(case, a.max_fps)
            res = count_stream(case.poses, case.exercise)
            # metrics of matched detections, in truth order (evaluation's greedy match)
            left = list(res.rep_details)
            for k, (start, end, faults) in enumerate(case.true_rep_times or [(0, 0, ())]):
                hit = next((d for d in left if start - 0.3 <= d.end_s <= end + 1.5), None)
                if hit is not None:
                    left.remove(hit)
                print(json.dumps({
                    "seed": seed, "case": case.name, "view": case.view, "yaw": spec.yaw_deg,
                    "cam_h": spec.camera_height_m, "dist": spec.distance_m, "noise": spec.noise,
                    "rep": k, "true": sorted(faults),
                    "found": None if hit is None else sorted(hit.faults),
                    "metrics": None if hit is None else hit.metrics,
                    "reps": res.reps, "true_reps": case.true_reps,
                    "exercise": spec.exercise}))


if __name__ == "__main__":
    main()
