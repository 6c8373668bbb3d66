"""One reference writer per ecosystem, chosen by file name and content.

Each writer module has `KIND`, `RESOLVES` ("deploy" or "runtime"), `NOTE` and
`plan(FileContext) -> FileChange`. A file no writer claims is manual: it is listed in the plan
with the reason and never half-edited.
"""

from __future__ import annotations

from dataclasses import replace
from types import ModuleType
from typing import Callable

from keystow.migrate.references import (
    ansible,
    azure_pipelines,
    bitbucket,
    circleci,
    cloudformation,
    codebuild,
    compose,
    docs,
    ecs,
    envfile,
    github_actions,
    gitlab_ci,
    gradle,
    helm,
    iac_source,
    ini,
    jenkinsfile,
    jsonconfig,
    kubernetes,
    kustomize,
    maven,
    notebook,
    npmrc,
    nuget,
    properties,
    pypirc,
    secretfile,
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

# Which writer claims a file, first match wins: secret files before the YAML and name-based
# writers (a kubeconfig is YAML), specific names before generic extensions.
WRITERS: tuple[tuple[ModuleType, Callable[[str, str], bool]], ...] = (
    (tfstate, lambda path, text: tfstate.detect(path)),  # never rewritten: flagged with its remedy
    (secretfile, secretfile.detect),
    (notebook, lambda path, text: notebook.detect(path)),
    (github_actions, lambda path, text: github_actions.detect(path)),
    *((ci, lambda path, text, ci=ci: ci.detect(path)) for ci in (gitlab_ci, circleci, bitbucket, azure_pipelines,
                                                                 jenkinsfile)),
    (npmrc, lambda path, text: npmrc.detect(path)),
    (pypirc, lambda path, text: pypirc.detect(path)),
    (gradle, lambda path, text: gradle.detect(path)),
    (maven, maven.detect),
    (nuget, lambda path, text: nuget.detect(path)),
    (tfvars, lambda path, text: tfvars.detect(path)),
    (envfile, lambda path, text: envfile.is_envfile(path)),
    (terraform, lambda path, text: terraform.detect(path)),
    (serverless, lambda path, text: serverless.detect(path)),
    (compose, lambda path, text: compose.detect(path)),
    (properties, lambda path, text: properties.detect(path)),
    (codebuild, lambda path, text: codebuild.detect(path)),
    (ecs, ecs.detect),
    (cloudformation, cloudformation.detect),
    (kubernetes, kubernetes.detect),
    (helm, lambda path, text: helm.detect(path)),
    (spring_yaml, lambda path, text: spring_yaml.detect(path)),
    (kustomize, lambda path, text: kustomize.detect(path)),
    (ansible, ansible.detect),
    (shell, lambda path, text: shell.is_dockerfile(path) or path.endswith(shell.SHELL_EXTENSIONS)),
    (iac_source, iac_source.detect),
    (source_code, lambda path, text: source_code.language(path) is not None),
    # Files no ecosystem above claims: configuration an application reads, then documentation.
    *((writer, lambda path, text, writer=writer: writer.detect(path)) for writer in (jsonconfig, xmlconfig, ini, docs)),
)


def writer_for(path: str, text: str) -> ModuleType | None:
    return next((writer for writer, claims in WRITERS if claims(path, text)), None)


def plan_file(ctx: FileContext) -> FileChange:
    writer = secretfile if ctx.binary else writer_for(ctx.path, ctx.text)
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
    writer = writer_for(path, text)
    if writer is cloudformation:
        return cloudformation.needs_secretsmanager(text, site)
    if writer is iac_source and iac_source.framework(path, text) == "cdk":
        return iac_source.SECRETS_MANAGER_REASON
    return None


def reads_environment(path: str, text: str) -> bool:
    """Whether this file's references are environment variables (listed in the manifest)."""
    return writer_for(path, text) in (envfile, shell, source_code, compose, properties, notebook, ini, xmlconfig,
                                      jsonconfig, helm, npmrc, maven, nuget)
