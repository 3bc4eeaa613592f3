"""Dev probe: the suite's exercise sets started another way (default: at the mirror), counted.

    python tools/dev/startprobe.py 0 [--start from-mirror|walk-in] [--max-fps 10] > out.jsonl

Deadlift sets that start at the bar on the floor keep that start. One JSON line per set (name,
view, reps counted and true, rep end times counted and true); a summary on stderr. Simulated
recordings are cached under /tmp/hm/probe (delete to re-simulate)."""

from __future__ import annotations

import argparse
import json
import pickle
import sys
from dataclasses import replace
from pathlib import Path

from mirror.analysis.counting import count_stream
from mirror.analysis.eval_command import at_rate
from mirror.analysis.evaluation import Case
from mirror.sim import EXERCISES, simulate, suite

CACHE = Path("/tmp/hm/probe")


def cases(seed: int, start: str) -> list[Case]:
    path = CACHE / f"start_{start}_{seed}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    out = []
    for spec in suite(380, seed):
        if spec.exercise not in EXERCISES or spec.start == "bottom":
            continue
        res = simulate(replace(spec, start=start))
        times = [(r.start_s, r.end_s, tuple(r.faults)) for r in res.truth.reps]
        out.append(Case(spec.name, spec.exercise, res.truth.view, res.truth.count, times,
                        poses=res.recording.frames, camera_height_m=spec.camera_height_m))
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("seed", type=int)
    ap.add_argument("--start", default="from-mirror")
    ap.add_argument("--max-fps", type=float)
    a = ap.parse_args()
    exact = n = 0
    for case in cases(a.seed, a.start):
        case = at_rate(case, a.max_fps)
        res = count_stream(case.poses, case.exercise)
        n += 1
        exact += res.reps == case.true_reps
        print(json.dumps({
            "seed": a.seed, "case": case.name, "view": case.view, "reps": res.reps,
            "true_reps": case.true_reps,
            "ends": [round(d.end_s, 2) for d in res.rep_details],
            "true_ends": [round(e, 2) for _s, e, _f in case.true_rep_times]}))
    print(f"seed {a.seed} start {a.start}: {exact} of {n} exact", file=sys.stderr)


if __name__ == "__main__":
    main()
