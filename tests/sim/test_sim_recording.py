"""Simulated recordings: deterministic per seed, in the project's format, with honest truth."""

from __future__ import annotations

import json

import numpy as np
import pytest

from mirror.errors import UserError
from mirror.pose.recording import read_recording, write_recording
from mirror.sim import EXERCISES, MOTIONS, SimAthlete, SimSpec, endless, simulate, suite
from mirror.sim.command import parse_faults, parse_view, register


def _arrays(rec):
    return [None if p is None else p.keypoints for _, p in rec.frames]


def test_same_seed_same_recording_other_seed_differs():
    spec = SimSpec(exercise="kettlebell-swing", reps=3, yaw_deg=45, fps=20, seed=7)
    a, b = simulate(spec), simulate(spec)
    c = simulate(SimSpec(exercise="kettlebell-swing", reps=3, yaw_deg=45, fps=20, seed=8))
    assert [t for t, _ in a.recording.frames] == [t for t, _ in b.recording.frames]
    for x, y in zip(_arrays(a.recording), _arrays(b.recording), strict=True):
        assert (x is None and y is None) or np.array_equal(x, y)
    assert a.truth == b.truth
    assert a.truth != c.truth


def test_pose_at_is_random_access_and_matches_the_recording():
    spec = SimSpec(exercise="rdl", reps=2, yaw_deg=-90, fps=15, seed=3, dropout=0.05)
    rec = simulate(spec).recording
    athlete = SimAthlete(spec)
    for t, pose in rec.frames[::-7][:20]:  # backwards: no hidden sequential state
        again = athlete.pose_at(t)
        assert (pose is None) == (again is None)
        if pose is not None:
            assert np.array_equal(pose.keypoints, again.keypoints)


def test_recording_round_trips_through_the_project_format(tmp_path):
    res = simulate(
        SimSpec(exercise="deadlift", reps=2, yaw_deg=90, fps=24, width=640, height=480, seed=2)
    )
    path = tmp_path / "dl.jsonl"
    write_recording(path, res.recording)
    back = read_recording(path)
    assert (back.header.width, back.header.height, back.header.fps) == (640, 480, 24.0)
    assert back.header.extra["truth"]["count"] == 2
    assert back.header.extra["sim"]["exercise"] == "deadlift"
    assert len(back) == len(res.recording)
    for (t0, p0), (t1, p1) in zip(res.recording.frames, back.frames, strict=True):
        assert t1 == pytest.approx(t0, abs=1e-4)
        assert (p0 is None) == (p1 is None)
        if p0 is not None:
            assert p1.keypoints.shape == (17, 3) and p1.keypoints.dtype == np.float32
            assert np.allclose(p0.keypoints, p1.keypoints, atol=0.01)
    times = [t for t, _ in back.frames]
    assert all(b > a for a, b in zip(times, times[1:], strict=False))


def test_keypoints_stay_in_the_image_and_scores_are_movenet_like():
    res = simulate(SimSpec(exercise="good-morning", reps=2, yaw_deg=45, seed=4, dropout=0))
    kps = np.stack([p.keypoints for _, p in res.recording.frames if p is not None])
    assert kps[..., 0].min() >= 0 and kps[..., 0].max() <= 719
    assert kps[..., 1].min() >= 0 and kps[..., 1].max() <= 1279
    assert kps[..., 2].min() > 0.0 and kps[..., 2].max() < 1.0
    assert 0.5 < np.median(kps[:, [0, 5, 6], 2]) < 0.9


def test_dropouts_and_person_leaving_give_frames_without_keypoints():
    clean = simulate(SimSpec(exercise="rdl", reps=2, dropout=0.0, seed=1)).recording
    assert all(p is not None for _, p in clean.frames)
    drops = simulate(SimSpec(exercise="rdl", reps=2, dropout=0.1, seed=1)).recording
    missing = sum(p is None for _, p in drops.frames) / len(drops)
    assert 0.07 < missing < 0.3
    away = simulate(SimSpec(exercise="leave-return", dropout=0.0, seed=1))
    absent = next(e for e in away.truth.events if e[0] == "absent")
    inside = [p for t, p in away.recording.frames if absent[1] + 0.5 < t < absent[2] - 0.5]
    assert inside and all(p is None for p in inside)


@pytest.mark.parametrize("exercise", EXERCISES + MOTIONS)
def test_truth_counts_and_rep_times_are_ordered(exercise):
    spec = SimSpec(exercise=exercise, reps=3, yaw_deg=30, seed=11, fps=15)
    truth = SimAthlete(spec).truth
    expected = 3 if exercise in EXERCISES or exercise == "squat" else 0
    assert truth.count == expected
    last = -1.0
    for r in truth.reps:
        assert last <= r.start_s <= r.bottom_s < r.lockout_s <= r.end_s <= truth.duration_s
        last = r.end_s
    # standing still at both ends so a counter can calibrate (a floor start is the exception)
    if truth.reps:
        assert truth.reps[0].start_s >= 1.5
        assert truth.duration_s - truth.reps[-1].lockout_s >= 1.5


def test_deadlift_from_the_floor_and_sets_with_rest():
    dl = SimAthlete(SimSpec(exercise="deadlift", reps=3, start="bottom", end="floor", seed=2))
    assert dl.truth.count == 3 and dl.truth.reps[0].start_s == 0.0
    kp = dl.true_keypoints(0.0)
    assert kp[11, 1] > kp[5, 1] + 0.1 * (kp[15, 1] - kp[0, 1])  # starts bent over at the bar
    sets = SimAthlete(SimSpec(exercise="rdl", reps=6, sets=2, seed=2)).truth
    rest = [e for e in sets.events if e[0] == "rest"]
    assert len(rest) == 1 and rest[0][2] - rest[0][1] >= 4.0
    assert sets.reps[2].end_s <= rest[0][1] and sets.reps[3].start_s >= rest[0][2]


def test_suite_covers_exercises_views_rates_faults_and_motions():
    specs = suite()
    assert len(specs) >= 300
    assert len({s.name for s in specs}) == len(specs)
    for ex in EXERCISES:
        mine = [s for s in specs if s.exercise == ex]
        for view in ("side", "oblique", "front"):
            assert sum(s.view == view for s in mine) >= 8, (ex, view)
        assert {s.yaw_deg > 0 for s in mine if s.view == "side"} == {True, False}
        assert any(any(s.faults) for s in mine if s.view == "side")
        assert any(any(s.faults) for s in mine if s.view == "oblique")
    assert {s.fps for s in specs} >= {15, 30}
    assert all(15 <= s.fps <= 30 for s in specs)
    assert any(s.mirrored for s in specs) and any(s.width > s.height for s in specs)
    assert all(s.noise > 0 for s in specs) and any(s.dropout > 0.02 for s in specs)
    assert {s.exercise for s in specs} >= set(MOTIONS)
    faults = {f for s in specs for r in s.faults for f in r}
    assert faults == {
        "squatting",
        "shallow",
        "no_lockout",
        "too_fast",
        "no_pause",
        "hips_not_level",
    }
    assert suite() == specs  # deterministic


def test_spec_rejects_bad_input_with_clear_messages():
    with pytest.raises(UserError, match="unknown exercise 'lunge'"):
        SimSpec(exercise="lunge")
    with pytest.raises(UserError, match="does not apply to kettlebell-swing"):
        SimSpec(exercise="kettlebell-swing", faults=(("too_fast",),))
    with pytest.raises(UserError, match="--view 'up'"):
        parse_view("up")
    assert parse_view("oblique") == 45.0 and parse_view("-30") == -30.0
    assert parse_faults("2:squatting,3:shallow", 3) == ((), ("squatting",), ("shallow",))
    assert parse_faults("no_lockout", 2) == (("no_lockout",), ("no_lockout",))
    with pytest.raises(UserError, match="rep 5 is not within 1..3"):
        parse_faults("5:shallow", 3)


def test_sim_command_writes_a_recording_and_prints_truth(tmp_path, capsys):
    import argparse

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    out = tmp_path / "r.jsonl"
    args = parser.parse_args(
        [
            "sim",
            "--exercise",
            "rdl",
            "--view",
            "side",
            "--reps",
            "3",
            "--faults",
            "2:squatting",
            "--seed",
            "1",
            "--out",
            str(out),
        ]
    )
    assert args.func(args) == 0
    truth = json.loads(capsys.readouterr().out)
    assert truth["count"] == 3 and truth["reps"][1]["faults"] == ["squatting"]
    assert read_recording(out).header.extra["truth"] == truth
    args = parser.parse_args(["sim", "--suite", str(tmp_path / "s"), "--n", "3"])
    assert args.func(args) == 0
    manifest = json.loads((tmp_path / "s" / "manifest.json").read_text())
    assert len(manifest) == 3
    for item in manifest:
        rec = read_recording(tmp_path / "s" / item["file"])
        assert rec.header.extra["truth"]["count"] == item["truth"]["count"]


def test_render_draws_the_body_where_it_is():
    a = SimAthlete(
        SimSpec(exercise="stand", yaw_deg=0, width=320, height=480, seed=1, distance_m=3.0)
    )
    img = a.render(1.0)
    assert img.shape == (480, 320, 3) and img.dtype == np.uint8
    kp = a.true_keypoints(1.0)
    hx, hy = ((kp[11, :2] + kp[12, :2]) / 2).astype(int)
    assert img[hy, hx].tolist() != [110, 110, 110]  # on the body
    assert img[5, 5].tolist() == [110, 110, 110]  # background


def test_endless_demo_stream_runs_on_across_sets():
    from itertools import islice

    frames = list(islice(endless(seed=1, fps=10), 700))  # more than one set
    times = [t for t, _ in frames]
    assert all(b > a for a, b in zip(times, times[1:], strict=False))
    assert times[-1] > 60
    seen = [p for _, p in frames if p is not None]
    assert len(seen) > 400 and all(p.keypoints.shape == (17, 3) for p in seen)


def test_a_passer_by_is_sometimes_reported_instead_of_the_athlete():
    a = SimAthlete(
        SimSpec(exercise="rdl", reps=3, yaw_deg=0, seed=0, intruder=True, dropout=0, noise=0)
    )
    events = {name: (t0, t1) for name, t0, t1 in a.truth.events}
    walk, taken = events["intruder"], events["intruder-reported"]
    assert walk[0] <= taken[0] < taken[1] <= walk[1]
    for t, swapped in (((taken[0] + taken[1]) / 2, True), (walk[0] - 0.5, False)):
        reported = a.pose_at(t).keypoints[11:13, :2].mean(axis=0)
        athlete = a.true_keypoints(t)[11:13, :2].mean(axis=0)
        h = a.camera.person_height_px(a.body_at(t))
        assert (np.linalg.norm(reported - athlete) > 0.02 * h) == swapped
    assert a.render(sum(taken) / 2).shape == (1280, 720, 3)
