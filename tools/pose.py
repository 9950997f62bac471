"""Authoring aid for figure keyframes: print every body point of a pose, placed by an anchor.

    .venv/bin/python tools/pose.py '{"hip_near": 60, "knee_near": 60}' heel_near '[43, 0]'

Use it to put feet on the floor, hands on the wall or the back on a wedge before writing a keyframe.
"""

from __future__ import annotations

import json
import sys

from bumpwell.domain.figure import Pose
from bumpwell.figures.skeleton import forward_kinematics


def main(argv: list[str]) -> None:
    """Print the points of the pose given on the command line."""
    pose = Pose(json.loads(argv[1]))
    anchor = argv[2] if len(argv) > 2 else "hip"
    at = tuple(json.loads(argv[3])) if len(argv) > 3 else (0.0, 0.0)
    points = forward_kinematics(pose, anchor, (float(at[0]), float(at[1])))
    for name, (x, y) in points.items():
        print(f"{name:12s} x={x:7.1f} y={y:7.1f}")
    low = min(points.items(), key=lambda item: item[1][1])
    print(f"lowest point: {low[0]} at y={low[1][1]:.1f}")


if __name__ == "__main__":
    main(sys.argv)
