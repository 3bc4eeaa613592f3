"""Orientation: the camera-side flips plus one numpy quarter turn equal the requested picture."""

from __future__ import annotations

import numpy as np
import pytest

from mirror.camera.transform import Orientation, apply, apply_plan, plan
from mirror.errors import UserError


def reference(img: np.ndarray, o: Orientation) -> np.ndarray:
    """The definition: turn clockwise by `rotate`, then mirror left-right."""
    out = np.rot90(img, k=-(o.rotate // 90))
    return out[:, ::-1] if o.mirror else out


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
@pytest.mark.parametrize("mirror", [False, True])
def test_plan_equals_rotate_then_mirror(rotate: int, mirror: bool) -> None:
    img = np.arange(4 * 6 * 3, dtype=np.uint8).reshape(4, 6, 3)
    o = Orientation(rotate, mirror)
    p = plan(o)
    assert p.quarter == (rotate in (90, 270))  # numpy only ever turns by a quarter
    got = apply(img, o)
    assert got.flags.c_contiguous
    assert (got == reference(img, o)).all()
    assert got.shape[1::-1] == o.output_size((6, 4))


def test_hardware_flipped_frames_only_get_the_quarter_turn() -> None:
    img = np.arange(2 * 4 * 3, dtype=np.uint8).reshape(2, 4, 3)
    o = Orientation(270, True)
    p = plan(o)
    # What the camera would deliver after its own hflip/vflip:
    camera = img[:, ::-1] if p.hflip else img
    camera = camera[::-1] if p.vflip else camera
    assert (apply_plan(np.ascontiguousarray(camera), p, flips=False) == reference(img, o)).all()


def test_identity_returns_the_same_array_without_copying() -> None:
    img = np.zeros((2, 2, 3), dtype=np.uint8)
    assert apply(img, Orientation()) is img


def test_bad_rotation_is_a_user_error() -> None:
    with pytest.raises(UserError, match="rotation 45: expected one of 0, 90, 180, 270"):
        Orientation(45)
