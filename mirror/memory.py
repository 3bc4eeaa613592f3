"""Keep a months-long process's memory flat: glibc malloc settings, set once at start.

Why: the kiosk churns large native buffers (decoded frames, rasterised big digits of several MB
each in the glyph cache). glibc raises its mmap threshold after the first large free, so later
large buffers come from the heap instead and freed space is kept (fragmented) rather than given
back; with one malloc arena per thread, each thread keeps its own. Measured with the kiosk UI
over an accelerated replay: RSS 201 -> 328 MB in 20 minutes of source and still rising; with a
fixed 128 KB threshold and 2 arenas, 188 -> ~220 MB (the glyph cache filling to its bound).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys

log = logging.getLogger(__name__)

M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter numbers (malloc.h)
M_ARENA_MAX = -8
MMAP_THRESHOLD = 128 * 1024  # glibc's default, now fixed: big buffers go back to the OS
ARENA_MAX = 2


def tune_malloc() -> bool:
    """Fix glibc's mmap threshold and cap its arenas; False where that is not glibc."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl or an unusual libc: leave it as it is
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    ok = mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
    ok = mallopt(M_ARENA_MAX, ARENA_MAX) == 1 and ok
    if not ok:
        log.info("mallopt refused; memory settings left as they are")
    return ok
