"""`hinge-mirror sim`: write a simulated keypoint recording (or the whole suite) with its truth."""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from mirror.argtypes import number, positive
from mirror.errors import UserError
from mirror.sim.spec import STARTS

_VIEWS = {"side": 90.0, "oblique": 45.0, "front": 0.0, "side-left": 90.0, "side-right": -90.0}


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "sim", help="simulate an athlete: write a keypoint recording and print the truth"
    )
    p.add_argument(
        "--exercise",
        default="rdl",
        metavar="ID",
        help="hip-hinge, rdl, deadlift, kettlebell-swing, good-morning, "
        "single-leg-rdl, or a motion: squat, walk, wave, stand, leave-return",
    )
    p.add_argument(
        "--view",
        default="side",
        metavar="VIEW",
        help="side | oblique | front | a yaw in degrees (0 front, +90 left side)",
    )
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--sets", type=int, default=1)
    p.add_argument("--fps", type=positive("--fps", maximum=1000), default=15.0)
    p.add_argument("--size", default="720x1280", metavar="WxH")
    p.add_argument("--distance", type=number("--distance", minimum=0.5, maximum=50), default=2.5,
                   metavar="M")
    p.add_argument("--camera-height", type=number("--camera-height", minimum=0, maximum=10),
                   default=1.2, metavar="M")
    p.add_argument("--noise", type=number("--noise", minimum=0, maximum=100), default=1.0)
    p.add_argument("--dropout", type=number("--dropout", minimum=0, maximum=1), default=0.02)
    p.add_argument("--mirrored", action="store_true")
    p.add_argument(
        "--faults",
        default="",
        metavar="LIST",
        help="faults for every rep (squatting,shallow) or per rep (2:squatting,3:shallow;"
        " reps count from 1)",
    )
    p.add_argument("--start", default="stand", choices=STARTS)
    p.add_argument("--end", default="stand", choices=("stand", "floor"))
    p.add_argument("--stance", default="alternate", choices=("alternate", "left", "right"))
    p.add_argument("--seed", type=number("--seed", minimum=0, maximum=2**32 - 1, integer=True),
                   default=0)
    p.add_argument("--out", metavar="FILE.jsonl", help="write the recording here")
    p.add_argument(
        "--suite",
        metavar="DIR",
        help="write the whole evaluation suite and DIR/manifest.json instead",
    )
    p.add_argument("--n", type=int, default=320, help="suite size (default 320)")
    p.set_defaults(func=cmd_sim)


def parse_view(text: str) -> float:
    if text in _VIEWS:
        return _VIEWS[text]
    try:
        yaw = float(text)
    except ValueError:
        yaw = math.nan
    if not -360 <= yaw <= 360:  # also NaN and infinities
        raise UserError(
            f"--view {text!r}: expected side, oblique, front or a yaw in degrees (-360 to 360)"
        )
    return yaw


def parse_faults(text: str, reps: int) -> tuple[tuple[str, ...], ...]:
    if not text.strip():
        return ()
    per: list[list[str]] = [[] for _ in range(reps)]
    for item in text.split(","):
        item = item.strip()
        if ":" in item:
            num, fault = item.split(":", 1)
            try:
                i = int(num) - 1
            except ValueError:
                raise UserError(
                    f"--faults {item!r}: expected REP:FAULT with REP a number"
                ) from None
            if not 0 <= i < reps:
                raise UserError(f"--faults {item!r}: rep {i + 1} is not within 1..{reps}")
            per[i].append(fault.strip())
        else:
            for rep in per:
                rep.append(item)
    return tuple(tuple(r) for r in per)


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise UserError(f"--size {text!r}: expected WIDTHxHEIGHT, e.g. 720x1280") from None
    if w <= 0 or h <= 0:
        raise UserError(f"--size {text!r}: width and height must be positive")
    return w, h


def cmd_sim(args: argparse.Namespace) -> int:
    from mirror.pose.recording import write_recording  # noqa: PLC0415
    from mirror.sim.athlete import simulate  # noqa: PLC0415
    from mirror.sim.spec import SimSpec  # noqa: PLC0415
    from mirror.sim.suite import suite  # noqa: PLC0415

    if args.suite:
        if args.n < 1:
            raise UserError(f"--n {args.n}: expected 1 or more")
        out = Path(args.suite)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise UserError(f"--suite {out}: cannot create directory ({e.strerror})") from None
        manifest = []
        for spec in suite(args.n, args.seed):
            res = simulate(spec)
            name = f"{spec.name}.jsonl"
            write_recording(out / name, res.recording)
            manifest.append(
                {
                    "name": spec.name,
                    "file": name,
                    "spec": spec.to_json(),
                    "truth": res.truth.to_json(),
                }
            )
        (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
        print(f"wrote {len(manifest)} recordings and manifest.json to {out}")
        return 0
    w, h = _size(args.size)
    spec = SimSpec(
        exercise=args.exercise,
        reps=args.reps,
        sets=args.sets,
        yaw_deg=parse_view(args.view),
        distance_m=args.distance,
        camera_height_m=args.camera_height,
        fps=args.fps,
        width=w,
        height=h,
        noise=args.noise,
        dropout=args.dropout,
        mirrored=args.mirrored,
        faults=parse_faults(args.faults, args.reps),
        start=args.start,
        end=args.end,
        stance=args.stance,
        seed=args.seed,
    )
    res = simulate(spec)
    if args.out:
        try:
            write_recording(args.out, res.recording)
        except OSError as e:
            raise UserError(f"--out {args.out}: cannot write ({e.strerror})") from None
    json.dump(res.truth.to_json(), sys.stdout)
    print()
    return 0
