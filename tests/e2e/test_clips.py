"""Real video in, rep count out: every labelled clip in ../shared/clips through the real model.

The counts are the ones a person counted frame by frame (../shared/clips/README.md).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from mirror.cli import main

CLIP_COUNTS = {
    "kettlebell-swing_front-oblique_10reps.mp4": ("kettlebell-swing", 10),
    "good-morning_45deg_6reps.mp4": ("good-morning", 6),
    "deadlift-kettlebell_front-oblique_5reps.mp4": ("deadlift", 5),
    "deadlift_side_2reps.mp4": ("deadlift", 2),
    "deadlift_front_walk-in_3reps.mp4": ("deadlift", 3),
    **{f"deadlift_side_good-form_{i}_1rep.mp4": ("deadlift", 1) for i in range(1, 6)},
    **{f"deadlift_side_bad-form_{i}_1rep.mp4": ("deadlift", 1) for i in range(1, 6)},
    "single-leg-rdl_side_rendered_1rep.mp4": ("single-leg-rdl", 1),
    "rdl_front_rendered_1rep.mp4": ("rdl", 1),
}


@pytest.fixture(scope="module")
def recordings(clips_dir, model_path, tmp_path_factory):
    """Each clip through the model once (record), so several tests can read the poses."""
    out = tmp_path_factory.mktemp("rec")
    paths = {}
    for name in CLIP_COUNTS:
        rec = out / (name + ".jsonl")
        assert main(["record", str(clips_dir / name), "--out", str(rec),
                     "--model", str(model_path)]) == 0
        paths[name] = rec
    return paths


@pytest.mark.parametrize("clip", sorted(CLIP_COUNTS))
def test_count_on_real_clip_video(clip, clips_dir, model_path, capsys):
    exercise, reps = CLIP_COUNTS[clip]
    assert main(["count", str(clips_dir / clip), "--exercise", exercise, "--json",
                 "--model", str(model_path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["exercise"] == exercise
    assert out["reps"] == reps, out["rep_details"]
    assert len(out["rep_details"]) == reps
    for rep in out["rep_details"]:
        assert 0 <= rep["start_s"] < rep["end_s"] and isinstance(rep["faults"], list)


# Known miss at 10 fps: at its lockout the lifter's head leaves the picture and the model
# flips between the lifter and a body read on the plates; the few frames left read 12.7-14
# deg of lean, and calibration needs 0.25 s under 12 (strict: a fix must update this).
TEN_FPS_KNOWN_MISS = "deadlift_side_bad-form_1_1rep.mp4"


@pytest.mark.parametrize("clip", [
    pytest.param(c, marks=pytest.mark.xfail(strict=True, reason="lockout out of the picture"))
    if c == TEN_FPS_KNOWN_MISS else c
    for c in sorted(CLIP_COUNTS)
])
def test_count_on_real_clip_at_the_pi_4s_10_fps(clip, clips_dir, model_path, capsys):
    """A Pi 4's model keeps up with about 10 of the camera's 30 frames a second: the counts
    must hold on what it sees (the first frame in each tenth of a second, the model's crop
    tracking run at that rate too). Single-rep clips with a short lockout once lost their
    rep here: calibration asked for 8 upright frames, 0.27 s at 30 fps but 0.8 s at 10."""
    exercise, reps = CLIP_COUNTS[clip]
    assert main(["count", str(clips_dir / clip), "--exercise", exercise, "--json",
                 "--max-fps", "10", "--model", str(model_path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["reps"] == reps, out["rep_details"]


def test_counts_hold_on_every_third_frame_whichever_third(recordings):
    """The 30 fps poses thinned to 10 fps at each of the three frame phases (which frames a
    busy Pi keeps is chance): 51 runs, all exact. Before the 10 fps work 22 missed; a floor
    pull's first frames (ankles behind the plates, their keypoints guessed) read as walking
    in two of them until floor pulls stopped being judged on the feet's travel."""
    from mirror.analysis.counting import count_stream
    from mirror.pose.recording import read_recording
    from mirror.pose.stream import at_most

    wrong = []
    for clip, rec in recordings.items():
        exercise, reps = CLIP_COUNTS[clip]
        frames = read_recording(rec).frames
        for k in range(3):
            got = count_stream(list(at_most(iter(frames), 10.0, k / 30)), exercise).reps
            if got != reps:
                wrong.append((clip, k, got))
    assert wrong == []


def test_recording_replay_gives_the_same_count(recordings, capsys):
    for clip, rec in recordings.items():
        exercise, reps = CLIP_COUNTS[clip]
        assert main(["count", str(rec), "--exercise", exercise, "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["reps"] == reps, clip


def test_swing_reps_land_on_the_bell_peaks(recordings, capsys):
    """README: bell peaks at about these times; pick-up and park are not reps."""
    peaks = [2.4, 4.0, 5.5, 7.0, 8.5, 10.0, 11.5, 13.0, 14.5, 16.1]
    rec = recordings["kettlebell-swing_front-oblique_10reps.mp4"]
    main(["count", str(rec), "--exercise", "kettlebell-swing", "--json"])
    ends = [r["end_s"] for r in json.loads(capsys.readouterr().out)["rep_details"]]
    assert len(ends) == 10
    assert max(abs(e - p) for e, p in zip(ends, peaks, strict=True)) < 0.6


def test_no_person_on_the_title_card(recordings):
    """The kettlebell deadlift clip ends with a black card from 13.75 s: no pose there."""
    from mirror.pose.recording import read_recording

    frames = read_recording(recordings["deadlift-kettlebell_front-oblique_5reps.mp4"]).frames
    after = [p for t, p in frames if t > 14.0]
    before = [p for t, p in frames if t < 13.5]
    assert after and all(p is None for p in after)
    assert all(p is not None for p in before)


# Clips where one person is fully visible the whole time (or the stated part of it).
FULLY_VISIBLE = {
    "good-morning_45deg_6reps.mp4": (0, 99),
    "kettlebell-swing_front-oblique_10reps.mp4": (0, 99),
    "deadlift-kettlebell_front-oblique_5reps.mp4": (0, 13.5),
    "deadlift_side_2reps.mp4": (0, 99),
    "deadlift_front_walk-in_3reps.mp4": (3.5, 99),
    **{f"deadlift_side_good-form_{i}_1rep.mp4": (0, 99) for i in range(1, 6)},
}


def test_crop_tracking_never_loses_a_fully_visible_person(recordings):
    from mirror.pose.recording import read_recording

    for clip, (a, b) in FULLY_VISIBLE.items():
        frames = [(t, p) for t, p in read_recording(recordings[clip]).frames if a <= t <= b]
        lost = [t for t, p in frames if p is None]
        assert frames and not lost, f"{clip}: person lost at {lost[:5]}"


def _plausible(kps: np.ndarray) -> list[str]:
    """Reasons a 17-keypoint pose is not a human body (empty if plausible)."""
    problems = []
    if not (np.all(np.isfinite(kps)) and np.all(kps[:, 2] > 0)):
        problems.append("a keypoint has no score")
    xy = kps[:, :2]

    def d(a, b):
        return float(np.hypot(*(xy[a] - xy[b])))

    for upper, lower, name in ((11, 13, "left thigh"), (12, 14, "right thigh")):
        shin = d(lower, lower + 2)
        if shin > 0 and not 0.5 < d(upper, lower) / shin < 2.0:
            problems.append(f"{name}/shin ratio {d(upper, lower) / shin:.2f}")
    torso = (d(5, 11) + d(6, 12)) / 2
    leg = (d(11, 15) + d(12, 16)) / 2
    if not 0.4 < torso / max(leg, 1e-6) < 1.6:
        problems.append(f"torso/leg ratio {torso / max(leg, 1e-6):.2f}")
    arm = (d(5, 7) + d(6, 8)) / 2
    if not 0.25 < arm / max(torso, 1e-6) < 1.2:
        problems.append(f"upper arm/torso ratio {arm / max(torso, 1e-6):.2f}")
    # Left/right consistent: shoulders and hips lie the same way round (when apart enough).
    sw, hw = xy[5, 0] - xy[6, 0], xy[11, 0] - xy[12, 0]
    if abs(sw) > 0.25 * torso and abs(hw) > 0.25 * torso and np.sign(sw) != np.sign(hw):
        problems.append("left/right swapped between shoulders and hips")
    # The body is upright-ish ordered: shoulders above hips above ankles when standing.
    return problems


@pytest.mark.parametrize("clip, t", [
    ("good-morning_45deg_6reps.mp4", 1.0),
    ("kettlebell-swing_front-oblique_10reps.mp4", 2.8),
    ("deadlift-kettlebell_front-oblique_5reps.mp4", 0.5),
    ("deadlift_front_walk-in_3reps.mp4", 7.6),
    ("deadlift_side_2reps.mp4", 2.8),
    ("deadlift_side_good-form_1_1rep.mp4", 3.0),
    ("rdl_front_rendered_1rep.mp4", 0.2),
])
def test_pose_on_real_frames_is_anatomically_plausible(clip, t, clips_dir, model_path,
                                                         tmp_path, capsys):
    import os

    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame

    from mirror.camera.video import VideoFileSource

    frame = next(f for f in VideoFileSource(clips_dir / clip).frames() if f.t >= t)
    png = tmp_path / "frame.png"
    h, w = frame.image.shape[:2]
    pygame.image.save(pygame.image.frombuffer(frame.image.tobytes(), (w, h), "RGB"), str(png))
    assert main(["pose", str(png), "--json", "--model", str(model_path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["width"], out["height"]) == (w, h)
    names = [k["name"] for k in out["keypoints"]]
    assert len(names) == 17 and names[0] == "nose" and names[-1] == "right_ankle"
    kps = np.array([[k["x"], k["y"], k["score"]] for k in out["keypoints"]])
    assert kps[[5, 6, 11, 12], 2].mean() > 0.3, "torso not confidently found"
    assert _plausible(kps) == []
    xy = kps[:, :2]
    assert xy[[5, 6], 1].mean() < xy[[11, 12], 1].mean() < xy[[15, 16], 1].mean()
