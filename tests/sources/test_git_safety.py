"""Scanning an untrusted repository never runs a command its config names."""

from __future__ import annotations

from tests.helpers import commit_file, git, run_keystow
from tests.sources.gitcase import fakes

HOOKED = ("core.fsmonitor", "core.pager", "diff.external", "diff.evil.textconv", "diff.evil.command",
          "filter.evil.clean", "filter.evil.smudge", "filter.evil.process", "gpg.program",
          "core.sshCommand", "core.askPass")


def plant(repo, marker):
    for key in HOOKED:
        git(repo, "config", key, f"touch '{marker}'; false")
    git(repo, "config", "log.showSignature", "true")
    git(repo, "config", "core.hooksPath", str(repo / "evil-hooks"))
    (repo / ".gitattributes").write_text("* filter=evil diff=evil\n")


def test_planted_commands_never_run(repo, tmp_path):
    marker = tmp_path / "marker"
    commit_file(repo, "app.py", f"KEY = '{fakes(31).aws_access_key_id()}'\n", "one")
    commit_file(repo, "two.py", "x = 1\n", "two")
    (repo / "staged.py").write_text(f"KEY = '{fakes(32).aws_access_key_id()}'\n")
    git(repo, "add", "staged.py")
    plant(repo, marker)
    (repo / "app.py").write_text("changed in the work tree\n")
    assert not marker.exists()
    for args in (["--history"], ["--staged"], ["--range", "HEAD~1..HEAD"], ["--since", "HEAD~1"], ["."]):
        result = run_keystow("scan", *args, cwd=repo)
        assert result.returncode in (0, 1), result.stderr.decode()
        assert not marker.exists(), f"scan {args} ran a command from the repository's config"
    # The plant is live: plain git, without keystow's hardening, does run it.
    import subprocess

    subprocess.run(["git", "status"], cwd=repo, capture_output=True)
    assert marker.exists()
