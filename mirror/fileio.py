"""Writing a user's file safely: all or nothing, and never over something that is not a file.

Why: a command that fails half way (a bad source line, a full disk) must leave the old file as
it was, a command whose input and output are the same file must not truncate what it is still
reading, and a path that names a device or a folder is refused rather than replaced by a
regular file (as root, renaming over /dev/null would succeed).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from mirror.errors import UserError


def check_writable_target(path: str | Path, what: str = "", allow_device: bool = False
                          ) -> Path:
    """The path as a Path, or a one-line UserError if it cannot be a file to (re)write.
    allow_device: a character device or pipe (/dev/stdout) is fine: it is written, never
    replaced."""
    label = f"{what} {path}" if what else str(path)
    p = Path(path)
    if str(path) == "" or p.name in ("", ".", ".."):
        raise UserError(f"{what or 'path'} {str(path)!r}: expected a file name")
    try:
        st = os.stat(p)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise UserError(f"{label}: cannot write ({exc.strerror or exc})") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise UserError(f"{label}: is a folder; expected a file name")
    if st is not None and allow_device and (stat.S_ISCHR(st.st_mode) or
                                            stat.S_ISFIFO(st.st_mode)):
        return p
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise UserError(f"{label}: not a regular file (a device or pipe); expected a file name")
    folder = p.parent
    if not folder.is_dir():
        raise UserError(f"{label}: folder {folder} does not exist")
    return p


def why_unreadable(path: Path, what: str = "file", regular: bool = True,
                   expected: str = "") -> str | None:
    """Why `path` cannot be read as `what`, worded to follow "PATH: ", or None if it can.
    Path.is_file() answers False alike for a missing file, a folder and a file the user may
    not read; "not found" for a file they can see sends them looking in the wrong place.
    regular=False: a device or pipe (/dev/stdin) is fine too. expected: what a folder or
    device was expected to be, when `what` alone says too little."""
    expected = expected or f"a {what}"
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return f"{what} not found"
    except PermissionError:
        return f"cannot read the {what} (permission denied)"
    except OSError as exc:
        return f"cannot read the {what} ({exc.strerror or exc})"
    if stat.S_ISDIR(st.st_mode):
        return f"is a folder; expected {expected}"
    if regular and not stat.S_ISREG(st.st_mode):
        return f"not a regular file (a device or pipe); expected {expected}"
    if not os.access(path, os.R_OK):
        return f"cannot read the {what} (permission denied)"
    return None


def _new_file_mode(existing: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(existing).st_mode)
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask


@contextlib.contextmanager
def replacing(path: str | Path, what: str = "", suffix: str = "", allow_device: bool = False
              ) -> Iterator[Path]:
    """Yield a temporary path beside `path`; it replaces `path` only if the block succeeds
    (otherwise it is removed and `path` is untouched). `suffix`: for writers that choose the
    format by the file's ending (pygame). allow_device: a device or pipe is yielded as it is
    (written in place: there is nothing on it to keep)."""
    p = check_writable_target(path, what, allow_device)
    if allow_device and p.exists() and not p.is_file():
        yield p
        return
    label = f"{what} {path}" if what else str(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=f".tmp{suffix}")
    except OSError as exc:
        raise UserError(f"{label}: cannot write ({exc.strerror or exc})") from None
    os.close(fd)
    try:
        os.chmod(tmp, _new_file_mode(p))
        yield Path(tmp)
        os.replace(tmp, p)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
