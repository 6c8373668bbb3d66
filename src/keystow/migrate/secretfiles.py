"""Files that are secrets become one store item each, holding the whole file.

The scanner reports the secrets inside a private key file, an AWS `credentials` file or a
kubeconfig; no reference can replace them there, so their sites in that file are replaced by one
site spanning the whole text, whose value is the text itself (references/secretfile.py deletes
the file and `keystow run --file` writes it back). A found value left with no other site is
dropped from the plan: it is stored inside the file's item.

Size: above SSM's 4 KB Standard tier a file goes to Secrets Manager unless the Advanced tier
was allowed; above 8 KB always.
"""

from __future__ import annotations

from keystow.migrate.model import Member, Plan
from keystow.migrate.references.base import Site
from keystow.migrate.references.secretfile import detect
from keystow.migrate.sites import value_id

RULE_ID = "secret-file"


def whole_file_members(plan: Plan, members: list[Member]) -> list[Member]:
    """`members` with each secret file's findings replaced by a member holding the whole file."""
    files = sorted({s.path for s in plan.sites if s.path in plan.binary or detect(s.path, plan.texts[s.path])})
    extra = []
    for path in files:
        text = plan.texts[path]
        vid = value_id(text)
        plan.sites = [s for s in plan.sites if s.path != path]
        plan.sites.append(Site(path, 1, 0, len(text), vid, path.rsplit("/", 1)[-1]))
        plan.values[vid] = text
        extra.append(Member(vid, RULE_ID, f"(the whole file {path})", text))
    with_sites = {s.item_id for s in plan.sites}
    # A finding that is the whole file (a keystore's, or a token file holding only the token) is
    # the file's member: the file's size rules and notes apply to it.
    whole = {m.value_id: m for m in extra}
    return [m for m in members if m.value_id in with_sites and m.value_id not in whole] + list(whole.values())


def is_whole_file(member: Member) -> bool:
    return member.rule_id == RULE_ID
