"""Inline allow comments: same line, next line, other tools' markers, and --no-inline-allow."""

from __future__ import annotations

import json

import pytest

from keystow.detect.filters.inline import is_allowed_inline
from testing.fakes import Fakes
from tests.helpers import run_keystow


@pytest.mark.parametrize("line", [
    b'token = "x"  # keystow:allow',
    b'token = "x"  // keystow:allow test fixture',
    b'token = "x"  # pragma: allowlist secret',
    b'token = "x"  # gitleaks:allow',
    b'<!-- keystow:allow --> token',
])
def test_same_line_markers(line):
    assert is_allowed_inline(line, b"")


@pytest.mark.parametrize("previous", [b"# keystow:allow-next-line", b"# pragma: allowlist nextline secret"])
def test_next_line_markers(previous):
    assert is_allowed_inline(b'token = "x"', previous)


def test_next_line_marker_does_not_allow_its_own_line_or_the_one_after_next():
    assert not is_allowed_inline(b'token = "x"  # keystow:allow-next-line', b"")
    assert not is_allowed_inline(b'token = "x"', b"")
    assert not is_allowed_inline(b'token = "x"', b'other = 1  # keystow:allow')


def test_both_markers_on_one_line_allow_it():
    assert is_allowed_inline(b'x = "y"  # keystow:allow-next-line keystow:allow', b"")


def _scan(tmp_path, text: str, *args: str) -> list[dict]:
    (tmp_path / "app.py").write_text(text)
    result = run_keystow("scan", "app.py", "--format", "json", *args, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["findings"]


def test_scan_honours_markers_and_no_inline_allow_disables_them(tmp_path):
    fakes = Fakes(21)
    text = (
        f'a = "{fakes.github_token()}"  # keystow:allow\n'
        "# keystow:allow-next-line\n"
        f'b = "{fakes.github_token()}"\n'
        f'c = "{fakes.github_token()}"  # pragma: allowlist secret\n'
        f'd = "{fakes.github_token()}"  # gitleaks:allow\n'
        f'e = "{fakes.github_token()}"\n'
    )
    assert [f["line"] for f in _scan(tmp_path, text)] == [6]
    assert [f["line"] for f in _scan(tmp_path, text, "--no-inline-allow")] == [1, 3, 4, 5, 6]

