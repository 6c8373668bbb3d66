"""The baseline: findings a team has accepted (`.keystow-baseline.json`).

model: entries, salted hashes, load/save and filtering a scan result; paths: where a baseline
lives and how a finding's path becomes an entry's path; secrets: re-reading secrets for cached
history findings; importers: detect-secrets and gitleaks files.
"""

from keystow.baseline.model import HISTORY, Baseline, Entry, filter_result, load, save
from keystow.baseline.paths import Scope, relative_path, repository_root, scope_for

__all__ = ["HISTORY", "Baseline", "Entry", "Scope", "filter_result", "load", "relative_path", "repository_root", "save",
           "scope_for"]
