"""Dev probe: every case of the eval suite, counted, one JSON line each (for comparing two
versions of the analysis case by case: `diff` two dumps, or tools/dev/casediff.py).

    PYTHONPATH=<checkout> python tools/dev/casedump.py SEED [--max-fps 10] > seed.jsonl

The simulated suite (eval's --n 380) is cached under /tmp/hm/probe (delete to re-simulate)."""

from __future__ import annotations

import argparse
import json
import pickle
from pathlib import Path

from mirror.analysis.eval_command import at_rate, sim_cases
from mirror.analysis.evaluation import run_case

CACHE = Path("/tmp/hm/probe")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("seed", type=int)
    ap.add_argument("--n", type=int, default=380)
    ap.add_argument("--max-fps", type=float)
    a = ap.parse_args()
    path = CACHE / f"suite_{a.n}_{a.seed}.pkl"
    if path.exists():
        cases = pickle.loads(path.read_bytes())
    else:
        cases = sim_cases(a.n, a.seed)
        CACHE.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(cases))
    for case in cases:
        o = run_case(at_rate(case, a.max_fps))
        print(json.dumps({
            "case": case.name, "exercise": case.exercise, "view": case.view,
            "reps": o.result.reps, "true": case.true_reps,
            "faults": [sorted(d.faults) for d in o.result.rep_details]}))


if __name__ == "__main__":
    main()
