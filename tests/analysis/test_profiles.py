"""The exercise profiles as data: which rules each one judges."""

from __future__ import annotations

import pytest

from mirror.analysis.profiles import EXERCISE_IDS, get_profile
from mirror.errors import UserError


def test_only_the_single_leg_rdl_judges_the_free_hip():
    judged = [e for e in EXERCISE_IDS if max(get_profile(e).hip_open_max) > 0]
    assert judged == ["single-leg-rdl"]


def test_free_hip_limit_is_tighter_side_on_where_only_the_hips_count():
    side, turned = get_profile("single-leg-rdl").hip_open_max
    assert 0 < side < turned


def test_shoulders_count_at_part_weight_beside_the_hips_off_side_on():
    # perspective sets the shoulders apart at the bottom: they only support the hips' reading
    assert 0 < get_profile("single-leg-rdl").hip_open_shoulders < 1


def test_unknown_exercise_names_the_choices():
    with pytest.raises(UserError, match="single-leg-rdl"):
        get_profile("lunge")
