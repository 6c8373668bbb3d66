"""What every timing benchmark does before it starts keystow: run it as an install runs.

A shell that sets PYTHONDONTWRITEBYTECODE (some CI images and sandboxes do) makes each timed
`python -m keystow` compile every module it imports from source, ~0.07 s of a run that a pip
install never pays, and more for the side with more modules: an A/B between two versions then
measures their module counts. Dropping the variable lets the untimed warm-up write the bytecode.
"""

from __future__ import annotations

import os


def run_as_installed() -> None:
    """Let child interpreters read and write bytecode, whatever this shell says."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
