"""`migrate --verify`: credentials their provider confirms live lead the plan, with a note.

A live credential is the urgent one: it is migrated (and then rotated) first. Verification is
keystow.verify's; here only the order and the note.
"""

from __future__ import annotations

import os

from keystow.migrate.plan import Plan
from keystow.migrate.sites import value_id
from keystow.verify import ACTIVE
from keystow.verify.runner import Settings, verify_findings

NOTE = "verified active by its provider: migrate and rotate it first"


def lead_with_verified(plan: Plan, findings: list) -> set[str]:
    """Move items holding a verified-active value to the front (stable); returns their ids."""
    verdicts = verify_findings(findings, Settings(os.environ), lambda finding: "")
    live = {value_id(f.secret) for f in findings if verdicts[f.fingerprint].status == ACTIVE}
    leading = [item for item in plan.items if item.member_ids() & live]
    for item in leading:
        item.notes.append(NOTE)
    plan.items = leading + [item for item in plan.items if item not in leading]
    return {item.item_id for item in leading}
