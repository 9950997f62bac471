"""Benchmark: assess p50/p99 over a fixed set of requests, against a JSON round trip of the same documents,
and the start-up time of `bumpwell --help`. Results go to benchmarks/results/assess.json.

Targets (issue 2): assess p50 <= 1 ms on one core and <= 20x the JSON round-trip floor; --help <= 300 ms.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "assess.json"
TODAY = date(2027, 1, 11)


def requests() -> list[dict[str, Any]]:
    """A fixed, varied set: the examples plus typical people across stages, patterns and red flags."""
    out = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "examples").glob("*.json"))]
    base = {
        "schema": "bumpwell.assessment/1",
        "today": "2027-01-11",
        "status": "pregnant",
        "activity_history": "active",
    }
    variants: list[dict[str, Any]] = [
        {"gestation": {"weeks": 12, "days": 0}},
        {"gestation": {"weeks": 22, "days": 4}, "pain": {"locations": ["lumbar"], "nrs_now": 5}},
        {"gestation": {"weeks": 30, "days": 1}, "pain": {"locations": ["pubic_groin"], "nrs_now": 6}},
        {"gestation": {"weeks": 33, "days": 0}, "pain": {"locations": ["buttock_si"], "nrs_now": 7}},
        {"gestation": {"weeks": 26, "days": 0}, "observations": {"headache": "severe"}},
        {"gestation": {"weeks": 20, "days": 0}, "plurality": 2},
        {
            "gestation": {"weeks": 28, "days": 0},
            "conditions": [{"code": "CI-R05", "cleared": True, "limits": {"max_minutes": 20, "allowed": ["walking"]}}],
        },
        {
            "gestation": {"weeks": 24, "days": 0},
            "pain": {"locations": ["lumbar", "buttock_si"], "nrs_now": 4},
            "programme": {
                "days": 21,
                "planned_sessions": 12,
                "completed_sessions": 9,
                "baseline_nrs": 6,
                "current_nrs": 5,
                "days_worse_by_2": 0,
                "provoking": ["wall-squat"],
                "baseline_pgq": None,
                "current_pgq": None,
            },
            "preferences": {
                "days_per_week": 6,
                "minutes_per_day": 45,
                "pool_access": True,
                "supervisor_available": True,
            },
        },
    ]
    out += [{**base, **v} for v in variants]
    out.append(
        {
            "schema": "bumpwell.assessment/1",
            "today": "2027-01-11",
            "status": "postpartum",
            "postpartum": {"weeks": 14, "days": 0, "delivery": "vaginal", "perineal_tear": True},
            "observations": {"urinary_leakage": True},
            "pain": {"locations": ["lumbar"], "nrs_now": 3, "duration_weeks": 14},
            "activity_history": "vigorous",
        }
    )
    return out


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def time_calls(function: Any, documents: list[Any], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        for document in documents:
            start = time.perf_counter()
            function(document)
            samples.append(time.perf_counter() - start)
    return samples


def help_startup(runs: int = 15) -> list[float]:
    command = [str(Path(sys.executable).parent / "bumpwell"), "--help"]
    subprocess.run(command, capture_output=True, check=True)  # warm the file cache
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as the target says
    from bumpwell.bootstrap import catalogue
    from bumpwell.domain.assessment import assess

    cat = catalogue()
    documents = requests()
    texts = [json.dumps(d) for d in documents]
    responses = [assess(d, cat, TODAY) for d in documents]
    pairs = list(zip(documents, texts, responses, strict=True))

    def engine(pair: tuple[dict[str, Any], str, dict[str, Any]]) -> None:
        assess(pair[0], cat, TODAY)

    def round_trip(pair: tuple[dict[str, Any], str, dict[str, Any]]) -> None:
        """The floor any transport pays: parse the request text, serialise the response."""
        json.loads(pair[1])
        json.dumps(pair[2])

    time_calls(engine, pairs, 20)  # warm-up
    rounds = 200
    engine_s = time_calls(engine, pairs, rounds)
    floor_s = time_calls(round_trip, pairs, rounds)
    help_s = help_startup()
    p50, p99 = percentile(engine_s, 0.50), percentile(engine_s, 0.99)
    floor50 = percentile(floor_s, 0.50)
    result = {
        "benchmark": "assess",
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"python": platform.python_version(), "cpu_count": os.cpu_count(), "pinned_to_one_core": True},
        "requests": len(documents),
        "samples": len(engine_s),
        "assess_ms": {
            "p50": round(p50 * 1e3, 4),
            "p99": round(p99 * 1e3, 4),
            "mean": round(statistics.mean(engine_s) * 1e3, 4),
        },
        "json_round_trip_ms": {"p50": round(floor50 * 1e3, 4), "p99": round(percentile(floor_s, 0.99) * 1e3, 4)},
        "ratio_p50_to_json_floor": round(p50 / floor50, 2),
        "help_ms": {
            "median": round(statistics.median(help_s) * 1e3, 1),
            "max": round(max(help_s) * 1e3, 1),
            "runs": len(help_s),
        },
        "targets": {"assess_p50_ms": 1.0, "ratio_max": 20, "help_ms": 300},
    }
    result["met"] = {
        "assess_p50": result["assess_ms"]["p50"] <= 1.0,
        "ratio": result["ratio_p50_to_json_floor"] <= 20,
        "help": result["help_ms"]["median"] <= 300,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
