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
    cloudformation,
    codebuild,
    compose,
    docs,
    ecs,
    envfile,
    helm,
    iac_source,
    ini,
    jsonconfig,
    kubernetes,
    kustomize,
    notebook,
    properties,
    serverless,
    shell,
    source_code,
    spring_yaml,
    terraform,
    tfstate,
    tfvars,
    xmlconfig,
)
from keystow.migrate.references.base import FileChange, FileContext


def writer_for(path: str, text: str) -> ModuleType | None:
    if tfstate.detect(path):
        return tfstate
    if notebook.detect(path):
        return notebook
    if tfvars.detect(path):
        return tfvars
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
    if helm.detect(path):
        return helm
    if spring_yaml.detect(path):
        return spring_yaml
    if kustomize.detect(path):
        return kustomize
    if ansible.detect(path, text):
        return ansible
    if shell.is_dockerfile(path) or path.endswith(shell.SHELL_EXTENSIONS):
        return shell
    if iac_source.detect(path, text):
        return iac_source
    if source_code.language(path):
        return source_code
    return _config_or_docs(path)


def _config_or_docs(path: str) -> ModuleType | None:
    """Files no ecosystem claims above: configuration an application reads, and documentation."""
    for writer in (jsonconfig, xmlconfig, ini, docs):
        if writer.detect(path):
            return writer
    return None


def plan_file(ctx: FileContext) -> FileChange:
    writer = writer_for(ctx.path, ctx.text)
    if writer is None:
        change = FileChange(ctx.path, "unknown", "manual")
        for site in ctx.sites:
            change.skip(site, "no known reference syntax for this file type")
        return change
    if writer is kubernetes:
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
    writer = writer_for(path, text)
    if writer is cloudformation:
        return cloudformation.needs_secretsmanager(text, site)
    if writer is iac_source and iac_source.framework(path, text) == "cdk":
        return iac_source.SECRETS_MANAGER_REASON
    return None


def reads_environment(path: str, text: str) -> bool:
    """Whether this file's references are environment variables (listed in the manifest)."""
    return writer_for(path, text) in (envfile, shell, source_code, compose, properties, notebook, ini, xmlconfig,
                                           jsonconfig, helm)
