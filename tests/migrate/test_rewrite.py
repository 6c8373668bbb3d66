from __future__ import annotations

import os
import stat

from hypothesis import given, settings
from hypothesis import strategies as st

from keystow.fs import write_atomic
from keystow.migrate.references.base import Edit
from keystow.migrate.rewrite import apply_edits, restore, split_old
from testing.fakes import ALNUM, Fakes

# A fake secret made at run time, so this file holds no credential-shaped literal.
SECRET = Fakes(12).chars(ALNUM, 12)


def test_split_old_never_leaves_a_value_in_a_literal():
    parts = split_old(f'"{SECRET}" and {SECRET}x', {"a": SECRET, "b": SECRET + "x"})
    assert parts == (("text", '"'), ("value", "a"), ("text", '" and '), ("value", "b"))


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet="ab\r\n\"' é", max_size=40),
    st.lists(st.tuples(st.integers(0, 40), st.text("xyz{}", max_size=6)), max_size=4),
)
def test_restore_inverts_apply(prefix, inserts):
    text = prefix + SECRET + prefix[::-1]
    at = len(prefix)
    edits = [Edit(at, at + len(SECRET), "${ssm:/x}")]
    edits += [Edit(min(o, at), min(o, at), new) for o, new in inserts]
    new, applied = apply_edits(text, edits, {"v": SECRET})
    assert SECRET not in new
    assert restore(new, applied, {"v": SECRET}) == text


def test_write_atomic_keeps_mode_and_leaves_no_temp(tmp_path):
    path = tmp_path / "run.sh"
    path.write_bytes(b"old\r\n")
    path.chmod(0o750)
    write_atomic(path, b"new\r\n")
    assert path.read_bytes() == b"new\r\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o750
    assert os.listdir(tmp_path) == ["run.sh"]


def test_adjacent_removals_restore_in_their_order():
    from keystow.migrate.references.base import Edit
    from keystow.migrate.rewrite import apply_edits, restore

    text = "env:\n  TOKEN: s3cr3t-value\njobs: {}\n"
    entry, jobs = text.index("  TOKEN"), text.index("jobs")
    edits = [Edit(0, entry, ""), Edit(entry, jobs, "")]  # the `env:` line and its only entry, both removed
    new, applied = apply_edits(text, edits, {"v1": "s3cr3t-value"})
    assert new == "jobs: {}\n"
    assert restore(new, applied, {"v1": "s3cr3t-value"}) == text
