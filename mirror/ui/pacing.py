"""When the UI draws its next frame: on the display's cadence, or a little early when a newly
analysed frame arrives.

Why early: a frame drawn right after analysis publishes (1) shows the new rep count or cue up
to one display period sooner (motion-to-photon), and (2) is drawn while the model is inside its
next invoke(), which runs without the GIL, so the UI's Python does not keep the model's thread
waiting when invoke() returns. Drawing on a fixed clock instead lands a share of frames right
on that moment; measured on x86 that was most of the pipeline's overhead over the bare model.
"""

from __future__ import annotations

import time
from collections.abc import Callable

# A new output may bring a frame forward to this fraction of the period after the last one
# (so fast outputs cannot push the UI far above the display rate).
MIN_GAP = 0.75


class FramePacer:
    """`wait(producer)` blocks until the next frame is due and returns the time to draw it at.

    The producer's wait_output(after_seq, timeout) (Pipeline has one) returns as soon as an
    output newer than after_seq exists; producers without it get the plain cadence.
    """

    def __init__(self, fps: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if fps <= 0:
            raise ValueError(f"fps {fps}: expected > 0")
        self.period = 1.0 / fps
        self.clock = clock
        self.sleep = sleep
        self.last: float | None = None
        self.early = 0  # frames drawn early, right after a new output

    def wait(self, producer: object = None) -> float:
        now = self.clock()
        if self.last is None:
            self.last = now
            return now
        earliest = self.last + self.period * MIN_GAP
        due = self.last + self.period
        if now < earliest:
            self.sleep(earliest - now)
            now = self.clock()
        wait_output = getattr(producer, "wait_output", None)
        if now < due and wait_output is not None:
            # Only an output published from now on: that one starts the model's next invoke().
            latest = producer.latest()  # type: ignore[attr-defined]
            seq = latest.seq if latest is not None else 0
            if wait_output(seq, due - now) is not None:
                self.early += 1
            else:  # timed out, or the producer has ended (it then answers at once)
                now = self.clock()
                if now < due:
                    self.sleep(due - now)
        elif now < due:
            self.sleep(due - now)
        now = self.clock()
        # A late frame does not make the next ones hurry to catch up (no burst after a stall).
        self.last = now
        return now
