"""Compare two casedump outputs: cases whose count or faults changed, and exact-count totals.

    python tools/dev/casediff.py old.jsonl new.jsonl"""

from __future__ import annotations

import json
import sys


def load(path: str) -> dict[str, dict]:
    return {r["case"]: r for r in map(json.loads, open(path))}


def main() -> None:
    old, new = load(sys.argv[1]), load(sys.argv[2])
    counts = faults = 0
    for name, a in old.items():
        b = new.get(name)
        if b is None:
            print(f"only in old: {name}")
            continue
        if a["reps"] != b["reps"]:
            counts += 1
            print(f"count {name}: {a['reps']} -> {b['reps']} (true {a['true']})")
        elif a["faults"] != b["faults"]:
            faults += 1
    ex_a = sum(r["reps"] == r["true"] for r in old.values())
    ex_b = sum(r["reps"] == r["true"] for r in new.values())
    print(f"{len(old)} cases: exact {ex_a} -> {ex_b}; counts changed {counts}, "
          f"faults changed (same count) {faults}")


if __name__ == "__main__":
    main()
