"""Build directories that a crash cannot lose: generations, one atomic switch, a lock.

A build directory ``out/`` holds one complete build per *generation*
directory and a symbolic link ``current`` naming the one in use::

    out/
      current -> gen-7      switched by one rename, so it always names a whole build
      gen-7/                the current build (store/, manifest.json, cache/, ...)
      gen-6/                the previous build, kept while readers may still use it
      store -> current/store, manifest.json -> current/manifest.json, ...
      .lock                 held (flock) by the build writing into out/

A build writes ``tmp-<n>/``, renames it to ``gen-<n>/``, points a new link
``.current.new`` at it and renames that link onto ``current``. At every
instant ``current`` names a complete generation (or, before the first such
build, ``out/`` itself holds a build in the older flat layout). Readers
resolve ``current`` once, when they open, and may pin the generation they
opened with a shared flock on its directory; a build removes only
generations that are neither current, previous nor pinned.

The lock is an ``flock`` on ``out/.lock``: the kernel drops it when the
process dies, so a killed build never leaves a stale lock, and whatever a dead
build left behind (``tmp-*``) is removed by the next build, which holds the lock.

For crash tests, ``COLLABGRAPH_CRASH_AT=<point>`` makes a build kill itself
with SIGKILL at a named :func:`checkpoint`, and ``COLLABGRAPH_PAUSE_AT=<point>``
with ``COLLABGRAPH_PAUSE_FILE=<path>`` makes it create that file at the point
and wait there until the file is removed.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
from pathlib import Path

from ..core.durable import checkpoint, fsync_dir, holder, lock_file, pid_alive, release_file, replace_durably
from ..core.errors import StoreBusy

__all__ = ["CURRENT", "LOCK", "current_build", "BuildLock", "Pin", "pin", "checkpoint", "is_build_dir"]

CURRENT, LOCK, NEXT_LINK = "current", ".lock", ".current.new"
#: The generation the files of a build in the flat layout are moved into.
FLAT = "gen-flat"
_GEN = re.compile(r"(gen|tmp)-(\d+)$")
_LINK_TMP = re.compile(r"\..+\.link-\d+$")


def current_build(out: str | Path) -> Path:
    """The directory of the build in use at ``out``: the generation ``out/current``
    names, or ``out`` itself (a build in the flat layout, or no build at all).

    The link is read once, so a build switching meanwhile gives either the old
    generation or the new one, never a mix."""
    out = Path(out)
    link = out if out.name == CURRENT and out.is_symlink() else out / CURRENT  # "build/current" given
    try:
        target = os.readlink(link)
    except OSError:
        return out
    return link.parent / target


def is_build_dir(out: Path, marker: str) -> bool:
    """Whether ``out`` is empty or holds nothing but collabgraph builds (``marker``
    is the file every build has, its manifest)."""
    if not out.exists():
        return True
    if (current_build(out) / marker).is_file() or (out / marker).is_file():
        return True
    return all(_ours(p) for p in out.iterdir())


def _ours(p: Path) -> bool:
    return p.name in (LOCK, NEXT_LINK, CURRENT, FLAT) or bool(_GEN.match(p.name) or _LINK_TMP.match(p.name))


# -- readers ------------------------------------------------------------------------

class Pin:
    """A shared flock on a generation directory: while it is held, no build removes it."""

    def __init__(self, fd: int | None):
        self.fd = fd

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __del__(self) -> None:
        self.close()


def pin(directory: Path) -> Pin:
    """Pin a generation directory (a no-op for ``out`` in the flat layout or
    where directories cannot be locked)."""
    if not _GEN.match(directory.name) and directory.name != FLAT:
        return Pin(None)
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return Pin(None)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
    except OSError:
        os.close(fd)
        return Pin(None)
    return Pin(fd)


def _remove_unless_pinned(directory: Path) -> None:
    """Remove a generation no reader has pinned. It stays locked while it goes,
    so a reader that tries to pin it meanwhile waits, finds it gone and opens
    the current one instead."""
    try:
        fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return
    try:
        checkpoint("cleanup")
        shutil.rmtree(directory, ignore_errors=True)
    finally:
        os.close(fd)


# -- the writer ------------------------------------------------------------------------

class BuildLock:
    """The exclusive lock of a build on ``out`` (``out/.lock``), with the
    writer's pid in the file for the message another build shows (the lock of
    :func:`collabgraph.core.durable.lock_file`, which the writers of ``graph/`` share).

    :raises StoreBusy: "another build is writing OUT (pid N)" if it is held.
    """

    def __init__(self, out: Path, shown: str):
        self.out, self.fd, self.created = out, None, False
        for _ in range(10):
            if not out.exists():
                try:
                    out.mkdir()
                    self.created = True
                except FileExistsError:
                    pass
            try:
                fd = lock_file(out / LOCK, "build")
            except FileNotFoundError:  # out was removed meanwhile by a build that failed: again
                continue
            if fd is None:
                raise StoreBusy(f"another build is writing {shown} (pid {holder(out / LOCK)[0]}); "
                                "wait for it to finish")
            self.fd = fd
            return
        raise StoreBusy(f"{shown}: could not take the build lock; try again")

    def release(self, *, remove_if_empty: bool = False) -> None:
        """Release the lock; with ``remove_if_empty``, also remove ``out`` if this
        lock created it and nothing else is in it (a first build that failed)."""
        if self.fd is None:
            return
        os.ftruncate(self.fd, 0)  # no writer now: a finished build leaves out/ as it found it
        if remove_if_empty and self.created and [p.name for p in self.out.iterdir()] == [LOCK]:
            os.unlink(self.out / LOCK)
            try:
                self.out.rmdir()
            except OSError:
                pass
        release_file(self.fd)
        self.fd = None


def new_generation(out: Path) -> Path:
    """Remove what builds that died left in ``out`` (the caller holds the lock),
    then make and return the directory ``out/tmp-<n>`` for the next build."""
    numbers = [0]
    for p in out.iterdir():
        m = _GEN.match(p.name)
        if m:
            numbers.append(int(m.group(2)))
            if m.group(1) == "tmp":
                _remove(p)
        elif p.name == NEXT_LINK or _LINK_TMP.match(p.name):
            _remove(p)
    _remove_stale_siblings(out)
    tmp = out / f"tmp-{max(numbers) + 1}"
    tmp.mkdir()
    return tmp


def _remove(p: Path) -> None:
    if p.is_symlink() or p.is_file():
        p.unlink(missing_ok=True)
    else:
        shutil.rmtree(p, ignore_errors=True)


def _remove_stale_siblings(out: Path) -> None:
    """Remove ``.OUT.tmp-PID`` and ``.OUT.old-PID`` beside ``out``, which older
    versions of collabgraph left when killed, if process PID is gone."""
    pattern = re.compile(re.escape(f".{out.name}.") + r"(tmp|old)-(\d+)$")
    for p in out.parent.iterdir():
        m = pattern.match(p.name)
        if m and not pid_alive(int(m.group(2))):
            _remove(p)


def _fsync_tree(root: Path) -> None:
    """Flush a finished build to disk before it is made current, so a crash of
    the machine after the switch cannot leave ``current`` naming a torn build."""
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fsync_dir(Path(dirpath))


def publish(tmp: Path, out: Path) -> Path:
    """Make the finished build ``tmp`` the current generation of ``out`` (the
    caller holds the lock); then convert a flat-layout build, refresh the links
    at the top of ``out`` and remove generations no one needs. Returns the new
    generation's directory."""
    previous = current_build(out)
    _fsync_tree(tmp)
    gen = out / ("gen-" + tmp.name.split("-", 1)[1])
    link = out / NEXT_LINK
    try:
        replace_durably(tmp, gen)
        checkpoint("renamed")
        link.unlink(missing_ok=True)
        os.symlink(gen.name, link)
        checkpoint("linked")
        replace_durably(link, out / CURRENT)  # the switch: one atomic rename
    except BaseException:
        link.unlink(missing_ok=True)
        shutil.rmtree(gen, ignore_errors=True)
        raise
    fsync_dir(out)
    checkpoint("switched")
    flat = _unflatten(out)
    if previous == out:  # the build was in the flat layout (or there was none)
        previous = flat
    _link_top(out, gen)
    checkpoint("linked-top")
    for p in out.iterdir():
        if (_GEN.match(p.name) or p.name == FLAT) and p.name not in (gen.name, previous.name) \
                and p.is_dir() and not p.is_symlink():
            _remove_unless_pinned(p)
    fsync_dir(out)
    return gen


def _unflatten(out: Path) -> Path:
    """Move the files of a build in the flat layout (or those a killed
    conversion left) into ``out/gen-flat``: the previous generation when the
    build being replaced was flat."""
    flat = out / FLAT
    for p in sorted(out.iterdir()):
        if _ours(p) or p.is_symlink():
            continue
        flat.mkdir(exist_ok=True)
        if (flat / p.name).exists():  # moved once already by a conversion that was killed
            _remove(p)
        else:
            replace_durably(p, flat / p.name)
        checkpoint("unflatten")
    return flat


def _link_top(out: Path, gen: Path) -> None:
    """Give every file of the current build a link at the top of ``out``
    (``out/store -> current/store``) and drop links to files it no longer has."""
    wanted = {p.name for p in gen.iterdir() if not p.name.startswith(".")}
    for name in sorted(wanted):
        top = out / name
        target = f"{CURRENT}/{name}"
        if top.is_symlink() and os.readlink(top) == target:
            continue
        if top.exists() and not top.is_symlink():
            continue  # not ours to replace (the flat build's files were moved already)
        tmp = out / f".{name}.link-{os.getpid()}"
        tmp.unlink(missing_ok=True)
        os.symlink(target, tmp)
        replace_durably(tmp, top)
    for p in out.iterdir():
        if p.is_symlink() and p.name not in wanted and p.name != CURRENT \
                and os.readlink(p).startswith(CURRENT + "/"):
            p.unlink()
