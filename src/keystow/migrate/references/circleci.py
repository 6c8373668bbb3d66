"""CircleCI (`.circleci/config.yml`): an `environment:` entry (job, executor image or `run` step)
holding a secret is removed, and the job's first step reads the value with the aws CLI into
`$BASH_ENV`, which CircleCI sources before every later step; a secret inside a `run` command
becomes "${VAR}", read the same way. The job needs AWS credentials for the aws CLI (the
`aws-cli/setup` orb with `role_arn` over CircleCI OIDC, or a role on the runner)."""

from __future__ import annotations

from yaml.nodes import SequenceNode

from keystow.migrate.references.base import FileChange, FileContext
from keystow.migrate.references.cisteps import aws_read, mapping_keys, plan_pipeline, prepend_items
from keystow.migrate.references.yamlnodes import child

KIND = "circleci"
RESOLVES = "runtime"
NOTE = "read with the aws CLI in the job's first step: the job needs the aws CLI and AWS credentials (OIDC role)"


def detect(path: str) -> bool:
    return path.endswith((".circleci/config.yml", ".circleci/config.yaml"))


def _classify(root, path: tuple) -> tuple[str, list]:
    jobs = [j for j in mapping_keys(child(root, "jobs")) if isinstance(child(root, "jobs", j, "steps"), SequenceNode)]
    if len(path) < 3 or path[0] != "jobs" or path[1] not in jobs:
        return "not inside a job that has steps", []
    rest = path[2:]
    if rest[0] == "environment" and len(rest) == 2 or rest[:1] == ("docker",) and rest[2:3] == ("environment",) \
            and len(rest) == 4 or rest[:1] == ("steps",) and rest[2:4] == ("run", "environment") and len(rest) == 5:
        return "variable", [path[1]]
    if rest[:1] == ("steps",) and (rest[2:] == ("run",) or rest[2:] == ("run", "command")):
        return "script", [path[1]]
    return "only environment: entries and run commands of a job are rewritten", []


def _insert(text: str, root, job: str, names: dict):
    lines = [line for name, target in names.items()
             for line in (f'value="$({aws_read(target)})"',
                          f"printf 'export {name}=%q\\n' \"$value\" >> \"$BASH_ENV\"")]
    step = ["run:", "  name: Read secrets from AWS (keystow)", "  command: |", *("    " + line for line in lines)]
    return prepend_items(text, child(root, "jobs", job, "steps"), [step])


def plan(ctx: FileContext) -> FileChange:
    return plan_pipeline(ctx, FileChange(ctx.path, KIND, RESOLVES, NOTE), _classify, _insert)
