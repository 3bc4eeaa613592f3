"""History of sets and reps in SQLite.

Why this shape: one transaction per set (the set row and its reps together, or nothing), WAL with
synchronous=FULL so a committed set survives a power cut, and a corrupt file is moved aside
rather than crashing a kiosk that must run for months. `BackgroundStore` keeps the write (an SD
card fsync can take tens of ms) off the UI thread.
"""

from __future__ import annotations

import json
import logging
import queue
import sqlite3
import threading
import time
from pathlib import Path

from mirror.session.state import SetRecord

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS sets (
    id INTEGER PRIMARY KEY,
    exercise TEXT NOT NULL,
    set_number INTEGER NOT NULL,
    started_at REAL NOT NULL,
    ended_at REAL NOT NULL,
    reps INTEGER NOT NULL,
    partials INTEGER NOT NULL,
    top_cue TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS reps (
    id INTEGER PRIMARY KEY,
    set_id INTEGER NOT NULL REFERENCES sets(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    counted INTEGER NOT NULL,
    t REAL NOT NULL,
    depth REAL NOT NULL,
    down_s REAL NOT NULL,
    pause_s REAL NOT NULL,
    up_s REAL NOT NULL,
    faults TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS reps_set ON reps(set_id);
"""


class HistoryStore:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = self._open()
        except sqlite3.DatabaseError as exc:
            aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
            log.error("history %s unreadable (%s); moved to %s", self.path, exc, aside)
            self.path.rename(aside)
            self._conn = self._open()

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.executescript(SCHEMA)
        conn.execute("SELECT count(*) FROM sets").fetchone()
        return conn

    def save_set(self, record: SetRecord) -> int:
        """Write a set and its reps in one transaction; returns the set id."""
        partials = sum(1 for r in record.reps if not r.counted)
        with self._conn:
            cur = self._conn.execute(
                "INSERT INTO sets (exercise, set_number, started_at, ended_at, reps, partials,"
                " top_cue) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (record.exercise, record.number, record.started_at, record.ended_at,
                 record.counted, partials, record.top_cue),
            )
            set_id = int(cur.lastrowid)
            self._conn.executemany(
                "INSERT INTO reps (set_id, number, counted, t, depth, down_s, pause_s, up_s,"
                " faults) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(set_id, r.number, int(r.counted), r.t, r.depth, r.down_s, r.pause_s, r.up_s,
                  json.dumps(list(r.faults))) for r in record.reps],
            )
        return set_id

    def sets(self) -> list[sqlite3.Row]:
        self._conn.row_factory = sqlite3.Row
        try:
            return list(self._conn.execute("SELECT * FROM sets ORDER BY id"))
        finally:
            self._conn.row_factory = None

    def reps(self, set_id: int) -> list[sqlite3.Row]:
        self._conn.row_factory = sqlite3.Row
        try:
            return list(self._conn.execute(
                "SELECT * FROM reps WHERE set_id = ? ORDER BY id", (set_id,)))
        finally:
            self._conn.row_factory = None

    def close(self) -> None:
        self._conn.close()


class BackgroundStore:
    """Saves sets on a writer thread; close() waits until every queued set is committed."""

    def __init__(self, store: HistoryStore) -> None:
        self.store = store
        self._queue: queue.Queue[SetRecord | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="history-writer", daemon=True)
        self._thread.start()

    def save_set(self, record: SetRecord) -> None:
        self._queue.put(record)

    def _run(self) -> None:
        while (record := self._queue.get()) is not None:
            try:
                self.store.save_set(record)
            except sqlite3.Error as exc:  # a full disk must not stop the mirror
                log.error("could not save set to %s: %s", self.store.path, exc)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)
        self.store.close()
