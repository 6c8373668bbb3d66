"""Azure Pipelines (`azure-pipelines.yml`): a `variables:` entry (`NAME: value`, or a `- name:` /
`value:` item of the list form) holding a secret is removed, and
each affected `steps:` list starts with a bash step that reads the value with the aws CLI and sets
it as a pipeline variable of the same name (`##vso[task.setvariable]`), which later steps see in
their environment. The value is first registered as a secret under NAME_KEYSTOW_MASK so the logs
mask it. A secret inside a `script:`/`bash:` step becomes "${VAR}", read the same way. The agent
needs AWS credentials for the aws CLI (the AWS Toolkit's service connection with OIDC, or a role)."""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, SequenceNode

from keystow.migrate.references.base import FileChange, FileContext
from keystow.migrate.references.cisteps import at_path, aws_read, plan_pipeline, prepend_items

KIND = "azure-pipelines"
RESOLVES = "runtime"
NOTE = "read with the aws CLI in a first bash step: the agent needs the aws CLI and AWS credentials"
SCRIPT_KEYS = ("script", "bash")


def detect(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name.startswith("azure-pipelines") and name.endswith((".yml", ".yaml"))


def _steps_lists(node: Node, path: tuple = ()) -> list[tuple]:
    """The key paths of every `steps:` sequence (top level, jobs, stages)."""
    found = []
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if key.value == "steps" and isinstance(value, SequenceNode):
                found.append(path + ("steps",))
            found += _steps_lists(value, path + (key.value,))
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            found += _steps_lists(item, path + (index,))
    return found


def _classify(root, path: tuple) -> tuple[str, list]:
    if len(path) == 2 and path[0] == "variables" and isinstance(path[1], str):
        return "variable", _steps_lists(root)
    if len(path) == 3 and path[0] == "variables" and isinstance(path[1], int) and path[2] == "value":
        return "named-item", _steps_lists(root)
    if len(path) >= 3 and path[-1] in SCRIPT_KEYS and path[-3] == "steps":
        return "script", [path[:-2]]
    return "only variables: entries and script/bash steps are rewritten", []


def _insert(text: str, root, steps: tuple, names: dict):
    lines = ["set -e"]  # Azure's bash step goes on after a failed command unless told otherwise
    for name, target in names.items():
        lines += [f'value="$({aws_read(target)})"',
                  f'echo "##vso[task.setvariable variable={name}_KEYSTOW_MASK;issecret=true]$value"',
                  f'echo "##vso[task.setvariable variable={name}]$value"']
    step = ["bash: |", *("  " + line for line in lines), "displayName: Read secrets from AWS (keystow)"]
    return prepend_items(text, at_path(root, steps), [step])


def plan(ctx: FileContext) -> FileChange:
    return plan_pipeline(ctx, FileChange(ctx.path, KIND, RESOLVES, NOTE), _classify, _insert)
