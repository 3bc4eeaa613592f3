"""MoveNet SinglePose with crop-region tracking.

The model sees a 192x192 square. Preprocessing keeps the aspect ratio (pads with black, never
stretches) and, once a person is found, runs on a square crop around the previous pose's body
(MoveNet's own tracking recipe), so a small far-away person fills the model's input. When the
person is lost in the crop, the same frame is run again on the whole image; when someone is
first found on the whole image, the same frame is run again on the crop around them, so the
first pose reported is a crop's, not the whole image's coarse one (see _acquire).

Sampling is nearest-neighbour through precomputed index vectors: one gather per frame, no
full-size copy, so the per-frame cost beyond the model's invoke() stays small.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from mirror.camera.frame import Frame
from mirror.errors import ModelError
from mirror.pose.backend import TfliteModel
from mirror.pose.keypoints import KP, Pose

# A keypoint counts for crop tracking above this score (MoveNet's tutorial uses 0.2).
TRACK_MIN_SCORE = 0.2
# Crop size relative to the body (from MoveNet's tutorial): 1.9x the torso, 1.2x the body.
TORSO_EXPANSION = 1.9
BODY_EXPANSION = 1.2
# Finding someone on the whole frame: re-run on the crop around them, in the same frame, up
# to this many times, until the crop's centre moves less than this fraction of its side.
ACQUIRE_PASSES = 3
ACQUIRE_SETTLED = 0.05


@dataclass(frozen=True, slots=True)
class CropRegion:
    """A square in source pixels: top-left corner and side length (may extend past the image)."""

    x0: float
    y0: float
    size: float

    @classmethod
    def whole(cls, width: int, height: int) -> CropRegion:
        size = float(max(width, height))
        return cls((width - size) / 2, (height - size) / 2, size)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A frame made ready for the model: the filled input and the crop it shows."""

    image: np.ndarray
    t: float
    scale: float
    crop: CropRegion
    whole: CropRegion
    input: np.ndarray
    preprocess_s: float


@dataclass
class StageTimes:
    """Seconds spent in each stage of the last estimate, for `bench` and `count --profile`."""

    preprocess: float = 0.0
    invoke: float = 0.0
    postprocess: float = 0.0
    runs: int = 0


class MoveNetEstimator:
    """PoseEstimator over a loaded MoveNet .tflite model."""

    def __init__(self, model: TfliteModel, tracking: bool = True) -> None:
        shape = model.input_shape
        if len(shape) != 4 or shape[0] != 1 or shape[3] != 3 or shape[1] != shape[2]:
            raise ModelError(f"{model.path}: input {shape} is not a MoveNet image input")
        if model.output_shape != (1, 1, 17, 3):
            raise ModelError(
                f"{model.path}: output {model.output_shape} is not MoveNet SinglePose (1, 1, 17, 3)"
            )
        self.model = model
        self.side = shape[1]
        self.tracking = tracking
        self.times = StageTimes()
        self._crop: CropRegion | None = None
        self._rows = np.arange(self.side, dtype=np.intp)
        self._grid = (np.arange(self.side, dtype=np.float64) + 0.5) / self.side

    def reset(self) -> None:
        self._crop = None

    # -- public -------------------------------------------------------------------------------

    def estimate(self, frame: Frame) -> Pose:
        return self.complete(self.prepare(frame))

    def estimate_image(self, image: np.ndarray, t: float = 0.0, scale: float = 1.0) -> Pose:
        """One pose for one image; `scale` maps image pixels to source pixels."""
        return self.complete(self._prepare(image, t, scale))

    def prepare(self, frame: Frame) -> Prepared:
        """The model input for a frame, cropped where the person was last seen.

        Safe to call on another thread than complete(): the live pipeline prepares the next
        frame on the capture thread while the model runs (at most a frame's lag in the crop).
        """
        return self._prepare(frame.image, frame.t, frame.scale)

    def complete(self, p: Prepared) -> Pose:
        """Run the model on a prepared input; re-run on the whole frame if the person was lost
        in the crop, or on the crop around a person first found on the whole frame; update
        tracking for the next frame."""
        self.times = StageTimes(preprocess=p.preprocess_s)
        h, w = p.image.shape[:2]
        kps = self._run(p.input, p.crop)
        confirmed = True
        if p.crop == p.whole and self.tracking:  # someone found on the whole frame
            kps, confirmed, self._crop = self._acquire(p, kps)  # (with the next crop)
            t0 = time.perf_counter()
        else:
            if p.crop != p.whole and not _torso_found(kps):
                # Lost in the crop: look at the whole frame again, in this same frame.
                kps = self._rerun(p, p.whole)
            t0 = time.perf_counter()
            self._crop = _next_crop(kps, w, h) if self.tracking else None
        if not confirmed:
            kps[:, 2] = 0.0  # tracked from, not reported (see _acquire)
        if p.scale != 1.0:
            kps[:, :2] *= p.scale
        pose = Pose(kps, p.t, int(round(w * p.scale)), int(round(h * p.scale)))
        self.times.postprocess += time.perf_counter() - t0
        return pose

    def refine(self, image: np.ndarray, passes: int = 2) -> Pose:
        """For a single still image: whole frame first, then crops around what was found."""
        self.reset()
        pose = self.estimate_image(image)
        for _ in range(passes):
            if self._crop is None:
                break
            pose = self.estimate_image(image)
        return pose

    # -- internals ----------------------------------------------------------------------------

    def _prepare(self, image: np.ndarray, t: float, scale: float) -> Prepared:
        t0 = time.perf_counter()
        h, w = image.shape[:2]
        whole = CropRegion.whole(w, h)
        tracked = self._crop  # read once: another thread may replace it
        crop = tracked if (self.tracking and tracked is not None) else whole
        buf = np.empty((1, self.side, self.side, 3), dtype=self.model.input_dtype)
        self._fill_input(image, crop, buf)
        return Prepared(image, t, scale, crop, whole, buf, time.perf_counter() - t0)

    def _rerun(self, p: Prepared, crop: CropRegion) -> np.ndarray:
        """Run the model again on another square of the same frame."""
        t0 = time.perf_counter()
        self._fill_input(p.image, crop, p.input)
        self.times.preprocess += time.perf_counter() - t0
        return self._run(p.input, crop)

    def _acquire(
        self, p: Prepared, kps: np.ndarray
    ) -> tuple[np.ndarray, bool, CropRegion | None]:
        """A person first seen on the whole frame: look again, in this same frame, at the crop
        around them until it settles (at most ACQUIRE_PASSES more runs). Returns the pose,
        whether the crop confirmed it (False: track from it, but do not report it) and the
        crop around it for the next frame (so it is not worked out twice: a person filling
        the picture keeps the whole-frame square, and comes here, on every frame).

        On the whole frame a small, far person fills few of the model's 192 pixels and the
        pose is coarse (real clips on a black canvas 2.5x their size: hips up to 400 px off,
        the torso half again too long). Crop tracking corrects it over the next frames, but
        the engine's person tracker takes the first pose for the person and ignores the
        right ones, which jump from it, as a stranger for a second; a coarse pose also spoils
        the still stand that calibration measures. When even the crop around the whole-frame
        pose shows no torso, that pose is not trusted. Extra runs only when someone is found
        where nobody was tracked; none while tracking, none after losing the person in a crop.
        """
        h, w = p.image.shape[:2]
        crop = _next_crop(kps, w, h)
        for i in range(ACQUIRE_PASSES):
            if crop is None:
                break
            refined = self._rerun(p, crop)
            if not _torso_found(refined):
                return kps, i > 0, crop  # keep the last pose that had a torso
            kps, last, crop = refined, crop, _next_crop(refined, w, h)
            if crop is not None and _settled(last, crop):
                break
        return kps, True, crop

    def _run(self, batch: np.ndarray, crop: CropRegion) -> np.ndarray:
        t1 = time.perf_counter()
        raw = self.model.run(batch)
        t2 = time.perf_counter()
        # raw: [1, 1, 17, (y, x, score)] normalised to the crop square -> image pixels.
        r = raw[0, 0]
        kps = np.empty((17, 3), dtype=np.float32)
        kps[:, 0] = crop.x0 + r[:, 1] * crop.size
        kps[:, 1] = crop.y0 + r[:, 0] * crop.size
        kps[:, 2] = r[:, 2]
        t3 = time.perf_counter()
        self.times.invoke += t2 - t1
        self.times.postprocess += t3 - t2
        self.times.runs += 1
        return kps

    def _fill_input(self, image: np.ndarray, crop: CropRegion, batch: np.ndarray) -> None:
        """Nearest-neighbour sample the crop square into the model input, black outside.

        Pixels are gathered as 3-byte items from a flat view (one np.take), about 4x faster
        than fancy-indexing the (H, W, 3) array.
        """
        h, w = image.shape[:2]
        ys = (crop.y0 + self._grid * crop.size).astype(np.intp)
        xs = (crop.x0 + self._grid * crop.size).astype(np.intp)
        r0, r1 = int(np.searchsorted(ys, 0)), int(np.searchsorted(ys, h))
        c0, c1 = int(np.searchsorted(xs, 0)), int(np.searchsorted(xs, w))
        np.clip(ys, 0, h - 1, out=ys)
        np.clip(xs, 0, w - 1, out=xs)
        if image.flags.c_contiguous:
            pixels = image.view(_PIXEL).reshape(-1)
            flat = (ys[:, None] * w + xs[None, :]).reshape(-1)
        else:
            # Decoders hand out padded rows: gather the needed rows (a packed copy of 192 of
            # them), not the whole frame.
            pixels = np.ascontiguousarray(image[ys]).view(_PIXEL).reshape(-1)
            flat = (self._rows[:, None] * w + xs[None, :]).reshape(-1)
        np.take(pixels, flat, out=batch.view(_PIXEL).reshape(-1))
        dst = batch[0]
        dst[:r0] = 0
        dst[r1:] = 0
        dst[:, :c0] = 0
        dst[:, c1:] = 0


_PIXEL = np.dtype((np.void, 3))


def _torso_found(kps: np.ndarray) -> bool:
    s = kps[:, 2]
    return bool(
        (s[KP.LEFT_HIP] > TRACK_MIN_SCORE or s[KP.RIGHT_HIP] > TRACK_MIN_SCORE)
        and (s[KP.LEFT_SHOULDER] > TRACK_MIN_SCORE or s[KP.RIGHT_SHOULDER] > TRACK_MIN_SCORE)
    )


def _next_crop(kps: np.ndarray, width: int, height: int) -> CropRegion | None:
    """MoveNet's crop-region rule: a square around the hips big enough for torso and body."""
    if not _torso_found(kps):
        return None
    pts = kps.tolist()  # 17 small rows: plain floats are faster than numpy here
    cx = (pts[KP.LEFT_HIP][0] + pts[KP.RIGHT_HIP][0]) / 2
    cy = (pts[KP.LEFT_HIP][1] + pts[KP.RIGHT_HIP][1]) / 2
    torso_range = body_range = 0.0
    for i, (x, y, score) in enumerate(pts):
        d = max(abs(x - cx), abs(y - cy))
        if i in _TORSO_SET:
            torso_range = max(torso_range, d)
        if score > TRACK_MIN_SCORE:
            body_range = max(body_range, d)
    half = max(torso_range * TORSO_EXPANSION, body_range * BODY_EXPANSION)
    # Never reach further than the farthest image edge from the centre.
    half = min(half, max(cx, width - cx, cy, height - cy))
    if half * 2 >= max(width, height) or half <= 4:
        return None  # as big as the image anyway: the whole-frame square is right
    return CropRegion(cx - half, cy - half, 2 * half)


def _settled(a: CropRegion, b: CropRegion) -> bool:
    """Two crops around the same body: centres within ACQUIRE_SETTLED of the crop's side."""
    dx = (b.x0 + b.size / 2) - (a.x0 + a.size / 2)
    dy = (b.y0 + b.size / 2) - (a.y0 + a.size / 2)
    return max(abs(dx), abs(dy)) < ACQUIRE_SETTLED * max(a.size, b.size)


_TORSO_SET = frozenset((KP.LEFT_SHOULDER, KP.RIGHT_SHOULDER, KP.LEFT_HIP, KP.RIGHT_HIP))
