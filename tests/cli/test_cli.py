"""The command line: exit codes, one clear message on bad input, and JSON equal to the library's."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import bumpwell
from bumpwell.cli.main import app
from tests.conftest import base_request

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo-request.json"
runner = CliRunner()


def invoke(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin, env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def test_assess_prints_the_same_json_as_the_library() -> None:
    code, out, _ = invoke("assess", str(DEMO))
    assert code == 0
    assert json.loads(out) == bumpwell.assess(json.loads(DEMO.read_text(encoding="utf-8")))


def test_assess_reads_standard_input() -> None:
    request = base_request()
    code, out, _ = invoke("assess", "-", stdin=json.dumps(request))
    assert code == 0
    assert json.loads(out) == bumpwell.assess(request)


def test_every_example_request_is_answered() -> None:
    for path in sorted((ROOT / "examples").glob("*.json")):
        code, out, _ = invoke("assess", str(path))
        assert code == 0, path
        assert json.loads(out)["schema"] == "bumpwell.assessment/1"


def test_without_today_the_date_option_or_the_clock_is_used() -> None:
    request = base_request()
    del request["today"]
    code, out, _ = invoke("assess", "-", "--today", "2027-02-01", stdin=json.dumps(request))
    assert code == 0
    assert json.loads(out)["plan"]["week_start"] == "2027-02-01"


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("{not json", "error: request: standard input is not valid JSON (line 1, column 2"),
        (
            json.dumps(base_request(gestation={"weeks": 50, "days": 0})),
            "error: gestation.weeks: must be a whole number",
        ),
        (
            json.dumps(base_request(plurality=4)),
            "error: plurality: must be a whole number from 1 to 3, got 4",
        ),
        (
            json.dumps(base_request(observations={"bleeding": "none"})),
            "error: observations.bleeding: unknown field",
        ),
        (json.dumps(base_request(status="unsure")), "error: status: must be one of pregnant, postpartum"),
        (json.dumps([1, 2]), "error: request: must be a JSON object"),
    ],
)
def test_bad_input_exits_2_with_one_clear_line(stdin: str, message: str) -> None:
    code, out, err = invoke("assess", "-", stdin=stdin)
    assert code == 2
    assert out == ""
    assert err.startswith(message)
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_missing_file_and_bad_date_option_exit_2() -> None:
    code, _, err = invoke("assess", "no-such-file.json")
    assert (code, err.strip()) == (2, "error: request file 'no-such-file.json' not found")
    code, _, err = invoke("assess", str(DEMO), "--today", "tomorrow")
    assert (code, err.strip()) == (2, "error: --today: must be a date written YYYY-MM-DD, got 'tomorrow'")


def test_unreadable_request_file_exits_2(tmp_path: Path) -> None:
    code, _, err = invoke("assess", str(tmp_path))
    assert code == 2
    assert "cannot read request file" in err


def test_text_format_leads_with_the_decision_and_names_who_to_call() -> None:
    code, out, _ = invoke("assess", str(ROOT / "examples" / "red-flag-request.json"), "--format", "text")
    assert code == 0
    lines = [line for line in out.splitlines() if line.strip()]
    assert "URGENT" in lines[1]
    assert "maternity unit" in out
    assert "Exercise today: no. Do not exercise; get help now as below." in out


def test_text_format_on_a_red_flag_day_is_a_stop_screen_only(tmp_path: Path) -> None:
    """Invariant 10: beside heavy bleeding, nothing about starting gently, building up, a pattern or a plan."""
    request = json.loads((ROOT / "examples" / "red-flag-request.json").read_text(encoding="utf-8"))
    request["observations"] = {"vaginal_bleeding": "heavy"}
    request["conditions"] = [{"code": "CI-N01", "cleared": False}]
    request["activity_history"] = "inactive"
    request["programme"] = {"days": 21, "planned_sessions": 9, "completed_sessions": 8, "baseline_nrs": 6,
                            "current_nrs": 3, "days_worse_by_2": 0, "provoking": []}  # fmt: skip
    path = tmp_path / "bleeding.json"
    path.write_text(json.dumps(request), encoding="utf-8")
    code, out, _ = invoke("assess", str(path), "--format", "text")
    assert code == 0
    assert "EMERGENCY" in out
    assert "[RF-E03]" in out
    for words in ("walking", "build up", "start", "Your week", "Pain:", "[G-4]", "[E1]", "[CI-N01]", "Left out"):
        assert words not in out, words


def test_text_format_shows_the_plan() -> None:
    code, out, _ = invoke("assess", str(DEMO), "--format", "text")
    assert code == 0
    assert "Your week from 2027-01-11" in out
    assert "Pelvic floor" in out
    assert "(a pattern, not a diagnosis)" in out


def test_exercises_list_and_show() -> None:
    code, out, _ = invoke("exercises", "list", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert len(rows) >= 30
    assert {"walking", "bird-dog", "pelvic-tilt-semi-reclined"} <= {r["id"] for r in rows}
    code, out, _ = invoke("exercises", "list")
    assert code == 0
    assert "Pelvic tilt, half-reclined" in out
    code, out, _ = invoke("exercises", "show", "pelvic-tilt-semi-reclined")
    assert code == 0
    assert "Steps" in out
    assert "Stop if" in out
    assert "If someone is helping you" in out
    assert "Harder" in out
    flat = " ".join(line.strip("│ ") for line in out.splitlines())
    assert "Stop at once if you notice any of these:" in flat  # the one shared block (§20.31), never cut off
    assert "If it is severe, call your local emergency number." in flat


def test_exercises_show_unknown_id_exits_2() -> None:
    code, _, err = invoke("exercises", "show", "moonwalk")
    assert code == 2
    assert err.startswith("error: ID: no exercise 'moonwalk'; known ids: ")


def test_content_check_passes_and_fails_with_file_and_field(tmp_path: Path) -> None:
    code, out, _ = invoke("content", "check")
    assert code == 0
    assert out.startswith("content ok: ")
    code, _, err = invoke("content", "check", "--content-dir", str(tmp_path))
    assert code == 1
    assert err.startswith("error: content check failed: sources.yaml: (file): cannot be read")


def test_help_runs_as_an_installed_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bumpwell", "--help"], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0
    assert "assess" in result.stdout
    assert "content" in result.stdout


def test_figures_gallery_writes_a_page_and_one_svg_per_figure(tmp_path: Path) -> None:
    code, out, _ = invoke("figures", "gallery", str(tmp_path / "gallery"))
    assert code == 0
    assert out.startswith("wrote ")
    assert (tmp_path / "gallery" / "index.html").exists()
    assert (tmp_path / "gallery" / "wall-squat.svg").exists()


def test_figures_gallery_into_a_file_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("x", encoding="utf-8")
    code, _, err = invoke("figures", "gallery", str(blocker))
    assert code == 2
    assert err.startswith("error: OUT_DIR: cannot write to ")


def test_invalid_content_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bumpwell import bootstrap
    from bumpwell.cli.main import run
    from bumpwell.errors import ContentError

    def broken() -> None:
        raise ContentError("policy.yaml", "fever_c", "is required")

    monkeypatch.setattr(bootstrap, "catalogue", broken)
    monkeypatch.setattr(sys, "argv", ["bumpwell", "exercises", "list"])
    with pytest.raises(SystemExit) as stopped:
        run()
    assert stopped.value.code == 1
    assert capsys.readouterr().err == "error: the clinical content is invalid: policy.yaml: fever_c: is required\n"


def test_figures_gallery_draws_the_stage_asked_for(tmp_path: Path) -> None:
    code, _, _ = invoke("figures", "gallery", str(tmp_path / "late"), "--stage", "late")
    assert code == 0
    late = (tmp_path / "late" / "wall-squat.svg").read_text(encoding="utf-8")
    invoke("figures", "gallery", str(tmp_path / "early"), "--stage", "early")
    assert late != (tmp_path / "early" / "wall-squat.svg").read_text(encoding="utf-8")
    code, _, err = invoke("figures", "gallery", str(tmp_path / "x"), "--stage", "ninth-month")
    assert code == 2
    assert "--stage" in err


def test_text_format_gives_the_weeks_aim_and_one_pelvic_floor_row_a_day() -> None:
    code, out, _ = invoke("assess", "-", "--format", "text", stdin=json.dumps(base_request()))
    assert code == 0
    assert "this week's aim: 150 minutes of walking or swimming" in out
    assert out.count("3 times in the day") == 7
    assert "other days would make up the rest" in " ".join(out.split())
