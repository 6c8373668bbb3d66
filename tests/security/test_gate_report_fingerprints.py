"""Report fingerprints cannot be used to recover a weak secret: they are salted per repository
(the baseline's salt, else .git/keystow/report-salt), stable for that repository so CI can dedupe."""

from __future__ import annotations

import hashlib
import json

from keystow.findings import FINGERPRINT_SALT
from tests.helpers import commit_file, git, run_keystow

WEAK = "Summer2024!"  # a weak password an attacker's word list holds
CANDIDATES = [f"{season}{year}{mark}" for season in ("Spring", "Summer", "Autumn", "Winter")
              for year in range(2015, 2031) for mark in ("", "!", "?", "#")]


def old_fingerprint(rule_id: str, secret: str) -> str:
    """The former report fingerprint: one constant salt for every repository."""
    return hashlib.sha256(FINGERPRINT_SALT + b"\0" + rule_id.encode() + b"\0" + secret.encode()).hexdigest()[:32]


def reported(repo, *args: str) -> list[dict]:
    result = run_keystow("scan", *args, "--format", "json", "--no-cache", cwd=repo)
    return json.loads(result.stdout)["findings"]


def weak_password_repo(repo):
    commit_file(repo, "settings.py", f'DB_PASSWORD = "{WEAK}"\n')
    [finding] = reported(repo, "--history")
    assert finding["secret"].startswith(WEAK[:2]) and finding["secret"].endswith("…")  # redacted prefix
    return finding


def test_weak_secret_is_not_recovered_from_its_report_fingerprint(repo):
    finding = weak_password_repo(repo)
    assert WEAK in CANDIDATES
    recovered = [c for c in CANDIDATES if old_fingerprint(finding["rule_id"], c) == finding["fingerprint"]]
    assert recovered == []
    sarif = json.loads(run_keystow("scan", "--history", "--format", "sarif", cwd=repo).stdout)
    printed = sarif["runs"][0]["results"][0]["partialFingerprints"]["keystowSecret/v1"]
    assert printed == finding["fingerprint"]
    assert [c for c in CANDIDATES if old_fingerprint(finding["rule_id"], c) == printed] == []


def test_fingerprint_is_stable_per_repository_and_differs_between_repositories(repo, tmp_path):
    first = weak_password_repo(repo)["fingerprint"]
    assert reported(repo, ".")[0]["fingerprint"] == first  # work tree scan, same repository
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(repo), str(other))
    assert reported(other, "--history")[0]["fingerprint"] != first  # another clone, no shared salt
    run_keystow("baseline", "create", cwd=repo)  # a committed baseline carries the salt to every clone
    git(repo, "add", ".keystow-baseline.json")
    git(repo, "commit", "-q", "-m", "baseline")
    assert reported(repo, "--history", "--no-baseline")[0]["fingerprint"] == \
        reported(repo, "--history", "--no-baseline")[0]["fingerprint"]
    git(other, "pull", "-q")
    assert reported(other, "--history", "--no-baseline")[0]["fingerprint"] == \
        reported(repo, "--history", "--no-baseline")[0]["fingerprint"]


def test_scan_repos_reports_no_fingerprint_for_a_weak_secret(repo, tmp_path):
    """scan-repos has no repository salt to travel with its report: a weak secret's finding
    carries no fingerprint at all, a strong token's still does (it cannot be guessed)."""
    from testing.fakes import Fakes

    weak_password_repo(repo)
    commit_file(repo, "ci.sh", f"export GITHUB_TOKEN={Fakes(811).github_token()}\n")
    (tmp_path / "repos.txt").write_text(f"{repo}\n")
    result = run_keystow("scan-repos", str(tmp_path / "repos.txt"), "--format", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    [repository] = json.loads(result.stdout)["repositories"]
    fingerprints = {f["rule_id"]: f["fingerprint"] for f in repository["findings"]}
    weak = [fp for rule, fp in fingerprints.items() if "password" in rule]
    assert weak == [""]
    assert len(fingerprints["github-classic-pat"]) == 32
