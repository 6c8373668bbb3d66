"""Verified-active secrets lead the migrate plan and the purge report's rotation list."""

from __future__ import annotations

import json

from testing.fakes import Fakes
from tests.helpers import commit_file, git, run_keystow
from tests.purge.conftest import new_repository
from tests.verify.fake_provider import fake_provider

# the dead token sorts first by path and by fingerprint-independent order, so leading proves the verdict
DEAD, LIVE = Fakes(301).github_token(), Fakes(302).github_token()


def test_migrate_plan_leads_with_verified_active_secrets(repo, aws_env):
    commit_file(repo, "a_dead.env", f"GITHUB_TOKEN={DEAD}\n")
    commit_file(repo, "b_live.env", f"DEPLOY_TOKEN={LIVE}\n")
    with fake_provider({LIVE}) as server:
        result = run_keystow("migrate", "--verify", "--endpoint-url", aws_env, cwd=repo,
                             env={"KEYSTOW_VERIFY_GITHUB_URL": server.url})
        plain = run_keystow("migrate", "--endpoint-url", aws_env, cwd=repo)
    assert result.returncode == 0, result.stderr
    assert len(server.requests) == 2  # only --verify asked
    items = json.loads((repo / ".keystow" / "plan.json").read_text())["items"]
    assert plain.returncode == 0
    verified = result.stdout.decode()
    first = verified.split("\n1. ", 1)[1].split("\n2. ", 1)[0]
    assert "b_live.env" in first and "verified active by its provider" in first
    assert "verified active" not in plain.stdout.decode()
    assert [i["members"][0]["occurrences"][0]["path"] for i in items][0] == "a_dead.env"  # plain order
    assert LIVE not in verified and LIVE not in (repo / ".keystow" / "plan.json").read_text()


def test_purge_rotation_list_leads_with_verified_active_secrets(tmp_path):
    repo = new_repository(tmp_path / "app")
    commit_file(repo, "a_dead.py", f'TOKEN = "{DEAD}"\n', "dead")
    commit_file(repo, "b_live.py", f'TOKEN = "{LIVE}"\n', "live")
    git(repo, "rm", "-q", "a_dead.py", "b_live.py")
    git(repo, "commit", "-q", "-m", "remove tokens")
    with fake_provider({LIVE}) as server:
        result = run_keystow("purge", "--history", "--yes", "--verify", cwd=repo,
                             env={"KEYSTOW_VERIFY_GITHUB_URL": server.url})
    assert result.returncode == 0, result.stderr
    report = (repo / "keystow-purge-report.md").read_text()
    rows = [line for line in report.splitlines() if line.startswith("| `")]
    assert len(rows) == 2
    assert "b_live.py" in rows[0] and rows[0].endswith("| active |")
    assert "a_dead.py" in rows[1] and rows[1].endswith("| inactive |")
    assert LIVE not in report
