"""Keyboard equivalents of the buttons, for development with a window."""

from __future__ import annotations

import pygame

from mirror.session.state import Command

KEYS: dict[int, Command] = {
    pygame.K_LEFT: Command.PREV_EXERCISE,
    pygame.K_RIGHT: Command.NEXT_EXERCISE,
    pygame.K_SPACE: Command.START_PAUSE,
    pygame.K_RETURN: Command.END_SET,
    pygame.K_r: Command.RESET,
    pygame.K_m: Command.MUTE_TOGGLE,
    pygame.K_EQUALS: Command.VOLUME_UP,
    pygame.K_PLUS: Command.VOLUME_UP,
    pygame.K_KP_PLUS: Command.VOLUME_UP,
    pygame.K_MINUS: Command.VOLUME_DOWN,
    pygame.K_KP_MINUS: Command.VOLUME_DOWN,
    pygame.K_o: Command.TOGGLE_OVERLAY,
    pygame.K_d: Command.TOGGLE_DIAGNOSTICS,
    pygame.K_s: Command.SHUTDOWN_REQUEST,
    pygame.K_y: Command.SHUTDOWN_CONFIRM,
    pygame.K_ESCAPE: Command.QUIT,
    pygame.K_q: Command.QUIT,
}

HELP = ("left/right exercise, space start/pause, enter end set, r reset, m mute, +/- volume, "
        "o overlay, d diagnostics, s shutdown menu (y confirms), q/esc quit")


def key_command(event: pygame.event.Event) -> Command | None:
    if event.type == pygame.QUIT:
        return Command.QUIT
    if event.type == pygame.KEYDOWN:
        return KEYS.get(event.key)
    return None
