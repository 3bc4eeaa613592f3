"""Test images for the camera tests: RGB patterns and their YUV420 bytes as picamera2 has them."""

from __future__ import annotations

import numpy as np


def rgb_to_i420(rgb: np.ndarray, stride: int | None = None, yvu: bool = False) -> np.ndarray:
    """Encode an RGB image (even size) as picamera2's make_array("lores") gives YUV420:
    full-range BT.601, planar, shape (h * 3 // 2, stride), with padding right of each row."""
    h, w = rgb.shape[:2]
    stride = stride or w
    f = rgb.astype(np.float64)
    r, g, b = f[..., 0], f[..., 1], f[..., 2]
    y = 0.299 * r + 0.587 * g + 0.114 * b
    u = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b
    v = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b

    def sub(c: np.ndarray) -> np.ndarray:
        return c.reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3))

    def q(c: np.ndarray) -> np.ndarray:
        return np.clip(np.rint(c), 0, 255).astype(np.uint8)

    buf = np.full(stride * h * 3 // 2, 7, dtype=np.uint8)  # 7: padding junk
    yplane = buf[: stride * h].reshape(h, stride)
    yplane[:, :w] = q(y)
    cs = stride // 2
    csize = cs * (h // 2)
    first, second = (sub(v), sub(u)) if yvu else (sub(u), sub(v))
    buf[stride * h : stride * h + csize].reshape(h // 2, cs)[:, : w // 2] = q(first)
    buf[stride * h + csize : stride * h + 2 * csize].reshape(h // 2, cs)[:, : w // 2] = q(second)
    return buf.reshape(h * 3 // 2, stride)


def quadrants(w: int, h: int) -> np.ndarray:
    """Red top-left, green top-right, blue bottom-left, white bottom-right."""
    img = np.zeros((h, w, 3), dtype=np.uint8)
    img[: h // 2, : w // 2] = (255, 0, 0)
    img[: h // 2, w // 2 :] = (0, 255, 0)
    img[h // 2 :, : w // 2] = (0, 0, 255)
    img[h // 2 :, w // 2 :] = (255, 255, 255)
    return img
