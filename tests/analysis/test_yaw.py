"""The yaw fit: torso offsets of a lean seen at a known yaw give that yaw back."""

import math

from mirror.analysis.yaw import YawLearner, unturn


def _frames(yaw_deg: float, torso: float = 100.0):
    s = math.sin(math.radians(yaw_deg))
    for lean in range(0, 85, 3):
        r = math.radians(lean)
        yield torso * math.sin(r) * s, torso * math.cos(r)


def test_fit_recovers_yaw_from_deep_frames():
    ys = YawLearner()
    for dx, vert in _frames(45.0):
        ys.update(dx, vert, 100.0)
    assert abs(ys.yaw_sin(1.0) - math.sin(math.radians(45))) < 0.01


def test_fallback_until_enough_deep_frames():
    ys = YawLearner()
    for dx, vert in list(_frames(45.0))[:10]:  # leans under 30 deg say nothing
        ys.update(dx, vert, 100.0)
    assert ys.yaw_sin(0.9) == 0.9
    ys.update(float("nan"), 50.0, 100.0)
    assert ys.yaw_sin(0.9) == 0.9


def test_unturn_undoes_the_yaw():
    seen = math.degrees(math.atan(math.tan(math.radians(60)) * 0.5))
    assert abs(unturn(seen, 0.5) - 60.0) < 1e-6
    assert abs(unturn(30.0, 1.0) - 30.0) < 1e-9


def test_blend_weighs_the_fit_two_thirds_once_trusted():
    from mirror.analysis.yaw import YawLearner, blend_yaw

    y = YawLearner()
    assert blend_yaw(0.9, y) == 0.9  # nothing learnt yet: the width's guess
    for _ in range(20):  # deep frames of a torso 100 long seen at sin(yaw) = 0.6
        y.update(0.6 * 80.0, 60.0, 100.0)
    assert abs(blend_yaw(0.9, y) - (0.9 + 2 / 3 * (0.6 - 0.9))) < 1e-9


def _learned(yaw_deg: float) -> YawLearner:
    ys = YawLearner()
    for dx, vert in _frames(yaw_deg):
        ys.update(dx, vert, 100.0)
    return ys


def test_fit_corrects_the_view_the_shoulder_width_guessed():
    from mirror.analysis.events import View
    from mirror.analysis.yaw import refine_view

    turned, side_on, facing = _learned(40.0), _learned(88.0), _learned(5.0)
    # 45 deg with the far shoulder hidden reads side-on by width; turned less, frontal
    assert refine_view(View.SIDE, turned) is View.OBLIQUE
    assert refine_view(View.FRONT, turned) is View.OBLIQUE
    assert refine_view(View.OBLIQUE, side_on) is View.SIDE
    assert refine_view(View.SIDE, side_on) is View.SIDE
    assert refine_view(View.FRONT, facing) is View.FRONT  # facing: the width is right
    assert refine_view(View.SIDE, YawLearner()) is View.SIDE  # no deep frames yet: as guessed
    assert refine_view(View.UNKNOWN, turned) is View.UNKNOWN


def test_a_shorter_torso_that_never_moved_sideways_keeps_a_side_view():
    """Side-on, a small far person calibrated tall reads standing frames as foreshortened
    with no sideways offset (fit ~0): no hinge at any yaw does that, so the width's side view
    stands (it was read as 45 deg, and a glance down unturned by a made-up yaw counted)."""
    from mirror.analysis.events import View
    from mirror.analysis.yaw import refine_view

    misread = YawLearner()
    for i in range(20):  # standing, 64-70 px against a calibrated 81.5, the offset 0-5 px
        misread.update(float(i % 6), 64.0 + i % 7, 81.5)
    assert misread.trusted and misread.yaw_sin(1.0) < 0.42
    assert refine_view(View.SIDE, misread) is View.SIDE
    assert refine_view(View.SIDE, _learned(40.0)) is View.OBLIQUE  # a real 45 deg still moves


def test_a_view_the_fit_chose_holds_until_the_fit_clearly_crosses():
    """Side-on, the fit wandering just under the side boundary (a bell parked bent over adds
    its own deep frames) must not flip a view the width and the fit agreed on mid-set: that
    changes how swings are counted. A first choice, with nothing held, uses the boundary."""
    from mirror.analysis.events import View
    from mirror.analysis.yaw import FIT_SIDE_MIN, VIEW_MARGIN, refine_view

    def fit_at(sin_yaw: float) -> YawLearner:
        y = YawLearner()
        for _ in range(20):
            y.update(sin_yaw * 80.0, 60.0, 100.0)
        return y

    wandered = fit_at(FIT_SIDE_MIN - VIEW_MARGIN / 2)
    assert refine_view(View.SIDE, wandered) is View.OBLIQUE  # nothing held: the boundary
    assert refine_view(View.SIDE, wandered, held=View.SIDE) is View.SIDE
    assert refine_view(View.SIDE, fit_at(FIT_SIDE_MIN - 2 * VIEW_MARGIN), View.SIDE) is (
        View.OBLIQUE)
    # An early fit that disagreed with the width (45 deg where the width said side-on) goes
    # back at the boundary itself once the fit says side-on.
    assert refine_view(View.SIDE, fit_at(FIT_SIDE_MIN + VIEW_MARGIN / 2), View.OBLIQUE) is (
        View.SIDE)
