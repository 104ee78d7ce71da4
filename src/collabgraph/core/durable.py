"""Writing files so that a kill, a crash or a full disk cannot tear them.

One mechanism for every writer (see issue 18):

- :func:`write_atomic`: one file, whole or not at all (a temporary file in
  the same directory, flushed with ``fsync``, renamed over the target, the
  directory flushed).
- :func:`lock_file` / :func:`holder`: an exclusive ``flock`` on a lock file
  holding the writer's pid (and what it does), for the "another ... is
  writing" message. The kernel drops the lock when its process dies, so a
  killed writer never leaves a stale lock. Builds (:mod:`.generations`) and
  the writers of ``graph/`` use it.
- :func:`writing`: the lock of a graph directory (``graph/.collabgraph.lock``,
  there while a writer holds it) that every writer of ``graph/`` holds
  (import, ingest, review accept, reject, edit, merge, generate), and a
  :class:`Changes` to fill: several files changed at once. Each new content is written to a temporary file beside
  its target and flushed; then a *journal* (``graph/.collabgraph.journal``)
  naming every target and its temporary file is written atomically: that
  rename is the commit point. The renames follow and the journal goes.

  Whoever next takes the lock (or reads the graph through :func:`settle`)
  finds a journal of a writer that died after its commit point and finishes
  its renames (roll forward, as SQLite's readers finish a hot journal); with
  no journal, a dead writer's temporary files are removed (roll back). So at
  any instant every file is either in its old state or its new one, and the
  files of one change are all old or all new.
- :func:`reading`: how a build reads ``graph/`` (a shared ``flock`` of the
  directory, which a writer takes exclusively only from its commit point to
  its last rename), so a reader never sees half of a change either.

>>> d = tmp / "g"; d.mkdir()
>>> with writing(d, "test") as changes:
...     changes.write(d / "a.ttl", "<a> <b> <c> .\\n")
...     changes.write(d / "sub" / "b.txt", b"bytes")
>>> sorted(p.relative_to(d).as_posix() for p in d.rglob("*") if p.is_file())
['a.ttl', 'sub/b.txt']
>>> with writing(d, "test") as changes:
...     changes.remove(d / "a.ttl")
>>> (d / "a.ttl").exists(), (d / "sub" / "b.txt").read_bytes()
(False, b'bytes')
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
import signal
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import CollabGraphError, StoreBusy, WriteFailed, no_graph_directory

__all__ = ["write_atomic", "replace_durably", "replacing", "fsync_dir", "temp_path", "lock_file", "holder",
           "writing", "locked", "reading", "settle", "Changes", "output_file",
           "LOCK_FILE", "JOURNAL", "WriteFailed", "lock_timeout", "checkpoint", "recover", "release_file"]

#: The lock every writer of a graph directory holds, inside that directory.
LOCK_FILE = ".collabgraph.lock"
#: A change of several files between its commit point and its last rename.
JOURNAL = ".collabgraph.journal"
#: A temporary file: ``.<name>.tmp-<pid>`` (an RDF suffix never ends it, so no reader loads one).
_TMP = re.compile(r"^\..+\.tmp-(\d+)$")
#: What older versions of collabgraph left beside ``graph/`` when killed during an import.
_OLD_STAGING = r"\.{name}\.import-(\d+)$"
#: How long a writer waits for another one by default (``COLLABGRAPH_LOCK_TIMEOUT`` seconds).
DEFAULT_TIMEOUT = 120.0




def lock_timeout() -> float:
    """Seconds a writer of ``graph/`` waits for the one before it (``COLLABGRAPH_LOCK_TIMEOUT``)."""
    try:
        return max(0.0, float(os.environ.get("COLLABGRAPH_LOCK_TIMEOUT", DEFAULT_TIMEOUT)))
    except ValueError:
        return DEFAULT_TIMEOUT


def checkpoint(point: str) -> None:
    """A named point of a writer where a crash test may kill or pause it:
    ``COLLABGRAPH_CRASH_AT=<point>`` kills the process there with SIGKILL;
    ``COLLABGRAPH_PAUSE_AT=<point>`` with ``COLLABGRAPH_PAUSE_FILE=<path>``
    creates that file there and waits until it is removed."""
    if os.environ.get("COLLABGRAPH_CRASH_AT") == point:
        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get("COLLABGRAPH_PAUSE_AT") == point and os.environ.get("COLLABGRAPH_PAUSE_FILE"):
        flag = Path(os.environ["COLLABGRAPH_PAUSE_FILE"])
        flag.write_text(f"{os.getpid()}\n")
        while flag.exists():
            time.sleep(0.02)


# -- one file ---------------------------------------------------------------------------

def temp_path(path: Path) -> Path:
    """The temporary file a writer of ``path`` in this process uses, in the same directory
    (so the rename is atomic) and named so that no reader of RDF files takes it for one."""
    return path.with_name(f".{path.name}.tmp-{os.getpid()}")


def _write_flushed(path: Path, data: bytes, mode: int = 0o666) -> None:
    """Write ``data`` to a new file ``path`` and flush it to the disk; on any
    error the partial file is removed and the error raised."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, mode)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        try:
            os.unlink(path)
        except OSError:
            pass
        raise
    os.close(fd)


def fsync_dir(directory: Path) -> None:
    """Flush the entries of ``directory`` (a rename in it) to the disk; file
    systems that cannot flush a directory are let be."""
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot flush a directory; the rename is still atomic
        pass
    finally:
        os.close(fd)


def _bytes(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def _mode_of(path: Path) -> int:
    """The permissions a replacement of ``path`` keeps (a new file: the umask's)."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        return 0o666


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8) atomically and
    durably: a reader, a kill or a full disk leaves the old file or the new
    one, never a part, and no temporary file.

    >>> p = tmp / "f.txt"
    >>> write_atomic(p, "one"); write_atomic(p, "two"); p.read_text(), sorted(x.name for x in tmp.glob(".f*"))
    ('two', [])

    :raises WriteFailed: naming the file and why (e.g. no space left), the old file intact.
    """
    path = Path(path)
    tmp = temp_path(path)
    try:
        _write_flushed(tmp, _bytes(data), _mode_of(path))
        os.replace(tmp, path)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise _failed(path, exc) from None
    fsync_dir(path.parent)


def replace_durably(src: str | Path, dst: str | Path) -> None:
    """Rename ``src`` over ``dst`` (a file, a directory or a symlink) so that
    the switch survives a crash of the machine: a regular file is flushed
    first, then renamed (one atomic step), then the directory is flushed.

    >>> a = tmp / "a.tmp"; _ = a.write_text("new"); replace_durably(a, tmp / "a"); (tmp / "a").read_text()
    'new'

    :raises OSError: as :func:`os.replace` (``dst`` is left as it was).
    """
    src, dst = Path(src), Path(dst)
    if src.is_file() and not src.is_symlink():  # a symlink or a directory has no content of its own to flush
        fd = os.open(src, os.O_RDONLY | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    os.replace(src, dst)
    fsync_dir(dst.parent)
    if src.parent != dst.parent:
        fsync_dir(src.parent)


@contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
    """A temporary file beside ``path`` for a writer that streams its output
    (too large to hold as one ``bytes``): when the block ends normally it
    replaces ``path`` with :func:`replace_durably`; when it raises it is removed.

    >>> with replacing(tmp / "big.nq") as t:
    ...     _ = t.write_text("<a> <b> <c> .\\n")
    >>> (tmp / "big.nq").read_text(), t.exists()
    ('<a> <b> <c> .\\n', False)
    """
    path = Path(path)
    tmp = temp_path(path)
    try:
        yield tmp
        replace_durably(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def output_file(path: str | Path) -> Path:
    """``path`` checked as a file the user asked to be written (``--out``,
    ``--output``, ``--plot``): its directory must exist already. No command
    makes directories for an output file: a typo (``/nonexistent/x.html``)
    would otherwise leave new directories behind, at the filesystem root too.

    >>> output_file(tmp / "nowhere" / "x.html")
    Traceback (most recent call last):
    ...
    collabgraph.core.errors.WriteFailed: .../nowhere/x.html: cannot write: no directory .../nowhere (make it first)

    :raises WriteFailed: if the directory is missing or is not a directory.
    """
    path = Path(path)
    parent = path.parent
    if not parent.is_dir():
        what = "no directory" if not parent.exists() else "not a directory:"
        raise WriteFailed(f"{os.fsdecode(path)}: cannot write: {what} {os.fsdecode(parent)} (make it first)")
    return path


def _failed(path: Path, exc: OSError) -> WriteFailed:
    why = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        why = "no space left on the device"
    error = WriteFailed(f"{os.fsdecode(path)}: cannot write ({why}); nothing was changed")
    error.reason = why
    return error


# -- the lock ---------------------------------------------------------------------------

def lock_file(path: Path, what: str, *, timeout: float = 0.0) -> int | None:
    """Take the exclusive ``flock`` of the file ``path`` (made if missing) and
    write ``"<pid> <what>"`` into it; wait up to ``timeout`` seconds for a
    holder to finish. Returns the open descriptor (close it to release), or
    ``None`` if another process still holds it.

    :raises FileNotFoundError: if the directory of ``path`` is missing.
    """
    deadline = time.monotonic() + timeout
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.02)
            continue
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if not same:  # locked a file that was removed meanwhile: lock the one there now
            os.close(fd)
            continue
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()} {what}\n".encode())
        except OSError:  # a full disk: the lock holds all the same, only the message lacks the pid
            pass
        return fd


def holder(path: Path) -> tuple[str, str]:
    """``(pid, what)`` of the process holding the lock file ``path`` (``"unknown"``
    if it has not written them yet)."""
    for _ in range(20):  # the holder writes its pid right after locking
        try:
            text = path.read_text("utf-8", "replace").strip()
        except OSError:
            text = ""
        if text:
            pid, _, what = text.partition(" ")
            return pid, what
        time.sleep(0.01)
    return "unknown", ""


def release_file(fd: int) -> None:
    """Release a lock taken with :func:`lock_file` (the file is emptied: no writer now)."""
    try:
        os.ftruncate(fd, 0)
    finally:
        os.close(fd)


class _Held:
    """A graph lock as this process holds it: threads take turns (the flock is
    per process), and a writer that calls another (a review calling the
    import) takes it again without waiting for itself."""

    def __init__(self) -> None:
        self.turn = threading.RLock()
        self.depth = 0
        self.fd: int | None = None


_held: dict[str, _Held] = {}
_held_guard = threading.Lock()


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return os.fsdecode(path)


@contextmanager
def _graph_lock(root: Path, what: str, timeout: float | None) -> Iterator[None]:
    timeout = lock_timeout() if timeout is None else timeout
    key = os.path.realpath(root)
    with _held_guard:
        held = _held.setdefault(key, _Held())
    if not (held.turn.acquire(timeout=timeout) if timeout > 0 else held.turn.acquire(blocking=False)):
        raise StoreBusy(f"another writer in this process is writing {_shown(root)}; try again when it has finished")
    try:
        if held.depth == 0:
            path = root / LOCK_FILE
            try:
                fd = lock_file(path, what, timeout=timeout)
            except FileNotFoundError:
                raise CollabGraphError(no_graph_directory(_shown(root))) from None
            except OSError as exc:
                raise _failed(path, exc) from None
            if fd is None:
                pid, other = holder(path)
                raise StoreBusy(f"another {other or 'collabgraph command'} is writing {_shown(root)} (pid {pid}); "
                                f"waited {timeout:g} s: try again when it has finished")
            held.fd = fd
            try:
                recover(root)
            except BaseException:
                path.unlink(missing_ok=True)
                release_file(fd)
                held.fd = None
                raise
        held.depth += 1
        try:
            yield
        finally:
            held.depth -= 1
            if held.depth == 0 and held.fd is not None:
                # The lock file goes while still locked (a writer waiting on it
                # then sees another inode at the path and locks afresh), so a
                # writer leaves graph/ with nothing but its change.
                try:
                    os.unlink(root / LOCK_FILE)
                except OSError:
                    pass
                release_file(held.fd)
                held.fd = None
    finally:
        held.turn.release()


# -- changes of many files ----------------------------------------------------------------

class Changes:
    """New contents for files of one graph directory, made all at once by
    :meth:`commit` (see the module's doc). Until then nothing a reader sees
    has changed; :attr:`overlay` says what will (for validating first)."""

    def __init__(self, root: Path, what: str):
        self.root = Path(root)
        self.what = what
        self._staged: dict[Path, Path | None] = {}
        self._made: list[Path] = []

    def _target(self, path: str | Path) -> Path:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(self.root))
        if rel == os.curdir or rel.startswith(os.pardir):
            raise CollabGraphError(f"{os.fsdecode(path)}: not a file inside {_shown(self.root)}")
        return self.root / rel

    def write(self, path: str | Path, data: str | bytes) -> None:
        """Stage the new content of ``path`` (a temporary file beside it, flushed).

        :raises WriteFailed: (a full disk...) after removing what was staged.
        """
        target = self._target(path)
        self._forget(target)
        tmp = temp_path(target)
        try:
            self._mkdirs(target.parent)
            _write_flushed(tmp, _bytes(data), _mode_of(target))
        except OSError as exc:
            self.discard()
            raise _failed(target, exc) from None
        self._staged[target] = tmp

    def remove(self, path: str | Path) -> None:
        """Stage the removal of ``path``."""
        target = self._target(path)
        self._forget(target)
        self._staged[target] = None

    def drop(self, path: str | Path) -> None:
        """Take back what was staged for ``path`` (it is left as it is), and the
        folders staged for it that nothing else needs now."""
        self._forget(self._target(path))
        for d in reversed(list(self._made)):
            try:
                d.rmdir()  # only when empty
            except OSError:
                continue
            self._made.remove(d)

    def _forget(self, target: Path) -> None:
        old = self._staged.pop(target, None)
        if old is not None:
            old.unlink(missing_ok=True)

    def _mkdirs(self, directory: Path) -> None:
        missing = []
        d = directory
        while not d.exists() and d != self.root:
            missing.append(d)
            d = d.parent
        for d in reversed(missing):
            d.mkdir(exist_ok=True)
            self._made.append(d)

    @property
    def overlay(self) -> dict[Path, Path | None]:
        """Target -> the staged file with its new content, or ``None`` for a removal."""
        return dict(self._staged)

    def __bool__(self) -> bool:
        return bool(self._staged)

    def commit(self) -> None:
        """Make every staged change, all or none: write the journal (the commit
        point), rename, remove the journal.

        :raises WriteFailed: if the journal cannot be written (nothing changed).
        """
        if not self._staged:
            return
        ops = [[os.path.relpath(t, self.root), None if s is None else os.path.relpath(s, self.root)]
               for t, s in self._staged.items()]
        journal = self.root / JOURNAL
        body = json.dumps({"pid": os.getpid(), "what": self.what, "changes": ops}, ensure_ascii=False)
        checkpoint("staged")
        with _switching(self.root):  # readers that are loading the files finish first
            try:
                write_atomic(journal, body + "\n")
            except WriteFailed:
                self.discard()
                raise
            checkpoint("journal")
            self._staged.clear()
            _apply(self.root, ops)
            journal.unlink()
            fsync_dir(self.root)
        checkpoint("committed")

    def discard(self) -> None:
        """Remove what was staged (and the directories made for it, if empty)."""
        for tmp in self._staged.values():
            if tmp is not None:
                tmp.unlink(missing_ok=True)
        self._staged.clear()
        for d in reversed(self._made):
            try:
                d.rmdir()
            except OSError:
                pass
        self._made.clear()


def _apply(root: Path, ops: list[list[str | None]]) -> None:
    """Rename (or remove) every file of a committed journal; what was done already
    (the temporary file gone) is skipped, so this can be run again after a kill."""
    dirs = set()
    for target_rel, tmp_rel in ops:
        target = root / str(target_rel)
        if tmp_rel is None:
            try:
                target.unlink()
            except FileNotFoundError:
                pass
            else:
                _prune_empty(target.parent, root)
        else:
            tmp = root / tmp_rel
            if tmp.exists():
                os.replace(tmp, target)
        dirs.add(target.parent)
        checkpoint("renamed-one")
    for d in dirs:
        if d.exists():
            fsync_dir(d)


def _prune_empty(directory: Path, root: Path) -> None:
    """Remove ``directory`` and its parents below ``root`` while they are empty."""
    while directory != root and root in directory.parents:
        try:
            directory.rmdir()
        except OSError:
            return
        directory = directory.parent


@contextmanager
def _dir_flock(root: Path, mode: int) -> Iterator[bool]:
    """A ``flock`` on the directory itself (no file needed, so a read-only
    directory can be locked for reading too); yields False where directories
    cannot be locked."""
    try:
        fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, mode)
        except OSError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def _switching(root: Path):
    """Held by a writer from its commit point to its last rename (exclusive),
    and by readers while they read the files (shared, :func:`reading`)."""
    return _dir_flock(root, fcntl.LOCK_EX)


@contextmanager
def reading(graph_dir: str | Path) -> Iterator[None]:
    """Read the files of ``graph_dir`` as one state: a change a writer is
    committing finishes first (and one a dead writer committed is finished,
    see :func:`settle`), and none starts while the block runs. Writers are
    not held up while they link and validate, only for their renames.

    >>> with reading(tmp):
    ...     pass
    """
    root = Path(graph_dir)
    for _ in range(100):
        settle(root)
        with _dir_flock(root, fcntl.LOCK_SH):
            if (root / JOURNAL).exists():  # its writer died after taking its turn: settle it first
                continue
            yield
            return
    raise StoreBusy(f"{_shown(root)}: a change of the files keeps being left half made; "
                    "run any collabgraph command that writes it (e.g. 'collabgraph review merge')")


def recover(root: Path) -> None:
    """Finish or undo what a dead writer left in ``root`` (the caller holds its
    lock): a committed journal is applied, temporary files are removed, and so
    are the staging folders older versions left beside ``root``."""
    journal = root / JOURNAL
    if journal.exists():
        try:
            ops = json.loads(journal.read_text("utf-8"))["changes"]
            valid = all(isinstance(t, str) and (s is None or isinstance(s, str)) for t, s in ops)
        except (ValueError, KeyError, TypeError, OSError):
            valid = False
        with _switching(root):
            if valid:
                _apply(root, ops)
            journal.unlink()
            fsync_dir(root)
    mine = str(os.getpid())
    emptied: set[Path] = set()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        for name in filenames:
            m = _TMP.match(name)
            if m and m.group(1) != mine:  # the lock is ours: whoever wrote it is gone
                try:
                    os.unlink(os.path.join(dirpath, name))
                except OSError:
                    pass
                else:
                    emptied.add(Path(dirpath))
    for d in sorted(emptied, key=lambda d: len(d.parts), reverse=True):
        _prune_empty(d, root)  # the folders a dead writer made for what it staged
    pattern = re.compile(_OLD_STAGING.format(name=re.escape(root.name)))
    try:
        siblings = list(root.parent.iterdir())
    except OSError:
        siblings = []
    for p in siblings:
        m = pattern.match(p.name)
        if m and p.is_dir() and not pid_alive(int(m.group(1))):
            shutil.rmtree(p, ignore_errors=True)


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` may still run (this process, or one we may not signal, counts)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


@contextmanager
def writing(graph_dir: str | Path, what: str, *, timeout: float | None = None) -> Iterator[Changes]:
    """Hold the lock of ``graph_dir`` (waiting up to ``timeout`` seconds,
    default :func:`lock_timeout`, for another writer) and give a
    :class:`Changes` that is committed when the block ends normally and
    discarded when it raises. What a dead writer left is settled first.

    :raises StoreBusy: "another collabgraph import is writing graph (pid N) ..." after the wait.
    :raises WriteFailed: if the disk is full (nothing changed).
    """
    root = Path(graph_dir)
    with _graph_lock(root, what, timeout):
        changes = Changes(root, what)
        try:
            yield changes
        except BaseException:
            changes.discard()
            raise
        changes.commit()


@contextmanager
def locked(graph_dir: str | Path, what: str, *, timeout: float | None = None) -> Iterator[None]:
    """Hold the lock of ``graph_dir`` for a writer that reads, decides, then
    writes with :func:`writing` (which takes it again without waiting), so
    nothing changes between what it read and what it writes.

    :raises StoreBusy: as :func:`writing`.
    """
    with _graph_lock(Path(graph_dir), what, timeout):
        yield


def settle(graph_dir: str | Path) -> None:
    """Before reading ``graph_dir``: if a writer died between the commit point
    of a change and its last rename, finish the change (under the lock), so a
    reader never sees half of it. Nothing to do (one ``stat``) otherwise; a
    directory this process may not write is read as it is."""
    root = Path(graph_dir)
    if not (root / JOURNAL).exists():
        return
    try:
        with _graph_lock(root, "recovery", None):
            pass
    except (WriteFailed, PermissionError):
        pass
