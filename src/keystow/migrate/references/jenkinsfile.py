"""Jenkinsfile: a quoted secret assigned in an `environment { NAME = '…' }` block becomes
`sh(script: "aws ssm get-parameter …", returnStdout: true).trim()`, which declarative pipelines
evaluate on the agent when the stage starts. The agent needs the aws CLI and AWS credentials
(an instance role, or the AWS Credentials plugin's role)."""

from __future__ import annotations

import re

from keystow.migrate.references.base import FileChange, FileContext, line_bounds, whole_literal
from keystow.migrate.references.cisteps import aws_read

KIND = "jenkinsfile"
RESOLVES = "runtime"
NOTE = "read with the aws CLI on the agent when the pipeline's environment is set up"
ASSIGNMENT = re.compile(r"^\s*[A-Za-z_]\w*\s*=\s*$")


def detect(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name == "Jenkinsfile" or name.startswith("Jenkinsfile.") or name.endswith(".jenkinsfile")


def plan(ctx: FileContext) -> FileChange:
    change = FileChange(ctx.path, KIND, RESOLVES, NOTE)
    for site in ctx.sites:
        literal = whole_literal(ctx.text, site, "'\"")
        line_start, _ = line_bounds(ctx.text, site.start)
        before = ctx.text[:line_start]
        in_environment = before.rfind("environment") > before.rfind("}")
        if literal is None or not ASSIGNMENT.match(ctx.text[line_start:literal[0]]) or not in_environment:
            change.skip(site, "only a quoted value assigned in an environment { } block is rewritten")
            continue
        command = aws_read(site.target).replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
        change.replace(site, literal[0], literal[1] + 1, f'sh(script: "{command}", returnStdout: true).trim()')
    return change
