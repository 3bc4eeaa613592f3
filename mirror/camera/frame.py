"""The Frame value and the FrameSource interface every camera or file source implements."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass(frozen=True, slots=True)
class Frame:
    """One image from a source.

    image: uint8 RGB array (H, W, 3), possibly already downscaled by the camera's ISP or the
      decoder; `scale` maps its pixels back to source pixels (source = image * scale).
    t: seconds on the source's own clock (sensor timestamp for cameras, pts for files).
    index: the frame's number in the source, counting frames the consumer never saw, so
      gaps in index are dropped frames.
    """

    image: np.ndarray
    t: float
    index: int
    scale: float = 1.0

    @property
    def width(self) -> int:
        return int(round(self.image.shape[1] * self.scale))

    @property
    def height(self) -> int:
        return int(round(self.image.shape[0] * self.scale))


class FrameSource(Protocol):
    """A source of frames. Iterating yields frames until the source ends or is closed."""

    @property
    def fps(self) -> float: ...

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in source pixels."""
        ...

    def frames(self) -> Iterator[Frame]: ...

    def close(self) -> None: ...
