"""`keystow scan-repos` with the local process pool: the combined report and the exit code."""

from __future__ import annotations

import json

from testing.fakes import Fakes
from tests.helpers import run_keystow


def scan_json(org, *args: str) -> tuple[int, dict, str]:
    result = run_keystow("scan-repos", str(org), "--format", "json", "--no-cache", *args, cwd=org.parent)
    return result.returncode, json.loads(result.stdout), result.stderr.decode()


def by_repo(document: dict) -> dict[str, dict]:
    return {section["repo"]: section for section in document["repositories"]}


def test_sections_in_list_order_with_history_findings(org):
    code, document, _ = scan_json(org, "--jobs", "2")
    repos = by_repo(document)
    assert [s["repo"] for s in document["repositories"]][:5] == ["billing", "clean", "deleted", "branchy", "tokens"]
    assert repos["clean"]["findings"] == [] and repos["clean"]["status"] == "ok"
    assert [f["path"] for f in repos["deleted"]["findings"]] == ["deploy.sh"]  # removed later, still found
    assert repos["branchy"]["findings"][0]["path"] == "conf/slack.env"  # a side branch counts
    assert len(repos["tokens"]["findings"]) == 2
    url = org.parent.joinpath("tokens").as_uri()
    assert by_repo(document)[url]["findings"] == repos["tokens"]["findings"]  # cloned = local
    assert code == 2  # failures outrank findings


def test_failed_entries_are_sections_with_one_line_errors(org):
    code, document, stderr = scan_json(org)
    repos = by_repo(document)
    assert repos["missing-repo"] == {
        **repos["missing-repo"],
        "status": "error",
        "error": "no such directory",
        "findings": [],
    }
    nowhere = org.parent.joinpath("nowhere").as_uri()
    assert repos[nowhere]["status"] == "error" and repos[nowhere]["error"].startswith("clone failed:")
    assert document["summary"]["failed"] == ["missing-repo", nowhere]
    assert document["summary"]["repositories"] == 8 and document["summary"]["ok"] == 6
    assert "2 of 8 repositories could not be scanned: missing-repo, " + nowhere in stderr
    assert code == 2


def test_no_secret_value_in_any_output(org):
    fakes = Fakes(seed=81)  # the same seeded values the repositories hold
    secrets = [fakes.aws_access_key_id(), fakes.github_token(), fakes.slack_bot_token()]
    for format_ in ("json", "text"):
        result = run_keystow("scan-repos", str(org), "--format", format_, "-j", "1", cwd=org.parent)
        out = result.stdout.decode() + result.stderr.decode()
        assert not any(secret in out for secret in secrets)
        assert "AKIA" in out  # the redacted prefix is shown


def test_exit_codes_findings_and_clean(org, tmp_path):
    clean_list = tmp_path / "clean.txt"
    clean_list.write_text(str(org.parent / "clean") + "\n")
    assert run_keystow("scan-repos", str(clean_list), cwd=tmp_path).returncode == 0
    found_list = tmp_path / "found.txt"
    found_list.write_text(f"{org.parent / 'clean'}\n{org.parent / 'billing'}\n")
    result = run_keystow("scan-repos", str(found_list), cwd=tmp_path)
    assert result.returncode == 1
    assert "Scanned 2 of 2 repositories: 1 finding in 1 repository." in result.stdout.decode()


def test_text_report_has_a_section_per_repository(org):
    result = run_keystow("scan-repos", str(org), "--no-color", cwd=org.parent)
    text = result.stdout.decode()
    for name in ("billing", "clean", "deleted", "branchy", "tokens", "missing-repo"):
        assert f"== {name}\n" in text
    assert "FAILED: no such directory" in text
    assert text.rstrip().endswith("2 failed: missing-repo, " + org.parent.joinpath("nowhere").as_uri() + ".")


def test_empty_or_unreadable_list_is_a_usage_error(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing yet\n\n")
    result = run_keystow("scan-repos", str(empty), cwd=tmp_path)
    assert result.returncode == 2 and b"names no repositories" in result.stderr
    result = run_keystow("scan-repos", str(tmp_path / "absent.txt"), cwd=tmp_path)
    assert result.returncode == 2 and b"cannot read repository list" in result.stderr
