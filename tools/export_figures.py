"""Save every figure stored in the notebooks as PNG, to look at them outside Jupyter.

Usage: ``python tools/export_figures.py [notebook ...] [--out DIR]`` (default out: figures/,
which git ignores). Files are named ``<notebook>_cell<N>.png``.
"""

from __future__ import annotations

import base64
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> int:
    if {"-h", "--help"} & set(argv):  # print the usage; never act on a request for help
        print(__doc__)
        return 0
    out = ROOT / "figures"
    if "--out" in argv:
        i = argv.index("--out")
        out = Path(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    out.mkdir(parents=True, exist_ok=True)
    paths = [Path(a) for a in argv] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        for n, cell in enumerate(nb.cells):
            for k, output in enumerate(cell.get("outputs", [])):
                data = output.get("data", {})
                if "image/png" in data:
                    name = out / f"{path.stem}_cell{n:02d}_{k}.png"
                    name.write_bytes(base64.b64decode(data["image/png"]))
                    print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
