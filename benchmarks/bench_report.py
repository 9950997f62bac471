"""Benchmark: the doctor's one-page PDF report for one person (issue 6 target: under 1 s).

The story is the exporters' test fixture (six weeks: 21 diary days, 18 sessions, 3 check-ins, a clearance, a plan).
Results go to benchmarks/results/report.json.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the fixture lives with the tests

from tests.exporters.conftest import story  # noqa: E402

from bumpwell.exporters.report import report_pdf  # noqa: E402 - after the path set-up

RESULTS = ROOT / "benchmarks" / "results" / "report.json"


def main() -> None:
    person = story.__wrapped__()  # type: ignore[attr-defined]  # the fixture's plain function
    first = time.perf_counter()
    report_pdf(person)  # the first call also loads fonts and WeasyPrint's modules
    first_s = time.perf_counter() - first
    runs = []
    for _ in range(9):
        start = time.perf_counter()
        size = len(report_pdf(person))
        runs.append(time.perf_counter() - start)
    result = {
        "benchmark": "report",
        "runs": len(runs),
        "median_s": round(statistics.median(runs), 3),
        "max_s": round(max(runs), 3),
        "first_call_s": round(first_s, 3),
        "pdf_bytes": size,
        "target_s": 1.0,
        "met": max(runs) < 1.0,
    }
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
