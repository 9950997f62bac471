"""Red flags and the contraindication gate: what fired, and the limits a clinician set."""

from __future__ import annotations

from dataclasses import dataclass

from bumpwell.domain.catalogue import Policy
from bumpwell.domain.request import Request
from bumpwell.domain.rules import Finding
from bumpwell.domain.values import Level

PREECLAMPSIA_SIGNS = ("visual_disturbance", "pain_below_ribs", "vomiting")


def screen_red_flags(req: Request, policy: Policy) -> list[Finding]:
    """Every red-flag rule that fires today, most serious group first (clinical-reference §6, §17.3)."""
    fired = [
        *_emergency(req),
        *_urgent(req, policy),
    ]
    fired += _contact(req, policy, fired)
    fired += _discuss_and_ok(req, policy, fired)
    return fired


def _emergency(req: Request) -> list[Finding]:
    o = req.observations
    out = []
    if _chest_emergency(req) or o.sudden_severe_breathlessness or o.coughing_blood:
        out.append(Finding("RF-E01"))
    if o.fainted or o.seizure or o.confusion:
        out.append(Finding("RF-E02"))
    bleeding = o.vaginal_bleeding != "none"
    if (
        o.vaginal_bleeding == "heavy"
        or (req.pregnant and bleeding and o.sudden_severe_abdominal_pain)
        or o.uterus_hard_tender
    ):
        out.append(Finding("RF-E03"))
    if _cauda_equina(req):
        out.append(Finding("RF-E04"))
    if o.serious_accident:
        out.append(Finding("RF-E05"))
    if o.sudden_severe_abdominal_pain:
        out.append(Finding("RF-E06"))
    return out


def _chest_emergency(req: Request) -> bool:
    """Strong chest pain, or chest pain of any degree with breathlessness (§20 reading 23)."""
    o = req.observations
    breathless = o.breathless_at_rest or o.sudden_severe_breathlessness
    return o.chest_pain == "severe_or_with_breathlessness" or (o.chest_pain != "none" and breathless)


def _cauda_equina(req: Request) -> bool:
    o = req.observations
    return (
        o.saddle_numbness
        or o.new_bladder_or_bowel_change
        or o.both_legs_weak_or_numb
        or "both_legs" in req.pain.locations
    )


def _gestation_days(req: Request) -> int:
    return req.gestation.total_days if req.gestation else -1


def _in_preeclampsia_window(req: Request, policy: Policy) -> bool:
    if req.postpartum is not None:
        return req.postpartum.weeks <= policy.preeclampsia_postpartum_weeks
    return _gestation_days(req) >= policy.preeclampsia_from_days


def _preterm_signs(req: Request, policy: Policy) -> bool:
    c = req.observations.contractions
    o = req.observations
    unsettled = c.settled_with_rest_min is None or c.settled_with_rest_min > policy.contractions_settle_max_min
    return (
        c.regular
        or c.per_hour >= policy.contractions_per_hour
        or (c.painful and unsettled)
        or o.pelvic_pressure
        or o.rhythmic_backache
        or o.show
    )


def _labour(req: Request, policy: Policy) -> tuple[bool, bool]:
    """(RF-U03 preterm signs, RT-1 labour at term) while pregnant."""
    if not req.pregnant:
        return False, False
    c = req.observations.contractions
    if _gestation_days(req) < policy.term_from_days:
        return _preterm_signs(req, policy), False
    return False, c.regular and c.painful


def _preeclampsia(req: Request, policy: Policy) -> bool:
    o = req.observations
    signs = (
        o.headache == "severe"
        or o.swelling == "sudden_face_hands_feet"
        or any(getattr(o, name) for name in PREECLAMPSIA_SIGNS)
    )
    return signs and _in_preeclampsia_window(req, policy)


def _preeclampsia_signs_reported(req: Request) -> bool:
    """Any headache, sight change, pain below the ribs or vomiting: never beside RF-D01's reassurance (§20.24)."""
    o = req.observations
    return o.headache != "none" or any(getattr(o, name) for name in PREECLAMPSIA_SIGNS)


def _urgent(req: Request, policy: Policy) -> list[Finding]:
    o, pain, days = req.observations, req.pain, _gestation_days(req)
    preterm, labour = _labour(req, policy)
    preeclampsia = _preeclampsia(req, policy)
    flank = o.flank_pain or "flank" in pain.locations
    fever = o.temperature_c is not None and o.temperature_c >= policy.fever_c
    checks = (
        ("RF-U01", req.pregnant and o.vaginal_bleeding in ("spotting", "light")),
        ("RF-U02", req.pregnant and o.fluid_leak),
        ("RF-U03", preterm),
        ("RT-1", labour),
        (
            "RF-U04",
            req.pregnant and days >= policy.fetal_movements_from_days and o.fetal_movements == "reduced_or_changed",
        ),
        ("RF-U05", preeclampsia),
        ("RF-U06", fever or (flank and (o.shivering or o.vomiting or o.urinary_burning))),
        ("RF-U07", o.calf_pain_one_side or o.swelling == "one_leg"),
        (
            "RF-U08",
            o.breathless_at_rest or o.dizziness == "persisting" or o.muscle_weakness_affecting_balance,
        ),
        (
            "RF-U09",
            pain.nrs_now >= policy.nrs_severe and (pain.onset == "sudden" or pain.pattern == "constant"),
        ),
        ("RF-U10", o.chest_pain == "mild" and not _chest_emergency(req)),
        ("RF-U11", req.pregnant and days >= policy.blow_to_abdomen_from_days and o.blow_to_abdomen),
        ("RF-U12", o.headache in ("persistent", "severe") and not preeclampsia),
    )
    return [Finding(rule) for rule, fires in checks if fires]


def _contact(req: Request, policy: Policy, fired: list[Finding]) -> list[Finding]:
    o, pain = req.observations, req.pain
    ids = {f.rule for f in fired}
    serious_pattern = pain.present and pain.pattern in ("night", "constant") and "RF-U09" not in ids
    spinal_history = pain.present and (o.unexplained_weight_loss or o.history_of_cancer)
    window = _in_preeclampsia_window(req, policy)
    postpartum_floor = o.urinary_leakage or o.vaginal_heaviness_or_bulge or o.doming_seen
    checks = (
        ("RF-C01", o.urinary_burning and "RF-U06" not in ids),
        ("RF-C02", o.night_pain or serious_pattern or spinal_history),
        ("RF-C03", o.one_leg_tingling_below_knee and "RF-E04" not in ids),  # tingling, not pain alone (§20.25)
        ("RF-C04", pain.function_limit == "severe" or pain.days_at_or_above_7 >= policy.days_at_or_above_7),
        ("RF-C05", o.dizziness == "resolved_with_rest"),
        ("RF-C06", window and o.headache == "mild_resolved" and "RF-U05" not in ids),
        (
            "RF-C07",
            req.pregnant
            and _gestation_days(req) >= policy.fetal_movements_from_days
            and o.fetal_movements == "never_felt",
        ),
        ("RF-C08", not req.pregnant and postpartum_floor),
    )
    out = [Finding(rule) for rule, fires in checks if fires]
    if pain.nrs_now >= policy.nrs_severe and pain.pattern == "mechanical" and pain.onset == "gradual":
        out.append(Finding("RT-4"))
    elif pain.nrs_now == policy.nrs_gentle:
        out.append(Finding("RT-4", level=Level.OK_TO_EXERCISE, acts=False))  # the gentle branch
    return out


def _discuss_and_ok(req: Request, policy: Policy, fired: list[Finding]) -> list[Finding]:
    o, c = req.observations, req.observations.contractions
    ids = {f.rule for f in fired}
    out = []
    if o.headache == "mild_resolved" and not _in_preeclampsia_window(req, policy):
        out.append(Finding("RT-6"))
    if o.swelling == "gradual_ankles" and not _preeclampsia_signs_reported(req):
        out.append(Finding("RF-D01"))
    other_signs = o.vaginal_bleeding != "none" or o.fluid_leak or o.pelvic_pressure
    tightenings = c.per_hour > 0 or c.painful
    occasional = not c.regular and c.per_hour < policy.contractions_per_hour  # RF-D02 is irregular and few
    quiet = not ({"RF-U03", "RT-1"} & ids) and not other_signs and o.fetal_movements == "normal" and occasional
    if req.pregnant and tightenings and quiet:
        out.append(Finding("RF-D02"))
    return out


@dataclass(frozen=True, slots=True)
class Gate:
    """The contraindication gate: findings, whether a programme is blocked, and the clinician's limits."""

    findings: tuple[Finding, ...]
    blocked: bool
    blocking: frozenset[str]  # the rules that stop a programme: G-1, G-2 and each uncleared CI-A*/CI-R* code
    allowed: frozenset[str] | None
    max_minutes: int | None
    sedentary: bool


def clearable(code: str) -> bool:
    """Whether a clinician's clearance can lift this condition: the relative ones, and CI-A09 (§4.5, §20)."""
    return code.startswith("CI-R") or code == "CI-A09"


def screen_conditions(req: Request, policy: Policy) -> Gate:
    """Fire a CI rule per condition, then the gate rules G-1 to G-4 (clinical-reference §17.4, §20)."""
    conditions = {c.code: c for c in req.conditions}
    implied = []
    if req.pregnant and req.plurality == 3 and "CI-A04" not in conditions:
        implied.append("CI-A04")
    if req.pregnant and req.plurality == 2 and "CI-R01" not in conditions:
        implied.append("CI-R01")
    praevia = conditions.get("CI-R02")
    late_praevia = praevia is not None and _gestation_days(req) >= policy.praevia_absolute_from_days
    if late_praevia and "CI-A06" not in conditions:
        implied.append("CI-A06")
    codes = [*conditions, *implied]

    def cleared(code: str) -> bool:
        entry = conditions.get(code)
        if entry is None or not entry.cleared:
            return False
        if code == "CI-R02":
            return not late_praevia
        return clearable(code)

    findings = [Finding(code, level=Level.OK_TO_EXERCISE) for code in codes]
    absolute = [c for c in codes if c.startswith("CI-A") and not cleared(c)]
    # A late low-lying placenta is represented by CI-A06 above, so it does not count twice.
    relative = [c for c in codes if c.startswith("CI-R") and not cleared(c) and not (c == "CI-R02" and late_praevia)]
    # Limits bind on every cleared condition, CI-N01 included (§20 reading 15); on a blocked one there is no plan.
    limited = [c for c in req.conditions if c.cleared and (c.allowed is not None or c.max_minutes is not None)]
    if absolute:
        findings.append(Finding("G-1"))
    if relative:
        findings.append(Finding("G-2"))
    if limited or any(cleared(c) for c in codes):
        findings.append(Finding("G-3"))
    sedentary = "CI-N01" in conditions
    if sedentary:
        findings.append(Finding("G-4"))
    allowed_sets = [c.allowed for c in limited if c.allowed is not None]
    allowed = frozenset.intersection(*allowed_sets) if allowed_sets else None
    if allowed is not None and "pelvic-floor" in allowed:  # long holds and quick squeezes are one exercise (§20.30)
        allowed |= policy.allowed_with_pelvic_floor
    minutes = [c.max_minutes for c in limited if c.max_minutes is not None]
    stoppers = {"G-1", "G-2", *(c for c in codes if c.startswith(("CI-A", "CI-R")) and not cleared(c))}
    return Gate(
        findings=tuple(findings),
        blocked=bool(absolute or relative),
        blocking=frozenset(stoppers) if absolute or relative else frozenset(),
        allowed=allowed,
        max_minutes=min(minutes) if minutes else None,
        sedentary=sedentary,
    )
