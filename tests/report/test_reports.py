"""junit, gitlab and github reports: their shapes, escaping, and that secrets stay redacted."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest

from keystow.pipeline.result import ScanResult
from keystow.report import ReportOptions, render
from tests.report.sample import COMMIT, sample_result, secrets_of

HIDDEN = ReportOptions(show_secrets=False)
SHOWN = ReportOptions(show_secrets=True)


@pytest.mark.parametrize("fmt", ["junit", "gitlab", "github", "json", "sarif", "text"])
def test_every_format_redacts_unless_asked(fmt):
    result = sample_result()
    hidden, shown = render(fmt, result, HIDDEN), render(fmt, result, SHOWN)
    for secret in secrets_of(result):
        assert secret not in hidden
    for secret in secrets_of(result)[:2]:  # alphanumeric: no format escapes them
        assert secret in shown


def test_junit_one_failing_testcase_per_finding():
    root = ET.fromstring(render("junit", sample_result(), HIDDEN))
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == 4 and all(case.find("failure") is not None for case in cases)
    assert root.find("testsuite").get("failures") == "4"
    first = cases[0]
    assert first.get("file") == "a.env" and first.get("line") == "1"
    assert "keystow:allow" in first.find("failure").text


def test_junit_clean_scan_is_one_passing_case():
    root = ET.fromstring(render("junit", ScanResult(), HIDDEN))
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == 1 and cases[0].find("failure") is None


def test_gitlab_report_shape():
    document = json.loads(render("gitlab", sample_result(), HIDDEN))
    assert document["version"].startswith("15.")
    assert document["scan"]["type"] == "secret_detection" and document["scan"]["status"] == "success"
    for key in ("analyzer", "scanner"):
        assert {"id", "name", "vendor", "version"} <= set(document["scan"][key])
    vulns = document["vulnerabilities"]
    assert len(vulns) == 5  # one per location
    assert len({v["id"] for v in vulns}) == 5
    assert {v["severity"] for v in vulns} == {"Critical", "High", "Medium", "Low"}
    for vuln in vulns:
        assert vuln["category"] == "secret_detection" and vuln["identifiers"]
        assert set(vuln["location"]) >= {"file", "start_line", "commit"}
    with_commit = [v for v in vulns if v["location"]["file"] == "src/app.py"][0]
    assert with_commit["location"]["commit"]["sha"] == COMMIT


def test_gitlab_ids_are_stable_across_runs():
    first = json.loads(render("gitlab", sample_result(), HIDDEN))
    second = json.loads(render("gitlab", sample_result(), HIDDEN))
    assert [v["id"] for v in first["vulnerabilities"]] == [v["id"] for v in second["vulnerabilities"]]


def test_github_annotations_and_escaping():
    lines = render("github", sample_result(), HIDDEN).splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    assert len(annotations) == 5
    odd = [a for a in annotations if "odd" in a][0]
    assert odd.startswith("::error file=odd%2Cname%3A100%25.py,line=1,")
    assert "title=keystow%3A github-classic-pat" in odd
    assert [a.split(" ", 1)[0] for a in annotations].count("::warning") == 1
    assert [a.split(" ", 1)[0] for a in annotations].count("::notice") == 1
    assert lines[-1] == "keystow: 4 secrets found"


def test_github_message_escapes_newlines_and_percent():
    from keystow.report.github_report import escape_data, escape_property

    assert escape_data("50%\r\nnext") == "50%25%0D%0Anext"
    assert escape_property("a:b,c") == "a%3Ab%2Cc"
