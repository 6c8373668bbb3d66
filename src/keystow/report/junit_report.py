"""JUnit XML for CI systems that show test results: one test case per finding, each a failure.

A clean scan is one passing test case, so the report is never empty (some CI systems treat an
empty report as an error).
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from keystow.findings import Finding, sort_findings, visible
from keystow.report.verification import verdict_label


def render(result, options) -> str:
    findings = sort_findings(result.findings)
    suite = ET.Element("testsuite", {
        "name": "keystow", "tests": str(max(1, len(findings))), "failures": str(len(findings)),
        "errors": "0", "skipped": "0",
    })
    for finding in findings:
        suite.append(_case(finding, options.show_secrets, verdict_label(result, finding),
                           getattr(options, "hint", None)))
    if not findings:
        ET.SubElement(suite, "testcase", {"classname": "keystow", "name": "no secrets found"})
    root = ET.Element("testsuites", {"name": "keystow", "tests": suite.get("tests", ""),
                                     "failures": suite.get("failures", "")})
    root.append(suite)
    _make_visible(root)  # XML 1.0 cannot hold control characters, even escaped
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _make_visible(root: ET.Element) -> None:
    for element in root.iter():
        element.attrib.update({key: visible(value) for key, value in element.attrib.items()})
        if element.text:
            element.text = visible(element.text).replace("\\n", "\n")  # the details' own line breaks stay


def _case(finding: Finding, show_secrets: bool, verdict: str = "", hint: str | None = None) -> ET.Element:
    loc = finding.location
    case = ET.Element("testcase", {
        "classname": loc.path, "name": f"{finding.rule_id} at {loc.path}:{loc.line}:{loc.column}",
        "file": loc.path, "line": str(loc.line),
    })
    message = f"{finding.rule_name} ({finding.severity}): {finding.shown_secret(show_secrets)}{verdict}"
    failure = ET.SubElement(case, "failure", {"message": message, "type": finding.rule_id})
    failure.text = "\n".join(_details(finding, hint))
    return case


def _details(finding: Finding, hint: str | None = None) -> list[str]:
    lines = [f"{loc.path}:{loc.line}:{loc.column}" for loc in finding.locations]
    provenance = finding.location.provenance
    if provenance:
        lines.append(f"introduced in {provenance.commit} by {provenance.author_email} on {provenance.date}")
    lines.append(hint or "To allow a false positive: add `keystow:allow` in a comment on its line, "
                 "or record it with `keystow baseline update`.")
    return lines
