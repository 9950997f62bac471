"""One person's story as a FHIR R4 Bundle (JSON): a ``collection`` to read, or a ``transaction`` to import.

The resources: Patient, her pregnancy status and dates, the contraindications she reported (Condition, with a
clinician's clearance), the clinicians involved (Practitioner), pain and check-in Observations, the weekly
CarePlans, each ended session (Procedure, with pain before and after), and a Flag for each red flag. Every
resource has a narrative, an identifier in a fixed bumpwell system and an id derived from stable keys (UUIDv5 in
the namespace of ``fhir_codes.CANONICAL``, never of the server's address).

In the transaction each entry is a conditional update, ``PUT <Type>?identifier=<system>|<value>``: posting the
same export twice, or an export of the following week, updates the same resources instead of creating new ones.
Its resources carry no ``id`` (the receiver's conditional update finds or assigns its own); references between
entries are the entries' ``urn:uuid`` full URLs, which the receiver resolves.
"""

from __future__ import annotations

import json
from typing import Literal

from bumpwell.exporters.fhir_care import care_plans, check_in_observations, pain_observations
from bumpwell.exporters.fhir_codes import Json, instant
from bumpwell.exporters.fhir_people import conditions, patient, practitioners, pregnancy
from bumpwell.exporters.fhir_sessions import flags, sessions
from bumpwell.exporters.read_model import PersonStory

BundleType = Literal["collection", "transaction"]


def fhir_resources(story: PersonStory) -> list[Json]:
    """Every resource of the story, in bundle order: the person first, then what she reported and did."""
    return [
        patient(story), *practitioners(story), *pregnancy(story), *conditions(story), *pain_observations(story),
        *check_in_observations(story), *care_plans(story), *sessions(story), *flags(story),
    ]  # fmt: skip


def fhir_bundle(story: PersonStory, bundle_type: BundleType = "collection") -> bytes:
    """The story as a FHIR R4 Bundle: deterministic JSON (sorted keys, 2-space indent, UTF-8, newline)."""
    entries = [_entry(r, bundle_type) for r in fhir_resources(story)]
    bundle = {"resourceType": "Bundle", "type": bundle_type, "timestamp": instant(story.generated_at),
              "entry": entries}  # fmt: skip
    return (json.dumps(bundle, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _entry(resource: Json, bundle_type: BundleType) -> Json:
    full_url = f"urn:uuid:{resource['id']}"
    if bundle_type == "collection":
        return {"fullUrl": full_url, "resource": resource}
    business = resource["identifier"][0]
    url = f"{resource['resourceType']}?identifier={business['system']}|{business['value']}"
    body = {k: v for k, v in resource.items() if k != "id"}
    return {"fullUrl": full_url, "resource": body, "request": {"method": "PUT", "url": url}}
