"""The `eval` subcommand: run the counter over the simulated suite and labelled recordings."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from mirror.analysis.evaluation import (
    NON_EXERCISE_PROFILES,
    Case,
    format_table,
    run_case,
    summarise,
)
from mirror.analysis.profiles import EXERCISE_IDS
from mirror.argtypes import max_fps
from mirror.errors import UserError
from mirror.pose.stream import at_most


def sim_cases(n: int, seed: int) -> list[Case]:
    from mirror.sim import EXERCISES, simulate, suite  # noqa: PLC0415

    cases = []
    for spec in suite(n, seed):
        res = simulate(spec)
        truth = res.truth
        times = [(r.start_s, r.end_s, tuple(r.faults)) for r in truth.reps]
        frames = res.recording.frames
        if spec.exercise in EXERCISES:
            cases.append(Case(spec.name, spec.exercise, truth.view, truth.count, times,
                              poses=frames, camera_height_m=spec.camera_height_m))
        elif spec.exercise == "squat":
            # Squats under a hinge profile: each counts, flagged as squatting.
            sq = [(a, b, ("squatting",)) for a, b, _f in times]
            cases.append(Case(spec.name, "hip-hinge", truth.view, truth.count, sq, poses=frames,
                              camera_height_m=spec.camera_height_m))
        else:
            for profile in NON_EXERCISE_PROFILES:
                cases.append(Case(f"{spec.exercise}:{spec.name}:{profile}", profile, truth.view,
                                  0, motion=True, poses=frames))
    return cases


def labelled_cases(path: Path) -> list[Case]:
    """A JSON file: {"recording.jsonl": {"exercise": ID, "reps": N, "view": V}, ...}."""
    from mirror.pose.stream import open_pose_stream  # noqa: PLC0415

    try:
        labels = json.loads(path.read_text())
    except (OSError, ValueError, RecursionError) as e:
        raise UserError(f"{path}: cannot read labels ({e})") from None
    if not isinstance(labels, dict):
        raise UserError(f"{path}: expected a JSON object of recording: label, like {LABEL_SHAPE}")
    cases = []
    for name, lab in labels.items():
        exercise, reps, view = _label(path, name, lab)
        stream = open_pose_stream(path.parent / name)
        cases.append(Case(name, exercise, view, reps, poses=list(stream.poses)))
    return cases


LABEL_SHAPE = '{"clip.jsonl": {"exercise": "rdl", "reps": 3, "view": "side"}}'
LABEL_VIEWS = ("side", "oblique", "front", "real")


def _label(path: Path, name: str, lab: object) -> tuple[str, int, str]:
    """One entry checked: (exercise, reps, view), or a one-line error naming the entry."""
    where = f"{path}: {name!r}"
    if not isinstance(lab, dict):
        raise UserError(f"{where}: expected an object like {LABEL_SHAPE}")
    exercise, reps, view = lab.get("exercise"), lab.get("reps"), lab.get("view", "real")
    if exercise not in EXERCISE_IDS:
        known = ", ".join(EXERCISE_IDS)
        raise UserError(f"{where}: exercise {exercise!r}; expected one of {known}")
    if not isinstance(reps, int) or isinstance(reps, bool) or reps < 0:
        raise UserError(f"{where}: reps {reps!r}; expected a whole number, 0 or more")
    if view not in LABEL_VIEWS:
        raise UserError(f"{where}: view {view!r}; expected one of {', '.join(LABEL_VIEWS)}")
    return exercise, reps, view


def at_rate(case: Case, max_fps: float | None) -> Case:
    """The case as a device analysing at most `max_fps` frames a second sees it: the
    recording's frames thinned as `count --max-fps` thins them (a Pi 4 keeps about every
    third frame of a 30 fps camera), the truth unchanged."""
    if not max_fps:
        return case
    return replace(case, poses=list(at_most(iter(case.poses), max_fps)))


def cmd_eval(args: argparse.Namespace) -> int:
    cases = sim_cases(args.n, args.seed) if args.n else []
    for labels in args.labels or []:
        cases += labelled_cases(Path(labels))
    if not cases:
        raise UserError("nothing to evaluate: give --n > 0 or --labels FILE")
    outcomes = []
    for i, case in enumerate(cases, 1):
        outcomes.append(run_case(at_rate(case, args.max_fps)))
        if args.verbose:
            o = outcomes[-1]
            mark = "" if o.result.reps == case.true_reps else "  <-- MISS"
            print(f"{i:4d} {case.name}: {o.result.reps}/{case.true_reps}{mark}", file=sys.stderr)
    summary = summarise(outcomes)
    print(json.dumps(summary) if args.json else format_table(summary))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("eval", help="count accuracy and fault precision/recall on a suite")
    p.add_argument("--n", type=int, default=320, help="simulated recordings (0: none)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--labels", action="append", metavar="FILE.json",
                   help="labelled recordings: {file: {exercise, reps, view}}")
    p.add_argument("--max-fps", type=max_fps, metavar="F",
                   help="analyse each recording at most F frames a second, as a slower device "
                   "would (a Pi 4 runs the model at about 10)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--verbose", action="store_true")
    p.set_defaults(func=cmd_eval)
