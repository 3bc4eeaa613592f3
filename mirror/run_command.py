"""`hinge-mirror run`: the kiosk on the real camera.

The camera is the Pi camera (picamera2) where there is one, else the first USB webcam, as the
config's [camera] says. Errors at start (no camera, no model) do not end the kiosk: the error
screen says what is wrong and it retries until the cable is back or the model is there.
`--check` opens camera and model once and exits, for the installer and for people wiring up.
"""

from __future__ import annotations

import argparse
import logging
import os

from mirror.argtypes import positive


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="the kiosk on the real camera (Pi camera, else a webcam)")
    p.add_argument("--config", metavar="FILE", help="config TOML (default: the user config)")
    p.add_argument("--camera", choices=("auto", "picamera2", "webcam"),
                   help="override [camera] source")
    p.add_argument("--model", metavar="PATH", help="override [model] path")
    p.add_argument("--threads", type=int, help="override [model] threads")
    p.add_argument("--headless", action="store_true", help="no window (for tests and logging)")
    p.add_argument("--seconds", type=positive("--seconds"), metavar="N",
                   help="stop after N seconds")
    p.add_argument("--screenshot", metavar="FILE.png", help="save what the mirror shows at the end")
    p.add_argument("--no-buttons", action="store_true", help="do not open the GPIO buttons")
    p.add_argument("--check", action="store_true",
                   help="open the camera and the model once, report, and exit")
    p.set_defaults(func=cmd_run)


def _settings(config, args):
    from mirror.camera.open import CameraSettings  # noqa: PLC0415
    from mirror.pose.stream import ModelOptions  # noqa: PLC0415

    c = config.camera
    camera = CameraSettings(
        source=args.camera or c.source, device=c.device, fps=c.fps, rotate=c.rotate,
        mirror=c.mirror, webcam_size=(c.webcam_width, c.webcam_height),
    )
    threads = args.threads or config.model.threads or max(1, (os.cpu_count() or 2) - 1)
    model = ModelOptions(args.model or config.model.path or None, config.model.backend, threads,
                         selftest_first=True)
    return camera, model


def cmd_run(args: argparse.Namespace) -> int:
    from mirror.config import load_config  # noqa: PLC0415
    from mirror.errors import UserError  # noqa: PLC0415

    if args.threads is not None and args.threads < 1:
        raise UserError(f"--threads {args.threads}: expected 1 or more")
    if args.screenshot is not None:  # before the run, not after it
        from mirror.fileio import check_writable_target  # noqa: PLC0415

        check_writable_target(args.screenshot, "--screenshot")
    config = load_config(args.config)
    camera, model = _settings(config, args)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.check:
        return _check(camera, model)
    if args.headless:
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

    from mirror.analysis.engine import HingeAnalyzer  # noqa: PLC0415
    from mirror.app import run_app, system_poweroff  # noqa: PLC0415
    from mirror.camera.open import ReconnectingSource, open_camera  # noqa: PLC0415
    from mirror.pipeline import Pipeline  # noqa: PLC0415
    from mirror.pipeline.affinity import pin_current_thread, pinned, plan_cores  # noqa: PLC0415
    from mirror.pose.stream import open_estimator  # noqa: PLC0415
    from mirror.session.producer import RetryingProducer, SwitchableAnalyzer  # noqa: PLC0415

    analyzer = SwitchableAnalyzer(config.exercises.start, HingeAnalyzer)
    # The model's threads on cores of their own; the UI (this thread), camera and analysis
    # on the others (see mirror.pipeline.affinity). Threads started from here inherit it.
    plan = plan_cores(model.threads)
    cores_before = pin_current_thread(plan.rest) if plan is not None else None

    def build() -> Pipeline:
        with pinned(plan.model if plan else None):  # the backend's workers are born here
            estimator = open_estimator(model)  # a missing model: shown on screen, retried
        first = open_camera(camera)  # no camera at all: shown on screen, retried
        source = ReconnectingSource(lambda: open_camera(camera), first=first)
        return Pipeline(source, estimator, analyzer, pin_cores=plan is not None)

    producer = RetryingProducer(build)
    try:
        stats = run_app(config, producer, analyzer, headless=args.headless,
                        seconds=args.seconds, screenshot=args.screenshot,
                        buttons=not args.no_buttons, on_shutdown=system_poweroff)
    finally:
        if cores_before is not None:
            pin_current_thread(frozenset(cores_before))
    print(stats.summary())
    return 0


def _check(camera, model) -> int:
    """Open each part once and say which works: what the installer runs after setting up."""
    from mirror.camera.open import open_camera  # noqa: PLC0415
    from mirror.errors import UserError  # noqa: PLC0415
    from mirror.pose.stream import open_estimator  # noqa: PLC0415

    ok = True
    try:
        est = open_estimator(model)
        print(f"model: ok ({est.model.path}, {est.model.backend}, {est.model.threads} threads)")
    except UserError as e:
        ok = False
        print(f"model: FAIL {e}")
    try:
        source = open_camera(camera)
        w, h = source.size
        print(f"camera: ok ({type(source).__name__}, {w}x{h} at {source.fps:g} fps)")
        source.close()
    except UserError as e:
        ok = False
        print(f"camera: FAIL {e}")
    return 0 if ok else 1
