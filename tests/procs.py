"""The process tree under a server, read from Linux's /proc: which processes a
server started (its workers, the process holding a shared copy) and how much
memory they hold. Used by the serving tests and the endpoint benchmarks."""

from __future__ import annotations

import os
from pathlib import Path


def _parents() -> dict[int, list[int]]:
    """Each live (not zombie) process's children, by parent pid."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue  # ended while we looked
            state, ppid = stat.rpartition(")")[2].split()[:2]
            if state != "Z":
                children.setdefault(int(ppid), []).append(int(entry))
    return children


def children(pid: int) -> list[int]:
    """The live processes whose parent is ``pid``."""
    return _parents().get(pid, [])


def tree(root: int) -> list[int]:
    """``root`` and every live process under it."""
    parents = _parents()
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += parents.get(pid, [])
    return out
