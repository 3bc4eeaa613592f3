"""Mirror flip and rotation for cameras, split between the camera's ISP and numpy.

Orientation says what the picture must look like: first turn the camera's image clockwise by
`rotate` degrees (a camera mounted on its side), then flip it left-right if `mirror`.

A libcamera camera can flip in hardware (Transform hflip/vflip, free), but cannot turn by 90
degrees. So `plan` rewrites the orientation as "flips, then at most one 90-degree turn": the
flips go to the camera, and only the quarter turn is done in numpy, on the small frame the
model sees. Sources without a hardware transform (webcam, files) use `apply` for all of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mirror.errors import UserError

ROTATIONS = (0, 90, 180, 270)


@dataclass(frozen=True, slots=True)
class Orientation:
    """rotate: clockwise degrees to make the image upright; mirror: then flip left-right."""

    rotate: int = 0
    mirror: bool = False

    def __post_init__(self) -> None:
        if self.rotate not in ROTATIONS:
            raise UserError(f"camera rotation {self.rotate!r}: expected one of 0, 90, 180, 270")

    @property
    def swaps_axes(self) -> bool:
        return self.rotate in (90, 270)

    def output_size(self, size: tuple[int, int]) -> tuple[int, int]:
        """(width, height) of an image of `size` after this orientation."""
        w, h = size
        return (h, w) if self.swaps_axes else (w, h)


@dataclass(frozen=True, slots=True)
class Plan:
    """The same orientation as: flip (hflip, vflip) first, then turn 90 deg clockwise if quarter."""

    hflip: bool
    vflip: bool
    quarter: bool


def plan(o: Orientation) -> Plan:
    """Rewrite mirror-after-rotate as flips-then-quarter-turn.

    Uses R180 = H.V, R270 = R90.H.V, and H.R90 = R90.V (a quarter turn swaps the axes).
    """
    m = o.mirror
    if o.rotate == 0:
        return Plan(hflip=m, vflip=False, quarter=False)
    if o.rotate == 180:
        return Plan(hflip=not m, vflip=True, quarter=False)
    if o.rotate == 90:
        return Plan(hflip=False, vflip=m, quarter=True)
    return Plan(hflip=True, vflip=not m, quarter=True)  # 270


def apply_plan(image: np.ndarray, p: Plan, flips: bool = True) -> np.ndarray:
    """Apply a plan to an (H, W, C) image; `flips=False` when the camera already flipped."""
    out = image
    if flips and p.hflip:
        out = out[:, ::-1]
    if flips and p.vflip:
        out = out[::-1]
    if p.quarter:
        out = np.rot90(out, k=-1)  # clockwise
    if out is image:
        return image
    return np.ascontiguousarray(out)


def apply(image: np.ndarray, o: Orientation) -> np.ndarray:
    """The whole orientation in numpy (for sources without a hardware transform)."""
    return apply_plan(image, plan(o))
