"""A token whose checksum fails is dropped (not a credential); in a test-looking file keystow says
so on stderr, naming the place and the rule, never the token."""

from __future__ import annotations

import pytest

from keystow.detect.filters.context import is_test_file
from testing.fakes import Fakes
from tests.helpers import git, run_keystow


def _bad_checksum_token(seed: int) -> str:
    token = Fakes(seed).github_token()
    return token[:-6] + ("AAAAAA" if not token.endswith("AAAAAA") else "BBBBBB")


@pytest.mark.parametrize("path", ["tests/test_api.py", "client_test.go", "web/login.spec.ts", "src/UserTest.java",
                                  "fixtures/tokens.txt", "pkg/testdata/config.yaml", "test_settings.py"])
def test_test_looking_paths(path):
    assert is_test_file(path)


@pytest.mark.parametrize("path", ["src/app.py", "contest.py", "latest/config.yaml", "attestation.go", "spec.md"])
def test_other_paths(path):
    assert not is_test_file(path)


def test_a_bad_checksum_in_a_test_file_is_a_notice_not_a_finding(repo):
    token = _bad_checksum_token(5)
    (repo / "tests").mkdir()
    (repo / "tests" / "test_api.py").write_text(f'import os\n\nTOKEN = "{token}"\n')
    (repo / "app.py").write_text(f'TOKEN = "{token}"\n')
    git(repo, "add", ".")
    for args in (("scan", "--staged"), ("scan", ".")):
        result = run_keystow(*args, cwd=repo)
        assert result.returncode == 0, result.stdout
        stderr = result.stderr.decode()
        assert stderr.count("dropped: checksum does not match (test-looking file)") == 1
        assert "tests/test_api.py:3: github-classic-pat: dropped" in stderr
        assert token not in stderr + result.stdout.decode() and token[4:12] not in stderr
        assert "app.py:1" not in stderr.replace("test_api.py", "")


def test_a_valid_token_in_a_test_file_is_still_a_finding(repo):
    token = Fakes(6).github_token()
    (repo / "test_login.py").write_text(f'TOKEN = "{token}"\n')
    git(repo, "add", ".")
    result = run_keystow("scan", "--staged", cwd=repo)
    assert result.returncode == 1
    assert b"dropped" not in result.stderr


def test_a_word_a_rule_took_for_a_token_is_worth_no_notice(repo):
    (repo / "tests").mkdir()
    (repo / "tests" / "test_types.py").write_text("# Basic subtypes compare differently\nx = 1\n")
    git(repo, "add", ".")
    result = run_keystow("scan", ".", cwd=repo)
    assert result.returncode == 0, result.stdout
    assert b"dropped" not in result.stderr
