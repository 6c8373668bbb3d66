"""AWS CDK and Pulumi programs (TypeScript/JavaScript, Python): the literal becomes the framework's
own deploy-time reference, so the value never enters the synthesized template or the program.

CDK: `SecretValue.secretsManager(name).unsafeUnwrap()` is a token that synthesizes to
`{{resolve:secretsmanager:...}}`, which CloudFormation resolves in every property (SSM
SecureString references resolve in 11 properties only, so CDK values go to Secrets Manager).
Pulumi: `aws.ssm.getParameterOutput({name, withDecryption: true}).value` (or the Secrets Manager
equivalent), an Output that Pulumi resolves and keeps secret; it replaces a whole literal only
(joining an Output to text needs `pulumi.interpolate`, so a partial literal is manual). A program
that does not import the AWS package under a name keystow can use falls back to the source writer.
"""

from __future__ import annotations

import re

from keystow.migrate.references import source_code
from keystow.migrate.references.base import BoundSite, Edit, FileChange, FileContext, newline_of

KIND = "iac"
RESOLVES = "deploy"
CDK_NOTE = "a CDK SecretValue token: CloudFormation resolves it at deploy time (never in cdk.out)"
PULUMI_NOTE = "a Pulumi Output read from the store at `pulumi up` (kept secret in the state)"
NOTE = f"{CDK_NOTE}; or {PULUMI_NOTE}"  # the writer contract's one note; each change says which applies
CDK_MODULES = {"js": "aws-cdk-lib", "python": "aws_cdk"}
PULUMI_MODULES = {"js": "@pulumi/aws", "python": "pulumi_aws"}
SECRETS_MANAGER_REASON = ("a CDK program: SecretValue.secretsManager resolves in every CloudFormation property "
                          "(an SSM SecureString reference in 11 only)")


def framework(path: str, text: str) -> str | None:
    lang = source_code.language(path)
    if lang not in ("js", "python"):
        return None
    if _imports(text, lang, CDK_MODULES[lang]):
        return "cdk"
    if _imports(text, lang, PULUMI_MODULES[lang]):
        return "pulumi"
    return None


def detect(path: str, text: str) -> bool:
    return framework(path, text) is not None


def _imports(text: str, lang: str, module: str) -> bool:
    if lang == "js":
        return re.search(rf"""(?:from|require\()\s*['"]{re.escape(module)}['"]""", text) is not None
    return re.search(rf"^\s*(?:import|from)\s+{re.escape(module)}\b", text, re.M) is not None


def plan(ctx: FileContext) -> FileChange:
    lang = source_code.language(ctx.path) or ""
    kind = framework(ctx.path, ctx.text)
    binding = _cdk_binding(ctx.text, lang) if kind == "cdk" else _pulumi_binding(ctx.text, lang)
    if binding is None:  # Pulumi without an importable alias: read the environment like any program
        return source_code.plan(ctx)
    prefix, import_line = binding
    change = FileChange(ctx.path, f"{KIND}:{kind}", RESOLVES, CDK_NOTE if kind == "cdk" else PULUMI_NOTE)
    for site in ctx.sites:
        read = _cdk_read(site, lang, prefix) if kind == "cdk" else _pulumi_read(site, lang, prefix)
        if read is None:
            change.skip(site, "a key inside a JSON secret: read it with the framework's JSON helper by hand")
            continue
        source_code.rewrite_site(ctx.text, site, lang, change, read=read, whole_only=kind == "pulumi")
    if change.edits and import_line:
        change.edits.append(Edit(*_import_position(ctx.text), import_line + newline_of(ctx.text)))
    return change


def _cdk_binding(text: str, lang: str) -> tuple[str, str]:
    """(the expression naming SecretValue, an import line to add or "")."""
    if lang == "js":
        alias = re.search(r"""import\s+\*\s+as\s+(\w+)\s+from\s+['"]aws-cdk-lib['"]""", text)
        if alias:
            return alias.group(1) + ".SecretValue", ""
        named = re.search(r"""import\s*\{[^}]*\bSecretValue\b[^}]*\}\s*from\s*['"]aws-cdk-lib['"]""", text)
        return ("SecretValue", "") if named else ("SecretValue", "import { SecretValue } from 'aws-cdk-lib';")
    alias = re.search(r"^import\s+aws_cdk\s+as\s+(\w+)", text, re.M)
    if alias:
        return alias.group(1) + ".SecretValue", ""
    named = re.search(r"^from\s+aws_cdk\s+import\s+\(?[^)\n]*\bSecretValue\b", text, re.M)
    return ("SecretValue", "") if named else ("SecretValue", "from aws_cdk import SecretValue")


def _pulumi_binding(text: str, lang: str) -> tuple[str, str] | None:
    if lang == "js":
        alias = re.search(r"""import\s+\*\s+as\s+(\w+)\s+from\s+['"]@pulumi/aws['"]""", text)
    else:
        alias = re.search(r"^import\s+pulumi_aws\s+as\s+(\w+)", text, re.M)
    return (alias.group(1), "") if alias else None


def _cdk_read(site: BoundSite, lang: str, secret_value: str) -> str:
    target = site.target
    if lang == "js":
        key = f", {{ jsonField: '{target.key}' }}" if target.key else ""
        method = "secretsManager" if target.store == "secretsmanager" else "ssmSecure"
        return f"{secret_value}.{method}('{target.name}'{key}).unsafeUnwrap()"
    key = f', json_field="{target.key}"' if target.key else ""
    method = "secrets_manager" if target.store == "secretsmanager" else "ssm_secure"
    return f'{secret_value}.{method}("{target.name}"{key}).unsafe_unwrap()'


def _pulumi_read(site: BoundSite, lang: str, aws: str) -> str | None:
    target = site.target
    if target.key:
        return None
    if target.store == "ssm":
        if lang == "js":
            return f"{aws}.ssm.getParameterOutput({{ name: '{target.name}', withDecryption: true }}).value"
        return f'{aws}.ssm.get_parameter_output(name="{target.name}", with_decryption=True).value'
    if lang == "js":
        return f"{aws}.secretsmanager.getSecretVersionOutput({{ secretId: '{target.name}' }}).secretString"
    return f'{aws}.secretsmanager.get_secret_version_output(secret_id="{target.name}").secret_string'


def _import_position(text: str) -> tuple[int, int]:
    """Before the first import (a shebang, docstring or `from __future__` line stays above it)."""
    first = re.search(r"^(?:import|from)\s(?!__future__)", text, re.M)
    offset = first.start() if first else 0
    return offset, offset
