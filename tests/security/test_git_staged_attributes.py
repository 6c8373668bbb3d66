"""A committed `.gitattributes` must not blind the staged scan.

`* -diff`, `binary` or a `diff=<driver>` whose driver is configured binary make `git diff` print
"Binary files differ" with no hunks; the staged scan reports only findings on added lines, so
every finding was dropped and the commit passed.
"""

from __future__ import annotations

import pytest

from testing.fakes import Fakes
from tests.helpers import commit_file, git, run_keystow


@pytest.mark.parametrize("attributes, config", [
    ("* -diff\n", ()),
    ("* binary\n", ()),
    ("*.py diff=foo\n", ()),
    ("*.py diff=foo\n", (("diff.foo.binary", "true"),)),
])
def test_staged_secret_is_found_whatever_the_diff_attributes(repo, attributes, config):
    commit_file(repo, ".gitattributes", attributes, "attributes")
    for key, value in config:
        git(repo, "config", key, value)
    commit_file(repo, "app.py", "x = 1\n", "app")
    (repo / "app.py").write_text(f'x = 1\nTOKEN = "{Fakes(21).github_token()}"\n')
    git(repo, "add", "app.py")
    result = run_keystow("scan", "--staged", cwd=repo)
    assert result.returncode == 1, result.stderr.decode()
    assert "app.py" in result.stderr.decode() + result.stdout.decode()


def test_unchanged_old_secret_still_not_reported_under_attributes(repo):
    """--text must keep the added-lines rule: a secret already in HEAD does not block."""
    commit_file(repo, ".gitattributes", "* -diff\n", "attributes")
    commit_file(repo, "app.py", f'TOKEN = "{Fakes(22).github_token()}"\n', "old secret")
    (repo / "app.py").write_text((repo / "app.py").read_text() + "x = 2\n")
    git(repo, "add", "app.py")
    assert run_keystow("scan", "--staged", cwd=repo).returncode == 0
