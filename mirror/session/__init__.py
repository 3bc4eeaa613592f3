"""Session: screens, commands, set flow and the history store."""

from mirror.session.flow import Effect, EffectKind, SessionFlow
from mirror.session.state import AppState, Command, RepSummary, Screen, SetRecord

__all__ = ["AppState", "Command", "Effect", "EffectKind", "RepSummary", "Screen", "SessionFlow",
           "SetRecord"]
