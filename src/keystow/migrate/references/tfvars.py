"""Terraform `.tfvars` files: the assignment leaves the file and Terraform reads `TF_VAR_<name>`.

Why an environment variable and not a data source: a `.tfvars` file holds values only (no
expressions), and the variable may configure a provider, where a data source would be a cycle.
`TF_VAR_<name>` works for every variable wherever it is used; `keystow run -- terraform plan`
sets it from the store. The value still reaches the state wherever a resource stores it (as it
did before): keep the state in an encrypted remote backend.
"""

from __future__ import annotations

from keystow.migrate.references.base import FileChange, FileContext
from keystow.migrate.references.terraform import argument_line, remove_argument

KIND = "tfvars"
RESOLVES = "runtime"
NOTE = "Terraform reads TF_VAR_<name> from the environment: run terraform under `keystow run`"


def detect(path: str) -> bool:
    return path.endswith(".tfvars")


def plan(ctx: FileContext) -> FileChange:
    change = FileChange(ctx.path, KIND, RESOLVES, NOTE)
    for site in ctx.sites:
        found = argument_line(ctx.text, site)
        if found is None or _nesting(ctx.text, found[1]):
            change.skip(site, "not a whole `name = \"value\"` assignment (inside a map or object): move that "
                              "variable's whole value to the store and set TF_VAR_<name> by hand")
            continue
        variable = found[0]
        remove_argument(ctx.text, site, change, f"TF_VAR_{variable}", "moved to the secret store")
    return change


def _nesting(text: str, offset: int) -> int:
    """How many `{`/`[` are open at offset (string contents ignored): 0 at the top level."""
    depth, quoted, escaped = 0, False, False
    for char in text[:offset]:
        if quoted:
            quoted = char != '"' or escaped
            escaped = char == "\\" and not escaped
        elif char == '"':
            quoted = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
    return depth
