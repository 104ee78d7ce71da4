"""docs/screenshot.py remakes the explorer's picture in the docs: an unchanged page gives the same
picture on every run (so remaking the docs leaves git's copy as it was), and ``--out`` writes it
outside the repository, leaving docs/explorer.png alone (issue 20: it was rewritten on each run)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT


def test_the_explorer_screenshot_is_the_same_on_every_run_and_goes_where_it_is_told(tmp_path):
    if not Path("/usr/bin/chromium").exists():
        pytest.fail("Chromium is missing: run 'bash .ci/system-packages'")
    tracked = ROOT / "docs" / "explorer.png"
    before = tracked.read_bytes()
    shots = []
    for name in ("first.png", "second.png"):
        out = tmp_path / name
        done = subprocess.run([sys.executable, str(ROOT / "docs" / "screenshot.py"), "--out", str(out)],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.strip() == f"wrote {out}"
        shots.append(out.read_bytes())
    assert shots[0][:8] == b"\x89PNG\r\n\x1a\n" and len(shots[0]) > 50_000
    assert shots[0] == shots[1]  # the same page, the same picture
    assert tracked.read_bytes() == before  # the docs' copy untouched
