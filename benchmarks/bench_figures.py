"""Benchmark: render every exercise figure (animated and still) and measure the SVG sizes.

Targets (issue 3): all figures render in under 1 s together; each SVG under 12 KB.
Results go to benchmarks/results/figures.json.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from bumpwell.bootstrap import catalogue
from bumpwell.figures.render import render_animation, render_still

RESULTS = Path(__file__).resolve().parents[1] / "benchmarks" / "results" / "figures.json"


def render_all() -> dict[str, int]:
    """Render every figure once; return each animated SVG's size in bytes."""
    sizes = {}
    for ex in catalogue().exercises.values():
        if ex.figure is None:
            continue
        text = render_animation(ex.figure, ident=ex.id, title=ex.name, description=" ".join(ex.steps))
        render_still(ex.figure, ident=f"{ex.id}-still", title=ex.name, description=" ".join(ex.steps))
        sizes[ex.id] = len(text.encode())
    return sizes


def main() -> None:
    catalogue()  # loading and checking the content is not part of rendering
    render_all()
    runs = []
    for _ in range(15):
        start = time.perf_counter()
        sizes = render_all()
        runs.append(time.perf_counter() - start)
    result = {
        "benchmark": "figures",
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "figures": len(sizes),
        "render_all_s": {"median": round(statistics.median(runs), 4), "max": round(max(runs), 4), "runs": len(runs)},
        "svg_bytes": {"max": max(sizes.values()), "median": int(statistics.median(sizes.values())),
                      "largest": max(sizes, key=sizes.__getitem__)},
        "targets": {"render_all_s": 1.0, "svg_bytes_max": 12 * 1024},
    }  # fmt: skip
    result["met"] = {
        "render_all": result["render_all_s"]["median"] < 1.0,
        "svg_size": result["svg_bytes"]["max"] < 12 * 1024,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
