"""Bitbucket Pipelines (`bitbucket-pipelines.yml`): a secret inside a step's `script:` line becomes
"${VAR}", and the script starts with `export VAR="$(aws ssm get-parameter …)"`. The step needs AWS
credentials for the aws CLI: `oidc: true` with `AWS_ROLE_ARN` and `AWS_WEB_IDENTITY_TOKEN_FILE`
(Bitbucket's OpenID Connect), or an image running with a role."""

from __future__ import annotations

from keystow.migrate.references.base import FileChange, FileContext
from keystow.migrate.references.cisteps import at_path, export_lines, plan_pipeline, prepend_items, quoted

KIND = "bitbucket-pipelines"
RESOLVES = "runtime"
NOTE = "read with the aws CLI at the start of the step's script: enable oidc: true and set AWS_ROLE_ARN"


def detect(path: str) -> bool:
    return path.rsplit("/", 1)[-1] in ("bitbucket-pipelines.yml", "bitbucket-pipelines.yaml")


def _classify(root, path: tuple) -> tuple[str, list]:
    if len(path) >= 3 and path[-2] == "script" and isinstance(path[-1], int):
        return "script", [path[:-1]]
    return "only script: lines are rewritten (Bitbucket variables live in the repository settings)", []


def _insert(text: str, root, script: tuple, names: dict):
    return prepend_items(text, at_path(root, script), [[quoted(line)] for line in export_lines(names)])


def plan(ctx: FileContext) -> FileChange:
    return plan_pipeline(ctx, FileChange(ctx.path, KIND, RESOLVES, NOTE), _classify, _insert)
