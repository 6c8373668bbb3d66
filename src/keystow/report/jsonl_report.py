"""JSON Lines: one finding per line, the same object as in the JSON report's `findings` (for
`jq -c`, log pipelines and `grep`); nothing else, so a clean scan is an empty file."""

from __future__ import annotations

import json

from keystow.findings import sort_findings
from keystow.report.json_report import finding_dict


def render(result, options) -> str:
    return "".join(json.dumps(finding_dict(f, options.show_secrets)) + "\n" for f in sort_findings(result.findings))
