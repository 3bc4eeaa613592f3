"""Video files as a frame source, decoded with PyAV (FFmpeg). Imported only when used."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from mirror.camera.frame import Frame
from mirror.errors import SourceError
from mirror.fileio import why_unreadable


def _import_av():
    try:
        import av  # noqa: PLC0415
    except ImportError:
        raise SourceError(
            "reading video files needs PyAV: pip install 'hinge-mirror[video]' "
            "(on Raspberry Pi OS: sudo apt install python3-av)"
        ) from None
    return av


class VideoFileSource:
    """Decodes a video file to RGB frames; t is the frame's presentation time from the start."""

    def __init__(self, path: str | Path) -> None:
        av = _import_av()
        self.path = Path(path)
        if why := why_unreadable(self.path):
            raise SourceError(f"{self.path}: {why}")
        try:
            self._container = av.open(str(self.path))
        except Exception as e:  # PyAV raises many FFmpeg error types
            raise SourceError(f"{self.path}: not a readable video ({_short(e)})") from None
        if not self._container.streams.video:
            self._container.close()
            raise SourceError(f"{self.path}: no video stream; expected a video file")
        self._stream = self._container.streams.video[0]
        self._stream.thread_type = "AUTO"
        rate = self._stream.average_rate or self._stream.guessed_rate
        self._fps = float(rate) if rate else 30.0
        ctx = self._stream.codec_context
        self._size = (int(ctx.width), int(ctx.height))
        if self._size[0] <= 0 or self._size[1] <= 0:
            self._container.close()
            raise SourceError(f"{self.path}: video stream has no frame size")

    @property
    def fps(self) -> float:
        return self._fps

    @property
    def size(self) -> tuple[int, int]:
        return self._size

    def frames(self) -> Iterator[Frame]:
        start: float | None = None
        index = 0
        try:
            for vf in self._container.decode(self._stream):
                t = float(vf.time) if vf.time is not None else index / self._fps
                if start is None:
                    start = t
                yield Frame(vf.to_ndarray(format="rgb24"), t - start, index)
                index += 1
        except Exception as e:
            if index == 0:
                raise SourceError(f"{self.path}: cannot decode video ({_short(e)})") from None
            # A truncated file: keep what decoded, as a camera would after a glitch.
        finally:
            self.close()
        if index == 0:  # a file cut short before its first frame decodes without an error
            raise SourceError(f"{self.path}: no frame could be decoded; expected a video with "
                              "at least one frame (is the file cut short?)")

    def close(self) -> None:
        self._container.close()


def _short(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return text[0] if text else type(e).__name__
