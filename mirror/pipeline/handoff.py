"""The bounded hand-off between pipeline threads: nothing here can grow without end."""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class LatestSlot(Generic[T]):
    """A bounded hand-off between two threads; by default one item, latest wins.

    put() never blocks: when full it drops the oldest unread item (counted in `overwritten`),
    so a slow consumer can never make it grow. put_wait() instead waits for room (replays
    that must analyse every frame; capacity > 1 then absorbs decoding jitter).
    """

    def __init__(self, capacity: int = 1) -> None:
        self.capacity = capacity
        self._cond = threading.Condition()
        self._items: deque[T] = deque()
        self._closed = False
        self.overwritten = 0
        self.max_len = 0

    def put(self, item: T) -> bool:
        """Store item, dropping the oldest unread one when full; True when one was dropped."""
        with self._cond:
            replaced = len(self._items) >= self.capacity
            if replaced:
                self._items.popleft()
                self.overwritten += 1
            self._items.append(item)
            self.max_len = max(self.max_len, len(self._items))
            self._cond.notify_all()
            return replaced

    def put_wait(self, item: T, stop: threading.Event) -> bool:
        """Wait until there is room (or stop/close), then store; False if stopped first."""
        with self._cond:
            while len(self._items) >= self.capacity and not stop.is_set() and not self._closed:
                self._cond.wait(0.1)
            if stop.is_set() or self._closed:
                return False
            self._items.append(item)
            self.max_len = max(self.max_len, len(self._items))
            self._cond.notify_all()
            return True

    def take(self, timeout: float | None = None, wake: bool = True) -> T | None:
        """The oldest item; None on timeout or when closed and empty.

        wake=False leaves a producer waiting for room asleep until wake() (so the taker can
        choose when the producer competes with it for the GIL)."""
        with self._cond:
            if not self._items and not self._closed:
                self._cond.wait(timeout)
            if not self._items:
                return None
            item = self._items.popleft()
            if wake:
                self._cond.notify_all()
            return item

    def wake(self) -> None:
        """Wake a producer waiting for room (after take(wake=False))."""
        with self._cond:
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    @property
    def closed(self) -> bool:
        return self._closed

    def __len__(self) -> int:
        return len(self._items)


def hook_before_run(estimator: Any, before_run: Callable[[], object]) -> Callable[[], None] | None:
    """Make before_run() happen as each model invoke() starts (a hook on estimator.model.run).

    Returns the undo, or None when the estimator has no model to hook. Why: the pipeline hands
    work to other threads exactly when the model is about to compute without the GIL.
    """
    model = getattr(estimator, "model", None)
    run = getattr(model, "run", None)
    if run is None:
        return None

    def hooked(*args: Any, **kwargs: Any) -> Any:
        before_run()
        return run(*args, **kwargs)

    try:
        model.run = hooked
    except AttributeError:  # a model that does not allow it: hand over at once
        return None

    def unhook() -> None:
        with contextlib.suppress(AttributeError):
            del model.run  # the instance attribute: the class's run shows again

    return unhook
