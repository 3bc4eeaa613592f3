"""Pose streams: what every analysis command reads, from a video (through the model) or a
keypoint recording (no model, no image)."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from mirror.errors import SourceError
from mirror.fileio import why_unreadable
from mirror.pose.keypoints import Pose
from mirror.pose.recording import RecordingHeader, is_recording_path, iter_recording


@dataclass
class ModelOptions:
    model: str | None = None
    backend: str = "auto"
    threads: int = 2
    tracking: bool = True
    selftest_first: bool = False  # the kiosk: self-test a new backend version before use


@dataclass
class StreamStats:
    """Per-frame seconds by stage, filled while a video stream is consumed."""

    decode: list[float] = field(default_factory=list)
    preprocess: list[float] = field(default_factory=list)
    invoke: list[float] = field(default_factory=list)
    postprocess: list[float] = field(default_factory=list)
    model_runs: int = 0


@dataclass
class PoseStream:
    header: RecordingHeader
    poses: Iterator[tuple[float, Pose | None]]
    from_video: bool
    stats: StreamStats
    backend: str = ""


def open_estimator(options: ModelOptions):
    """Load the model (found via --model, $HINGE_MIRROR_MODEL or the cache) and wrap it."""
    from mirror.pose.backend import open_model  # noqa: PLC0415
    from mirror.pose.model_store import find_model  # noqa: PLC0415
    from mirror.pose.movenet import MoveNetEstimator  # noqa: PLC0415

    location = find_model(options.model)
    model = open_model(location.path, options.backend, options.threads, options.selftest_first)
    return MoveNetEstimator(model, tracking=options.tracking)


class FrameRate:
    """Which frames a pipeline running at `max_fps` analyses: the first in each 1/max_fps
    slot of source time (what a Pi 4's ~10 fps model keeps of a 30 fps camera). `shift_s`
    moves the slots' edges (which of three frames is kept); no max_fps keeps every frame."""

    def __init__(self, max_fps: float | None, shift_s: float = 0.0) -> None:
        self.max_fps, self.shift_s = max_fps, shift_s
        self._slot: int | None = None

    def keep(self, t: float) -> bool:
        if not self.max_fps:
            return True
        slot = math.floor((t + self.shift_s) * self.max_fps + 1e-6)
        if slot == self._slot:
            return False
        self._slot = slot
        return True


def at_most(
    frames: Iterator[tuple[float, Pose | None]], max_fps: float | None, shift_s: float = 0.0
) -> Iterator[tuple[float, Pose | None]]:
    """The poses FrameRate(max_fps, shift_s) keeps (all of them, unwrapped, without one)."""
    if not max_fps:
        return frames
    rate = FrameRate(max_fps, shift_s)
    return ((t, pose) for t, pose in frames if rate.keep(t))


def open_pose_stream(
    source: str | Path, options: ModelOptions | None = None, max_fps: float | None = None
) -> PoseStream:
    """Poses from a video (through the model) or a recording. `max_fps`: analyse at most
    this many frames a second, skipping the rest before the model (as a slower device
    would); a recording's poses are thinned the same way."""
    if max_fps is not None and not max_fps > 0:
        raise SourceError(f"--max-fps {max_fps}: expected a positive number")
    path = Path(source)
    if why := why_unreadable(path, regular=False,
                             expected="a video file or a .jsonl recording"):
        raise SourceError(f"{path}: {why}")
    stats = StreamStats()
    if is_recording_path(path):
        header, frames = iter_recording(path)
        if max_fps:
            header = replace(header, fps=round(min(header.fps, max_fps), 3))
        return PoseStream(header, at_most(frames, max_fps), False, stats)

    from mirror.camera.video import VideoFileSource  # noqa: PLC0415

    video = VideoFileSource(path)
    estimator = open_estimator(options or ModelOptions())
    w, h = video.size
    fps = min(video.fps, max_fps) if max_fps else video.fps
    header = RecordingHeader(w, h, round(fps, 3), {"source": path.name})

    def poses() -> Iterator[tuple[float, Pose | None]]:
        frames = video.frames()
        rate = FrameRate(max_fps)  # skipped frames never reach the model
        while True:
            t0 = time.perf_counter()
            frame = next(frames, None)
            if frame is None:
                return
            stats.decode.append(time.perf_counter() - t0)  # skipped frames decode too
            if not rate.keep(frame.t):
                continue
            pose = estimator.estimate(frame)
            tm = estimator.times
            stats.preprocess.append(tm.preprocess)
            stats.invoke.append(tm.invoke)
            stats.postprocess.append(tm.postprocess)
            stats.model_runs += tm.runs
            yield frame.t, (pose if pose.has_person() else None)

    return PoseStream(header, poses(), True, stats, str(estimator.model.backend))
