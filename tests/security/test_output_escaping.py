"""Strings from the scanned repository (file names, author names, expired baseline paths) reach
no output as raw control characters: no terminal escapes, no line of its own in a CI log (a
GitHub workflow command such as `::add-mask::` or `::set-output`), and valid XML."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree as ET

from testing.fakes import Fakes
from tests.helpers import git, run_keystow

EVIL_NAME = "a\x1b[2J\x1b]0;owned\x07\n::set-output name=x::y\r\u202e.py"
EVIL_AUTHOR = "Eve\x1b[31m\n::add-mask::secret"
OWN_COLOURS = re.compile("\x1b\\[(?:1|2|0|31|1;31|33|36)m")
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202e]")


def evil_repo(repo):
    token = Fakes(66).github_token()
    (repo / EVIL_NAME).write_text(f'TOKEN = "{token}"\n')
    git(repo, "add", "--", EVIL_NAME)
    git(repo, "-c", f"user.name={EVIL_AUTHOR}", "commit", "-q", "-m", "evil",
        "--author", f"{EVIL_AUTHOR} <e@example.invalid>")
    # an expired baseline entry whose path carries a workflow command after a newline
    (repo / ".keystow-baseline.json").write_text(json.dumps({"version": 1, "salt": "00", "entries": [
        {"kind": "location", "rule_id": "*", "path": "x\n::add-mask::oops\x1b[1m", "line": 1,
         "expires": "2000-01-01"}]}))
    return token


def assert_no_injection(text: str) -> None:
    assert not RAW_CONTROL.search(text), repr(text)
    for line in text.splitlines():
        assert not line.lstrip().startswith(("::add-mask", "::set-output", "::error::")), repr(line)


def test_text_report_and_notices_escape_repository_strings(repo):
    evil_repo(repo)
    for args in (["--history"], ["."]):
        result = run_keystow("scan", *args, "--no-cache", "--color", cwd=repo)
        out, err = result.stdout.decode(), result.stderr.decode()
        assert result.returncode == 1
        assert_no_injection(OWN_COLOURS.sub("", out))
        assert "\\x1b[2J" in out and "\\n::set-output" in out  # shown, escaped
        assert_no_injection(err)
        assert "expired" in err and "x\\n::add-mask::oops\\x1b[1m" in err


def test_own_colours_are_the_only_escapes(repo):
    evil_repo(repo)
    out = run_keystow("scan", "--history", "--no-cache", "--color", cwd=repo).stdout.decode()
    assert "\x1b" not in OWN_COLOURS.sub("", out)


def test_github_annotations_and_junit_stay_one_command_per_line_and_valid_xml(repo):
    evil_repo(repo)
    github = run_keystow("scan", "--history", "--no-cache", "--format", "github", cwd=repo)
    lines = github.stdout.decode().splitlines()
    assert all(line.startswith("::error ") or line.startswith("keystow:") for line in lines), lines
    assert_no_injection(github.stdout.decode() + github.stderr.decode())
    junit = run_keystow("scan", "--history", "--no-cache", "--format", "junit", cwd=repo).stdout.decode()
    assert not RAW_CONTROL.search(junit)
    case = ET.fromstring(junit).find("testsuite/testcase")
    assert "\\x1b[2J" in case.get("file")
