"""Config: shipped defaults equal the code's, user files override, bad values name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from mirror.config import SHIPPED_CONFIG, Config, load_config, parse
from mirror.errors import UserError

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_file_matches_the_defaults():
    assert SHIPPED_CONFIG == ROOT / "assets" / "config.toml"
    assert parse(SHIPPED_CONFIG.read_text(), "assets/config.toml") == Config()


def test_user_file_overrides_only_what_it_lists(tmp_path):
    f = tmp_path / "c.toml"
    f.write_text('[buttons]\nprev = 17\n[sound]\nvolume = 1\n[exercises]\n'
                 'order = ["rdl", "deadlift"]\n[display]\nrotation = 90\n')
    c = load_config(f)
    assert c.buttons.prev == 17 and c.buttons.next == 6
    assert c.sound.volume == 1.0 and isinstance(c.sound.volume, float)
    assert c.exercises.order == ("rdl", "deadlift")
    assert c.exercises.start == "rdl"  # the default start is not in the list: the first is
    assert c.display.rotation == 90


def test_no_user_file_means_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert load_config() == Config()


@pytest.mark.parametrize(("text", "needle"), [
    ("[display]\nrotation = 45", "display.rotation must be one of 0, 90, 180, 270 (got 45)"),
    ("[sound]\nvolume = 3", "sound.volume must be a number 0..1"),
    ("[sound]\nmuted = 1", "sound.muted must be true or false"),
    ("[buttons]\nprev = \"five\"", "buttons.prev must be a whole number"),
    ("[buttons]\nstart = 40", "buttons.start must be a BCM GPIO number"),
    ("[exercises]\norder = [\"rdl\", \"squat\"]", "exercises.order must be a non-empty list"),
    ("[exercises]\nstart = \"squat\"", "exercises.start must be one of"),
    ("[display]\nwidht = 3", "unknown key display.widht"),
    ("[dispaly]\nwidth = 3", "unknown section [dispaly]"),
    ("[display\n", "not valid TOML"),
])
def test_bad_values_are_one_line_errors_naming_the_key(tmp_path, text, needle):
    f = tmp_path / "mirror.toml"
    f.write_text(text)
    with pytest.raises(UserError) as e:
        load_config(f)
    msg = str(e.value)
    assert needle in msg and str(f) in msg and "\n" not in msg


def test_missing_file_given_explicitly(tmp_path):
    with pytest.raises(UserError, match="config file not found"):
        load_config(tmp_path / "nope.toml")


def test_history_path_expands_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert Config().history_path == tmp_path / ".local/share/hinge-mirror/history.db"
