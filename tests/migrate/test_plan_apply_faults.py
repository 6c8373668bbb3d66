"""Applying plans when things go wrong: throttling, access denied, rotation errors, a declined prompt."""

from __future__ import annotations

from tests.helpers import git
from tests.migrate.migrate_repo import StoreReader, migrate


def test_migration_completes_through_a_throttling_server(pair_repo, aws_env):
    from tests.throttle_proxy import THROTTLE, Fault, ThrottleProxy, every_nth, first_k

    repo, values = pair_repo
    lost = Fault("TooManyUpdates", "lost after the write", forward=True)
    rules = [first_k("PutParameter", 1, THROTTLE), every_nth("PutParameter", 2, lost)]
    with ThrottleProxy(aws_env, rules) as proxy:
        result = migrate(repo, "--to", "ssm", "--apply", "--yes", "--endpoint-url", proxy.url)
    assert result.returncode == 0, result.stderr.decode()
    assert proxy.injected["ThrottlingException"] == 1 and proxy.injected["TooManyUpdates"] >= 1
    assert StoreReader(aws_env).parameter("/repo/app/aws/token") == values["pat"]
    assert values["pat"] not in (repo / "app/aws.py").read_text()


def test_access_denied_stops_with_one_line_and_files_untouched(pair_repo, aws_env):
    from tests.throttle_proxy import ACCESS_DENIED, ThrottleProxy, always

    repo, values = pair_repo
    with ThrottleProxy(aws_env, [always("PutParameter", ACCESS_DENIED)]) as proxy:
        result = migrate(repo, "--to", "ssm", "--apply", "--yes", "--endpoint-url", proxy.url)
    assert result.returncode == 2
    lines = result.stderr.decode().splitlines()
    assert "access denied" in lines[-1] and "--resume" in lines[0] and len(lines) == 2
    assert git(repo, "status", "--porcelain") == ""


def test_rotation_failure_is_a_warning_not_a_lost_migration(pair_repo, aws_env):
    repo, values = pair_repo
    lambda_arn = "arn:aws:lambda:us-east-1:123456789012:function:missing-rotator"
    result = migrate(repo, "--to", "secretsmanager", "--apply", "--yes", "--rotation-lambda", lambda_arn,
                     "--rotate-days", "30")
    assert result.returncode == 0, result.stderr.decode()
    assert b"rotation not configured for repo/app/aws/token" in result.stderr
    assert values["pat"] not in (repo / "app/aws.py").read_text()


def test_interactive_prompt_declined_applies_nothing(pair_repo, aws_env, monkeypatch, capsys):
    from pathlib import Path

    from keystow.commands.migrate import MigrateOptions, run_migrate
    from keystow.migrate.plan import Settings

    repo, _ = pair_repo
    monkeypatch.chdir(repo)
    asked = []
    options = MigrateOptions(path=Path("."), settings=Settings(store="ssm"), apply=True)
    assert run_migrate(options, lambda question: asked.append(question) or False) == 2
    assert asked == ["Store 3 secret(s) and rewrite 1 file(s)?"]
    assert "nothing was applied" in capsys.readouterr().err
    assert StoreReader(aws_env).parameter_names() == []
