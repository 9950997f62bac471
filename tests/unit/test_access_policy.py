"""The access policy (domain/access.py), rule by rule."""

from __future__ import annotations

import pytest

from bumpwell.domain.access import NOTE_AREAS, Actor, Area, Role, Verb, may


def readable_areas(actor: Actor, owner_id: str, linked_as: Role | None) -> set[Area]:
    """Every area the policy lets ``actor`` read of that record."""
    return {area for area in Area if may(actor, Verb.read, area, owner_id, linked_as)}


PERSON = Actor("p1", Role.person)


def test_a_person_reads_every_part_of_their_own_record_but_her_clinicians_clinical_notes() -> None:
    assert readable_areas(PERSON, "p1", None) == frozenset(Area) - {Area.clinical_notes}


def test_clinical_notes_are_read_by_her_clinicians_only() -> None:
    assert may(Actor("c1", Role.clinician), Verb.read, Area.clinical_notes, "p1", Role.clinician)
    assert not may(Actor("s1", Role.supervisor), Verb.read, Area.clinical_notes, "p1", Role.supervisor)
    assert not may(PERSON, Verb.read, Area.clinical_notes, "p1", None)


@pytest.mark.parametrize("area", [Area.clearance, Area.notes, Area.clinical_notes, Area.acknowledgements, Area.audit])
def test_a_person_may_not_write_clearances_notes_or_the_audit_log(area: Area) -> None:
    assert not may(PERSON, Verb.write, area, "p1", None)


def test_a_person_writes_their_diary_and_sessions() -> None:
    assert may(PERSON, Verb.write, Area.diary, "p1", None)
    assert may(PERSON, Verb.write, Area.sessions, "p1", None)


def test_a_person_sees_nothing_of_another_person() -> None:
    assert readable_areas(PERSON, "p2", None) == frozenset()


def test_a_linked_supervisor_sees_the_schedule_and_red_flags_but_never_the_diary() -> None:
    supervisor = Actor("s1", Role.supervisor)
    assert readable_areas(supervisor, "p1", Role.supervisor) == {Area.schedule, Area.red_flags}
    assert not may(supervisor, Verb.read, Area.diary, "p1", Role.supervisor)
    assert not may(supervisor, Verb.write, Area.schedule, "p1", Role.supervisor)


def test_a_linked_clinician_reads_everything_clinical_and_writes_notes_and_clearances() -> None:
    clinician = Actor("c1", Role.clinician)
    assert Area.diary in readable_areas(clinician, "p1", Role.clinician)
    assert Area.audit in readable_areas(clinician, "p1", Role.clinician), "who read or changed her record"
    assert Area.account not in readable_areas(clinician, "p1", Role.clinician)
    assert may(clinician, Verb.write, Area.notes, "p1", Role.clinician)
    assert may(clinician, Verb.write, Area.clearance, "p1", Role.clinician)
    assert not may(clinician, Verb.write, Area.diary, "p1", Role.clinician)


def test_without_an_accepted_link_members_see_nothing() -> None:
    assert readable_areas(Actor("c1", Role.clinician), "p1", None) == frozenset()
    assert readable_areas(Actor("s1", Role.supervisor), "p1", None) == frozenset()


def test_a_link_in_another_role_than_the_account_gives_nothing() -> None:
    assert readable_areas(Actor("c1", Role.clinician), "p1", Role.supervisor) == frozenset()


def test_an_admin_sees_no_health_data_even_if_somehow_linked() -> None:
    admin = Actor("a1", Role.admin)
    assert readable_areas(admin, "p1", None) == frozenset()
    assert readable_areas(admin, "p1", Role.admin) == frozenset()


def test_a_person_account_cannot_act_as_another_persons_member() -> None:
    assert readable_areas(Actor("p2", Role.person), "p1", Role.person) == frozenset()


def test_a_note_to_her_is_hers_to_read_and_a_clinical_note_her_clinicians_only() -> None:
    clinician, supervisor = Actor("c1", Role.clinician), Actor("s1", Role.supervisor)
    to_her, clinical = NOTE_AREAS["to_her"], NOTE_AREAS["clinical"]
    assert may(PERSON, Verb.read, to_her, "p1", None)
    assert not may(PERSON, Verb.read, clinical, "p1", None)
    assert may(clinician, Verb.read, clinical, "p1", Role.clinician)
    assert may(clinician, Verb.write, clinical, "p1", Role.clinician)
    assert not may(supervisor, Verb.read, to_her, "p1", Role.supervisor)
    assert not may(supervisor, Verb.read, clinical, "p1", Role.supervisor)
    assert set(NOTE_AREAS) == {"to_her", "clinical"}, "the API's NoteVisibility and the form offer exactly these"
