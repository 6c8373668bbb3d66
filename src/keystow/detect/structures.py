"""Infrastructure files read by structure: which values are secrets is written in the file.

A Terraform state lists, per resource instance, the attributes its provider marks sensitive
(`sensitive_attributes`); a generated password sits under `result`, a name no rule could call a
secret. A CloudFormation template says which properties hold credentials (`MasterUserPassword`)
and whether a value is a literal or a reference (`!Ref`, `{{resolve:ssm:...}}`). These readers
parse the document (a template by YAML composition, which keeps tags and positions, and JSON is
YAML; a state, which can run to megabytes, with `json`) and hand each such value to the scanner
as a view: `NUL reader NUL value NUL`, bytes no text blob holds (a NUL makes a blob binary), so
only the rule for that reader (rules/infrastructure.yaml) matches it, and a finding is placed at
the value in the file, named with its path in the document.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator, NamedTuple

from keystow.detect.quick import is_cloudformation_template, is_terraform_state
from keystow.detect.text import TextIndex

if TYPE_CHECKING:
    from keystow.findings import Finding

TERRAFORM_STATE = "terraform-state"
CLOUDFORMATION = "cloudformation"


# An attribute whose name says it holds a secret, and the names that only describe one.
SECRET_NAME = re.compile(r"password|passwd|secret|private_key|token|access_key|auth_key|api_key|credential", re.I)
ABOUT_A_SECRET = re.compile(
    r"(?:_arn|_arns|_id|_ids|_name|_names|_type|_version|_version_id|_length|_policy|_required|_last_used|"
    r"_enabled|_expiry|_expires|_expiration|_expires_at|_ttl|_kms_key_id|_kms_key_arn|_fingerprint|_file|"
    r"_path|_algorithm|_rotation\w*|_reset_required|_wo_version|_count|_url|_endpoint|_format)$",
    re.I,
)
# Resource types whose `result` is a generated secret (random_pet, random_id, random_string are names).
SECRET_RESULTS = frozenset(("random_password",))

# CloudFormation properties that hold a credential when given a literal.
CREDENTIAL_PROPERTIES = frozenset((
    "MasterUserPassword", "Password", "AuthToken", "SecretString", "SecretAccessKey", "ClientSecret",
    "ApiKey", "AdminPassword", "DBPassword", "DatabasePassword", "UserPassword", "AccessToken",
    "Token", "SharedSecret", "PreSharedKey", "OAuthToken", "PersonalAccessToken", "Passphrase",
))
# Parameter names that say the parameter is a password even without `NoEcho`.
SECRET_PARAMETER = re.compile(r"password|passwd|secret|token|api_?key|private_?key", re.I)
TRUE_WORDS = frozenset(("true", "yes", "on"))
YAML_STR = "tag:yaml.org,2002:str"


class Structured(NamedTuple):
    """A value a document's structure says is a secret, and where it is."""

    reader: str  # which reader found it: the rule that reports it is keyed on this
    where: str  # its path in the document: `aws_db_instance.db $.resources[0].instances[0].attributes.password`
    value: str
    start: int  # byte offsets of the value in the blob
    end: int


class StructuredView(NamedTuple):
    text: bytes  # what the rules scan
    source: Structured


def structured_views(data: bytes, path: str) -> list[StructuredView]:
    """A view of every secret value the file's structure names (none for other files)."""
    return [StructuredView(b"\0" + item.reader.encode() + b"\0" + item.value.encode() + b"\0", item)
            for item in structured_values(data, path)]


def structured_values(data: bytes, path: str) -> list[Structured]:
    """The values, or none for a document too deeply nested to walk (the text rules still run)."""
    lowered = path.lower()
    try:
        if is_terraform_state(data, lowered):
            return sorted(terraform_state_values(data), key=_place)
        if is_cloudformation_template(data, lowered):
            return sorted(template_values(data), key=_place)
    except RecursionError:
        pass
    return []


def _place(item: Structured) -> int:
    return item.start


def relocate(finding: "Finding", index: TextIndex, item: Structured) -> "Finding":
    """The finding from a view, placed at its value in the blob and named with its path."""
    line, column = index.line_and_column(item.start)
    end_line, end_column = index.line_and_column(item.end)
    location = finding.locations[0]._replace(line=line, column=column, end_line=end_line, end_column=end_column)
    return finding.replace(rule_name=f"{finding.rule_name} ({item.where})", locations=(location,))


# --- documents as positioned nodes ----------------------------------------------------------


class _Document(NamedTuple):
    root: object  # a yaml Node
    text: str
    ascii: bool

    def span(self, node) -> tuple[int, int]:
        """Byte offsets of a scalar's value, inside its quotes."""
        start, end = node.start_mark.index, node.end_mark.index
        if node.style in ('"', "'"):
            start, end = start + 1, end - 1
        if self.ascii:
            return start, end
        return len(self.text[:start].encode()), len(self.text[:end].encode())


def template_values(data: bytes) -> Iterator[Structured]:
    """A template's values, or none for a document that does not parse (the text rules still run)."""
    # late: the hook imports this module; only an infrastructure file needs a YAML parser
    import yaml

    try:
        text = data.decode("utf-8")
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        root = yaml.compose(text, Loader=loader)
    except (UnicodeDecodeError, yaml.YAMLError):
        return
    if root is not None:
        yield from cloudformation_values(_Document(root, text, text.isascii()))


def _mapping(node) -> dict:
    """A mapping node's entries by key (scalar keys only); {} for any other node."""
    if type(node).__name__ != "MappingNode":
        return {}
    return {key.value: value for key, value in node.value if type(key).__name__ == "ScalarNode"}


def _literal(node) -> str | None:
    """A plain string literal's text; None for a tagged value (`!Ref`), a number, a collection."""
    if type(node).__name__ != "ScalarNode" or node.tag != YAML_STR or not node.value:
        return None
    return node.value


def _structured(doc: _Document, reader: str, where: str, node) -> Structured:
    start, end = doc.span(node)
    return Structured(reader, where, node.value, start, end)


# --- Terraform state ------------------------------------------------------------------------
# States run to megabytes and a composed YAML node tree costs ~1 s per MB, so a state is parsed
# with `json` and only the values reported are looked for in the bytes.


def terraform_state_values(data: bytes) -> Iterator[Structured]:
    """Sensitive and secret-named attributes of every resource instance, and sensitive outputs."""
    # late: the hook imports this module; only a state file needs a JSON parser
    import json

    try:
        state = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return
    if not isinstance(state, dict):
        return
    locate = _Locator(data)
    for where, value in _state_secrets(state):
        span = locate(value)
        if span is not None:
            yield Structured(TERRAFORM_STATE, where, value, *span)


def _state_secrets(state: dict) -> Iterator[tuple[str, str]]:
    yield from _output_secrets(state.get("outputs"), "$")
    yield from _format3_secrets(state)
    for r, resource in enumerate(_list(state.get("resources"))):
        fields = _dict(resource)
        rtype = str(fields.get("type", ""))
        address = ".".join(str(fields[part]) for part in ("module", "type", "name") if fields.get(part))
        for i, instance in enumerate(_list(fields.get("instances"))):
            for where, leaf in _instance_secrets(_dict(instance), rtype, f"$.resources[{r}].instances[{i}]"):
                yield f"{address} {where}", leaf


def _output_secrets(outputs: object, where: str) -> Iterator[tuple[str, str]]:
    for name, output in _dict(outputs).items():
        if "value" in _dict(output) and (output.get("sensitive") is True or _is_secret_name(name)):
            for leaf_where, leaf in _values(output["value"], f"{where}.outputs.{name}.value"):
                yield f"output {name} {leaf_where}", leaf


def _format3_secrets(state: dict) -> Iterator[tuple[str, str]]:
    """States before Terraform 0.12 (format 3): `modules[].resources` maps an address to its
    `primary.attributes`, a flat map of strings; nothing is marked sensitive, so names decide."""
    for m, module in enumerate(_list(state.get("modules"))):
        fields = _dict(module)
        yield from _output_secrets(fields.get("outputs"), f"$.modules[{m}]")
        for address, resource in _dict(fields.get("resources")).items():
            rtype = str(_dict(resource).get("type", ""))
            attributes = _dict(_dict(_dict(resource).get("primary")).get("attributes"))
            for name, value in attributes.items():
                if isinstance(value, str) and value and (
                        _is_secret_name(name) or (name == "result" and rtype in SECRET_RESULTS)):
                    yield f"{address} $.modules[{m}].resources.{address}.primary.attributes.{name}", value


def _instance_secrets(instance: dict, rtype: str, where: str) -> Iterator[tuple[str, str]]:
    attributes = instance.get("attributes")
    seen: set[str] = set()
    for steps in _sensitive_paths(instance.get("sensitive_attributes")):
        node, node_where = _follow(attributes, steps, f"{where}.attributes")
        for leaf_where, leaf in _values(node, node_where):
            if leaf_where not in seen:
                seen.add(leaf_where)
                yield leaf_where, leaf
    for name, value in _dict(attributes).items():
        if _is_secret_name(name) or (name == "result" and rtype in SECRET_RESULTS):
            for leaf_where, leaf in _values(value, f"{where}.attributes.{name}"):
                if leaf_where not in seen:
                    seen.add(leaf_where)
                    yield leaf_where, leaf


def _sensitive_paths(entries: object) -> Iterator[list[object]]:
    """Each `sensitive_attributes` entry as a list of steps (attribute names, keys, indexes).
    State format 4 writes a list of `{"type": "get_attr", "value": "password"}` steps per path
    (an index step's value is itself `{"value": ..., "type": ...}`); a bare name is read too."""
    for entry in _list(entries):
        if isinstance(entry, str):
            yield [entry]
            continue
        steps = [_dict(step).get("value") for step in _list(entry)]
        steps = [_dict(step).get("value", step) if isinstance(step, dict) else step for step in steps]
        if steps and all(isinstance(step, (str, int)) for step in steps):
            yield steps


def _follow(node: object, steps: list[object], where: str) -> tuple[object, str]:
    for step in steps:
        if isinstance(node, list) and str(step).isdigit() and int(str(step)) < len(node):
            node, where = node[int(str(step))], f"{where}[{step}]"
        else:
            node, where = _dict(node).get(str(step)), f"{where}.{step}"
    return node, where


def _values(node: object, where: str) -> Iterator[tuple[str, str]]:
    """Every non-empty string under `node`, with its JSON path."""
    if isinstance(node, str):
        if node:
            yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _values(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _values(item, f"{where}[{i}]")


def _dict(node: object) -> dict:
    return node if isinstance(node, dict) else {}


def _list(node: object) -> list:
    return node if isinstance(node, list) else []


def _is_secret_name(name: str) -> bool:
    return bool(SECRET_NAME.search(name)) and not ABOUT_A_SECRET.search(name)


class _Locator:
    """Where each value's JSON string sits in the blob: its first occurrence as a value (not a
    key) not yet given to an earlier value. The writer may have escaped `<`, `>`, `&` (Go's
    encoder does) or non-ASCII characters, so each spelling is tried."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.used: set[int] = set()

    def __call__(self, value: str) -> tuple[int, int] | None:
        for encoded in _spellings(value):
            at = self.data.find(encoded)
            while at >= 0:
                if at not in self.used and not KEY_AFTER.match(self.data, at + len(encoded)):
                    self.used.add(at)
                    return at + 1, at + len(encoded) - 1  # inside the quotes
                at = self.data.find(encoded, at + 1)
        return None


KEY_AFTER = re.compile(rb"\s*:")


def _spellings(value: str) -> list[bytes]:
    # late: see terraform_state_values
    import json

    plain = json.dumps(value, ensure_ascii=False)
    go = plain.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    spellings = [plain, go, json.dumps(value)]
    return [spelling.encode() for i, spelling in enumerate(spellings) if spelling not in spellings[:i]]


# --- CloudFormation / SAM -------------------------------------------------------------------


def cloudformation_values(doc: _Document) -> Iterator[Structured]:
    """Literal credential properties of resources, and defaults of secret parameters."""
    top = _mapping(doc.root)
    for name, parameter in _mapping(top.get("Parameters")).items():
        fields = _mapping(parameter)
        default = fields.get("Default")
        secret = _literal_bool(fields.get("NoEcho")) or bool(SECRET_PARAMETER.search(name))
        if secret and default is not None and _is_credential_literal(default):
            yield _structured(doc, CLOUDFORMATION, f"Parameters.{name}.Default", default)
    for name, resource in _mapping(top.get("Resources")).items():
        properties = _mapping(resource).get("Properties")
        if properties is not None:
            yield from _credential_properties(doc, properties, f"Resources.{name}.Properties")


def _credential_properties(doc: _Document, properties, where: str) -> Iterator[Structured]:
    """Credential properties at any depth. Each node is visited once: YAML aliases can share one
    node many times over (a file built to explode when expanded)."""
    pending, seen = [(properties, where)], set()
    while pending:
        node, where = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        for key, value in _mapping(node).items():
            if key in CREDENTIAL_PROPERTIES and _is_credential_literal(value):
                yield _structured(doc, CLOUDFORMATION, f"{where}.{key}", value)
            else:
                pending.append((value, f"{where}.{key}"))
        if type(node).__name__ == "SequenceNode":
            pending += [(item, f"{where}[{i}]") for i, item in enumerate(node.value)]


def _literal_bool(node) -> bool:
    return node is not None and type(node).__name__ == "ScalarNode" and str(node.value).lower() in TRUE_WORDS


def _is_credential_literal(node) -> bool:
    """A string written in the template; not an intrinsic function (`!Ref`, `Fn::Sub`), a dynamic
    reference (`{{resolve:secretsmanager:...}}`) or a `${...}` substitution."""
    text = _literal(node)
    return text is not None and "{{resolve:" not in text and "${" not in text
