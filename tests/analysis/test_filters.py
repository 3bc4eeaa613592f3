"""One Euro smoothing and confidence gating."""

from __future__ import annotations

import numpy as np

from mirror.analysis.filters import (
    KeypointConditioner,
    OneEuroFilter,
    body_jump,
    body_move,
    body_points,
)


def test_one_euro_reduces_jitter_of_a_still_point():
    # In torso units, as the conditioner feeds it: 2 % jitter of a still point.
    rng = np.random.default_rng(1)
    f = OneEuroFilter()
    raw = 1.0 + rng.normal(0, 0.02, size=(200, 1))
    out = np.array([f(i / 20, raw[i]) for i in range(200)])
    assert out[50:].std() < 0.6 * raw[50:].std()
    assert abs(out[50:].mean() - 1.0) < 0.01


def test_one_euro_follows_a_step():
    f = OneEuroFilter()
    xs = [np.array([0.0])] * 20 + [np.array([0.5])] * 20
    out = [float(f(i / 20, x)[0]) for i, x in enumerate(xs)]
    assert out[19] == 0.0
    assert 0 < out[20] < 0.5  # lags a little
    assert out[-1] > 0.48  # but arrives within a second


def test_low_score_keypoints_are_missing_then_held_briefly():
    c = KeypointConditioner()
    kps = np.full((17, 3), 0.9)
    kps[:, :2] = 100.0
    c(0.0, kps, 50.0)
    kps[3, 2] = 0.05
    assert np.all(np.isfinite(c(0.1, kps, 50.0)[3]))  # held
    out = c(1.0, kps, 50.0)
    assert np.all(np.isnan(out[3]))  # gone for good, not zero
    assert np.all(np.isfinite(out[5]))


def test_a_briefly_unsure_keypoint_is_read_where_the_model_now_puts_it():
    # Side-on the far shoulder's score flickers about the gate: held where it stood, it
    # dragged the shoulders' midpoint back while the body moved on (phantom or halved leans).
    c = KeypointConditioner()
    kps = np.full((17, 3), 0.9)
    kps[:, :2] = 100.0
    c(0.0, kps, 50.0)
    kps[6, :2], kps[6, 2] = (160.0, 100.0), 0.1  # unsure now, and moved with the body
    for i in range(1, 4):
        out = c(0.1 * i, kps, 50.0)
    assert out[6, 0] > 150.0  # followed (the filter's lag aside), not left at 100
    assert np.all(np.isnan(c(1.0, kps, 50.0)[6]))  # unsure for longer than HOLD_S: missing


def test_body_jump_flags_another_person_not_a_hinge():
    size = 100.0
    assert not body_jump(np.array([0.0, 0.0]), np.array([30.0, 20.0]), size, 0.1)
    assert body_jump(np.array([0.0, 0.0]), np.array([300.0, 0.0]), size, 0.1)


def test_body_jump_catches_a_passer_by_by_the_part_that_jumped():
    # Bent over at the bottom vs. an upright passer-by at nearly the same hips: the hips
    # barely move, the shoulders and feet do.
    athlete = np.array([[391.0, 564.0], [473.0, 660.0], [445.0, 880.0]])
    walker = np.array([[535.0, 542.0], [520.0, 651.0], [598.0, 789.0]])
    assert body_jump(athlete, walker, 110.0, 0.033)
    moved = athlete + np.array([[8.0, 6.0], [3.0, 1.0], [0.0, 2.0]])  # one frame of a hinge
    assert not body_jump(athlete, moved, 110.0, 0.033)


def test_body_points_drop_unseen_feet_and_size_by_the_leg():
    kps = np.zeros((17, 3))
    kps[[5, 6], :2] = (100.0, 100.0)
    kps[[11, 12], :2] = (100.0, 110.0)  # a foreshortened torso, 10 px
    kps[[15, 16], :2] = (100.0, 310.0)
    kps[[15, 16], 2] = 0.9
    pts, size = body_points(kps, 10.0)
    assert size == 100.0 and np.allclose(pts[2], (100.0, 310.0))
    kps[[15, 16], 2] = 0.1
    pts, size = body_points(kps, 10.0)
    assert size == 10.0 and np.isnan(pts[2]).all()


def test_a_still_point_stays_put_while_the_body_size_changes():
    # A still ankle at x=340 px while the torso foreshortens in a hinge (the size the
    # conditioner is given shrinks and grows): smoothing must not move it about the origin.
    c = KeypointConditioner()
    kps = np.full((17, 3), 0.9)
    kps[:, :2] = (340.0, 800.0)
    sizes = [120.0 - 60.0 * np.sin(np.pi * i / 40) ** 2 for i in range(80)]
    xs = [float(c(i / 20, kps, s)[15, 0]) for i, s in enumerate(sizes)]
    assert max(abs(x - 340.0) for x in xs) < 1e-6


def test_the_speed_term_is_judged_in_body_units():
    # The same move in body units is smoothed alike whatever the pixels per unit.
    def lag(px_per_unit: float) -> float:
        f = OneEuroFilter()
        xs = [np.array([0.0])] * 10 + [np.array([0.5 * px_per_unit])] * 3
        out = [f(i / 20, x, px_per_unit) for i, x in enumerate(xs)]
        return float(out[-1][0]) / px_per_unit

    assert abs(lag(1.0) - lag(200.0)) < 1e-9


def test_body_move_is_the_largest_part_move():
    a = np.array([[0.0, 0.0], [0.0, 100.0], [np.nan, np.nan]])
    b = np.array([[3.0, 4.0], [0.0, 130.0], [50.0, 50.0]])
    assert body_move(a, b) == 30.0
