"""The GitHub Action and the GitLab CI template: their scan steps run as CI would run them, on a
pull-request-like range in a real repository; only secrets the range adds are reported."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from testing.fakes import Fakes
from tests.helpers import commit_file, git
from tests.workflow.readme import ROOT, github_workflow, gitlab_include, yaml_snippets

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
    assert not any(u.startswith("actions/setup-python@") for u in uses)  # the caller's Python stays as it was
    assert any(u.startswith("github/codeql-action/upload-sarif@") for u in uses)
    assert "github.event.pull_request.base.sha" in ACTION["inputs"]["base"]["default"]
    install = _step("Install keystow")
    assert install["env"]["KEYSTOW_SOURCE"] == "${{ github.action_path }}"
    assert install["env"]["KEYSTOW_VENV"].startswith("${{ runner.temp }}/")
    assert "GITHUB_PATH" not in install["run"] and "GITHUB_ENV" not in install["run"]
    job = github_workflow()["jobs"]["keystow"]
    assert job["steps"][0]["with"]["fetch-depth"] == 0
    assert job["steps"][0]["with"]["persist-credentials"] is False
    assert github_workflow()["permissions"]["security-events"] == "write"


# `uses: owner/repo[/path]@<40 hex> # vX.Y.Z`: pinned to a commit, the release named beside it.
PINNED_USES = re.compile(r"^\s*(?:- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40}\s+# v\d+\.\d+\.\d+\s*$")
# The README's own line: the reader's mirror of keystow, at a commit the reader chooses.
OWN_ACTION = "uses: your-org/keystow@FULL_COMMIT_SHA"


def _uses_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"^\s*(?:- )?uses:", line)]


def test_every_action_is_pinned_by_commit_sha():
    action_lines = _uses_lines((ROOT / "action.yml").read_text())
    readme_lines = [line for snippet in yaml_snippets() for line in _uses_lines(snippet)]
    assert action_lines and readme_lines
    third_party = action_lines + [line for line in readme_lines if OWN_ACTION not in line]
    unpinned = [line.strip() for line in third_party if not PINNED_USES.match(line)]
    assert unpinned == []
    assert any("actions/checkout@" in line for line in third_party)


def _run_action_scan(repo: Path, base: str, head: str, tmp_path: Path) -> tuple[subprocess.CompletedProcess, str]:
    output = tmp_path / "github_output"
    output.write_text("")
    step = _step("Scan the range")
    env = {"KEYSTOW_BASE": base, "KEYSTOW_HEAD": head, "KEYSTOW_FAIL_ON": "low",
           "KEYSTOW_SARIF": "keystow.sarif", "GITHUB_OUTPUT": str(output), "KEYSTOW": str(BIN / "keystow")}
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


# --- The install steps, run from this checkout -------------------------------------------------
# Each installs keystow the way CI would (the Action from its own path into a private venv, the
# GitLab job from a pinned git URL), with --no-deps so that no test needs the network for
# keystow's dependencies: the new venv then sees this test venv's packages through a .pth file
# placed after its own site-packages, so `keystow` itself comes from what the step installed.

def _site_packages(python: Path) -> Path:
    out = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                         capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def _lend_dependencies(venv_python: Path) -> None:
    (_site_packages(venv_python) / "zz-test-dependencies.pth").write_text(f"{_site_packages(Path(sys.executable))}\n")


def _installed_from(venv_python: Path) -> Path:
    out = subprocess.run([str(venv_python), "-c", "import keystow; print(keystow.__file__)"],
                         capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def test_action_install_step_installs_from_its_own_path_into_a_private_venv(pull_request, tmp_path):
    repo, base, head = pull_request
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    install = _step("Install keystow")
    env = {"KEYSTOW_PYTHON": sys.executable, "KEYSTOW_VENV": str(runner_temp / "keystow-venv"),
           "KEYSTOW_SOURCE": str(ROOT), "KEYSTOW_PIP_ARGS": "--no-deps"}
    result = _bash(install["run"], repo, env)
    assert result.returncode == 0, result.stderr
    venv_python = runner_temp / "keystow-venv" / "bin" / "python"
    _lend_dependencies(venv_python)
    assert _installed_from(venv_python).is_relative_to(_site_packages(venv_python))  # a copy, not this checkout
    output = tmp_path / "github_output"
    output.write_text("")
    scan_env = {"KEYSTOW_BASE": base, "KEYSTOW_HEAD": head, "KEYSTOW_FAIL_ON": "low", "KEYSTOW_SARIF": "k.sarif",
                "GITHUB_OUTPUT": str(output), "KEYSTOW": str(runner_temp / "keystow-venv" / "bin" / "keystow")}
    scanned = _bash(_step("Scan the range")["run"], repo, scan_env)
    assert scanned.returncode == 0 and "exit-code=1" in output.read_text(), scanned.stderr
    assert "::error file=new.py" in scanned.stdout


def test_gitlab_install_needs_the_project_and_ref(pull_request):
    repo, _, _ = pull_request
    job = GITLAB["keystow-secret-detection"]
    env = {k: str(v) for k, v in job["variables"].items()}
    result = _bash("\n".join(job["before_script"]), repo, env)
    assert result.returncode == 2
    assert "set KEYSTOW_PROJECT" in result.stderr


def test_gitlab_install_from_a_pinned_git_url_of_this_checkout(pull_request, tmp_path):
    repo, base, head = pull_request
    job = GITLAB["keystow-secret-detection"]
    venv = tmp_path / "job-python"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    commit = git(ROOT, "rev-parse", "HEAD").strip()
    env = {**{k: str(v) for k, v in job["variables"].items()},
           "KEYSTOW_PROJECT": "group/keystow", "KEYSTOW_REF": commit, "KEYSTOW_GIT_URL": ROOT.as_uri(),
           "KEYSTOW_PIP_ARGS": "--no-deps", "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
           "CI_MERGE_REQUEST_DIFF_BASE_SHA": base, "CI_COMMIT_SHA": head, "CI_COMMIT_BEFORE_SHA": "0" * 40}
    full = {**os.environ, **env}
    installed = subprocess.run(["bash", "-eo", "pipefail", "-c", "\n".join(job["before_script"])], cwd=repo,
                               env=full, capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr
    _lend_dependencies(venv / "bin" / "python")
    assert _installed_from(venv / "bin" / "python").is_relative_to(_site_packages(venv / "bin" / "python"))
    scanned = subprocess.run(["bash", "-eo", "pipefail", "-c", "\n".join(job["script"])], cwd=repo, env=full,
                             capture_output=True, text=True)
    assert scanned.returncode == 1, scanned.stderr
    document = json.loads((repo / job["variables"]["KEYSTOW_REPORT"]).read_text())
    assert [v["location"]["file"] for v in document["vulnerabilities"]] == ["new.py"]


def test_reports_name_the_repository_not_a_pypi_page():
    """keystow is not on PyPI: SARIF and GitLab reports point at the repository placeholder."""
    from keystow import PROJECT_URL
    from keystow.report import ReportOptions, render
    from tests.report.sample import sample_result

    sarif = json.loads(render("sarif", sample_result(), ReportOptions()))
    gitlab = json.loads(render("gitlab", sample_result(), ReportOptions()))
    assert sarif["runs"][0]["tool"]["driver"]["informationUri"] == PROJECT_URL
    assert gitlab["scan"]["scanner"]["url"] == PROJECT_URL
    assert "pypi.org" not in PROJECT_URL and PROJECT_URL in (ROOT / "README.md").read_text()
