"""`hinge-mirror run`: the kiosk on a camera. No camera here: a video file stands in for one."""

from __future__ import annotations

import os

import pytest

from mirror.cli import main


def test_check_reports_model_and_missing_camera(model_path, monkeypatch, capsys):
    import mirror.camera.open as cam

    monkeypatch.setattr(cam, "usb_webcams", lambda *a, **k: [])
    assert main(["run", "--check", "--model", str(model_path)]) == 1
    out = capsys.readouterr().out
    assert "model: ok" in out and "litert" in out or "tflite" in out
    assert "camera: FAIL no camera could be opened: picamera2:" in out and "webcam:" in out


def test_check_with_a_camera(model_path, clips_dir, monkeypatch, capsys):
    import mirror.camera.open as cam
    from mirror.camera.video import VideoFileSource

    clip = clips_dir / "good-morning_45deg_6reps.mp4"
    monkeypatch.setattr(cam, "open_camera", lambda settings=None: VideoFileSource(clip))
    assert main(["run", "--check", "--model", str(model_path)]) == 0
    assert "camera: ok (VideoFileSource, 404x720" in capsys.readouterr().out


def test_kiosk_without_model_shows_the_error_and_keeps_running(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")
    monkeypatch.setenv("SDL_AUDIODRIVER", "dummy")
    shot = tmp_path / "shot.png"
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[session]\nhistory = "{tmp_path / "h.db"}"\n[sound]\nenabled = false\n')
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    assert main(["run", "--config", str(cfg), "--headless", "--seconds", "1.5",
                 "--no-buttons", "--screenshot", str(shot)]) == 0
    if cores is not None:  # the UI thread ran on the non-model cores, and is given them back
        assert os.sched_getaffinity(0) == cores
    import pygame

    img = pygame.image.load(str(shot))
    assert img.get_size() == (1080, 1920)
    # Something red (the error mark) and mostly black.
    px = pygame.surfarray.array3d(img)
    red = (px[..., 0] > 200) & (px[..., 1] < 120) & (px[..., 2] < 120)
    assert red.sum() > 500
    assert (px.max(axis=2) < 10).mean() > 0.8


def test_bad_options_exit_2(capsys):
    assert main(["run", "--threads", "0"]) == 2
    assert "--threads 0" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        main(["run", "--camera", "usb"])
    assert e.value.code == 2
