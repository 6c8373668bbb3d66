"""The README's workflow snippets, as the tests use them: what the README shows is what runs."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def workflow_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split("<!-- section:workflow -->", 1)[1].split("<!-- /section:workflow -->", 1)[0]


def yaml_snippets() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", workflow_section(), re.S)


def pre_commit_config() -> dict:
    """The `.pre-commit-config.yaml` snippet (the one with `repos:`)."""
    return next(yaml.safe_load(s) for s in yaml_snippets() if s.lstrip().startswith("repos:"))


def github_workflow() -> dict:
    return next(yaml.safe_load(s) for s in yaml_snippets() if "runs-on:" in s)


def gitlab_include() -> dict:
    return next(yaml.safe_load(s) for s in yaml_snippets() if s.lstrip().startswith("include:"))
