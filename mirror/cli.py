"""The `hinge-mirror` command line. User errors print one line and exit 2, never a traceback."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections.abc import Callable, Sequence

from mirror import __version__
from mirror.argtypes import max_fps
from mirror.errors import UserError

# Command modules that bring their own subcommands: each has register(subparsers).
PLUGIN_COMMANDS = (
    "mirror.analysis.eval_command",
    "mirror.sim.command",
    "mirror.app_command",
    "mirror.run_command",
    "mirror.bench",
)


def _add_model_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", metavar="PATH", help="MoveNet .tflite file (default: the cache)")
    p.add_argument("--backend", default="auto", choices=("auto", "litert", "tflite"))
    p.add_argument("--threads", type=int, default=2, help="inference threads (default 2)")
    p.add_argument("--no-tracking", action="store_true", help="always run on the whole frame")


def _add_max_fps(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-fps", type=max_fps, metavar="F",
                   help="analyse at most F frames a second, as a slower device would (a Pi 4 "
                   "runs the model at about 10)")


def _model_options(args: argparse.Namespace):
    from mirror.pose.stream import ModelOptions  # noqa: PLC0415

    if args.threads < 1:
        raise UserError(f"--threads {args.threads}: expected 1 or more")
    return ModelOptions(args.model, args.backend, args.threads, not args.no_tracking)


# --- pose ------------------------------------------------------------------------------------


def cmd_pose(args: argparse.Namespace) -> int:
    from mirror.camera.still import load_image  # noqa: PLC0415
    from mirror.pose.keypoints import KEYPOINT_NAMES  # noqa: PLC0415
    from mirror.pose.stream import open_estimator  # noqa: PLC0415

    image = load_image(args.image)
    estimator = open_estimator(_model_options(args))
    pose = estimator.refine(image) if estimator.tracking else estimator.estimate_image(image)
    out = {
        "width": pose.width,
        "height": pose.height,
        "keypoints": [
            {
                "name": n,
                "x": round(float(x), 2),
                "y": round(float(y), 2),
                "score": round(float(s), 4),
            }
            for n, (x, y, s) in zip(KEYPOINT_NAMES, pose.keypoints, strict=True)
        ],
    }
    if args.json:
        print(json.dumps(out))
    else:
        print(f"{args.image}: {pose.width}x{pose.height}, person score {pose.person_score():.2f}")
        for k in out["keypoints"]:
            print(f"  {k['name']:<15} x={k['x']:8.1f} y={k['y']:8.1f} score={k['score']:.2f}")
    return 0


# --- record ----------------------------------------------------------------------------------


def cmd_record(args: argparse.Namespace) -> int:
    """Written to a temporary file that replaces --out only at the end: a failing source keeps
    an existing --out as it was, and --out may be the source itself (it is read to the end
    before it is replaced)."""
    from mirror.fileio import replacing  # noqa: PLC0415
    from mirror.pose.recording import RecordingWriter  # noqa: PLC0415
    from mirror.pose.stream import open_pose_stream  # noqa: PLC0415

    stream = open_pose_stream(args.source, _model_options(args), args.max_fps)
    n = found = 0
    try:
        with replacing(args.out, "--out", ".jsonl", allow_device=True) as tmp, \
                RecordingWriter(tmp, stream.header) as writer:
            for t, pose in stream.poses:
                writer.write(t, pose)
                n += 1
                found += pose is not None
    except OSError as e:
        raise UserError(f"{args.out}: cannot write ({e.strerror or e})") from None
    print(f"{args.out}: {n} frames, a person in {found}", file=sys.stderr)
    return 0


# --- count -----------------------------------------------------------------------------------


def cmd_count(args: argparse.Namespace) -> int:
    from mirror.analysis.counting import count_stream  # noqa: PLC0415
    from mirror.analysis.profiles import get_profile  # noqa: PLC0415
    from mirror.pose.stream import open_pose_stream  # noqa: PLC0415

    profile = get_profile(args.exercise)
    stream = open_pose_stream(args.source, _model_options(args), args.max_fps)
    t0 = time.perf_counter()
    result = count_stream(stream.poses, profile.id)
    wall = time.perf_counter() - t0
    out = result.to_json()
    out["source"] = str(args.source)
    if args.profile:
        out["timing"] = _timing(stream, wall, result.frames)
    if args.json:
        print(json.dumps(out))
    else:
        print(result.summary())
        if args.profile:
            print(json.dumps(out["timing"], indent=1))
    return 0


def _timing(stream, wall_s: float, frames: int) -> dict:
    """Per-frame cost of count with decoding excluded, against the bare invoke() time."""
    s = stream.stats
    if not stream.from_video or not frames:
        return {"frames": frames, "per_frame_ms": round(wall_s / max(frames, 1) * 1000, 4)}
    import statistics  # noqa: PLC0415

    decode = sum(s.decode)
    invoke = sum(s.invoke)
    per_frame = (wall_s - decode) / frames
    return {
        "frames": frames,
        "model_runs": s.model_runs,
        "backend": stream.backend,
        "decode_ms_median": round(statistics.median(s.decode) * 1000, 3),
        "preprocess_ms_median": round(statistics.median(s.preprocess) * 1000, 3),
        "invoke_ms_median": round(statistics.median(s.invoke) * 1000, 3),
        "invoke_ms_mean_per_frame": round(invoke / frames * 1000, 3),
        "per_frame_ms_excl_decode": round(per_frame * 1000, 3),
        "ratio_to_invoke": round(per_frame / (invoke / frames), 3) if invoke else None,
    }


# --- model -----------------------------------------------------------------------------------


def cmd_model(args: argparse.Namespace) -> int:
    from mirror.pose import backend, model_store  # noqa: PLC0415

    if args.threads < 1:  # before anything runs or is recorded in the self-test cache
        raise UserError(f"--threads {args.threads}: expected 1 or more")
    if args.action == "path":
        print(model_store.find_model(args.model).path)
    elif args.action == "fetch":
        dest = model_store.fetch(urls=args.url or model_store.MODEL_URLS)
        print(dest)
    elif args.action == "verify":
        loc = model_store.find_model(args.model)
        digest = model_store.verify(loc.path)
        from mirror.pose.movenet import MoveNetEstimator  # noqa: PLC0415

        model = backend.open_model(loc.path, args.backend, args.threads)
        MoveNetEstimator(model)  # checks the input/output shapes are MoveNet's
        print(f"{loc.path}: ok (sha256 {digest[:12]}..., {model.backend}, from {loc.origin})")
    elif args.action == "selftest":
        loc = model_store.find_model(args.model)
        results = backend.selftest(loc.path, args.threads)
        if args.json:
            print(json.dumps(results))
        else:
            for r in results:
                mark = "ok  " if r["ok"] else "FAIL"
                print(f"{mark} {r['distribution']} {r['version']}: {r['how']}")
        if not any(r["ok"] for r in results):
            print("no inference backend passed the self-test", file=sys.stderr)
            return 1
    return 0


def _url(text: str) -> str:
    """An http(s):// or file:// address (urllib raises ValueError deep inside otherwise)."""
    from urllib.parse import urlsplit  # noqa: PLC0415

    try:
        parts = urlsplit(text)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) or \
            parts.scheme == "file" and bool(parts.path)
    except ValueError:
        ok = False
    if not ok:
        raise UserError(f"--url {text!r}: expected an http://, https:// or file:// address")
    return text


# --- parser ----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hinge-mirror", description="A smart-mirror coach for the hip hinge."
    )
    parser.add_argument("--version", action="version", version=f"hinge-mirror {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("pose", help="keypoints of the person in one image")
    p.add_argument("image")
    p.add_argument("--json", action="store_true")
    _add_model_options(p)
    p.set_defaults(func=cmd_pose)

    p = sub.add_parser("count", help="count reps in a video or keypoint recording")
    p.add_argument("source", help="video file or .jsonl keypoint recording")
    p.add_argument("--exercise", required=True, metavar="ID")
    p.add_argument("--json", action="store_true")
    p.add_argument("--profile", action="store_true", help="report per-frame cost by stage")
    _add_max_fps(p)
    _add_model_options(p)
    p.set_defaults(func=cmd_count)

    p = sub.add_parser("record", help="write a keypoint recording of a video (no images kept)")
    p.add_argument("source", help="video file (or a recording, to rewrite it)")
    p.add_argument("--out", required=True, metavar="FILE.jsonl")
    _add_max_fps(p)
    _add_model_options(p)
    p.set_defaults(func=cmd_record)

    p = sub.add_parser("model", help="find, download, verify and self-test the pose model")
    p.add_argument("action", choices=("path", "fetch", "verify", "selftest"))
    p.add_argument("--json", action="store_true")
    p.add_argument("--url", action="append", type=_url,
                   help="download from this address (repeatable)")
    _add_model_options(p)
    p.set_defaults(func=cmd_model)

    for name in PLUGIN_COMMANDS:
        try:
            module = importlib.import_module(name)
        except ImportError as e:
            if e.name != name:  # the module exists but something it needs does not
                raise
            continue
        register: Callable = module.register
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from mirror.memory import tune_malloc  # noqa: PLC0415

    tune_malloc()  # before any thread starts: flat memory over months (see mirror.memory)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)  # mirror.argtypes checkers raise UserError here
        return int(args.func(args) or 0)
    except UserError as e:
        print(f"hinge-mirror: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
