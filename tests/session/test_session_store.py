"""History in SQLite: rows per set and rep, all-or-nothing, survives reopen and corruption."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import stat

import pytest

from mirror.errors import HistoryError
from mirror.session.state import RepSummary, SetRecord
from mirror.session.store import BackgroundStore, HistoryStore


def record(n_reps=3, exercise="rdl", number=1):
    reps = tuple(RepSummary(i + 1, i != 1, 0.9 + 0.05 * i, 2.0, 0.5, 1.0,
                            ("shallow",) if i == 1 else (), 100.0 + i) for i in range(n_reps))
    return SetRecord(exercise, number, 1000.0, 1060.0, reps, "Go deeper")


def test_set_and_reps_rows(tmp_path):
    path = tmp_path / "sub" / "history.db"
    store = HistoryStore(path)
    set_id = store.save_set(record())
    store.close()
    store = HistoryStore(path)  # reopened: committed data is there
    (row,) = store.sets()
    assert (row["exercise"], row["set_number"], row["reps"], row["partials"]) == ("rdl", 1, 2, 1)
    assert row["top_cue"] == "Go deeper" and row["ended_at"] - row["started_at"] == 60.0
    reps = store.reps(set_id)
    assert [r["number"] for r in reps] == [1, 2, 3]
    assert [r["counted"] for r in reps] == [1, 0, 1]
    assert reps[1]["depth"] == pytest.approx(0.95) and json.loads(reps[1]["faults"]) == ["shallow"]
    assert (reps[0]["down_s"], reps[0]["pause_s"], reps[0]["up_s"]) == (2.0, 0.5, 1.0)


def test_a_failed_write_leaves_no_half_set(tmp_path):
    store = HistoryStore(tmp_path / "h.db")
    store.save_set(record(2))
    bad = record(2)
    bad = SetRecord(bad.exercise, 2, bad.started_at, bad.ended_at,
                    (*bad.reps, RepSummary(3, True, float("nan"), 1, 1, 1)), "")
    store._conn.execute("CREATE TRIGGER no_nan BEFORE INSERT ON reps WHEN NEW.depth IS NULL "
                        "BEGIN SELECT RAISE(ABORT, 'bad depth'); END")
    with pytest.raises(sqlite3.IntegrityError):
        store.save_set(bad)
    assert len(store.sets()) == 1
    assert store._conn.execute("SELECT count(*) FROM reps").fetchone()[0] == 2


def test_durable_settings(tmp_path):
    store = HistoryStore(tmp_path / "h.db")
    assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_corrupt_file_is_moved_aside_not_fatal(tmp_path):
    path = tmp_path / "h.db"
    path.write_bytes(b"this is not a database" * 100)
    store = HistoryStore(path)
    store.save_set(record())
    assert len(store.sets()) == 1
    assert list(tmp_path.glob("h.db.corrupt-*"))


def test_background_store_commits_everything_before_close(tmp_path):
    path = tmp_path / "h.db"
    bg = BackgroundStore(HistoryStore(path))
    for i in range(5):
        bg.save_set(record(2, number=i + 1))
    bg.close()
    store = HistoryStore(path)
    assert [r["set_number"] for r in store.sets()] == [1, 2, 3, 4, 5]


# --- only real corruption moves a file aside (s10 breakit #1) --------------------------------


def healthy_db(path, n=3):
    store = HistoryStore(path)
    for i in range(n):
        store.save_set(record(2, number=i + 1))
    store.close()


def count_sets(path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM sets").fetchone()[0]
    finally:
        conn.close()


def test_a_locked_history_is_not_moved_and_keeps_its_rows(tmp_path):
    path = tmp_path / "h.db"
    healthy_db(path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")  # a lock that blocks readers too
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(HistoryError, match="locked"):
            HistoryStore(path, timeout=0.2)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not list(tmp_path.glob("*.corrupt-*"))
    assert count_sets(path) == 3


def test_a_read_only_history_is_not_moved_and_keeps_its_rows(tmp_path, monkeypatch):
    path = tmp_path / "h.db"
    healthy_db(path)
    real = sqlite3.connect

    def read_only(db, **kw):  # as a chmod 444 file behaves without root's override
        return real(f"file:{db}?mode=ro", uri=True, **kw)

    monkeypatch.setattr(sqlite3, "connect", read_only)
    with pytest.raises(HistoryError, match="read-only"):
        HistoryStore(path)
    monkeypatch.undo()
    assert path.is_file() and not list(tmp_path.glob("*.corrupt-*"))
    assert count_sets(path) == 3


@pytest.mark.parametrize("kind", ["dir", "empty", "parent_is_file", "not_regular"])
def test_odd_history_paths_are_refused_and_nothing_moves(tmp_path, kind, monkeypatch):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "keep.txt").write_text("x")
    (tmp_path / "f.txt").write_text("x")
    # Not /dev/null: without the fix this test would move the machine's /dev/null away.
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "s.sock"))
    monkeypatch.chdir(tmp_path)  # the empty path means "." here
    path = {"dir": tmp_path / "d", "empty": "", "parent_is_file": tmp_path / "f.txt" / "h.db",
            "not_regular": tmp_path / "s.sock"}[kind]
    try:
        with pytest.raises(HistoryError) as e:
            HistoryStore(path)
    finally:
        sock.close()
    assert "\n" not in str(e.value) and "history" in str(e.value)
    assert (tmp_path / "d" / "keep.txt").read_text() == "x"
    assert (tmp_path / "f.txt").read_text() == "x"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d", "f.txt", "s.sock"]
    assert stat.S_ISSOCK(os.stat(tmp_path / "s.sock").st_mode)


def test_two_corrupt_moves_in_a_row_keep_both_copies(tmp_path, monkeypatch):
    import time

    monkeypatch.setattr(time, "time", lambda: 1796057126.0)  # both in the same second
    path = tmp_path / "h.db"
    for junk in (b"first junk " * 100, b"second junk " * 100):
        path.write_bytes(junk)
        HistoryStore(path).close()
    asides = sorted(tmp_path.glob("h.db.corrupt-*"))
    assert sorted(p.read_bytes() for p in asides) == sorted([b"first junk " * 100,
                                                             b"second junk " * 100])
    assert count_sets(path) == 0


# --- a card that will not take a write: nothing is dropped ------------------------------------


class RefusingStore(HistoryStore):
    """A real store whose writes fail (a full or read-only card) `failures` times."""

    def __init__(self, path, failures: int) -> None:
        super().__init__(path)
        self.failures = failures

    def save_set(self, record):
        if self.failures > 0:
            self.failures -= 1
            raise sqlite3.OperationalError("disk I/O error")
        return super().save_set(record)


def test_a_set_the_card_refuses_is_kept_and_saved_when_it_can(tmp_path):
    path = tmp_path / "h.db"
    bg = BackgroundStore(RefusingStore(path, failures=2))
    bg.save_set(record(2, number=1))  # refused, kept
    bg.save_set(record(2, number=2))  # the kept one refused again, both kept
    bg.close()  # then the card takes them: in order, nothing lost
    assert [r["set_number"] for r in HistoryStore(path).sets()] == [1, 2]
    assert not (tmp_path / "h.db.unsaved.jsonl").exists()


def test_sets_still_unsaved_at_close_join_the_history_at_the_next_start(tmp_path):
    path = tmp_path / "h.db"
    bg = BackgroundStore(RefusingStore(path, failures=99))
    bg.save_set(record(3, number=1))
    bg.save_set(record(2, number=2))
    bg.close()
    spill = tmp_path / "h.db.unsaved.jsonl"
    assert len(spill.read_text().splitlines()) == 2 and count_sets(path) == 0
    store = HistoryStore(path)  # the next start
    rows = store.sets()
    assert [(r["set_number"], r["reps"], r["partials"]) for r in rows] == [(1, 2, 1), (2, 1, 1)]
    assert json.loads(store.reps(rows[0]["id"])[1]["faults"]) == ["shallow"]
    assert not spill.exists()


def test_an_unreadable_unsaved_file_is_kept_aside_not_deleted(tmp_path):
    path = tmp_path / "h.db"
    spill = tmp_path / "h.db.unsaved.jsonl"
    spill.write_text('{"exercise": "rdl", "number": 1\n')
    HistoryStore(path).save_set(record())
    assert not spill.exists() and len(list(tmp_path.glob("h.db.unsaved.jsonl.corrupt-*"))) == 1
