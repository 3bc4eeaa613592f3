"""Keypoint recordings (JSON Lines): replayable pose streams that hold no image.

Line 1: {"format": "hinge-mirror/keypoints", "version": 1, "width": W, "height": H, "fps": F,
         "keypoint_names": [...17...]}  (extra header fields are allowed and kept)
Then one line per frame: {"t": SECONDS, "keypoints": [[x, y, score], ...17]} in source pixels,
or "keypoints": null when no person was found.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np

from mirror.errors import SourceError
from mirror.pose.keypoints import KEYPOINT_NAMES, Pose

FORMAT = "hinge-mirror/keypoints"
VERSION = 1


@dataclass(frozen=True)
class RecordingHeader:
    width: int
    height: int
    fps: float
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "width": self.width,
            "height": self.height,
            "fps": self.fps,
            "keypoint_names": list(KEYPOINT_NAMES),
            **self.extra,
        }


@dataclass
class Recording:
    header: RecordingHeader
    frames: list[tuple[float, Pose | None]]

    def __len__(self) -> int:
        return len(self.frames)


def is_recording_path(path: str | Path) -> bool:
    """A recording is recognised by its first bytes, not only its name."""
    p = Path(path)
    if p.suffix.lower() in (".jsonl", ".ndjson"):
        return True
    try:
        with p.open("rb") as f:
            head = f.read(64).lstrip()
    except OSError:
        return False
    return head.startswith(b"{")


class RecordingWriter:
    """Writes a recording line by line, flushing so a crash loses at most a few frames."""

    def __init__(self, target: str | Path | IO[str], header: RecordingHeader) -> None:
        if isinstance(target, (str, Path)):
            self._file: IO[str] = open(target, "w", encoding="utf-8")  # noqa: SIM115
            self._owns = True
        else:
            self._file, self._owns = target, False
        self.header = header
        self._file.write(json.dumps(header.to_json(), separators=(",", ":")) + "\n")
        self._count = 0

    def write(self, t: float, pose: Pose | None) -> None:
        if pose is None:
            kps = None
        else:
            kps = [
                [round(float(x), 2), round(float(y), 2), round(float(s), 4)]
                for x, y, s in pose.keypoints
            ]
        self._file.write(
            json.dumps({"t": round(float(t), 4), "keypoints": kps}, separators=(",", ":")) + "\n"
        )
        self._count += 1
        if self._count % 30 == 0:
            self._file.flush()

    def close(self) -> None:
        self._file.flush()
        if self._owns:
            self._file.close()

    def __enter__(self) -> RecordingWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _fail(path: Path, line: int, what: str) -> SourceError:
    return SourceError(f"{path}:{line}: {what}")


def _short(value: Any) -> str:
    """repr() cut short: a 400-digit number or a long string stays one readable line."""
    text = repr(value)
    return text if len(text) <= 40 else text[:30] + "...(" + str(len(text)) + " characters)"


def _loads(path: Path, line: int, text: str, expected: str) -> Any:
    """json.loads, with its RecursionError (deep nesting) as a one-line error too."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise _fail(path, line, f"not JSON ({e.msg}); expected {expected}") from None
    except RecursionError:
        raise _fail(path, line, f"JSON nested too deeply; expected {expected}") from None


def _finite(value: Any) -> float | None:
    """The number as a finite float, or None (bools, strings, NaN, ints too big for a float)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    try:
        f = float(value)
    except OverflowError:
        return None
    return f if math.isfinite(f) else None


def _keypoint_array(kps: Any) -> np.ndarray | None:
    """17 [x, y, score] triples of finite JSON numbers as a float32 array, else None. Each
    value checked as `t` is (_finite): numpy would quietly take true as 1.0 and "12.5" as 12.5."""
    if not (isinstance(kps, list) and len(kps) == 17 and all(
        isinstance(k, list) and len(k) == 3 and all(_finite(v) is not None for v in k)
        for k in kps
    )):
        return None
    arr = np.asarray(kps, dtype=np.float32)
    return arr if np.all(np.isfinite(arr)) else None  # past float32's range


def _parse_header(path: Path, text: str) -> RecordingHeader:
    obj = _loads(path, 1, text, "a hinge-mirror/keypoints header")
    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise _fail(path, 1, f'expected a header with "format": "{FORMAT}"')
    if obj.get("version") != VERSION:
        raise _fail(path, 1, f'"version" is {obj.get("version")!r}; expected {VERSION}')
    for key in ("width", "height"):
        v = obj.get(key)
        if not isinstance(v, int) or isinstance(v, bool) or v <= 0:
            raise _fail(path, 1, f'"{key}" is {_short(v)}; expected a positive integer')
    fps = obj.get("fps")
    if _finite(fps) is None or not fps > 0:
        raise _fail(path, 1, f'"fps" is {_short(fps)}; expected a positive number')
    names = obj.get("keypoint_names")
    if names != list(KEYPOINT_NAMES):
        raise _fail(path, 1, '"keypoint_names" must be the 17 COCO keypoint names in order')
    known = {"format", "version", "width", "height", "fps", "keypoint_names"}
    extra = {k: v for k, v in obj.items() if k not in known}
    return RecordingHeader(int(obj["width"]), int(obj["height"]), float(fps), extra)


def _parse_frame(
    path: Path, lineno: int, text: str, header: RecordingHeader
) -> tuple[float, Pose | None]:
    obj = _loads(path, lineno, text, '{"t": .., "keypoints": ..}')
    if not isinstance(obj, dict):
        raise _fail(path, lineno, 'expected an object {"t": .., "keypoints": ..}')
    t = _finite(obj.get("t"))
    if t is None:
        raise _fail(path, lineno, f'"t" is {_short(obj.get("t"))}; expected a number of seconds')
    if "keypoints" not in obj:
        raise _fail(path, lineno, 'missing "keypoints"; expected 17 [x, y, score] or null')
    kps = obj["keypoints"]
    if kps is None:
        return float(t), None
    arr = _keypoint_array(kps)
    if arr is None:
        raise _fail(path, lineno, '"keypoints" must be 17 [x, y, score] number triples or null')
    return float(t), Pose(arr, float(t), header.width, header.height)


def _text(path: Path, lineno: int, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        what = f"not UTF-8 text (byte {raw[e.start]:#04x} at column {e.start + 1}); expected a " \
            "JSON Lines keypoint recording"
        raise _fail(path, lineno, what) from None


def iter_recording(path: str | Path) -> tuple[RecordingHeader, Iterator[tuple[float, Pose | None]]]:
    """Open a recording: its header now, its frames lazily. Errors name file and line."""
    p = Path(path)
    try:
        f = p.open("rb")
    except OSError as e:
        raise SourceError(f"{p}: cannot open recording ({e.strerror or e})") from None
    try:
        first = _text(p, 1, f.readline())
    except SourceError:
        f.close()
        raise
    if not first.strip():
        f.close()
        raise _fail(p, 1, "empty file; expected a hinge-mirror/keypoints header") from None
    try:
        header = _parse_header(p, first)
    except SourceError:
        f.close()
        raise

    def frames() -> Iterator[tuple[float, Pose | None]]:
        with f:
            last_t = -math.inf
            for lineno, raw in enumerate(f, start=2):
                line = _text(p, lineno, raw)
                if not line.strip():
                    continue
                t, pose = _parse_frame(p, lineno, line, header)
                if t < last_t:
                    raise _fail(p, lineno, f'"t" {t} goes backwards (previous {last_t})')
                last_t = t
                yield t, pose

    return header, frames()


def read_recording(path: str | Path) -> Recording:
    header, frames = iter_recording(path)
    return Recording(header, list(frames))


def write_recording(path: str | Path, recording: Recording) -> None:
    with RecordingWriter(path, recording.header) as w:
        for t, pose in recording.frames:
            w.write(t, pose)
