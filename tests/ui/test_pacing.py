"""Frame pacing: the display cadence, and drawing early right after a new analysed frame."""

from __future__ import annotations

from types import SimpleNamespace

from mirror.ui.pacing import MIN_GAP, FramePacer


class FakeTime:
    def __init__(self) -> None:
        self.t = 100.0

    def clock(self) -> float:
        return self.t

    def sleep(self, s: float) -> None:
        self.t += max(0.0, s)


class FakeProducer:
    """Publishes outputs at the given times; wait_output sleeps until the next one after
    after_seq, or the timeout."""

    def __init__(self, ft: FakeTime, times: list[float]) -> None:
        self.ft, self.times = ft, times

    def _seq_at(self, t: float) -> int:
        return sum(1 for x in self.times if x <= t)

    def latest(self):
        n = self._seq_at(self.ft.t)
        return SimpleNamespace(seq=n) if n else None

    def wait_output(self, after_seq: int, timeout: float):
        nxt = [x for x in self.times if x > self.ft.t]
        if self._seq_at(self.ft.t) > after_seq:
            return SimpleNamespace(seq=self._seq_at(self.ft.t))
        if nxt and nxt[0] - self.ft.t <= timeout:
            self.ft.t = nxt[0]
            return SimpleNamespace(seq=self._seq_at(self.ft.t))
        self.ft.t += timeout
        return None


def test_without_outputs_frames_follow_the_display_cadence() -> None:
    ft = FakeTime()
    pacer = FramePacer(60, ft.clock, ft.sleep)
    times = [pacer.wait(None) for _ in range(5)]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert all(abs(g - 1 / 60) < 1e-9 for g in gaps)
    assert pacer.early == 0


def test_a_new_output_is_drawn_at_once_not_at_the_next_tick() -> None:
    ft = FakeTime()
    period = 1 / 60
    # an output 14 ms after the first frame: inside the early window (12.5..16.7 ms)
    prod = FakeProducer(ft, [100.0 + 0.014])
    pacer = FramePacer(60, ft.clock, ft.sleep)
    t0 = pacer.wait(prod)
    t1 = pacer.wait(prod)
    assert abs((t1 - t0) - 0.014) < 1e-9
    assert pacer.early == 1
    # with nothing new the next frame comes one period later
    t2 = pacer.wait(prod)
    assert abs((t2 - t1) - period) < 1e-9


def test_fast_outputs_cannot_push_frames_closer_than_the_minimum_gap() -> None:
    ft = FakeTime()
    prod = FakeProducer(ft, [100.0 + i * 0.002 for i in range(1, 200)])  # 500 outputs/s
    pacer = FramePacer(60, ft.clock, ft.sleep)
    times = [pacer.wait(prod) for _ in range(30)]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= MIN_GAP / 60 - 1e-9
    assert max(gaps) <= 1 / 60 + 1e-9
