"""The growth plot that bench/growth.py draws for docs/benchmarks.md (issue 23):
real SVG from measured rows, each size once, bad rows refused."""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from plot import growth_svg, main, merged_rows  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"
ROWS = [{"size": "1m", "quads": 1_300_000, "build": 18.0, "build_mib": 900, "named_load": 6.0, "named_mib": 80},
        {"size": "100k", "quads": 130_000, "build": 2.0, "build_mib": 170, "named_load": 0.6, "named_mib": 56}]


def test_two_panels_with_a_line_per_series_and_a_point_per_size():
    root = ET.fromstring(growth_svg(ROWS))
    lines = root.findall(f"{SVG}polyline")
    assert len(lines) == 4                                  # build and bulk load, in time and memory
    assert all(len(p.get("points").split()) == 2 for p in lines)
    assert len(root.findall(f"{SVG}circle")) == 8
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"Build time", "Peak memory", "100k", "1M", "target: 1,536 MiB"} <= set(texts)
    # sizes are drawn left to right however the rows came
    xs = [float(p.split(",")[0]) for p in lines[0].get("points").split()]
    assert xs == sorted(xs)


def test_a_slower_build_is_drawn_higher():
    slow = [dict(r, build=r["build"] * 10) for r in ROWS]
    y = [float(ET.fromstring(growth_svg(rows)).findall(f"{SVG}polyline")[0].get("points").split()[0].split(",")[1])
         for rows in (ROWS, slow)]
    assert y[1] < y[0]                                      # SVG's y grows downwards


def test_bad_rows_are_refused_with_the_size_named():
    with pytest.raises(ValueError, match="no rows"):
        growth_svg([])
    with pytest.raises(ValueError, match="row 1m"):
        growth_svg([dict(ROWS[0], named_load=0)])


def test_a_later_run_replaces_only_its_own_sizes(tmp_path):
    kept = tmp_path / "growth.json"
    kept.write_text(json.dumps(ROWS))
    ten = {"size": "10m", "quads": 13_000_000, "build": 200.0, "build_mib": 1400, "named_load": 70.0, "named_mib": 95}
    again = dict(ROWS[1], build=3.0)
    rows = merged_rows(kept, [ten, again])
    assert [r["size"] for r in rows] == ["100k", "1m", "10m"]
    assert rows[0]["build"] == 3.0
    out = tmp_path / "g.svg"
    kept.write_text(json.dumps(rows))
    assert main([str(kept), str(out)]) == 0
    assert len(ET.parse(out).getroot().findall(f"{SVG}circle")) == 12
