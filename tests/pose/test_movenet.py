"""Preprocessing and crop tracking, with a stand-in model whose output we choose."""

import numpy as np

from mirror.pose.backend import BackendInfo
from mirror.pose.movenet import CropRegion, MoveNetEstimator


class FakeModel:
    input_shape = (1, 192, 192, 3)
    input_dtype = np.dtype(np.uint8)
    output_shape = (1, 1, 17, 3)
    path = "fake.tflite"
    backend = BackendInfo("litert", "fake", "0")

    def __init__(self, yx_score):
        self.out = np.asarray(yx_score, dtype=np.float32).reshape(1, 1, 17, 3)
        self.inputs = []
        self.last_invoke_s = 0.0

    def run(self, batch):
        self.inputs.append(batch.copy())
        return self.out


def _standing(score=0.8):
    """A person in the middle of the model's square, normalised (y, x, score)."""
    ys = [0.2, 0.19, 0.19, 0.2, 0.2, 0.3, 0.3, 0.4, 0.4, 0.5, 0.5, 0.5, 0.5, 0.65, 0.65, 0.8, 0.8]
    xs = [0.5, 0.52, 0.48, 0.54, 0.46, 0.56, 0.44, 0.58, 0.42, 0.58, 0.42]
    xs += [0.54, 0.46, 0.54, 0.46, 0.54, 0.46]  # hips, knees, ankles
    return [[y, x, score] for y, x in zip(ys, xs, strict=True)]


def test_whole_frame_keeps_aspect_ratio_with_black_padding():
    image = np.full((100, 400, 3), 200, dtype=np.uint8)  # wide: pad top and bottom
    model = FakeModel(_standing())
    MoveNetEstimator(model, tracking=False).estimate_image(image)
    x = model.inputs[0][0]
    # 100/400 of the square is image: rows 72..120 of 192 are grey, the rest black.
    assert x[:70].max() == 0 and x[122:].max() == 0
    assert (x[74:118] == 200).all()


def test_keypoints_come_back_in_source_pixels():
    image = np.zeros((100, 400, 3), dtype=np.uint8)
    est = MoveNetEstimator(FakeModel(_standing()), tracking=False)
    pose = est.estimate_image(image, t=1.5, scale=2.0)
    # Whole-frame square: x0 = 0, y0 = -150, side 400; then times scale 2.
    assert pose.width == 800 and pose.height == 200 and pose.t == 1.5
    nose = pose.keypoints[0]
    assert abs(nose[0] - 0.5 * 400 * 2) < 1e-3 and abs(nose[1] - (-150 + 0.2 * 400) * 2) < 1e-3


def test_crop_tracking_zooms_in_on_the_person_and_maps_back():
    image = np.zeros((720, 1280, 3), dtype=np.uint8)
    image[300:420, 600:680] = 255  # a small bright "person"
    model = FakeModel(_standing())
    est = MoveNetEstimator(model)
    first = est.estimate_image(image)
    assert est._crop is not None and est._crop.size < 1280 * 0.8
    crop = est._crop
    second = est.estimate_image(image)
    # The second run looked at the crop: the keypoints are mapped through it.
    np.testing.assert_allclose(second.keypoints[0, 0], crop.x0 + 0.5 * crop.size, atol=1e-3)
    assert not np.allclose(first.keypoints[:, :2], second.keypoints[:, :2])


def test_lost_person_in_crop_falls_back_to_whole_frame_same_frame():
    image = np.zeros((720, 1280, 3), dtype=np.uint8)
    model = FakeModel(_standing())
    est = MoveNetEstimator(model)
    est.estimate_image(image)
    runs = len(model.inputs)
    model.out[..., 2] = 0.05  # nobody found any more
    est.estimate_image(image)
    assert len(model.inputs) == runs + 2  # crop, then the whole frame again
    assert est._crop is None


class SequenceModel(FakeModel):
    """Answers each run with the next of the given outputs (the last one repeats)."""

    def __init__(self, *outputs):
        super().__init__(outputs[0])
        self.outputs = [np.asarray(o, dtype=np.float32).reshape(1, 1, 17, 3) for o in outputs]

    def run(self, batch):
        self.out = self.outputs[min(len(self.inputs), len(self.outputs) - 1)]
        return super().run(batch)


def test_a_person_found_on_the_whole_frame_is_reported_from_the_crop_around_them():
    """The whole-frame pose of a small person is coarse: the same frame is looked at again
    on the crop around it, and that pose is the one reported."""
    image = np.zeros((720, 1280, 3), dtype=np.uint8)
    coarse = _standing()
    fine = [[y, x + 0.05, s] for y, x, s in _standing()]  # a little right of the centre
    model = SequenceModel(coarse, fine, fine, fine)
    est = MoveNetEstimator(model)
    pose = est.estimate_image(image)
    assert 2 <= len(model.inputs) <= 4  # whole frame, then the crop until it settles
    first_crop = _crop_after(coarse, 1280, 720)
    # The reported hips are where the crop pass put them, not where the whole frame did.
    hip_x = pose.keypoints[11, 0]
    assert abs(hip_x - (first_crop.x0 + 0.59 * first_crop.size)) < 0.1 * first_crop.size
    assert abs(hip_x - (0 + 0.58 * 1280)) > 0.02 * 1280
    # Tracking from there: the next frame costs one run.
    runs = len(model.inputs)
    est.estimate_image(image)
    assert len(model.inputs) == runs + 1


def test_a_whole_frame_pose_the_crop_around_it_does_not_confirm_is_not_reported():
    image = np.zeros((720, 1280, 3), dtype=np.uint8)
    nobody = [[y, x, 0.05] for y, x, _ in _standing()]
    model = SequenceModel(_standing(), nobody)
    est = MoveNetEstimator(model)
    pose = est.estimate_image(image)
    assert len(model.inputs) == 2 and not pose.has_person()
    assert est._crop is not None  # but the next frame still looks there


def _crop_after(yx_score, width, height):
    from mirror.pose.movenet import _next_crop

    whole = CropRegion.whole(width, height)
    r = np.asarray(yx_score, dtype=np.float32)
    kps = np.stack([whole.x0 + r[:, 1] * whole.size, whole.y0 + r[:, 0] * whole.size, r[:, 2]], 1)
    return _next_crop(kps, width, height)


def test_crop_region_whole_is_a_centred_square():
    c = CropRegion.whole(640, 360)
    assert (c.x0, c.y0, c.size) == (0.0, -140.0, 640.0)


def test_a_model_that_is_not_movenet_is_refused_in_one_line():
    import pytest

    from mirror.errors import ModelError

    class Classifier(FakeModel):
        input_shape = (1, 224, 224, 3)
        output_shape = (1, 1001)

    with pytest.raises(ModelError, match=r"not MoveNet SinglePose \(1, 1, 17, 3\)") as e:
        MoveNetEstimator(Classifier(_standing()))
    assert "\n" not in str(e.value)


def test_padded_rows_sample_the_same_pixels_as_packed():
    rng = np.random.default_rng(0)
    padded = rng.integers(0, 255, (360, 416, 3), dtype=np.uint8)
    image = padded[:, :404]  # a decoder's frame with padded rows: not C-contiguous
    assert not image.flags.c_contiguous
    a, b = FakeModel(_standing()), FakeModel(_standing())
    MoveNetEstimator(a, tracking=False).estimate_image(image)
    MoveNetEstimator(b, tracking=False).estimate_image(np.ascontiguousarray(image))
    np.testing.assert_array_equal(a.inputs[0], b.inputs[0])
