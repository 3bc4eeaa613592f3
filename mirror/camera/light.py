"""Is the picture too dark to see a person? A cheap level meter on the frames the model gets.

Measured with the real model on frames of the clips darkened in steps (mean 8-bit level of the
picture): people were found as well as at full light down to a mean level of about 15-20, by
half or worse around 7-12, and at 3-4 in none. A camera's auto exposure keeps a dim room's
picture near mid-grey until its gain runs out, so a mean under DARK_BELOW is a dark room, not
a dark shirt. The mirror only says so when it also sees nobody: a lit person on a black
backdrop (one clip's mean is 34) is fine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DARK_BELOW = 12.0  # mean 8-bit level: too dark from here down ...
LIGHT_ABOVE = 18.0  # ... and light enough again from here up (hysteresis)
HOLD_S = 2.0  # a level must last this long to change the verdict (a passing shadow is not)
STRIDE = 8  # every 8th pixel each way: ~7,000 samples of a 288x512 frame, ~10 us


def picture_level(image: np.ndarray | None) -> float | None:
    """The picture's mean 8-bit level over a sparse grid; None for a frame with no picture
    to meter (a keypoint recording's frames carry a 1x1 placeholder: not a dark room)."""
    if image is None or image.ndim < 2 or min(image.shape[:2]) < STRIDE:
        return None
    return float(image[::STRIDE, ::STRIDE].mean())


@dataclass
class LightMeter:
    """Dark or not, with hysteresis and a hold time, from frame levels over time."""

    dark: bool = False
    level: float | None = None
    every: int = 4  # feed(): measure one frame in this many (the light changes slowly)
    _pending_since: float | None = None
    _fed: int = 0

    def feed(self, t: float, image: np.ndarray | None) -> bool:
        """A frame as the capture thread reads it: measured one in `every`."""
        self._fed += 1
        if self._fed % self.every:
            return self.dark
        return self.update(t, picture_level(image))

    def update(self, t: float, level: float | None) -> bool:
        """Feed one frame's level at time t (seconds); returns whether the picture is dark."""
        if level is None:
            return self.dark
        self.level = level
        flips = level >= LIGHT_ABOVE if self.dark else level < DARK_BELOW
        if not flips:
            self._pending_since = None
        elif self._pending_since is None:
            self._pending_since = t
        elif t - self._pending_since >= HOLD_S:
            self.dark = not self.dark
            self._pending_since = None
        return self.dark
