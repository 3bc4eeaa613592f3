"""Kiosk configuration: TOML with shipped defaults (assets/config.toml) and a user override.

Why dataclasses with the defaults in code: the installed package must run without any file;
assets/config.toml documents the same values for people who copy and edit it (a test keeps the
two equal). A user file only lists what it changes; a wrong key or value is a UserError naming
the key, shown as one line.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from mirror.errors import UserError

EXERCISES: dict[str, str] = {
    "hip-hinge": "Hip hinge",
    "rdl": "Romanian deadlift",
    "deadlift": "Deadlift",
    "kettlebell-swing": "Kettlebell swing",
    "good-morning": "Good morning",
    "single-leg-rdl": "Single-leg RDL",
}

DEFAULT_USER_CONFIG = Path("~/.config/hinge-mirror/config.toml")
SHIPPED_CONFIG = Path(__file__).resolve().parent.parent / "assets" / "config.toml"


def display_name(exercise: str) -> str:
    return EXERCISES.get(exercise, exercise.replace("-", " ").capitalize())


@dataclass(frozen=True)
class DisplayConfig:
    width: int = 0  # 0 = the screen's native size
    height: int = 0
    fullscreen: bool = True
    rotation: int = 0  # degrees, for a screen mounted on its side
    fps: int = 60


@dataclass(frozen=True)
class SoundConfig:
    enabled: bool = True
    muted: bool = False
    volume: float = 0.7
    speech: bool = True  # speak counts and cues with espeak-ng when it is installed
    speak_counts: bool = True
    cache_dir: str = "~/.cache/hinge-mirror/speech"


@dataclass(frozen=True)
class ButtonsConfig:
    enabled: bool = True
    prev: int = 5  # BCM numbers
    next: int = 6
    start: int = 13
    end: int = 19
    pull_up: bool = True  # button between the pin and ground
    debounce_ms: int = 30
    long_press_s: float = 1.5
    very_long_press_s: float = 5.0
    stuck_s: float = 30.0


@dataclass(frozen=True)
class ExercisesConfig:
    order: tuple[str, ...] = tuple(EXERCISES)
    start: str = "hip-hinge"


@dataclass(frozen=True)
class UIConfig:
    overlay: bool = False  # mirrored skeleton (the glass already shows the person)
    diagnostics: bool = False


@dataclass(frozen=True)
class SessionConfig:
    history: str = "~/.local/share/hinge-mirror/history.db"
    rest_s: float = 90.0
    summary_s: float = 10.0
    leave_grace_s: float = 3.0  # out of view this long ends the set
    idle_set_end_s: float = 30.0  # no rep for this long ends a set
    session_timeout_s: float = 300.0  # nobody this long in rest -> back to idle
    not_visible_error_s: float = 3.0  # partly visible this long -> error screen


@dataclass(frozen=True)
class CameraConfig:
    source: str = "auto"  # auto (Pi camera, else the first USB webcam) | picamera2 | webcam
    device: str = ""  # a /dev/video path for `webcam`; "" = the first one found
    rotate: int = 0  # degrees, for a camera mounted on its side
    mirror: bool = False  # flip left-right (a camera looking through the mirror)
    fps: float = 30.0
    webcam_width: int = 640
    webcam_height: int = 480


@dataclass(frozen=True)
class ModelConfig:
    path: str = ""  # "" = $HINGE_MIRROR_MODEL, else ~/.cache/hinge-mirror/models/
    backend: str = "auto"  # auto | litert | tflite
    threads: int = 0  # 0 = one fewer than the CPU cores (capture and UI need one)


@dataclass(frozen=True)
class Config:
    display: DisplayConfig = field(default_factory=DisplayConfig)
    sound: SoundConfig = field(default_factory=SoundConfig)
    buttons: ButtonsConfig = field(default_factory=ButtonsConfig)
    exercises: ExercisesConfig = field(default_factory=ExercisesConfig)
    ui: UIConfig = field(default_factory=UIConfig)
    session: SessionConfig = field(default_factory=SessionConfig)
    camera: CameraConfig = field(default_factory=CameraConfig)
    model: ModelConfig = field(default_factory=ModelConfig)

    @property
    def history_path(self) -> Path:
        return Path(os.path.expanduser(self.session.history))


def _check(key: str, value: Any) -> str | None:
    """Extra rules beyond the type; returns what was expected, or None when fine."""
    rules: dict[str, tuple[Any, str]] = {
        "display.rotation": (lambda v: v in (0, 90, 180, 270), "one of 0, 90, 180, 270"),
        "display.width": (lambda v: v == 0 or 200 <= v <= 10000, "0 or 200..10000 pixels"),
        "display.height": (lambda v: v == 0 or 200 <= v <= 10000, "0 or 200..10000 pixels"),
        "display.fps": (lambda v: 10 <= v <= 240, "10..240"),
        "sound.volume": (lambda v: 0.0 <= v <= 1.0, "a number 0..1"),
        "buttons.debounce_ms": (lambda v: 0 <= v <= 500, "0..500"),
        "buttons.long_press_s": (lambda v: 0.3 <= v <= 10, "0.3..10 seconds"),
        "buttons.very_long_press_s": (lambda v: 1 <= v <= 30, "1..30 seconds"),
        "buttons.stuck_s": (lambda v: 5 <= v <= 3600, "5..3600 seconds"),
        "exercises.order": (
            lambda v: len(v) > 0 and all(x in EXERCISES for x in v) and len(set(v)) == len(v),
            "a non-empty list of distinct exercise ids from " + ", ".join(EXERCISES),
        ),
        "exercises.start": (lambda v: v in EXERCISES, "one of " + ", ".join(EXERCISES)),
        "camera.source": (lambda v: v in ("auto", "picamera2", "webcam"),
                          "one of auto, picamera2, webcam"),
        "camera.rotate": (lambda v: v in (0, 90, 180, 270), "one of 0, 90, 180, 270"),
        "camera.fps": (lambda v: 1 <= v <= 120, "1..120"),
        "camera.webcam_width": (lambda v: 64 <= v <= 4096, "64..4096 pixels"),
        "camera.webcam_height": (lambda v: 64 <= v <= 4096, "64..4096 pixels"),
        "model.backend": (lambda v: v in ("auto", "litert", "tflite"),
                          "one of auto, litert, tflite"),
        "model.threads": (lambda v: 0 <= v <= 16, "0 (automatic) or 1..16"),
    }
    for pin in ("prev", "next", "start", "end"):
        rules[f"buttons.{pin}"] = (lambda v: 0 <= v <= 27, "a BCM GPIO number 0..27")
    for name in ("rest_s", "summary_s", "leave_grace_s", "idle_set_end_s",
                 "session_timeout_s", "not_visible_error_s"):
        rules[f"session.{name}"] = (lambda v: 0 <= v <= 86400, "0..86400 seconds")
    rule = rules.get(key)
    if rule is None or rule[0](value):
        return None
    return rule[1]


def _coerce(where: str, key: str, value: Any, default: Any) -> Any:
    def bad(expected: str) -> UserError:
        return UserError(f"{where}: {key} must be {expected} (got {value!r})")

    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise bad("true or false")
    elif isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad("a whole number")
    elif isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise bad("a number")
        value = float(value)
    elif isinstance(default, str):
        if not isinstance(value, str):
            raise bad("a string")
    elif isinstance(default, tuple):
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise bad("a list of strings")
        value = tuple(value)
    expected = _check(key, value)
    if expected is not None:
        raise bad(expected)
    return value


def merge(config: Config, data: dict[str, Any], where: str) -> Config:
    """Overlay a parsed TOML table on a config, checking every key and value."""
    sections = {f.name: f for f in fields(Config)}
    changes: dict[str, Any] = {}
    for name, table in data.items():
        if name not in sections:
            raise UserError(f"{where}: unknown section [{name}] (known: {', '.join(sections)})")
        if not isinstance(table, dict):
            raise UserError(f"{where}: {name} must be a table ([{name}])")
        current = getattr(config, name)
        known = {f.name for f in fields(current)}
        values: dict[str, Any] = {}
        for key, value in table.items():
            if key not in known:
                raise UserError(f"{where}: unknown key {name}.{key} (known: {', '.join(known)})")
            values[key] = _coerce(where, f"{name}.{key}", value, getattr(current, key))
        changes[name] = replace(current, **values)
    merged = replace(config, **changes)
    if merged.exercises.start not in merged.exercises.order:
        first = merged.exercises.order[0]
        merged = replace(merged, exercises=replace(merged.exercises, start=first))
    return merged


def parse(text: str, where: str, base: Config | None = None) -> Config:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{where}: not valid TOML: {exc}") from None
    return merge(base or Config(), data, where)


def load_config(path: str | Path | None = None) -> Config:
    """Defaults, then the user's file: `path` if given (must exist), else the default location."""
    config = Config()
    if path is None:
        user = Path(os.path.expanduser(DEFAULT_USER_CONFIG))
        if not user.exists():
            return config
    else:
        user = Path(path)
        if not user.is_file():
            raise UserError(f"{user}: config file not found")
    try:
        text = user.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{user}: cannot read config ({exc})") from None
    return parse(text, str(user), config)
