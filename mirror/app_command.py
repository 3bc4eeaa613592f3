"""`hinge-mirror demo`: the whole mirror with a simulated athlete as the source.

register(subparsers) is called by mirror/cli.py. pygame and the app are imported only when the
command runs, so other commands stay quick to start.
"""

from __future__ import annotations

import argparse
import logging
import os
from dataclasses import replace

from mirror.argtypes import positive
from mirror.fileio import check_writable_target

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="the mirror app with a simulated athlete (no camera needed)")
    p.add_argument("--headless", action="store_true", help="no window, even if a display exists")
    p.add_argument("--seconds", type=positive("--seconds"), metavar="N",
                   help="stop after N seconds (default: until quit; 30 s without a display)")
    p.add_argument("--screenshot", metavar="FILE.png", help="save what the mirror shows at the end")
    p.add_argument("--config", metavar="FILE", help="config TOML (default: user config, if any)")
    p.add_argument("--size", metavar="WxH", help="screen size (default 1080x1920 headless, a "
                   "540x960 window otherwise)")
    p.add_argument("--exercise", metavar="ID", help="exercise to start with")
    p.add_argument("--speed", type=positive("--speed", maximum=1000), default=1.0,
                   help="simulation speed factor")
    p.add_argument("--mute", action="store_true", help="no sound")
    p.add_argument("--history", metavar="FILE.db", help="history database (default: none, the "
                   "demo does not write your history)")
    p.add_argument("--stand-in", action="store_true",
                   help="scripted athlete and analysis instead of mirror.sim and the engine")
    p.add_argument("--inference", action="store_true",
                   help="render the athlete as images and run the real pose model on them "
                   "(the live pipeline, minus the camera)")
    p.add_argument("--model", metavar="PATH", help="MoveNet .tflite for --inference")
    p.add_argument("--threads", type=int, default=2, help="inference threads for --inference")
    p.set_defaults(func=cmd_demo)


def _size(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    from mirror.errors import UserError  # noqa: PLC0415

    try:
        w, h = (int(x) for x in text.lower().split("x"))
    except ValueError:
        raise UserError(f"--size {text}: expected WIDTHxHEIGHT, e.g. 1080x1920") from None
    if not (200 <= w <= 10000 and 200 <= h <= 10000):
        raise UserError(f"--size {text}: each side must be 200..10000 pixels")
    return w, h


def cmd_demo(args: argparse.Namespace) -> int:
    from mirror.config import EXERCISES, load_config  # noqa: PLC0415
    from mirror.errors import UserError  # noqa: PLC0415

    if args.exercise is not None and args.exercise not in EXERCISES:
        raise UserError(f"--exercise {args.exercise}: expected one of {', '.join(EXERCISES)}")
    if args.screenshot is not None:  # before the run, not after it
        check_writable_target(args.screenshot, "--screenshot")
    config = load_config(args.config)
    size = _size(args.size)
    headless = bool(args.headless)
    if headless:
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    session = replace(config.session, summary_s=5.0, rest_s=30.0, leave_grace_s=2.0,
                      session_timeout_s=600.0)
    exercises = config.exercises
    if args.exercise:
        exercises = replace(exercises, start=args.exercise,
                            order=exercises.order if args.exercise in exercises.order
                            else (args.exercise, *exercises.order))
    sound = replace(config.sound, muted=True) if args.mute else config.sound
    config = replace(config, session=session, exercises=exercises, sound=sound)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.inference and args.stand_in:
        raise UserError("--inference and --stand-in: choose one")
    if args.threads < 1:
        raise UserError(f"--threads {args.threads}: expected 1 or more")
    model = (args.model, args.threads) if args.inference else None
    stats = run_demo(config, headless=headless, seconds=args.seconds,
                     screenshot=args.screenshot, size=size, speed=args.speed,
                     history=args.history, stand_in=args.stand_in, model=model)
    print(stats.summary())
    if args.screenshot:
        print(f"screenshot: {args.screenshot}")
    return 0


def build_demo_source(config, speed: float = 1.0, stand_in: bool = False,
                      model: tuple[str | None, int] | None = None):
    """(producer, analyzer): mirror.sim's athlete and the real engine, or the scripted stand-in
    (deterministic, and what runs where mirror.sim is missing). model=(path, threads): the
    athlete is rendered and goes through the live pipeline with the real pose model."""
    from mirror.analysis.engine import HingeAnalyzer  # noqa: PLC0415
    from mirror.session.demo import ScriptAnalyzer, ScriptedAthlete, SimShow  # noqa: PLC0415
    from mirror.session.producer import PoseProducer, SwitchableAnalyzer  # noqa: PLC0415

    start = config.exercises.start
    if not stand_in:
        try:
            import mirror.sim  # noqa: F401, PLC0415
        except ImportError:
            log.info("mirror.sim not available: using the scripted stand-in athlete")
            stand_in = True
    if model is not None:
        from mirror.pipeline import Pipeline  # noqa: PLC0415
        from mirror.pose.stream import ModelOptions, open_estimator  # noqa: PLC0415
        from mirror.session.demo import SimFrameSource  # noqa: PLC0415

        estimator = open_estimator(ModelOptions(model[0], "auto", model[1]))
        analyzer = SwitchableAnalyzer(start, HingeAnalyzer)
        source = SimFrameSource(SimShow(lambda: analyzer.target_exercise))
        return Pipeline(source, estimator, analyzer, realtime=True), analyzer
    if not stand_in:
        analyzer = SwitchableAnalyzer(start, HingeAnalyzer)
        show = SimShow(lambda: analyzer.target_exercise)
        return PoseProducer(show.poses, analyzer, speed=speed), analyzer
    athlete = ScriptedAthlete(start)
    analyzer = SwitchableAnalyzer(start, lambda ex: ScriptAnalyzer(athlete, ex))

    def poses():
        t = 0.0
        while True:
            yield t, athlete.pose_at(t)
            t += 1 / 15

    return PoseProducer(poses, analyzer, speed=speed), analyzer


def run_demo(config, *, headless: bool, seconds: float | None, screenshot: str | None,
             size: tuple[int, int] | None = None, speed: float = 1.0,
             history: str | None = None, stand_in: bool = False,
             model: tuple[str | None, int] | None = None):
    from mirror.app import run_app  # noqa: PLC0415
    from mirror.session.demo import Director  # noqa: PLC0415

    if size is None:
        size = (1080, 1920) if headless else (540, 960)
    config = replace(config, display=replace(config.display, width=size[0], height=size[1]))
    producer, analyzer = build_demo_source(config, speed, stand_in, model)
    return run_app(config, producer, analyzer, headless=headless, window=size,
                   seconds=seconds, screenshot=screenshot, history=history or None,
                   buttons=False, director=Director(), headless_seconds=30.0)
