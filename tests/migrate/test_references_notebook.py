"""Jupyter notebooks: code cells read the environment, outputs that showed a secret are cleared,
execution counts stay, and the result is a valid notebook for `nbformat.validate`."""

from __future__ import annotations

import json

import nbformat
import pytest

from testing.fakes import ALNUM, Fakes
from tests.migrate.reference_cases import SSM

SECRET = Fakes(41).chars(ALNUM, 24)


def notebook(secret: str, extra_cell: dict | None = None) -> str:
    cells = [
        {"cell_type": "markdown", "id": "intro", "metadata": {}, "source": ["# Explore the API\n", "Token below."]},
        {"cell_type": "code", "execution_count": 3, "id": "setup", "metadata": {},
         "outputs": [{"name": "stdout", "output_type": "stream", "text": [f"using {secret}\n"]}],
         "source": ["import requests\n", f'API_TOKEN = "{secret}"\n', "print('using', API_TOKEN)"]},
        {"cell_type": "code", "execution_count": 4, "id": "other", "metadata": {},
         "outputs": [{"data": {"text/plain": ["200"]}, "execution_count": 4, "metadata": {},
                      "output_type": "execute_result"}],
         "source": ["requests.get('https://api.example.com').status_code"]},
    ]
    if extra_cell:
        cells.append(extra_cell)
    document = {"cells": cells, "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                                             "name": "python3"}},
                "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _sites(text: str, secret: str):
    """Every occurrence of the secret is a site (the scanner reports each)."""
    from keystow.migrate.references import plan_file
    from keystow.migrate.references.base import FileContext, Site
    from keystow.migrate.rewrite import apply_edits

    sites, at = [], text.find(secret)
    while at >= 0:
        sites.append(Site("n.ipynb", text.count("\n", 0, at) + 1, at, at + len(secret), "id-1", "API_TOKEN",
                          SSM, "API_TOKEN"))
        at = text.find(secret, at + 1)
    change = plan_file(FileContext("notebooks/explore.ipynb", text, tuple(sites)))
    new, applied = apply_edits(text, change.edits, {"id-1": secret})
    return new, change, applied


def test_code_cell_reads_the_environment_and_the_output_is_cleared():
    text = notebook(SECRET)
    new, change, _ = _sites(text, SECRET)
    assert SECRET not in new and not change.manual
    document = json.loads(new)
    setup = document["cells"][1]
    assert setup["source"] == ["import os\n", "import requests\n", 'API_TOKEN = os.environ["API_TOKEN"]\n',
                               "print('using', API_TOKEN)"]
    assert setup["outputs"] == [] and setup["execution_count"] == 3
    assert document["cells"][2]["outputs"][0]["data"] == {"text/plain": ["200"]}  # other outputs kept
    assert change.manifest == {"API_TOKEN": "ssm:/app/db_password"}
    nbformat.validate(nbformat.reads(new, as_version=4))


def test_rollback_record_restores_the_notebook_byte_for_byte():
    from keystow.migrate.rewrite import restore

    text = notebook(SECRET)
    new, _, applied = _sites(text, SECRET)
    assert all(SECRET not in part for edit in applied for kind, part in edit.old if kind == "text")
    assert restore(new, applied, {"id-1": SECRET}) == text


def test_markdown_gets_a_placeholder_naming_the_reference():
    cell = {"cell_type": "markdown", "id": "notes", "metadata": {}, "source": [f"Token was `{SECRET}`."]}
    new, change, _ = _sites(notebook(SECRET, cell), SECRET)
    assert json.loads(new)["cells"][3]["source"] == ["Token was `<from SSM: /app/db_password>`."]
    nbformat.validate(nbformat.reads(new, as_version=4))


@pytest.mark.parametrize("source", [f'T = f"{{x}}{SECRET}"\n', f"T = '''{SECRET}'''\n"])
def test_a_cell_that_cannot_be_rewritten_leaves_the_notebook_untouched(source):
    cell = {"cell_type": "code", "execution_count": None, "id": "bad", "metadata": {}, "outputs": [],
            "source": [source]}
    text = notebook(SECRET, cell)
    new, change, _ = _sites(text, SECRET)
    assert new == text and not change.rewritten and change.manual
