"""A person's own data: the audit trail of who touched it, a full export, and deleting the account for good."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date, datetime
from typing import Any

from bumpwell.domain.access import Area, Role, Verb
from bumpwell.errors import BumpwellError, InvalidRequest, NotFound
from bumpwell.exporters.table_csv import table_csv
from bumpwell.services.common import Call, authorize
from bumpwell.services.ports import PasswordHasher, Store
from bumpwell.services.records import (
    AcknowledgementRecord,
    ApiTokenRecord,
    AuditRecord,
    CareLinkRecord,
    CheckInRecord,
    ConditionRecord,
    DiaryRecord,
    NoteRecord,
    PersonRecord,
    PlanRecord,
    RedFlagRecord,
    SessionItemRecord,
    SessionRecord,
    UserRecord,
)

DELETE_PHRASE = "delete my account"
# Export tables: name -> (record kind, the field that names the owner). Secrets (hashes) are left out.
EXPORT_TABLES: dict[str, tuple[type[Any], str]] = {
    "profile": (PersonRecord, "user_id"),
    "conditions": (ConditionRecord, "person_id"),
    "check_ins": (CheckInRecord, "person_id"),
    "plans": (PlanRecord, "person_id"),
    "sessions": (SessionRecord, "person_id"),
    "red_flags": (RedFlagRecord, "person_id"),  # with clinicians' closing notes: her right of access (docs/api.md)
    "diary": (DiaryRecord, "person_id"),
    "care_team": (CareLinkRecord, "person_id"),
    "notes": (NoteRecord, "person_id"),
    "acknowledgements": (AcknowledgementRecord, "person_id"),
    "audit_log": (AuditRecord, "subject_id"),
    "api_tokens": (ApiTokenRecord, "user_id"),
}
# Never exported: every stored hash (password, the supervisor's PIN, tokens, codes; any future ``*_hash`` column too)
# and CSRF tokens. tests/api/test_export_secrets.py looks for each stored secret in every export.
SECRET_FIELDS = frozenset({"token_hash", "code_hash", "password_hash", "pin_hash", "csrf_token"})


def _secret(name: str) -> bool:
    return name in SECRET_FIELDS or name.endswith("_hash")


def audit_trail(store: Store, call: Call, person_id: str, limit: int, offset: int) -> tuple[list[AuditRecord], int]:
    """Who read or changed this person's data, newest first (she and her clinicians see it)."""
    authorize(store, call, Verb.read, Area.audit, person_id)
    where = {"subject_id": person_id}
    found = store.find(AuditRecord, where, order_by="id", descending=True, limit=limit, offset=offset)
    return found, store.count(AuditRecord, where)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _rows(store: Store, kind: type[Any], owner_field: str, owner: str) -> list[dict[str, Any]]:
    rows = []
    for record in store.find(kind, {owner_field: owner}):
        row = {k: _plain(v) for k, v in asdict(record).items() if not _secret(k)}
        rows.append(row)
    return rows


def export_all(store: Store, call: Call, person_id: str) -> dict[str, Any]:
    """Everything stored about the account, table by table, as JSON-ready values (any role, own account only)."""
    if call.user.role == Role.person.value or person_id != call.user.id:
        authorize(store, call, Verb.read, Area.account, person_id)
    user = store.get(UserRecord, person_id)
    if user is None:
        raise NotFound("account")
    out: dict[str, Any] = {
        "account": {k: _plain(v) for k, v in asdict(user).items() if not _secret(k)},
    }
    for name, (kind, owner_field) in EXPORT_TABLES.items():
        out[name] = _rows(store, kind, owner_field, person_id)
    sessions = {s["id"] for s in out["sessions"]}
    out["session_items"] = [
        {k: _plain(v) for k, v in asdict(item).items()}
        for session_id in sorted(sessions)
        for item in store.find(SessionItemRecord, {"session_id": session_id}, order_by="position")
    ]
    return out


def export_table_csv(store: Store, call: Call, person_id: str, table: str) -> bytes:
    """One table of the export as CSV bytes that open safely in a spreadsheet (see ``exporters.table_csv``)."""
    data = export_all(store, call, person_id)
    if table not in data or table == "account":
        raise NotFound(f"export table {table!r}")
    kind = SessionItemRecord if table == "session_items" else EXPORT_TABLES[table][0]
    columns = [f.name for f in fields(kind) if not _secret(f.name)]
    return table_csv(columns, data[table])


def delete_account(store: Store, hasher: PasswordHasher, user: UserRecord, password: str, confirm: str) -> None:
    """Delete the account and everything in it, for good, after the password and the typed confirmation."""
    if confirm.strip().lower() != DELETE_PHRASE:
        raise InvalidRequest("confirm", f"type {DELETE_PHRASE!r} to confirm; this cannot be undone")
    if not hasher.verify(user.password_hash, password):
        raise InvalidRequest("password", "is not this account's password")
    if user.role == Role.admin.value and store.count(UserRecord, {"role": Role.admin.value}) <= 1:
        raise InvalidRequest("confirm", "the last administrator cannot delete their account; create another first")
    store.delete_user(user.id)
    left = store.rows_mentioning(user.id)
    if left:
        store.rollback()
        raise BumpwellError(f"account deletion would leave rows behind in {sorted(left)}; nothing was deleted")
