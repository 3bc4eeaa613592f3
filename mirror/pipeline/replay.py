"""Replays for the pipeline: loop a source for long accelerated runs, and play a keypoint
recording through it (frames without pixels, the recorded pose standing in for the model)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from mirror.camera.frame import Frame, FrameSource
from mirror.errors import SourceError
from mirror.pose.keypoints import Pose


class LoopingSource:
    """Replays a source again and again until `min_seconds` of source time have passed
    (an accelerated long run: at full speed, 20 minutes of video take a fraction of that)."""

    def __init__(self, open_source: Callable[[], FrameSource], min_seconds: float) -> None:
        self._open = open_source
        self.min_seconds = min_seconds
        self._current: FrameSource | None = open_source()
        self.fps = self._current.fps
        self.size = self._current.size
        self.loops = 0
        self._closed = False

    def frames(self) -> Iterator[Frame]:
        t_off, i_off = 0.0, 0
        while not self._closed:
            src = self._current or self._open()
            self._current = None
            last_t, last_i = 0.0, -1
            for f in src.frames():
                if self._closed:
                    break
                last_t, last_i = f.t, f.index
                yield Frame(f.image, f.t + t_off, f.index + i_off, f.scale)
            src.close()
            if last_i < 0:
                return  # an empty source would loop forever
            self.loops += 1
            t_off += last_t + 1.0 / self.fps
            i_off += last_i + 1
            if t_off >= self.min_seconds:
                return

    def close(self) -> None:
        self._closed = True
        if self._current is not None:
            self._current.close()


_NO_IMAGE = np.zeros((1, 1, 3), dtype=np.uint8)


class RecordingSource:
    """A keypoint recording as frames without pixels; RecordedPoses answers for the model."""

    def __init__(self, path: str | Path) -> None:
        from mirror.pose.recording import read_recording  # noqa: PLC0415

        self.recording = read_recording(path)
        if not len(self.recording):
            raise SourceError(f"{path}: recording has no frames")
        self.fps = self.recording.header.fps
        self.size = (self.recording.header.width, self.recording.header.height)

    def frames(self) -> Iterator[Frame]:
        for i, (t, _pose) in enumerate(self.recording.frames):
            yield Frame(_NO_IMAGE, t, i)

    def close(self) -> None:
        pass


class RecordedPoses:
    """PoseEstimator that returns the recorded pose for each frame index (no model)."""

    def __init__(self, source: RecordingSource) -> None:
        h = source.recording.header
        self._w, self._h = h.width, h.height
        self._poses = [p.keypoints if p is not None else None for _, p in source.recording.frames]
        self._none = np.zeros((17, 3), dtype=np.float32)

    def estimate(self, frame: Frame) -> Pose:
        kps = self._poses[frame.index % len(self._poses)]
        return Pose(self._none if kps is None else kps, frame.t, self._w, self._h)

    def reset(self) -> None:
        pass
