"""GitLab CI (`.gitlab-ci.yml`): a `variables:` entry holding a secret (`NAME: value`, or
`NAME: {value: …, description: …}`) is removed, and the job's
script (its `before_script:` when it has one) starts with `export NAME="$(aws ssm get-parameter …)"`;
a secret inside a script line becomes "${VAR}", read the same way.

This needs no GitLab-side configuration beyond AWS credentials for the aws CLI in the job's image:
the runner's instance role, or OIDC (`id_tokens:` with `AWS_ROLE_ARN` and
`AWS_WEB_IDENTITY_TOKEN_FILE`). GitLab's own `secrets:` keyword needs a Premium tier and a
configured secrets provider, so keystow does not use it.
"""

from __future__ import annotations

from yaml.nodes import MappingNode, SequenceNode

from keystow.migrate.references.base import FileChange, FileContext
from keystow.migrate.references.cisteps import export_lines, mapping_keys, plan_pipeline, prepend_items, quoted
from keystow.migrate.references.yamlnodes import child

KIND = "gitlab-ci"
RESOLVES = "runtime"
NOTE = "read with the aws CLI at the start of the job: its image needs the aws CLI and AWS credentials (OIDC or role)"
RESERVED = {"stages", "variables", "default", "include", "workflow", "image", "services", "before_script",
            "after_script", "cache"}
SCRIPTS = ("before_script", "script", "after_script")


def detect(path: str) -> bool:
    return path.rsplit("/", 1)[-1] in (".gitlab-ci.yml", ".gitlab-ci.yaml")


def _jobs(root) -> list[str]:
    return [name for name in mapping_keys(root) if name not in RESERVED and not name.startswith(".")
            and isinstance(child(root, name), MappingNode) and child(root, name, "script") is not None]


def _classify(root, path: tuple) -> tuple[str, list]:
    jobs = _jobs(root)
    if len(path) == 2 and path[0] == "variables":
        return "variable", jobs
    if len(path) == 3 and path[0] in jobs and path[1] == "variables":
        return "variable", [path[0]]
    if len(path) == 3 and path[0] == "variables" and path[2] == "value":
        return "expanded-variable", jobs
    if len(path) == 4 and path[0] in jobs and path[1] == "variables" and path[3] == "value":
        return "expanded-variable", [path[0]]
    if len(path) == 3 and path[0] in jobs and path[1] in SCRIPTS:
        return "script", [path[0]]
    return "only variables: entries and script lines of a job are rewritten", []


def _insert(text: str, root, job: str, names: dict):
    before = child(root, job, "before_script")
    sequence = before if isinstance(before, SequenceNode) else child(root, job, "script")
    return prepend_items(text, sequence, [[quoted(line)] for line in export_lines(names)])


def plan(ctx: FileContext) -> FileChange:
    return plan_pipeline(ctx, FileChange(ctx.path, KIND, RESOLVES, NOTE), _classify, _insert)
