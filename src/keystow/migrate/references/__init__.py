"""One reference writer per ecosystem, chosen by file name and content.

Each writer module has `KIND`, `RESOLVES` ("deploy" or "runtime"), `NOTE` and
`plan(FileContext) -> FileChange`. A file no writer claims is manual: it is listed in the plan
with the reason and never half-edited.
"""

from __future__ import annotations

from dataclasses import replace
from types import ModuleType

from keystow.migrate.references import (
    ansible,
    azure_pipelines,
    bitbucket,
    circleci,
    cloudformation,
    codebuild,
    compose,
    ecs,
    envfile,
    github_actions,
    gitlab_ci,
    gradle,
    jenkinsfile,
    kubernetes,
    maven,
    npmrc,
    nuget,
    properties,
    pypirc,
    secretfile,
    serverless,
    shell,
    source_code,
    terraform,
)
from keystow.migrate.references.base import FileChange, FileContext


def writer_for(path: str, text: str) -> ModuleType | None:
    if secretfile.detect(path, text):
        return secretfile
    if github_actions.detect(path):
        return github_actions
    for ci in (gitlab_ci, circleci, bitbucket, azure_pipelines, jenkinsfile):
        if ci.detect(path):
            return ci
    if npmrc.detect(path):
        return npmrc
    if pypirc.detect(path):
        return pypirc
    if gradle.detect(path):
        return gradle
    if maven.detect(path, text):
        return maven
    if nuget.detect(path):
        return nuget
    if envfile.is_envfile(path):
        return envfile
    if terraform.detect(path):
        return terraform
    if serverless.detect(path):
        return serverless
    if compose.detect(path):
        return compose
    if properties.detect(path):
        return properties
    if codebuild.detect(path):
        return codebuild
    if ecs.detect(path, text):
        return ecs
    if cloudformation.detect(path, text):
        return cloudformation
    if kubernetes.detect(path, text):
        return kubernetes
    if ansible.detect(path, text):
        return ansible
    if shell.is_dockerfile(path) or path.endswith(shell.SHELL_EXTENSIONS):
        return shell
    if source_code.language(path):
        return source_code
    return None


def plan_file(ctx: FileContext) -> FileChange:
    writer = writer_for(ctx.path, ctx.text)
    if writer is None:
        change = FileChange(ctx.path, "unknown", "manual")
        for site in ctx.sites:
            change.skip(site, "no known reference syntax for this file type")
        return change
    if writer in (kubernetes, secretfile):
        return writer.plan(ctx)
    # Only the Kubernetes writer knows what an encoded site means (its value is decoded before
    # it is stored); any other writer would put a reference in place of the encoded text.
    encoded = [site for site in ctx.sites if site.encoding]
    change = writer.plan(replace(ctx, sites=tuple(site for site in ctx.sites if not site.encoding)))
    for site in encoded:
        change.skip(site, f"the secret is {site.encoding}-encoded here; only a Kubernetes Secret's data: entry moves")
    return change


def secretsmanager_reason(path: str, text: str, site) -> str | None:
    """Why an item bound for SSM must live in Secrets Manager because of this site, if it must."""
    if writer_for(path, text) is cloudformation:
        return cloudformation.needs_secretsmanager(text, site)
    return None


def reads_environment(path: str, text: str) -> bool:
    """Whether this file's references are environment variables (listed in the manifest)."""
    return writer_for(path, text) in (envfile, shell, source_code, compose, properties, npmrc, maven, nuget)
