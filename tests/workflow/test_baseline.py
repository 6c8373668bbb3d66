"""`keystow baseline ...` end to end: scans honour it, it survives line moves, it merges, it
expires, it prunes, it audits, and it imports detect-secrets (real package) and gitleaks files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from testing.fakes import Fakes
from tests.helpers import commit_file, git, run_keystow

BASELINE = ".keystow-baseline.json"


def _leaky(repo: Path, seed: int = 1) -> tuple[str, str]:
    fakes = Fakes(seed)
    token, key = fakes.github_token(), fakes.aws_access_key_id()
    commit_file(repo, "app.py", f'TOKEN = "{token}"\nKEY = "{key}"\n')
    return token, key


def _findings(repo: Path, *args: str) -> list[dict]:
    result = run_keystow("scan", ".", "--format", "json", *args, cwd=repo)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["findings"]


def test_create_then_scan_reports_only_new_findings(repo):
    token, key = _leaky(repo)
    assert run_keystow("baseline", "create", cwd=repo).returncode == 0
    text = (repo / BASELINE).read_text()
    assert token not in text and key not in text and token[:8] not in text
    assert run_keystow("scan", ".", cwd=repo).returncode == 0
    assert len(_findings(repo, "--no-baseline")) == 2
    new = Fakes(2).github_token()
    commit_file(repo, "new.py", f'T = "{new}"\n')
    assert [f["path"] for f in _findings(repo)] == ["new.py"]


def test_entries_survive_line_moves_but_not_other_files(repo):
    token, _ = _leaky(repo)
    run_keystow("baseline", "create", cwd=repo)
    commit_file(repo, "app.py", "\n\n# moved down\n" + (repo / "app.py").read_text())
    assert _findings(repo) == []
    commit_file(repo, "copy.py", f'T = "{token}"\n')
    assert [f["path"] for f in _findings(repo)] == ["copy.py"]


def test_file_is_sorted_salted_and_timestamp_free(repo):
    _leaky(repo)
    run_keystow("baseline", "create", cwd=repo)
    document = json.loads((repo / BASELINE).read_text())
    assert set(document) == {"version", "salt", "entries"} and len(document["salt"]) == 32
    keys = [(e["path"], e["rule_id"]) for e in document["entries"]]
    assert keys == sorted(keys)
    assert (repo / BASELINE).read_text() == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    # a second baseline of the same findings uses another salt, so hashes differ
    other = run_keystow("baseline", "create", "--force", "--baseline", "other.json", cwd=repo)
    assert other.returncode == 0
    assert json.loads((repo / "other.json").read_text())["entries"][0]["hash"] != document["entries"][0]["hash"]


def test_two_people_adding_entries_merge_cleanly(repo):
    """Entries sort by path: additions in different places are different hunks to git."""
    commit_file(repo, "m.py", f'T = "{Fakes(5).github_token()}"\n')
    run_keystow("baseline", "create", cwd=repo)
    git(repo, "add", BASELINE)
    git(repo, "commit", "-qm", "baseline")
    for branch, name, seed in (("alice", "a.py", 3), ("bob", "z.py", 4)):
        git(repo, "checkout", "-qb", branch, "main")
        commit_file(repo, name, f'T = "{Fakes(seed).github_token()}"\n')
        assert run_keystow("baseline", "update", cwd=repo).returncode == 0
        git(repo, "add", BASELINE)
        git(repo, "commit", "-qm", f"accept {name}")
    git(repo, "checkout", "-q", "alice")
    git(repo, "merge", "-q", "--no-edit", "bob")  # raises on a conflict
    assert len(json.loads((repo / BASELINE).read_text())["entries"]) == 3
    assert _findings(repo) == []


def test_update_keeps_annotations_and_expired_entries_stop_suppressing(repo):
    _leaky(repo)
    run_keystow("baseline", "create", cwd=repo)
    document = json.loads((repo / BASELINE).read_text())
    document["entries"][0].update(reason="test fixture", owner="alice", expires="2000-01-01")
    document["entries"][1].update(reason="rotated", expires="2999-12-31")
    (repo / BASELINE).write_text(json.dumps(document))
    result = run_keystow("scan", ".", "--format", "json", cwd=repo)
    report = json.loads(result.stdout)
    assert result.returncode == 1 and len(report["findings"]) == 1
    expired = document["entries"][0]
    assert report["findings"][0]["rule_id"] == expired["rule_id"]
    assert f"baseline entry for {expired['rule_id']} in app.py expired on 2000-01-01" in result.stderr.decode()
    run_keystow("baseline", "update", cwd=repo)
    kept = json.loads((repo / BASELINE).read_text())["entries"]
    assert {e.get("reason") for e in kept} == {"test fixture", "rotated"} and len(kept) == 2


def test_prune_removes_entries_that_match_nothing(repo):
    _leaky(repo)
    run_keystow("baseline", "create", cwd=repo)
    commit_file(repo, "app.py", 'TOKEN = "x"\n' + (repo / "app.py").read_text().splitlines()[1] + "\n")
    result = run_keystow("baseline", "prune", cwd=repo)
    assert result.returncode == 0 and b"pruned 1 entry" in result.stderr
    assert len(json.loads((repo / BASELINE).read_text())["entries"]) == 1


def test_audit_json_and_interactive(repo):
    token, key = _leaky(repo)
    run_keystow("baseline", "create", cwd=repo)
    # entries sort by rule id: aws first, then github
    answers = b"f\nfixture from the docs\nt\n\n"
    result = run_keystow("baseline", "audit", cwd=repo, input=answers)
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    assert "app.py:2:" in out and "AKIA" in out and key not in out and token not in out
    summary = json.loads(run_keystow("baseline", "audit", "--json", cwd=repo).stdout)
    assert summary["entries"] == 2 and summary["false_positives"] == 1 and summary["true_positives"] == 1
    assert summary["unmatched"] == 0 and summary["expired"] == 0
    reasons = {i["rule_id"]: i.get("reason") for i in summary["items"]}
    assert reasons["aws-access-key-id"] == "fixture from the docs"
    assert "hash" not in json.dumps(summary["items"])


def test_import_real_detect_secrets_baseline(repo):
    token, key = _leaky(repo, seed=9)
    detect_secrets = Path(sys.executable).with_name("detect-secrets")
    produced = subprocess.run([str(detect_secrets), "scan"], cwd=repo, capture_output=True, check=True)
    (repo / ".secrets.baseline").write_bytes(produced.stdout)
    assert json.loads(produced.stdout)["results"]["app.py"], "detect-secrets should find the fakes"
    assert len(_findings(repo)) == 2
    result = run_keystow("baseline", "import", ".secrets.baseline", cwd=repo)
    assert result.returncode == 0, result.stderr
    entries = json.loads((repo / BASELINE).read_text())["entries"]
    assert {e["kind"] for e in entries} == {"sha1"} and all(e["source"] == "detect-secrets" for e in entries)
    assert _findings(repo) == []
    new = Fakes(10).aws_access_key_id()
    commit_file(repo, "app.py", (repo / "app.py").read_text() + f'OTHER = "{new}"\n')
    assert [f["line"] for f in _findings(repo)] == [3]


def test_import_gitleaksignore(repo):
    _leaky(repo)
    commit = git(repo, "rev-parse", "HEAD").strip()
    (repo / ".gitleaksignore").write_text(
        "# accepted\n"
        "app.py:github-pat:1\n"
        f"{commit}:app.py:aws-access-token:2\n"
    )
    result = run_keystow("baseline", "import", ".gitleaksignore", cwd=repo)
    assert result.returncode == 0, result.stderr
    entries = json.loads((repo / BASELINE).read_text())["entries"]
    assert {(e["rule_id"], e["line"]) for e in entries} == {("github-classic-pat", 1), ("aws-access-key-id", 2)}
    assert _findings(repo) == []
    commit_file(repo, "app.py", "\n" + (repo / "app.py").read_text())  # gitleaks ids are positional
    assert len(_findings(repo)) == 2


def test_baseline_option_and_bad_file(repo):
    _leaky(repo)
    assert run_keystow("baseline", "create", "--baseline", "custom.json", cwd=repo).returncode == 0
    assert run_keystow("scan", ".", cwd=repo).returncode == 1
    assert run_keystow("scan", ".", "--baseline", "custom.json", cwd=repo).returncode == 0
    (repo / "broken.json").write_text("{nope")
    broken = run_keystow("scan", ".", "--baseline", "broken.json", cwd=repo)
    assert broken.returncode == 2 and b"not valid JSON" in broken.stderr and b"Traceback" not in broken.stderr
    assert run_keystow("baseline", "create", "--baseline", "custom.json", cwd=repo).returncode == 2


def test_unversioned_baseline_is_read_and_saved_in_the_current_format(repo):
    _leaky(repo)
    run_keystow("baseline", "create", cwd=repo)
    document = json.loads((repo / BASELINE).read_text())
    del document["version"]  # as written before the format was versioned
    (repo / BASELINE).write_text(json.dumps(document))
    assert _findings(repo) == []
    assert run_keystow("baseline", "update", cwd=repo).returncode == 0
    saved = json.loads((repo / BASELINE).read_text())
    assert saved["version"] == 1 and saved["entries"] == document["entries"]


def test_newer_baseline_format_is_refused_in_one_line_and_left_alone(repo):
    _leaky(repo)
    run_keystow("baseline", "create", cwd=repo)
    document = json.loads((repo / BASELINE).read_text())
    document["version"] = 2
    (repo / BASELINE).write_text(json.dumps(document))
    before = (repo / BASELINE).read_bytes()
    for args in (("scan", "."), ("baseline", "update"), ("baseline", "prune")):
        result = run_keystow(*args, cwd=repo)
        lines = result.stderr.decode().strip().splitlines()
        assert result.returncode == 2, (args, result.stderr)
        assert len(lines) == 1 and "written by a newer keystow (format 2); upgrade keystow" in lines[0], lines
    assert (repo / BASELINE).read_bytes() == before


def test_baseline_version_that_is_not_a_number_is_a_config_error(repo):
    _leaky(repo)
    run_keystow("baseline", "create", cwd=repo)
    document = json.loads((repo / BASELINE).read_text())
    document["version"] = "2"
    (repo / BASELINE).write_text(json.dumps(document))
    result = run_keystow("scan", ".", cwd=repo)
    assert result.returncode == 2 and b"baseline version must be a whole number" in result.stderr


def test_history_and_range_scans_honour_the_baseline_from_cache_too(repo):
    """The second history scan answers from the blob cache, whose findings carry no secret."""
    _leaky(repo)
    base = git(repo, "rev-parse", "HEAD").strip()
    commit_file(repo, "later.py", f'T = "{Fakes(12).github_token()}"\n')
    assert len(_findings(repo, "--history")) == 3  # fills the cache
    run_keystow("baseline", "create", cwd=repo)
    for _ in range(2):
        assert [f["path"] for f in _findings(repo, "--history")] == []
    commit_file(repo, "new.py", f'N = "{Fakes(13).github_token()}"\n')
    # the baseline is in the work tree, not in BASE: only a pipeline that trusts the head reads it
    trusted = ("--range", f"{base}..HEAD", "--trust-head-config")
    assert [f["path"] for f in _findings(repo, *trusted)] == ["new.py"]
    assert [f["path"] for f in _findings(repo, *trusted)] == ["new.py"]


def test_secret_at_reads_single_and_multi_line_spans():
    from keystow.baseline.secrets import secret_at
    from keystow.findings import Location

    lines = ["x = 'abcdef'", "-----BEGIN", "body", "-----END"]
    assert secret_at(lines, Location("f", 1, 6, 1, 12)) == "abcdef"
    assert secret_at(lines, Location("f", 2, 1, 4, 9)) == "-----BEGIN\nbody\n-----END"
    assert secret_at(lines, Location("f", 9, 1, 9, 2)) is None


def test_baseline_of_history_covers_secrets_gone_from_the_work_tree(repo):
    _leaky(repo)
    commit_file(repo, "app.py", "cleaned = True\n")
    assert len(_findings(repo, "--history")) == 2  # and the cache now answers for these blobs
    assert run_keystow("baseline", "create", "--history", cwd=repo).returncode == 0
    assert len(json.loads((repo / BASELINE).read_text())["entries"]) == 2
    assert _findings(repo, "--history") == []
    result = run_keystow("baseline", "prune", "--history", cwd=repo)
    assert b"pruned 0 entries" in result.stderr


def test_scanning_a_repository_from_elsewhere_uses_its_baseline(repo, tmp_path):
    _leaky(repo)
    run_keystow("baseline", "create", cwd=repo)
    for args in ((str(repo),), (str(repo), "--history"), ("repo",), ("repo", "--history")):
        result = run_keystow("scan", *args, cwd=tmp_path)
        assert result.returncode == 0, (args, result.stdout.decode())
