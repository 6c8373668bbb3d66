"""`migrate --rotate`: replace a leaked AWS access key pair instead of only moving it.

Moving a leaked key into Secrets Manager hides it from the next reader of the code, but everyone
who cloned the history still holds a working key. Rotation, per key pair, after the leaked pair
is stored and verified:

1. find the IAM user that owns the leaked key (iam get-access-key-last-used);
2. create a new key for that user and record both key ids in the journal at once;
3. prove the new key works (sts get-caller-identity signed with it, names the same user);
4. store the new pair as a new version of the same secret and read it back;
5. deactivate (never delete) the leaked key.

A failure before step 5 leaves the leaked key active and says why; a new key that never proved
itself is deleted again (it was never handed to anyone). `--rollback` re-activates the leaked key,
deactivates the new one, and rebuilds the files from the pre-rotation version of the secret.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from keystow.migrate.journal import Journal
from keystow.migrate.model import Item
from keystow.migrate.stores import SecretStore, StoreError

KEY_ID, SECRET_KEY = "aws_access_key_id", "aws_secret_access_key"
# A new IAM key can take several seconds to be accepted everywhere (eventual consistency).
PROOF_ATTEMPTS = 8
PROOF_PAUSE = 1.5


@dataclass(frozen=True)
class NewKey:
    user: str
    key_id: str
    secret: str


def rotate_key_pair(item: Item, store: SecretStore, journal: Journal, previous_version: str) -> str | None:
    """Rotate the leaked pair `item` holds; None when done, else why it was not (the leaked key
    then stays active and the stored pair is the leaked one)."""
    leaked = _member_value(item, KEY_ID)
    session = store.session
    try:
        user = session.call("iam", "get_access_key_last_used", "iam get-access-key-last-used",
                            AccessKeyId=leaked)["UserName"]
        created = session.call("iam", "create_access_key", f"iam create-access-key for {user}",
                               UserName=user)["AccessKey"]
    except (StoreError, KeyError) as exc:
        return f"not rotated: {exc}"
    new = NewKey(user, created["AccessKeyId"], created["SecretAccessKey"])
    journal.record_rotation(item.item_id, user, leaked, new.key_id, previous_version, "created")
    problem = _prove(session, new) or _store_new_pair(item, store, new)
    if problem is not None:
        _discard(session, new)
        journal.record_rotation(item.item_id, user, leaked, new.key_id, previous_version, "abandoned")
        return f"not rotated: {problem}"
    try:
        set_key_status(session, user, leaked, "Inactive")
    except StoreError as exc:
        journal.record_rotation(item.item_id, user, leaked, new.key_id, previous_version, "stored")
        return f"new key {new.key_id} stored, but the leaked key {leaked} is still active: {exc}"
    journal.record_rotation(item.item_id, user, leaked, new.key_id, previous_version, "rotated")
    return None


def _member_value(item: Item, key: str) -> str:
    return next(m.value for m in item.members if m.key == key)


def _prove(session, new: NewKey) -> str | None:
    """None when STS, signed with the new key, answers as the key's user."""
    last = ""
    for attempt in range(PROOF_ATTEMPTS):
        try:
            identity = session.call_as(new.key_id, new.secret, "sts", "get_caller_identity",
                                       "sts get-caller-identity with the new key")
        except StoreError as exc:
            last = str(exc)
        else:
            if str(identity.get("Arn", "")).endswith(f":user/{new.user}") or \
                    str(identity.get("Arn", "")).endswith(f"/{new.user}"):
                return None
            return f"the new key answers as {identity.get('Arn')}, not as user {new.user}"
        if attempt + 1 < PROOF_ATTEMPTS:
            time.sleep(PROOF_PAUSE)
    return f"the new key was not accepted by STS: {last}"


def _store_new_pair(item: Item, store: SecretStore, new: NewKey) -> str | None:
    mapping: dict[str, object] = {KEY_ID: new.key_id, SECRET_KEY: new.secret}
    try:
        store.put_json(item.name, mapping, tags={}, overwrite=True)
        if store.get_json(item.name) != mapping:
            return f"secret {item.name} does not read back the new pair"
    except StoreError as exc:
        return str(exc)
    return None


def _discard(session, new: NewKey) -> None:
    try:
        session.call("iam", "delete_access_key", f"iam delete-access-key {new.key_id}",
                     UserName=new.user, AccessKeyId=new.key_id)
    except StoreError:
        pass  # the reason already reported is the one that matters; the journal names the key


def set_key_status(session, user: str, key_id: str, status: str) -> None:
    session.call("iam", "update_access_key", f"iam update-access-key {key_id} {status}",
                 UserName=user, AccessKeyId=key_id, Status=status)


def undo_rotations(journal: Journal, session) -> list[str]:
    """Re-activate each leaked key the run deactivated and deactivate its replacement; the
    problems, one line each (the rest is still undone)."""
    problems = []
    for record in journal.rotations().values():
        if record["state"] not in ("rotated", "stored"):
            continue
        try:
            set_key_status(session, record["user"], record["old_key_id"], "Active")
            set_key_status(session, record["user"], record["new_key_id"], "Inactive")
        except StoreError as exc:
            problems.append(f"IAM user {record['user']}: {exc}")
    return problems
