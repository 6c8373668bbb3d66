"""Every location of a finding is visible: listed in the text report (a few, or all with -v) and
one SARIF result each, because GitHub code scanning turns a result into one alert at its first
location and drops the rest."""

from __future__ import annotations

import json
from pathlib import Path

from keystow.findings import Finding, Location, Provenance
from keystow.pipeline.result import ScanResult
from keystow.report import ReportOptions, render
from testing.fakes import Fakes
from tests.helpers import commit_file, run_keystow
from tests.report.test_schemas import SARIF_SCHEMA, _validate


def _commit(n: int) -> str:
    return (f"{n:x}" * 40)[:40]


def _spread_result(count: int) -> ScanResult:
    """One secret at `count` places: two per file, each introduced by its own commit."""
    token = Fakes(3).github_token()
    locations = tuple(
        Location(f"svc{i // 2}.py", 1 + 10 * (i % 2), 5, 1 + 10 * (i % 2), 45, f"{i:040x}",
                 Provenance(_commit(i + 1), "Dev", "dev@example.invalid", "2024-01-02T03:04:05+00:00"))
        for i in range(count))
    finding = Finding("github-classic-pat", "GitHub personal access token (classic)", "critical", token, locations)
    return ScanResult(findings=[finding], scanned_blobs=count, scanned_bytes=100)


def github_alerts(sarif: dict) -> list[tuple[str, str, int]]:
    """What GitHub code scanning shows: one alert per result, at its first physicalLocation."""
    alerts = []
    for result in sarif["runs"][0]["results"]:
        physical = result["locations"][0]["physicalLocation"]
        alerts.append((result["ruleId"], physical["artifactLocation"]["uri"], physical["region"]["startLine"]))
    return alerts


def test_text_lists_each_location_up_to_the_limit():
    text = render("text", _spread_result(8), ReportOptions())
    listed = [line.strip() for line in text.splitlines() if line.strip().startswith("at ")]
    assert listed[:2] == [f"at svc0.py:1 (commit {_commit(1)[:12]})", f"at svc0.py:11 (commit {_commit(2)[:12]})"]
    assert len(listed) == 5
    assert "and 3 more locations (use -v)" in text


def test_text_verbose_lists_every_location():
    text = render("text", _spread_result(8), ReportOptions(verbose=True))
    listed = [line.strip() for line in text.splitlines() if line.strip().startswith("at ")]
    assert len(listed) == 8 and listed[-1] == f"at svc3.py:11 (commit {_commit(8)[:12]})"
    assert "more location" not in text


def test_sarif_one_result_per_location_as_github_reads_it():
    result = _spread_result(6)
    sarif = json.loads(render("sarif", result, ReportOptions()))
    _validate(sarif, SARIF_SCHEMA)
    alerts = github_alerts(sarif)
    expected = [("github-classic-pat", loc.path, loc.line) for loc in result.findings[0].locations]
    assert alerts == expected
    fingerprints = [r["partialFingerprints"]["keystowFingerprint/v1"] for r in sarif["runs"][0]["results"]]
    assert len(set(fingerprints)) == 6
    commits = [r["properties"]["commit"] for r in sarif["runs"][0]["results"]]
    assert commits == [loc.provenance.commit for loc in result.findings[0].locations]


def test_sarif_fingerprints_survive_line_moves():
    before = json.loads(render("sarif", _spread_result(2), ReportOptions()))
    moved = _spread_result(2)
    finding = moved.findings[0]
    moved.findings[0] = finding.with_locations(tuple(loc._replace(line=loc.line + 7) for loc in finding.locations))
    after = json.loads(render("sarif", moved, ReportOptions()))
    prints = lambda doc: [r["partialFingerprints"] for r in doc["runs"][0]["results"]]  # noqa: E731
    assert prints(before) == prints(after)


def test_history_scan_sarif_has_an_alert_for_each_file(repo: Path):
    token = Fakes(9).github_token()
    for name in ("one.py", "two.py", "three.py"):
        commit_file(repo, name, f'TOKEN = "{token}"\n')
    scanned = run_keystow("scan", "--history", "--format", "sarif", cwd=repo)
    assert scanned.returncode == 1, scanned.stderr
    sarif = json.loads(scanned.stdout)
    _validate(sarif, SARIF_SCHEMA)
    assert sorted(uri for _, uri, _ in github_alerts(sarif)) == ["one.py", "three.py", "two.py"]
    text = run_keystow("scan", "--history", cwd=repo).stdout.decode()
    for name in ("one.py:1", "two.py:1", "three.py:1"):
        assert f"at {name} (commit " in text
