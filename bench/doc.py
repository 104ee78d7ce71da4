"""Each benchmark script owns one marked section of docs/benchmarks.md."""

from __future__ import annotations

import re
from pathlib import Path

HEADER = "# Benchmarks\n\nFigures from the scripts in `bench/`; each section says how it was made.\n"


def replace_section(path: Path, name: str, text: str) -> None:
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{text.strip()}\n{end}"
    doc = path.read_text("utf-8") if path.is_file() else HEADER
    if start in doc:
        doc = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: block, doc, flags=re.S)
    else:
        doc = doc.rstrip() + "\n\n" + block + "\n"
    path.write_text(doc, "utf-8")


def size_args(description: str, sizes: dict, default: str, prefix: str, more=None):
    """The options every size-driven bench takes (``--sizes``, ``--work``,
    ``--out``, and those ``more(parser)`` adds), parsed, and the working directory made."""
    import argparse
    import tempfile

    ap = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default=default, help="comma-separated: " + ", ".join(sizes))
    ap.add_argument("--work", type=Path, help="working directory (default: a temporary one)")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md")
    if more is not None:
        more(ap)
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix=prefix))
    work.mkdir(parents=True, exist_ok=True)
    return args, work
