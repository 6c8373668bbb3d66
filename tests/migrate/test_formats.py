"""The plan file and the journal carry a format version; a file from a newer keystow is refused
in one line before anything is stored or rewritten, an older reader never half-understands it."""

from __future__ import annotations

import json

import pytest

from keystow.errors import FatalError, NewerFormatError
from keystow.migrate.journal import Journal, Target
from keystow.migrate.plan import salted_hash
from keystow.migrate.plan_output import read_plan
from tests.helpers import git
from tests.migrate.migrate_repo import StoreReader, migrate


def _bump(path, version: int = 2) -> None:
    document = json.loads(path.read_text())
    document["version"] = version
    path.write_text(json.dumps(document))


def _one_error_line(result) -> str:
    lines = result.stderr.decode().strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1, result.stderr
    return lines[0]


def test_written_plan_reads_back_typed(pair_repo, aws_env):
    repo, values = pair_repo
    assert migrate(repo, "--to", "secretsmanager", "--prefix", "shop").returncode == 0
    plan = read_plan(repo / ".keystow" / "plan.json")
    assert plan.version == 1 and plan.settings.store == "secretsmanager"
    assert set(plan.files) == {"app/aws.py"}
    [pair] = [item for item in plan.items if len(item.members) == 2]
    assert {m.key for m in pair.members} == {"aws_access_key_id", "aws_secret_access_key"}
    assert {m.value_hash for m in pair.members} == {salted_hash(values["id"]), salted_hash(values["secret"])}


def test_plan_from_a_newer_keystow_is_refused_before_anything_is_stored(pair_repo, aws_env):
    repo, _ = pair_repo
    assert migrate(repo, "--to", "ssm").returncode == 0
    plan = repo / ".keystow" / "plan.json"
    _bump(plan, 7)
    result = migrate(repo, "--apply", "--yes", "--plan", str(plan))
    assert "migrate plan written by a newer keystow (format 7); upgrade keystow" in _one_error_line(result)
    assert StoreReader(aws_env).parameter_names() == []
    assert git(repo, "status", "--porcelain") == ""  # the plan lives in the ignored .keystow/


@pytest.mark.parametrize("document", [{"items": []}, {"version": 1, "items": {}}, [1],
                                      {"version": 1, "items": [{"name": "n", "store": "ssm", "members": [{}]}]}])
def test_malformed_plan_is_a_clear_error(tmp_path, document):
    path = tmp_path / "keystow-plan.json"
    path.write_text(json.dumps(document))
    with pytest.raises(FatalError) as error:
        read_plan(path)
    assert not isinstance(error.value, NewerFormatError) and str(path) in str(error.value)


def test_journal_from_a_newer_keystow_is_refused_by_resume_and_rollback(pair_repo, aws_env):
    repo, values = pair_repo
    assert migrate(repo, "--to", "ssm", "--apply", "--yes").returncode == 0
    [path] = sorted((repo / ".keystow").glob("journal-*.json"))
    journal = Journal.load(path)
    assert set(journal.targets().values()) == {
        Target("ssm", name, None) for name in StoreReader(aws_env).parameter_names()
    }
    migrated = (repo / "app/aws.py").read_bytes()
    _bump(path)
    for option in ("--rollback", "--resume"):
        line = _one_error_line(migrate(repo, option, str(path)))
        assert "migrate journal written by a newer keystow (format 2); upgrade keystow" in line
    assert (repo / "app/aws.py").read_bytes() == migrated  # the rollback did not run
    with pytest.raises(NewerFormatError):
        Journal.load(path)


def test_journal_with_malformed_targets_is_not_a_journal(tmp_path):
    path = tmp_path / ".keystow" / "journal-x.json"  # journals are read only from a .keystow/ directory
    path.parent.mkdir()
    path.write_text(json.dumps({"version": 1, "targets": {"v": {"store": "ssm"}}, "items": {}}))
    with pytest.raises(FatalError, match="not a keystow migrate journal"):
        Journal.load(path)
