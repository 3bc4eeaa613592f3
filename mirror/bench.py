"""`hinge-mirror bench`: the full real-time pipeline, headless, with its numbers.

Runs source -> MoveNet -> analysis -> a drawn frame over a clip, a keypoint recording or the
live camera, and reports per-stage medians and p95, end-to-end fps, motion-to-photon latency,
and how the per-frame pipeline time compares with the bare model: invoke() on the same
interpreter, timed in the same run right before the pipeline starts.

pipeline_ms is the mean interval between consecutive analysed frames in steady state
(1000 / fps). The stages overlap on threads, so this is set by the slowest stage plus whatever
the others steal from it (CPU, the GIL), not by the sum of the stage times.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mirror.argtypes import positive
from mirror.camera.frame import FrameSource
from mirror.errors import SourceError, UserError
from mirror.fileio import why_unreadable
from mirror.pipeline import Pipeline, Samples
from mirror.pipeline.measure import Interleaver, bare_invoke, rss_mb
from mirror.pipeline.replay import LoopingSource, RecordedPoses, RecordingSource
from mirror.pipeline.ui_stand_in import StandInUI, kiosk_ui

# A clip through the model is looped to at least this much source time (a longer one plays once).
MIN_CLIP_SECONDS = 60.0

STAGES = (
    "capture", "preprocess", "invoke", "postprocess", "estimate", "analysis", "render", "wait",
)


# -- the run ----------------------------------------------------------------------------------


@dataclass
class BenchResult:
    data: dict[str, Any]

    def text(self) -> str:
        d = self.data
        lines = [
            f"source    {d['source']}",
            f"backend   {d.get('backend') or '-'}  threads {d.get('threads') or '-'}  "
            f"model {d.get('model') or '-'}",
            f"frames    {d['frames_in']} read, {d['outputs']} analysed, {d['dropped']} dropped, "
            f"{d['model_runs_per_frame']} model runs/frame",
            "",
            f"{'stage':<12}{'median ms':>10}{'p95 ms':>10}",
        ]
        for name, st in d["stages"].items():
            lines.append(f"{name:<12}{_f(st['median_ms']):>10}{_f(st['p95_ms']):>10}")
        lat = d["latency_ms"]
        lines += [
            "",
            f"bare invoke()     {_f(d['invoke_ms'])} ms per run ({_f(d['model_fps'])} fps allowed; "
            f"median {_f(d.get('invoke_all_ms'))} ms)"
            + _seg_text(d.get("ratio_segments")),
            f"pipeline          {_f(d['pipeline_ms'])} ms per frame = {_f(d['fps'])} fps "
            f"(ratio {_f(d['ratio'], 3)}, {_f(d['fps_vs_model'], 3)}x model fps)",
            f"latency           camera->analysed p50 {_f(lat['analysed_p50'])} "
            f"p95 {_f(lat['analysed_p95'])} ms; camera->drawn p50 {_f(lat['drawn_p50'])} "
            f"p95 {_f(lat['drawn_p95'])} ms",
            f"memory            RSS {d['rss_start_mb']:.1f} MB at start, "
            f"{d['rss_end_mb']:.1f} MB at end (max {d['rss_max_mb']:.1f})",
        ]
        trace = d.get("rss_trace") or []
        if len(trace) > 2:
            pts = ", ".join(f"{mb:.1f}@{t:.0f}s" for t, mb in trace[:: max(1, len(trace) // 8)])
            lines.append(f"RSS over the run  {pts} (MB @ source time)")
        if d.get("errors"):
            lines.append(f"errors            {d['errors']} frames failed: {d.get('last_error')}")
        return "\n".join(lines)


def run_bench(
    source: FrameSource,
    estimator: Any,
    analyzer: Any,
    *,
    label: str,
    every_frame: bool = True,
    realtime: bool = False,
    seconds: float | None = None,
    ui: Callable[[Pipeline], Callable[[float], None]] | None = None,
    display_fps: float = 60.0,
    interleave: bool = True,
    segment_s: float = 1.0,
    info: dict[str, Any] | None = None,
    progress: Callable[[str], None] | None = None,
    pipeline_options: dict[str, Any] | None = None,
) -> BenchResult:
    """Measure the bare model, then run the pipeline to the end of the source (or `seconds`)
    while this thread plays the UI: one `step(now)` per display frame, as the kiosk does (it
    reads the newest output and reports what it drew; see Pipeline.mark_drawn)."""
    pipe = Pipeline(source, estimator, analyzer, every_frame=every_frame, realtime=realtime,
                    **(pipeline_options or {}))
    plan = pipe.core_plan
    cores = plan.model if plan is not None else None  # where the pipeline runs the model
    bare = bare_invoke(estimator, cores=cores)
    rss = Samples(100000)
    rss_trace: list[tuple[float, float, float]] = []  # (source s, MB, wall), every 2 s
    rss_start = rss_mb()
    step = (ui or (lambda p: StandInUI(p).step))(pipe)
    inter = None
    if bare is not None and interleave and every_frame:  # pausing a live source drops frames
        inter = Interleaver(pipe, estimator, bare, segment_s=segment_s)
    from mirror.ui.pacing import FramePacer  # noqa: PLC0415

    pacer = FramePacer(display_fps)  # the kiosk's own frame pacing
    t_end = None if seconds is None else time.monotonic() + seconds
    next_rss = 0.0
    last_out = None
    pipe.start()
    try:
        while not pipe.finished:
            now = pacer.wait(pipe)
            step(now)
            if inter is not None:
                inter.step(now)
            out = pipe.latest()
            if out is not None:
                last_out = out
            if now >= next_rss:
                mb = rss_mb()
                rss.add(mb)
                next_rss = now + 1.0
                if last_out is not None and (not rss_trace or now >= rss_trace[-1][2] + 2):
                    rss_trace.append((last_out.frame_t, mb, now))
                    if progress is not None:
                        progress(f"{last_out.frame_t:8.1f} s of source, RSS {mb:.1f} MB")
            if t_end is not None and now >= t_end:
                break
        if pipe.finished:
            step(time.monotonic())  # the last output reaches the screen too
        last_out = pipe.latest() or last_out
    finally:
        pipe.stop()
    rss_end = rss_mb()
    rss.add(rss_end)
    after = bare_invoke(estimator, cores=cores) if bare is not None else None
    if after is not None and bare is not None:
        for v in after.values():
            bare.add(float(v))
    if inter is not None:
        inter.finish(after)
    if pipe.error is not None:
        raise pipe.error
    s = pipe.stats
    n = s.outputs
    interval = s.steady_interval
    if interval is None or last_out is None:
        raise UserError(f"{label}: too few frames analysed ({n}) to measure")
    # Steady state: from the first analysed frame to the last (start-up not included),
    # counting only the time the pipeline ran (not the bare invoke() bursts between).
    pipeline_ms = interval * 1000.0
    if inter is not None and inter.pipeline_ms is not None:
        pipeline_ms = inter.pipeline_ms
    invoke_ms = _ms(float(bare.values().mean())) if bare else None  # a mean, as pipeline_ms
    if inter is not None and inter.invoke_ms is not None:
        invoke_ms = round(inter.invoke_ms, 3)
    fps = 1000.0 / pipeline_ms if pipeline_ms > 0 else None
    stages = {name: _stage(getattr(s, name)) for name in STAGES}
    if s.model_runs == 0:
        for name in ("preprocess", "invoke", "postprocess", "estimate"):
            stages.pop(name)
    data: dict[str, Any] = {
        "source": label,
        **(info or {}),
        "frames_in": s.frames_in,
        "outputs": n,
        "dropped": s.dropped,
        "model_runs_per_frame": round(s.model_runs / n, 3) if n else 0,
        "invoke_ms": invoke_ms,
        "invoke_p95_ms": _ms(bare.pct(95)) if bare else None,
        "model_fps": round(1000.0 / invoke_ms, 1) if invoke_ms else None,
        "pipeline_ms": round(pipeline_ms, 3),
        "ratio": round(pipeline_ms / invoke_ms, 3) if invoke_ms else None,
        "ratio_segments": _segments(inter),
        "invoke_all_ms": _ms(bare.pct(50)) if bare else None,
        "fps": round(fps, 1) if fps else None,
        "fps_vs_model": round(fps * invoke_ms / 1000.0, 3) if fps and invoke_ms else None,
        "stages": stages,
        "latency_ms": {
            "analysed_p50": _ms(s.latency_analysed.pct(50)),
            "analysed_p95": _ms(s.latency_analysed.pct(95)),
            "drawn_p50": _ms(s.latency_drawn.pct(50)),
            "drawn_p95": _ms(s.latency_drawn.pct(95)),
        },
        "interval_ms": {"p50": _ms(s.interval.pct(50)), "p95": _ms(s.interval.pct(95))},
        "wall_seconds": round(interval * (n - 1), 2),
        "rss_start_mb": round(rss_start, 1),
        "rss_end_mb": round(rss_end, 1),
        "rss_max_mb": round(max(rss.values().max(), rss_end), 1),
        "rss_trace": [[round(t, 1), round(mb, 1)] for t, mb, _ in rss_trace],
        "errors": s.errors,
    }
    if s.errors:
        data["last_error"] = pipe.last_error
    return BenchResult(data)


def _seg_text(seg: dict[str, Any] | None) -> str:
    if not seg:
        return ""
    return (f"\n                  machine held its speed beside {seg['steady']} of {seg['n']} "
            f"segments (segment ratio p50 {_f(seg['p50'], 3)}, p90 {_f(seg['p90'], 3)})")


def _segments(inter: Interleaver | None) -> dict[str, Any] | None:
    if inter is None:
        return None
    r = inter.ratios()
    used = inter.used()
    return {"n": len(inter.segments), "steady": sum(g.steady for g in inter.segments),
            "used_frames": sum(g.frames for g in used),
            "p50": _r(r.pct(50)), "p90": _r(r.pct(90))}


def _stage(samples: Samples) -> dict[str, float | None]:
    return {"median_ms": _ms(samples.pct(50), 3), "p95_ms": _ms(samples.pct(95), 3)}


def _ms(v: float | None, digits: int = 3) -> float | None:
    return None if v is None else round(v * 1000.0, digits)


def _r(v: float | None) -> float | None:
    return None if v is None else round(v, 3)


def _f(v: float | None, digits: int = 2) -> str:
    return "-" if v is None else f"{v:.{digits}f}"


# -- command line -----------------------------------------------------------------------------


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the `bench` command to the CLI's subparsers; it dispatches to `main(args)`."""
    p = subparsers.add_parser(
        "bench",
        help="measure the real-time pipeline (per-stage times, fps, latency vs bare invoke)",
        description="Run the full pipeline headless over a clip, a keypoint recording or the "
        "live camera, and report per-stage medians/p95, end-to-end fps, motion-to-photon "
        "latency and the ratio of per-frame pipeline time to bare invoke().",
    )
    p.add_argument("--source", help="video file or .jsonl recording (default: the live camera)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--model", help="model file (default: $HINGE_MIRROR_MODEL or the cache)")
    p.add_argument("--threads", type=int, default=None,
                   help="inference threads (default: CPU cores - 1, leaving one core for "
                   "capture, analysis and the UI)")
    p.add_argument("--backend", default="auto", help="auto, litert or tflite")
    p.add_argument("--exercise", default="hip-hinge", help="exercise id for the analyser")
    p.add_argument("--seconds", type=float, default=None,
                   help="stop after this many wall seconds (camera default: 30)")
    p.add_argument("--replay-minutes", type=float, default=0.0,
                   help="loop the source until this much source time passed (memory check)")
    p.add_argument("--realtime", action="store_true",
                   help="pace a file at its own fps and drop frames like a live camera")
    p.add_argument("--camera", choices=("auto", "picamera2", "webcam"),
                   help="override the config's [camera] source (live runs)")
    p.add_argument("--config", metavar="FILE", help="config TOML (default: the user config)")
    p.add_argument("--render", choices=("kiosk", "standin"), default="kiosk",
                   help="draw with the kiosk's own UI (default) or a minimal stand-in")
    p.add_argument("--display-fps", type=positive("--display-fps", maximum=1000), default=60.0,
                   help="UI frames per second")
    p.add_argument("--no-pin", action="store_true",
                   help="leave thread placement to the OS (the kiosk gives the model's thread "
                   "cores of its own)")
    p.set_defaults(func=main)
    return p


def main(args: argparse.Namespace) -> int:
    from mirror.analysis.engine import HingeAnalyzer  # noqa: PLC0415
    from mirror.config import load_config  # noqa: PLC0415

    if args.threads is not None and not 1 <= args.threads <= 64:
        raise UserError(f"--threads {args.threads}: expected 1..64")
    analyzer = HingeAnalyzer(args.exercise)
    config = load_config(args.config)  # the kiosk's camera and model settings, as `run` uses
    if args.threads is None and config.model.threads:
        args.threads = config.model.threads
    if args.model is None and config.model.path:
        args.model = config.model.path
    if args.backend == "auto":
        args.backend = config.model.backend
    info: dict[str, Any] = {}
    every_frame, seconds = not args.realtime, args.seconds
    if args.source and _is_recording(args.source):
        rec = RecordingSource(args.source)
        estimator: Any = RecordedPoses(rec)
        opener: Callable[[], FrameSource] = lambda: RecordingSource(args.source)  # noqa: E731
        first: FrameSource = rec
        info.update(backend=None, threads=None, model=None)
    else:
        estimator = _open_estimator(args)
        model = estimator.model
        info.update(backend=str(model.backend), threads=model.threads, model=str(model.path))
        if args.source:
            from mirror.camera.video import VideoFileSource  # noqa: PLC0415

            opener = lambda: VideoFileSource(args.source)  # noqa: E731
            first = opener()
        else:
            from mirror.camera.open import CameraSettings, open_camera  # noqa: PLC0415

            c = config.camera
            first = open_camera(CameraSettings(
                source=args.camera or c.source, device=c.device, fps=c.fps, rotate=c.rotate,
                mirror=c.mirror, webcam_size=(c.webcam_width, c.webcam_height),
            ))
            opener = None  # type: ignore[assignment]
            every_frame = False
            seconds = 30.0 if seconds is None else seconds
    loop_s = args.replay_minutes * 60.0
    if loop_s <= 0 and args.source and info.get("model") and not args.realtime:
        # A short clip ends after two or three segments, too few to set against the bare
        # model on a machine whose speed changes: loop it to MIN_CLIP_SECONDS of source.
        loop_s = MIN_CLIP_SECONDS
    if loop_s > 0:
        if opener is None:
            raise UserError("--replay-minutes needs --source (a clip or a recording)")
        first.close()
        source: FrameSource = LoopingSource(opener, loop_s)
    else:
        source = first
    label = args.source or f"camera ({type(first).__name__})"
    progress = None
    if args.replay_minutes > 0 and not args.json:
        progress = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    ui = None if args.render == "standin" else (lambda p: kiosk_ui(p, args.exercise))
    from mirror.app import KIOSK_SWITCH_INTERVAL_S  # noqa: PLC0415

    result = run_bench(source, estimator, analyzer, label=label, every_frame=every_frame,
                       realtime=args.realtime, seconds=seconds, ui=ui,
                       display_fps=args.display_fps, info=info, progress=progress,
                       pipeline_options={"switch_interval_s": KIOSK_SWITCH_INTERVAL_S,
                                         "pin_cores": not args.no_pin})
    if args.json:
        print(json.dumps(result.data))
    else:
        print(result.text())
    return 0


def _is_recording(path: str) -> bool:
    from mirror.pose.recording import is_recording_path  # noqa: PLC0415

    p = Path(path)
    if why := why_unreadable(p):
        raise SourceError(f"{p}: {why}")
    return is_recording_path(p)


def _open_estimator(args: argparse.Namespace) -> Any:
    from mirror.pipeline.affinity import pinned, plan_cores  # noqa: PLC0415
    from mirror.pose.stream import ModelOptions, open_estimator  # noqa: PLC0415

    opts = ModelOptions(model=args.model, backend=args.backend)
    opts.threads = args.threads if args.threads is not None else default_threads()
    plan = None if args.no_pin else plan_cores(opts.threads)
    with pinned(plan.model if plan else None):  # the backend's worker threads are born here
        return open_estimator(opts)


def default_threads() -> int:
    """Inference threads for the live pipeline: all cores but one. The model's threads split
    each invoke() evenly, so one core busy with capture or drawing would make every invoke()
    wait for its slowest thread."""
    return max(1, (os.cpu_count() or 2) - 1)
