"""History in SQLite: rows per set and rep, all-or-nothing, survives reopen and corruption."""

from __future__ import annotations

import json
import sqlite3

import pytest

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
