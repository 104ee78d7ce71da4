"""Take the network away from a process: after :func:`forbid_network` it can
open no socket of any kind, so no query it runs can send a request, whatever
the query text and however the engine reads it.

Linux only: a seccomp filter (installed with ``prctl``, no privileges
needed) makes ``socket``, ``socketpair`` and ``io_uring_setup`` fail with
``EACCES``; sockets the process already holds (a worker's pipe to its
server) keep working. The filter cannot be removed, and children inherit it.
Used by the server's query workers and by ``collabgraph sparql`` on a local
build when no SERVICE or LOAD is allowed; see ``docs/security.md``.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import struct
import sys

__all__ = ["forbid_network"]

# (audit architecture, syscall numbers of socket, socketpair, io_uring_setup)
_ARCHES = {
    "x86_64": (0xC000003E, (41, 53, 425)),
    "aarch64": (0xC00000B7, (198, 199, 425)),
}
_X32_BIT = 0x40000000  # x32 system calls on x86_64: refused altogether


def _filter(arch: int, calls: tuple[int, ...]) -> bytes:
    """A classic BPF program: other architectures and listed calls get EACCES."""
    def stmt(code: int, k: int) -> bytes:
        return struct.pack("HBBI", code, 0, 0, k)

    def jump(k: int, jt: int, jf: int, code: int = 0x15) -> bytes:  # BPF_JMP|BPF_JEQ|BPF_K
        return struct.pack("HBBI", code, jt, jf, k)

    load, ret = 0x20, 0x06  # BPF_LD|BPF_W|BPF_ABS, BPF_RET|BPF_K
    allow, deny = 0x7FFF0000, 0x00050000 | errno.EACCES
    n = len(calls)
    prog = [stmt(load, 4), jump(arch, 1, 0), stmt(ret, deny),  # another ABI: refuse all
            stmt(load, 0), jump(_X32_BIT, n + 1, 0, code=0x45)]  # BPF_JSET: an x32 call
    prog += [jump(nr, n - i, 0) for i, nr in enumerate(calls)]
    prog += [stmt(ret, allow), stmt(ret, deny)]
    return b"".join(prog)


def forbid_network() -> bool:
    """Forbid this process (and its future children) to open sockets.

    :returns: True when the filter is in place; False where it cannot be
        (not Linux, an architecture not listed, a kernel without seccomp).
    """
    machine = platform.machine()
    if not sys.platform.startswith("linux") or machine not in _ARCHES:
        return False
    arch, calls = _ARCHES[machine]
    program = ctypes.create_string_buffer(_filter(arch, calls))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = SockFprog(len(program.raw) // 8, ctypes.cast(program, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]
    pr_set_no_new_privs, pr_set_seccomp, seccomp_mode_filter = 38, 22, 2
    if libc.prctl(pr_set_no_new_privs, 1, None, 0, 0) != 0:
        return False
    return libc.prctl(pr_set_seccomp, seccomp_mode_filter, ctypes.addressof(fprog), 0, 0) == 0
