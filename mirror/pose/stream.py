"""Pose streams: what every analysis command reads, from a video (through the model) or a
keypoint recording (no model, no image)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mirror.errors import SourceError
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


def open_pose_stream(source: str | Path, options: ModelOptions | None = None) -> PoseStream:
    path = Path(source)
    if not path.exists():
        raise SourceError(f"{path}: file not found")
    if path.is_dir():
        raise SourceError(f"{path}: is a folder; expected a video file or a .jsonl recording")
    stats = StreamStats()
    if is_recording_path(path):
        header, frames = iter_recording(path)
        return PoseStream(header, frames, False, stats)

    from mirror.camera.video import VideoFileSource  # noqa: PLC0415

    video = VideoFileSource(path)
    estimator = open_estimator(options or ModelOptions())
    w, h = video.size
    header = RecordingHeader(w, h, round(video.fps, 3), {"source": path.name})

    def poses() -> Iterator[tuple[float, Pose | None]]:
        frames = video.frames()
        while True:
            t0 = time.perf_counter()
            frame = next(frames, None)
            stats.decode.append(time.perf_counter() - t0)
            if frame is None:
                stats.decode.pop()
                return
            pose = estimator.estimate(frame)
            tm = estimator.times
            stats.preprocess.append(tm.preprocess)
            stats.invoke.append(tm.invoke)
            stats.postprocess.append(tm.postprocess)
            stats.model_runs += tm.runs
            yield frame.t, (pose if pose.has_person() else None)

    return PoseStream(header, poses(), True, stats, str(estimator.model.backend))
