"""Real `keystow scan` output validated against the schemas it claims: the official SARIF 2.1.0
schema (vendored, see tests/fixtures/sarif/README.md) and keystow's own docs/report.schema.json."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from keystow.report import ReportOptions, render
from testing.fakes import Fakes
from tests.helpers import commit_file, run_keystow
from tests.report.sample import sample_result

ROOT = Path(__file__).resolve().parents[2]
SARIF_SCHEMA = json.loads((ROOT / "tests/fixtures/sarif/sarif-schema-2.1.0.json").read_text())
REPORT_SCHEMA = json.loads((ROOT / "docs/report.schema.json").read_text())


def _validate(document: dict, schema: dict) -> None:
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    errors = sorted(validator_class(schema).iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


@pytest.fixture
def leaky_repo(repo):
    fakes = Fakes(5)
    commit_file(repo, "src/app.py", f'TOKEN = "{fakes.github_token()}"\nprint(TOKEN)\n')
    commit_file(repo, "dir with space/aws.ini", f"[default]\naws_access_key_id = {fakes.aws_access_key_id()}\n")
    (repo / "blob.bin").write_bytes(b"\0\1\2binary")
    return repo


@pytest.mark.parametrize("fmt,schema", [("sarif", SARIF_SCHEMA), ("json", REPORT_SCHEMA)])
def test_scan_output_matches_schema(leaky_repo, fmt, schema):
    result = run_keystow("scan", ".", "--format", fmt, cwd=leaky_repo)
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout)
    _validate(document, schema)
    findings = document["runs"][0]["results"] if fmt == "sarif" else document["findings"]
    assert len(findings) >= 2


@pytest.mark.parametrize("fmt,schema", [("sarif", SARIF_SCHEMA), ("json", REPORT_SCHEMA)])
def test_rich_result_matches_schema(fmt, schema):
    """Provenance, several locations, odd paths: the shapes a history scan produces."""
    for show in (False, True):
        _validate(json.loads(render(fmt, sample_result(), ReportOptions(show_secrets=show))), schema)


def test_clean_scan_matches_schemas(repo):
    commit_file(repo, "ok.py", "x = 1\n")
    for fmt, schema in (("sarif", SARIF_SCHEMA), ("json", REPORT_SCHEMA)):
        result = run_keystow("scan", ".", "--format", fmt, cwd=repo)
        assert result.returncode == 0
        _validate(json.loads(result.stdout), schema)
