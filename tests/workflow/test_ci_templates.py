"""The GitHub Action and the GitLab CI template: their scan steps run as CI would run them, on a
pull-request-like range in a real repository; only secrets the range adds are reported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from testing.fakes import Fakes
from tests.helpers import commit_file, git
from tests.workflow.readme import ROOT, github_workflow, gitlab_include

BIN = Path(sys.executable).parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
GITLAB = yaml.safe_load((ROOT / "ci/gitlab-keystow.yml").read_text())
SARIF_SCHEMA = json.loads((ROOT / "tests/fixtures/sarif/sarif-schema-2.1.0.json").read_text())


@pytest.fixture
def pull_request(repo) -> tuple[Path, str, str]:
    """main has an old (accepted) secret; the branch adds a new one."""
    fakes = Fakes(41)
    base = commit_file(repo, "old.py", f'OLD = "{fakes.github_token()}"\n')
    git(repo, "checkout", "-qb", "feature")
    commit_file(repo, "ok.py", "x = 1\n")
    head = commit_file(repo, "new.py", f'NEW = "{fakes.github_token()}"\n')
    return repo, base, head


def _bash(script: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    full = {**os.environ, **env, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=cwd, env=full, capture_output=True, text=True)


def _step(name: str) -> dict:
    return next(step for step in ACTION["runs"]["steps"] if step.get("name") == name)


def test_action_shape():
    assert ACTION["runs"]["using"] == "composite"
    uses = [step.get("uses", "") for step in ACTION["runs"]["steps"]]
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    assert "github.event.pull_request.base.sha" in ACTION["inputs"]["base"]["default"]
    assert '"$GITHUB_ACTION_PATH"' in _step("Install keystow")["run"]
    job = github_workflow()["jobs"]["keystow"]
    assert job["steps"][0]["with"]["fetch-depth"] == 0
    assert github_workflow()["permissions"]["security-events"] == "write"


def _run_action_scan(repo: Path, base: str, head: str, tmp_path: Path) -> tuple[subprocess.CompletedProcess, str]:
    output = tmp_path / "github_output"
    output.write_text("")
    step = _step("Scan the range")
    env = {"KEYSTOW_BASE": base, "KEYSTOW_HEAD": head, "KEYSTOW_FAIL_ON": "low",
           "KEYSTOW_SARIF": "keystow.sarif", "GITHUB_OUTPUT": str(output)}
    return _bash(step["run"], repo, env), output.read_text()


def test_action_scan_step_reports_only_the_new_secret(pull_request, tmp_path):
    repo, base, head = pull_request
    result, outputs = _run_action_scan(repo, base, head, tmp_path)
    assert result.returncode == 0, result.stderr  # the step never fails; the Gate step does
    assert "exit-code=1" in outputs
    sarif = json.loads((repo / "keystow.sarif").read_text())
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]]
    assert uris == ["new.py"]
    assert "::error file=new.py,line=1," in result.stdout
    gate = _bash(_step("Gate")["run"], repo, {"KEYSTOW_STATUS": "1"})
    assert gate.returncode == 1


def test_action_scan_step_base_equals_head_is_clean(pull_request, tmp_path):
    repo, _, head = pull_request
    result, outputs = _run_action_scan(repo, head, head, tmp_path)
    assert result.returncode == 0 and "exit-code=0" in outputs, result.stderr
    assert json.loads((repo / "keystow.sarif").read_text())["runs"][0]["results"] == []


def test_gitlab_template_publishes_a_secret_detection_report(pull_request):
    repo, base, head = pull_request
    job = GITLAB["keystow-secret-detection"]
    report = job["variables"]["KEYSTOW_REPORT"]
    assert job["artifacts"]["reports"]["secret_detection"] == report
    assert gitlab_include()["include"][0]["file"] == "ci/gitlab-keystow.yml"
    env = {**{k: str(v) for k, v in job["variables"].items()},
           "CI_MERGE_REQUEST_DIFF_BASE_SHA": base, "CI_COMMIT_SHA": head, "CI_COMMIT_BEFORE_SHA": "0" * 40}
    result = _bash("\n".join(job["script"]), repo, env)
    assert result.returncode == 1, result.stderr  # the gate: a new secret fails the job
    document = json.loads((repo / report).read_text())
    assert [v["location"]["file"] for v in document["vulnerabilities"]] == ["new.py"]
    assert document["vulnerabilities"][0]["location"]["commit"]["sha"] == head
    assert document["scan"]["type"] == "secret_detection"
