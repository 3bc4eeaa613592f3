"""Sound: a chime per counted rep, a lower tone for a partial, spoken counts and cues.

Why sound matters here: at the bottom of a hinge the person looks at the floor, not the glass.
Tones are synthesised with numpy (no sound files to ship); speech uses espeak-ng when the OS
has it, rendered once to WAV in a cache dir and reused. No sound device -> silent, one log line.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import queue
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pygame

log = logging.getLogger(__name__)

RATE = 22050


@contextlib.contextmanager
def _quiet_stderr():
    """Silence C-level stderr (file descriptor 2) for the duration; Python logging still works
    after. Falls back to doing nothing where descriptors cannot be juggled."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
    except (OSError, ValueError, AttributeError):
        yield
        return
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def tone(freqs: list[tuple[float, float, float]], rate: int = RATE) -> np.ndarray:
    """Sum of decaying sines: (frequency Hz, start s, length s) each; int16 stereo."""
    end = max(s + n for _, s, n in freqs)
    t = np.arange(int(end * rate)) / rate
    out = np.zeros_like(t)
    for f, start, length in freqs:
        tt = t - start
        on = (tt >= 0) & (tt < length)
        env = np.exp(-tt[on] * 5.0 / length) * np.minimum(1.0, tt[on] * 200)
        out[on] += np.sin(2 * np.pi * f * tt[on]) * env
    out /= max(1e-9, np.abs(out).max())
    mono = (out * 0.8 * 32767).astype(np.int16)
    return np.column_stack([mono, mono])


TONES: dict[str, list[tuple[float, float, float]]] = {
    "chime": [(1046.5, 0.0, 0.35), (1568.0, 0.06, 0.45)],  # bright, rising: a counted rep
    "partial": [(330.0, 0.0, 0.18), (262.0, 0.14, 0.25)],  # low, falling: did not count
    "cue": [(784.0, 0.0, 0.15), (659.3, 0.12, 0.22)],  # attention, before a cue (no speech)
}


class Audio:
    """Plays named sounds and speech. `played` records what was played (tests and logs)."""

    def __init__(self, enabled: bool = True, volume: float = 0.7, muted: bool = False,
                 speech: bool = True, cache_dir: str | Path = "~/.cache/hinge-mirror/speech"
                 ) -> None:
        self.volume = volume
        self.muted = muted
        self.played: list[str] = []
        self.ok = False
        self._sounds: dict[str, pygame.mixer.Sound] = {}
        self._speech_cache: dict[str, pygame.mixer.Sound | None] = {}
        self._cache_dir = Path(os.path.expanduser(str(cache_dir)))
        self._espeak = (shutil.which("espeak-ng") or shutil.which("espeak")) if speech else None
        self._pending: queue.Queue[str] = queue.Queue()
        if not enabled:
            return
        try:
            if not pygame.mixer.get_init():
                with _quiet_stderr():  # ALSA prints a screenful when there is no card
                    pygame.mixer.init(frequency=RATE, size=-16, channels=2, buffer=512)
            freq, _, channels = pygame.mixer.get_init()
            for name, spec in TONES.items():
                data = tone(spec, freq)
                if channels == 1:
                    data = np.ascontiguousarray(data[:, 0])
                self._sounds[name] = pygame.sndarray.make_sound(data)
            pygame.mixer.set_num_channels(8)
            self.ok = True
        except (pygame.error, ValueError) as exc:
            log.warning("no sound device (%s): running silently", exc)
        if self.ok and speech and not self._espeak:
            log.info("espeak-ng not found: cues play as tones")
        if self.speech_available:
            threading.Thread(target=self._speech_worker, name="speech", daemon=True).start()

    def prepare(self, texts: list[str]) -> None:
        """Render these phrases in the background so they are ready when needed."""
        if self.speech_available:
            for text in texts:
                self._pending.put(text)

    def _speech_worker(self) -> None:
        while True:
            text = self._pending.get()
            if text not in self._speech_cache:
                self._speech_cache[text] = self._speech(text)

    @property
    def speech_available(self) -> bool:
        return bool(self._espeak) and self.ok

    def set_volume(self, volume: float, muted: bool) -> None:
        self.volume, self.muted = volume, muted

    def play(self, name: str) -> bool:
        """Play a named tone; returns whether anything was played."""
        sound = self._sounds.get(name)
        if sound is None or self.muted or self.volume <= 0:
            return False
        sound.set_volume(self.volume)
        sound.play()
        self.played.append(name)
        return True

    def say(self, text: str, tone_fallback: bool = True) -> bool:
        """Speak text (queued after what is speaking); without speech, the cue tone (if asked)."""
        if not self.ok or self.muted or self.volume <= 0 or not text:
            return False
        sound = self._speech_cache.get(text) if self._espeak else None
        if sound is None:
            if self._espeak and text not in self._speech_cache:
                self._pending.put(text)  # rendered off the UI thread, ready next time
            return self.play("cue") if tone_fallback else False
        channel = pygame.mixer.Channel(7)
        sound.set_volume(self.volume)
        if channel.get_busy():
            channel.queue(sound)
        else:
            channel.play(sound)
        self.played.append(f"say:{text}")
        return True

    def _speech(self, text: str) -> pygame.mixer.Sound | None:
        sound = None
        key = hashlib.sha1(text.encode()).hexdigest()[:16]
        path = self._cache_dir / f"{key}.wav"
        try:
            if not path.exists():
                self._cache_dir.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(".tmp.wav")
                subprocess.run([self._espeak, "-s", "165", "-w", str(tmp), text], check=True,
                               timeout=10, capture_output=True)
                tmp.replace(path)
            sound = pygame.mixer.Sound(str(path))
        except (OSError, subprocess.SubprocessError, pygame.error) as exc:
            log.warning("speech failed for %r (%s): using tones", text, exc)
        return sound

    def close(self) -> None:
        if self.ok:
            pygame.mixer.quit()
            self.ok = False
