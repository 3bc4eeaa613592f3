"""Sound: tones are real audio, mute/volume work, no device means silent with one log line."""

from __future__ import annotations

import logging
import os

os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import numpy as np  # noqa: E402
import pygame  # noqa: E402
import pytest  # noqa: E402

from mirror.ui.audio import TONES, Audio, tone  # noqa: E402


@pytest.fixture
def audio(tmp_path):
    pygame.mixer.quit()
    a = Audio(speech=False, cache_dir=tmp_path)
    yield a
    a.close()


def dominant_hz(samples: np.ndarray, rate: int) -> float:
    spec = np.abs(np.fft.rfft(samples[:, 0].astype(float)))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[spec.argmax()])


def test_chime_and_partial_are_distinct_real_tones():
    chime, partial = tone(TONES["chime"]), tone(TONES["partial"])
    assert chime.dtype == np.int16 and chime.shape[1] == 2
    assert np.abs(chime).max() > 20000 and np.abs(partial).max() > 20000
    assert dominant_hz(chime, 22050) > 900  # bright
    assert dominant_hz(partial, 22050) < 400  # low


def test_play_respects_mute_and_volume(audio):
    assert audio.ok
    assert audio.play("chime")
    audio.set_volume(0.5, muted=True)
    assert not audio.play("chime")
    audio.set_volume(0.0, muted=False)
    assert not audio.play("partial")
    audio.set_volume(0.4, muted=False)
    assert audio.play("partial")
    assert audio.played == ["chime", "partial"]


def test_without_speech_cues_are_a_tone_and_counts_stay_silent(audio):
    assert not audio.speech_available
    assert audio.say("Hips back, not down")
    assert not audio.say("three", tone_fallback=False)
    assert audio.played == ["cue"]


def test_no_sound_device_runs_silently_with_one_log_line(monkeypatch, caplog, tmp_path):
    pygame.mixer.quit()

    def broken(*a, **k):
        raise pygame.error("No available audio device")

    monkeypatch.setattr(pygame.mixer, "init", broken)
    caplog.set_level(logging.INFO)
    a = Audio(cache_dir=tmp_path)
    assert not a.ok
    assert not a.play("chime") and not a.say("Go deeper")
    lines = [r for r in caplog.records if r.name == "mirror.ui.audio"]
    assert len(lines) == 1 and "silently" in lines[0].getMessage()


def test_disabled_in_config_makes_no_sound(tmp_path):
    pygame.mixer.quit()
    a = Audio(enabled=False, cache_dir=tmp_path)
    assert not a.ok and not a.play("chime")


def test_speech_is_rendered_once_and_cached(tmp_path, monkeypatch):
    """With a (fake) espeak-ng: the WAV is written once to the cache and reused."""
    import subprocess
    import wave

    calls = []

    def fake_run(cmd, **kw):
        calls.append(cmd)
        out = cmd[cmd.index("-w") + 1]
        with wave.open(out, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(22050)
            w.writeframes(np.zeros(2205, np.int16).tobytes())
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setattr("mirror.ui.audio.shutil.which", lambda name: "/usr/bin/" + name)
    monkeypatch.setattr("mirror.ui.audio.subprocess.run", fake_run)
    pygame.mixer.quit()
    a = Audio(cache_dir=tmp_path)
    try:
        assert a.speech_available
        s1 = a._speech("seven")
        s2 = a._speech("seven")
        assert s1 is not None and s2 is not None
        assert len(calls) == 1 and len(list(tmp_path.glob("*.wav"))) == 1
        a._speech_cache["seven"] = s1
        assert a.say("seven", tone_fallback=False)
        assert a.played == ["say:seven"]
    finally:
        a.close()
