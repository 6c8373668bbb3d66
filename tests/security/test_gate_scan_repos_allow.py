"""`scan-repos` audits repositories: what a scanned repository says about itself (inline allow
comments, its own `.keystow.toml`) cannot hide its secrets."""

from __future__ import annotations

import json

from testing.fakes import Fakes
from tests.helpers import commit_file, run_keystow


def test_inline_allow_and_in_repo_config_of_a_scanned_repository_are_ignored(repo, tmp_path):
    fakes = Fakes(97)
    allowed, configured = fakes.github_token(), fakes.aws_access_key_id()
    commit_file(repo, ".keystow.toml", 'allow_paths = ["**"]\nallow_regexes = [".*"]\nmax_file_size = 1\n')
    commit_file(repo, "app.py", f'TOKEN = "{allowed}"  # keystow:allow\nKEY = "{configured}"\n')
    listing = tmp_path / "repos.txt"
    listing.write_text(f"{repo}\n")
    for mode in ("history", "worktree"):
        result = run_keystow("scan-repos", str(listing), "--format", "json", "--no-cache", "--mode", mode, cwd=tmp_path)
        [section] = json.loads(result.stdout)["repositories"]
        rules = sorted(f["rule_id"] for f in section["findings"])
        assert len(rules) == 2, (mode, rules, result.stderr)
        assert result.returncode == 1
