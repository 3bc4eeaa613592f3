"""Buttons through gpiozero's MockFactory, with a hand-driven clock (no sleeps)."""

from __future__ import annotations

import logging

import pytest
from gpiozero import Device
from gpiozero.pins.mock import MockFactory

from mirror.config import ButtonsConfig
from mirror.controls.gestures import Button
from mirror.controls.gpio import GpioButtons, open_buttons
from mirror.session.state import Command

CFG = ButtonsConfig()  # PREV 5, NEXT 6, START 13, END 19, pull-up: pressed = pin low
PINS = {Button.PREV: CFG.prev, Button.NEXT: CFG.next, Button.START: CFG.start,
        Button.END: CFG.end}


class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


class Rig:
    def __init__(self, cfg=CFG):
        self.factory = MockFactory()
        self.clock = Clock()
        self.buttons = GpioButtons(cfg, self.clock, pin_factory=self.factory)
        self.out: list[Command] = []

    def pin(self, b: Button):
        return self.factory.pin(PINS[b])

    def run(self, seconds: float, step: float = 1 / 60) -> list[Command]:
        """Advance time, polling like the UI loop does; returns the commands emitted."""
        got: list[Command] = []
        end = self.clock.t + seconds
        while self.clock.t < end - 1e-9:
            self.clock.t = min(end, self.clock.t + step)
            got += self.buttons.poll()
        self.out += got
        return got

    def press(self, b: Button, hold: float) -> list[Command]:
        self.pin(b).drive_low()
        got = self.run(hold)
        self.pin(b).drive_high()
        return got + self.run(0.1)


@pytest.fixture
def rig():
    r = Rig()
    yield r
    r.buttons.close()
    r.factory.reset()


@pytest.mark.parametrize(("button", "command"), [
    (Button.PREV, Command.PREV_EXERCISE), (Button.NEXT, Command.NEXT_EXERCISE),
    (Button.START, Command.START_PAUSE), (Button.END, Command.END_SET)])
def test_short_press_mapping(rig, button, command):
    pin = rig.pin(button)
    pin.drive_low()
    assert rig.run(0.3) == []  # a short press acts on release
    pin.drive_high()
    assert rig.run(0.1) == [command]


@pytest.mark.parametrize(("button", "command"), [
    (Button.PREV, Command.VOLUME_DOWN), (Button.NEXT, Command.VOLUME_UP),
    (Button.START, Command.MUTE_TOGGLE), (Button.END, Command.RESET)])
def test_long_press_mapping_fires_while_held_and_not_again_on_release(rig, button, command):
    pin = rig.pin(button)
    pin.drive_low()
    assert rig.run(CFG.long_press_s - 0.1) == []
    assert rig.run(0.2) == [command]
    assert rig.run(2.0) == []
    pin.drive_high()
    assert rig.run(0.1) == []


def test_very_long_press_on_prev_and_next_opens_the_shutdown_menu(rig):
    rig.pin(Button.PREV).drive_low()
    rig.run(0.2)
    rig.pin(Button.NEXT).drive_low()
    assert rig.run(CFG.very_long_press_s - 0.2) == []  # no volume change, no exercise change
    assert rig.run(0.4) == [Command.SHUTDOWN_REQUEST]
    assert rig.run(3.0) == []
    rig.pin(Button.PREV).drive_high()
    rig.pin(Button.NEXT).drive_high()
    assert rig.run(0.2) == []
    # the confirm is a plain START press (the session reads it as confirm in the menu)
    assert rig.press(Button.START, 0.2) == [Command.START_PAUSE]


def test_start_and_end_held_together_toggle_the_overlay(rig):
    rig.pin(Button.START).drive_low()
    rig.pin(Button.END).drive_low()
    assert rig.run(CFG.long_press_s + 0.1) == [Command.TOGGLE_OVERLAY]
    rig.pin(Button.START).drive_high()
    rig.pin(Button.END).drive_high()
    assert rig.run(0.2) == []


def test_two_buttons_released_early_do_nothing(rig):
    rig.pin(Button.PREV).drive_low()
    rig.pin(Button.NEXT).drive_low()
    rig.run(1.0)
    rig.pin(Button.PREV).drive_high()
    rig.pin(Button.NEXT).drive_high()
    assert rig.run(0.2) == []


def test_bounce_is_one_press(rig):
    pin = rig.pin(Button.NEXT)
    for _ in range(6):  # contact chatter: 5 ms edges
        pin.drive_low()
        rig.run(0.005, step=0.005)
        pin.drive_high()
        rig.run(0.005, step=0.005)
    pin.drive_low()
    rig.run(0.25, step=0.005)
    for _ in range(4):  # chatter on release too
        pin.drive_high()
        rig.run(0.005, step=0.005)
        pin.drive_low()
        rig.run(0.005, step=0.005)
    pin.drive_high()
    rig.run(0.2, step=0.005)
    assert rig.out == [Command.NEXT_EXERCISE]


def test_a_glitch_shorter_than_debounce_is_ignored(rig):
    pin = rig.pin(Button.START)
    pin.drive_low()
    rig.run(0.01, step=0.005)
    pin.drive_high()
    assert rig.run(0.5, step=0.005) == []


def test_stuck_button_is_ignored_with_one_log_line_and_others_still_work(rig, caplog):
    caplog.set_level(logging.WARNING)
    rig.pin(Button.END).drive_low()
    got = rig.run(CFG.stuck_s + 1.0, step=0.05)
    assert got == [Command.RESET]  # the long press, once
    stuck_lines = [r for r in caplog.records if "ignoring it" in r.getMessage()]
    assert len(stuck_lines) == 1 and "GPIO19" in stuck_lines[0].getMessage()
    assert rig.run(60.0, step=0.1) == []  # still stuck: silence, no more log lines
    assert len([r for r in caplog.records if "ignoring it" in r.getMessage()]) == 1
    assert rig.press(Button.NEXT, 0.2) == [Command.NEXT_EXERCISE]
    # a stuck END must not turn a START press into the START+END overlay combo
    assert rig.press(Button.START, CFG.long_press_s + 0.2) == [Command.MUTE_TOGGLE]
    rig.pin(Button.END).drive_high()  # freed: no command from the release, usable again
    assert rig.run(0.2) == []
    assert any("released" in r.getMessage() for r in caplog.records)
    assert rig.press(Button.END, 0.2) == [Command.END_SET]


def test_configured_pins_and_timings_are_used():
    cfg = ButtonsConfig(prev=17, next=27, start=22, end=23, long_press_s=0.8)
    r = Rig(cfg)
    try:
        r.factory.pin(23).drive_low()
        assert r.run(0.9) == [Command.RESET]
        r.factory.pin(23).drive_high()
        r.run(0.1)
        r.factory.pin(17).drive_low()
        r.run(0.1)
        r.factory.pin(17).drive_high()
        assert r.run(0.1) == [Command.PREV_EXERCISE]
    finally:
        r.buttons.close()
        r.factory.reset()


def test_buttons_off_in_config_or_without_gpio_is_keyboard_only(caplog):
    assert open_buttons(ButtonsConfig(enabled=False)) is None
    old = Device.pin_factory
    try:
        Device.pin_factory = None
        caplog.set_level(logging.WARNING)
        b = open_buttons(CFG)  # no Pi here: either a mock factory or one warning line
        if b is None:
            assert any("buttons off" in r.getMessage() for r in caplog.records)
        else:
            b.close()
    finally:
        Device.pin_factory = old


def test_keyboard_equivalents():
    import pygame

    from mirror.controls.keyboard import KEYS, key_command

    ev = pygame.event.Event(pygame.KEYDOWN, key=pygame.K_SPACE)
    assert key_command(ev) == Command.START_PAUSE
    assert key_command(pygame.event.Event(pygame.QUIT)) == Command.QUIT
    assert key_command(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_F12)) is None
    assert set(KEYS.values()) == set(Command)  # every command has a key
