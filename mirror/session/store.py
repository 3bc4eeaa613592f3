"""History of sets and reps in SQLite.

Why this shape: one transaction per set (the set row and its reps together, or nothing), WAL with
synchronous=FULL so a committed set survives a power cut, and a corrupt file is moved aside
rather than crashing a kiosk that must run for months. Only a regular file that SQLite says is
not a database (or is malformed) is moved; a locked, read-only or odd path raises HistoryError
and is left exactly as it was: the caller runs without history rather than lose anyone's data.
`BackgroundStore` keeps the write (an SD card fsync can take tens of ms) off the UI thread.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import queue
import sqlite3
import stat
import threading
import time
from pathlib import Path

from mirror.errors import HistoryError
from mirror.session.state import RepSummary, SetRecord

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


# SQLite's primary result codes for "this file is not a usable database" (the only ones that
# justify moving a file aside); everything else (locked, read-only, I/O) leaves it alone.
_CORRUPT_CODES = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
_CORRUPT_WORDS = ("file is not a database", "database disk image is malformed")
LOCK_TIMEOUT_S = 5.0
RETRY_S = 30.0  # a set that could not be written is tried again this often (and before the next)


def spill_path(db: Path) -> Path:
    """Where sets the database would not take are kept until it takes them (next start)."""
    return db.with_name(db.name + ".unsaved.jsonl")


def record_to_json(record: SetRecord) -> str:
    return json.dumps(dataclasses.asdict(record))


def record_from_json(text: str) -> SetRecord:
    d = json.loads(text)
    reps = tuple(RepSummary(**{**r, "faults": tuple(r["faults"])}) for r in d["reps"])
    return SetRecord(**{**d, "reps": reps})


def is_corruption(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return (code & 0xFF) in _CORRUPT_CODES
    return any(w in str(exc) for w in _CORRUPT_WORDS)


def aside_name(path: Path) -> Path:
    """`NAME.corrupt-YYYYmmdd-HHMMSS[-N]` that does not exist yet: an earlier aside copy is
    never overwritten, even two in the same second."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(time.time()))
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while aside.exists() or aside.is_symlink():
        n += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    return aside


class HistoryStore:
    def __init__(self, path: str | Path, timeout: float = LOCK_TIMEOUT_S) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self._check_path()
        try:
            self._conn = self._open()
        except sqlite3.Error as exc:
            if not is_corruption(exc) or not self._regular_file():
                raise self._error(exc) from None
            self._move_aside(exc)
            try:
                self._conn = self._open()
            except sqlite3.Error as exc2:
                raise self._error(exc2) from None
        self._take_spilled()

    def _take_spilled(self) -> None:
        """Sets a writer could not save last time (a full or read-only card) join the history
        now, in one transaction; the file goes only once they are in."""
        spill = spill_path(self.path)
        if not spill.is_file():
            return
        try:
            records = [record_from_json(line) for line in spill.read_text().splitlines()
                       if line.strip()]
        except (OSError, ValueError, TypeError, KeyError) as exc:
            aside = aside_name(spill)
            log.error("unsaved sets in %s unreadable (%s); kept as %s", spill, exc, aside)
            spill.rename(aside)
            return
        try:
            with self._conn:
                for record in records:
                    self._insert(record)
            spill.unlink()
        except (sqlite3.Error, OSError) as exc:
            log.error("unsaved sets in %s not added yet (%s)", spill, exc)
            return
        log.info("added %d set(s) kept in %s to the history", len(records), spill)

    def _error(self, exc: sqlite3.Error | OSError) -> HistoryError:
        text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        if "locked" in text:
            why, reason = f"it is locked by another program ({text})", "file locked"
        elif "readonly" in text or "read-only" in text:
            why, reason = f"it is read-only ({text})", "file is read-only"
        else:
            why, reason = text, text
        return HistoryError(f"history {self.path}: cannot be used: {why}; expected a writable "
                            "SQLite file (nothing was moved or deleted)", reason)

    def _regular_file(self) -> bool:
        try:
            return stat.S_ISREG(os.stat(self.path).st_mode)
        except OSError:
            return False

    def _check_path(self) -> None:
        """Refuse paths SQLite would open wrongly or that must never be moved aside."""
        if self.path.name in ("", ".", ".."):
            shown = "(empty)" if self.path == Path("") else str(self.path)
            raise HistoryError(f"history path {shown}: not a file name; expected a file such "
                               "as ~/.local/share/hinge-mirror/history.db", "no file name")
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            st = None
        except OSError as exc:  # a parent that is a file, no permission to look
            raise self._error(exc) from None
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise HistoryError(f"history {self.path}: is a directory; expected a database file",
                               "path is a folder")
        if st is not None and not stat.S_ISREG(st.st_mode):
            raise HistoryError(f"history {self.path}: not a regular file; expected a database "
                               "file", "not a regular file")
        if st is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise HistoryError(f"history {self.path}: cannot create folder "
                                   f"{self.path.parent} ({exc.strerror or exc})",
                                   "cannot create its folder") from None

    def _move_aside(self, exc: sqlite3.Error) -> None:
        """Keep the corrupt file (and its WAL/SHM) under a new name; then start afresh."""
        aside = aside_name(self.path)
        try:
            self.path.rename(aside)
            for suffix in ("-wal", "-shm"):
                side = self.path.with_name(self.path.name + suffix)
                if side.exists():
                    side.rename(aside.with_name(aside.name + suffix))
        except OSError as err:
            raise HistoryError(f"history {self.path}: corrupt ({exc}) and cannot be moved aside "
                               f"({err.strerror or err})", "corrupt file") from None
        log.error("history %s unreadable (%s); moved to %s", self.path, exc, aside)

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=self.timeout, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.executescript(SCHEMA)
            conn.execute("SELECT count(*) FROM sets").fetchone()
            # A read-only file opens and reads fine and would only fail at the first save,
            # losing that set: try a write now (rolled back, the file is unchanged).
            conn.execute("SAVEPOINT probe")
            try:
                conn.execute("CREATE TABLE write_probe (x INTEGER)")
            finally:
                conn.execute("ROLLBACK TO probe")
                conn.execute("RELEASE probe")
        except BaseException:
            conn.close()
            raise
        return conn

    def save_set(self, record: SetRecord) -> int:
        """Write a set and its reps in one transaction; returns the set id."""
        with self._conn:
            return self._insert(record)

    def _insert(self, record: SetRecord) -> int:
        """The set row and its reps (inside the caller's transaction); returns the set id."""
        partials = sum(1 for r in record.reps if not r.counted)
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
    """Saves sets on a writer thread; close() waits until every queued set is committed.

    A set the database will not take (a full or read-only SD card, a lock) is kept and tried
    again every RETRY_S and before the next set; still unsaved at close, it is written beside
    the database (spill_path), which the next HistoryStore adds to the history. Nothing a
    person did is dropped because the card had a bad day.
    """

    def __init__(self, store: HistoryStore) -> None:
        self.store = store
        self._queue: queue.Queue[SetRecord | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="history-writer", daemon=True)
        self._thread.start()

    def save_set(self, record: SetRecord) -> None:
        self._queue.put(record)

    def _run(self) -> None:
        pending: list[SetRecord] = []
        while True:
            try:
                record = self._queue.get(timeout=RETRY_S if pending else None)
            except queue.Empty:  # time to try the kept ones again
                pending = self._flush(pending)
                continue
            if record is None:
                break
            pending = self._flush([*pending, record])
        pending = self._flush(pending)
        if pending:
            self._spill(pending)

    def _flush(self, pending: list[SetRecord]) -> list[SetRecord]:
        """Save the kept sets in order; returns those still unsaved."""
        for i, record in enumerate(pending):
            try:
                self.store.save_set(record)
            except sqlite3.Error as exc:  # a full disk must not stop the mirror
                log.error("could not save set to %s (%s): %d set(s) kept, tried again in %.0f s",
                          self.store.path, exc, len(pending) - i, RETRY_S)
                return pending[i:]
        return []

    def _spill(self, pending: list[SetRecord]) -> None:
        spill = spill_path(self.store.path)
        lines = "".join(record_to_json(r) + "\n" for r in pending)
        try:
            with open(spill, "a", encoding="utf-8") as f:
                f.write(lines)
                f.flush()
                os.fsync(f.fileno())
        except OSError as exc:  # the last resort: the journal keeps them
            log.error("could not keep %d unsaved set(s) in %s (%s): %s", len(pending), spill,
                      exc, lines.strip())
            return
        log.error("%d set(s) not saved to %s kept in %s: added at the next start",
                  len(pending), self.store.path, spill)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)
        self.store.close()
