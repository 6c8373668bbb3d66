"""Files that are secrets: private keys (`id_rsa`, `*.pem`, `*.key`), AWS `credentials` files,
kubeconfigs with tokens or client keys, GCP service-account key files, and the credential files
that take no variables: `.netrc`, `.git-credentials`, `.pgpass`, `.vault-token`, `.terraformrc`,
Composer's `auth.json`, Docker's `.docker/config.json`
(`keystow run --file .docker/config.json -- env DOCKER_CONFIG=.docker docker push`).

Binary keystores (`.jks`, `.jceks`, `.keystore`, `.p12`/`.pfx`, `.bks`; detect/keystores.py) too: the
plan holds such a file as its base64 text (`FileContext.binary`), which is what the store keeps
(an SSM SecureString or a Secrets Manager SecretString: both hold text, so one code path serves
text and binary files), and the manifest entry is `"file:PATH" = "base64:REF"`, which `keystow
run --file PATH` decodes back to the exact bytes. Base64 adds a third: SSM's 8 KB Advanced tier
holds a 6 KB keystore, and a larger one goes to Secrets Manager (64 KB).

No reference can stand inside such a file: the whole file goes to the store (plan.py gives it
one item), the working file is deleted (commit the deletion: `git rm --cached` semantics, the
history still needs `keystow purge`), its path is added to `.gitignore`, and the manifest gets
`"file:PATH" = "REF"` so that `keystow run --file PATH -- CMD` writes it back, mode 0600, for the
command's lifetime. `keystow migrate --rollback` restores it byte for byte from the store.
"""

from __future__ import annotations

import re

from keystow.detect.keystores import named_like_keystore
from keystow.migrate.references.base import FileChange, FileContext, GeneratedFile
from keystow.migrate.stores import BASE64_PREFIX

KIND = "secret-file"
RESOLVES = "runtime"
NOTE = "the whole file is in the store: run the app under `keystow run --file {path} -- CMD`"
GITIGNORE = ".gitignore"
KEY_NAMES = re.compile(r"^id_(?:rsa|dsa|ecdsa|ed25519)(?:_[\w.-]+)?$")
KEY_SUFFIXES = (".pem", ".key", ".ppk")
# Files that hold nothing but credentials and that their tools read whole (no variable syntax).
CREDENTIAL_FILES = (".netrc", "_netrc", ".git-credentials", ".pgpass", ".vault-token", ".terraformrc", "terraform.rc",
                    ".dockercfg")
COMPOSER_AUTH = re.compile(r'"(?:http-basic|github-oauth|gitlab-token|gitlab-oauth|bearer|bitbucket-oauth)"')
KUBECONFIG = re.compile(r"^kind:\s*[\"']?Config[\"']?\s*$", re.M)
UNSAFE_PATH = re.compile(r'["\\\n\r]')


def detect(path: str, text: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    if KEY_NAMES.match(name) or name.endswith(KEY_SUFFIXES) or name in CREDENTIAL_FILES or named_like_keystore(name):
        return True
    if path.endswith(".docker/config.json") and '"auths"' in text:
        return True
    if name.endswith(".json") and ('"private_key"' in text and '"client_email"' in text  # a GCP service account key
                                   or name == "auth.json" and COMPOSER_AUTH.search(text)):
        return True
    if name == "credentials" and re.search(r"^\s*aws_(?:access_key_id|secret_access_key)\s*=", text, re.M):
        return True
    is_kube = name.startswith("kubeconfig") or path.endswith(".kube/config") or name == "config"
    return is_kube and bool(KUBECONFIG.search(text)) and "users:" in text


def plan(ctx: FileContext) -> FileChange:
    change = FileChange(ctx.path, KIND, RESOLVES, NOTE.format(path=ctx.path))
    whole = [site for site in ctx.sites if (site.start, site.end) == (0, len(ctx.text))]
    if UNSAFE_PATH.search(ctx.path) or len(whole) != 1:
        reason = ("the path has a quote, backslash or line break" if UNSAFE_PATH.search(ctx.path)
                  else "only part of the file is being migrated")
        for site in ctx.sites:
            change.skip(site, reason)
        return change
    [site] = whole
    change.replace(site, 0, len(ctx.text), "")
    change.delete = True
    # a keystore is stored as base64 text (SSM and SecretString hold text): the file gets the bytes
    change.manifest["file:" + ctx.path] = (BASE64_PREFIX if ctx.binary else "") + site.target.reference()
    change.generated.append(GeneratedFile(GITIGNORE, lambda old: ignore_path(old, ctx.path)))
    return change


def ignore_path(old: str | None, path: str) -> str:
    """`.gitignore` with `/path` (anchored, wildcards escaped) appended unless already there."""
    line = "/" + re.sub(r"([*?\[\]!# ])", r"\\\1", path)
    text = old or ""
    if line in text.splitlines():
        return text
    newline = "\r\n" if "\r\n" in text else "\n"
    return text + ("" if not text or text.endswith("\n") else newline) + line + newline
