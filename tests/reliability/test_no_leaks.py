"""keystow never leaks what it guards: no full secret in stdout, stderr, reports, caches, crash
reports, journals, plans, baselines or purge reports, at every verbosity and in every format,
also when a reporter crashes or AWS answers with an error that echoes the value. With
--show-secrets the secrets do show (the control)."""

from __future__ import annotations

import os

import pytest

from keystow.report import FORMATS
from tests.helpers import git
from tests.migrate.migrate_repo import run_in_process
from tests.reliability.leakcheck import (
    file_leaks,
    leaks,
    owner_only,
    planted_secrets,
    snapshot,
    write_fixture,
    written_since,
)

SECRETS = planted_secrets()


@pytest.fixture
def leaky(repo, tmp_path, monkeypatch):
    """A repository with fake secrets committed, more staged, and a private keystow cache."""
    write_fixture(repo, SECRETS)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "secrets")
    other = planted_secrets(78)
    write_fixture(repo, other, "staged")
    git(repo, "add", ".")
    cache = tmp_path / "user-cache"
    _warm_copy(repo, cache)
    monkeypatch.setenv("KEYSTOW_CACHE_DIR", str(cache))
    return repo, cache, {**SECRETS, **{f"staged_{k}": v for k, v in other.items()}}


def _warm_copy(repo, cache):
    """The session's compiled rules, copied: a fresh cache would recompile Hyperscan per test."""
    import shutil

    run_in_process(repo, "scan", "--format", "json", "app.env")
    shutil.copytree(os.environ["KEYSTOW_CACHE_DIR"], cache)


def _check(repo, cache, secrets, before, result, extra=()):
    assert not leaks(secrets, result.stdout, result.stderr), (result.stdout[:2000], result.stderr[:2000])
    written = written_since(before, repo, cache) + list(extra)
    assert not file_leaks(secrets, written)
    return written


@pytest.mark.parametrize("mode", [["."], ["--history"], ["--staged"]], ids=["paths", "history", "staged"])
def test_every_format_and_verbosity(leaky, mode):
    repo, cache, secrets = leaky
    before = snapshot(repo, cache)
    for format_name in FORMATS:
        for verbosity in ([], ["-v"]):
            output = repo.parent / f"report-{format_name}{len(verbosity)}.out"
            result = run_in_process(repo, "scan", *mode, "--format", format_name, *verbosity)
            assert result.returncode == 1, result.stderr
            _check(repo, cache, secrets, before, result)
            to_file = run_in_process(repo, "scan", *mode, "--format", format_name, *verbosity, "-o", str(output))
            assert to_file.returncode == 1 and owner_only(output)
            _check(repo, cache, secrets, before, to_file, extra=[output])
    if mode == ["--history"]:
        cache_files = list((repo / ".git" / "keystow").glob("*"))
        assert cache_files and all(owner_only(p) for p in cache_files) and owner_only(repo / ".git" / "keystow")


def test_show_secrets_shows_them(leaky):
    repo, _, _ = leaky
    result = run_in_process(repo, "scan", "--show-secrets", "--format", "json", ".")
    assert set(leaks(SECRETS, result.stdout)) >= {"aws_id", "github", "slack", "stripe", "db_password"}


@pytest.mark.parametrize("format_name", ["text", "json", "sarif"])
def test_a_crashing_reporter_leaks_nothing(leaky, monkeypatch, format_name):
    repo, cache, secrets = leaky
    module = __import__(f"keystow.report.{format_name}_report", fromlist=["render"])

    def crash(result, options):
        secret = result.findings[0].secret
        raise RuntimeError(f"reporter failed on {secret!r} ({[f.secret for f in result.findings]})")

    monkeypatch.setattr(module, "render", crash)
    before = snapshot(repo, cache)
    for mode in (["."], ["--history"]):
        result = run_in_process(repo, "scan", "--format", format_name, *mode)
        assert result.returncode == 3
        written = _check(repo, cache, secrets, before, result)
        reports = [p for p in written if p.name.startswith("crash-")]
        assert reports and all(owner_only(p) for p in reports)
        assert b"RuntimeError" in reports[0].read_bytes()


def test_baseline_files_hold_no_secret(leaky):
    repo, cache, secrets = leaky
    before = snapshot(repo, cache)
    for args in (["baseline", "create", "."], ["baseline", "update", "."], ["baseline", "audit", "--json"]):
        result = run_in_process(repo, *args)
        assert result.returncode in (0, 1), (args, result.stderr)
        _check(repo, cache, secrets, before, result)
    assert (repo / ".keystow-baseline.json").exists()


def test_purge_reports_hold_no_secret(leaky):
    repo, cache, secrets = leaky
    git(repo, "commit", "-qm", "staged too")
    before = snapshot(repo, cache)
    for args in (["purge", "--history", "--dry-run", "."], ["purge", "--history", "--yes", "--include-head", "."]):
        result = run_in_process(repo, *args)
        assert result.returncode in (0, 1), (args, result.stderr)
        # The backup bundle is the original history: it holds the secrets by design.
        written = written_since(before, repo, cache, ignore=(".bundle", ".pack", ".idx", ".rev"))
        assert not leaks(secrets, result.stdout, result.stderr)
        assert not file_leaks(secrets, [p for p in written if ".git" not in p.parts or "keystow" in p.parts
                                        or p.suffix in (".json", ".txt", ".md")])


def test_migrate_with_failing_aws_calls_leaks_nothing(leaky, aws_env):
    from tests.throttle_proxy import Fault, ThrottleProxy, always, every_nth

    repo, cache, secrets = leaky
    git(repo, "commit", "-qm", "staged too")
    echo = Fault("ValidationException", "1 validation error detected: Value '%s' at 'value' failed to satisfy "
                 "constraint" % secrets["github"])
    rules = [always("PutParameter", echo)]
    before = snapshot(repo, cache)
    for attempt in (rules, [every_nth("GetParameter", 2, Fault("InternalServerError", secrets["aws_secret"], 500))]):
        with ThrottleProxy(aws_env, attempt) as proxy:
            planned = run_in_process(repo, "migrate", ".", "--to", "ssm", "--endpoint-url", proxy.url)
            applied = run_in_process(repo, "migrate", ".", "--to", "ssm", "--apply", "--yes", "--writes-per-second",
                                     "1000", "--endpoint-url", proxy.url)
        assert proxy.injected, "the fault was not exercised"
        for result in (planned, applied):
            assert b"Traceback" not in result.stderr
            _check(repo, cache, secrets, before, result)
    plan, journals = repo / ".keystow" / "plan.json", list((repo / ".keystow").glob("journal-*.json"))
    assert plan.exists() and journals
    assert owner_only(repo / ".keystow") and all(owner_only(j) for j in journals)
    assert not file_leaks(secrets, [plan, *journals])
