"""Stopping a loop cleanly on SIGTERM/SIGINT.

Why: SDL turns these signals into a quit event that a headless loop never reads, so
`systemctl stop` or `timeout` could not stop the kiosk or the demo, and Ctrl-C would skip the
saving at the loop's end. The loop is told to stop; it then ends and saves as on any exit.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


def catch_stop_signals(stop: Callable[[], None]) -> Callable[[], None]:
    """Call `stop` on SIGTERM or SIGINT; returns the function that puts the old handlers
    back. Outside the main thread (where Python cannot set handlers) it does nothing."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def handler(signum: int, _frame: object) -> None:
        log.warning("%s: stopping", signal.Signals(signum).name)
        stop()

    previous = {}
    for sig in (signal.SIGTERM, signal.SIGINT):
        old = signal.getsignal(sig)
        signal.signal(sig, handler)
        previous[sig] = old if old is not None else signal.SIG_DFL

    def restore() -> None:
        for sig, old in previous.items():
            signal.signal(sig, old)

    return restore
