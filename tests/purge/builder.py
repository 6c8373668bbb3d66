"""A repository whose history spreads fake secrets over branches, tags, a merge and a rename.

Layout (oldest first):
  main:     settings.py (db password, AWS key id) + README.md + src/app.py      -> tag v0.1 (light)
  main:     settings.py renamed to config/settings.py, password kept
  feature:  keys/deploy.pem (multi-line private key), ci.sh (GitHub token)      -> tag v1.0 (annotated)
  main:     merge of feature (--no-ff)
  release:  a CRLF file: a password and the private key with \r\n line ends (a regex: expression)
  main:     HEAD replaces the password with a reference (as after `keystow migrate`)
README.md and src/app.py never hold a secret: their blob ids must survive the purge.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from testing.fakes import Fakes
from tests.helpers import commit_file, git

FIXTURE_RULES = Path(__file__).resolve().parents[1] / "fixtures" / "purge" / "rules.yaml"
UNTOUCHED = ("README.md", "src/app.py")


@dataclass(frozen=True)
class Secrets:
    password: str
    release_password: str
    aws_key_id: str
    github_token: str
    private_key: str

    def single_line(self) -> list[str]:
        return [self.password, self.release_password, self.aws_key_id, self.github_token]

    def private_key_line(self) -> str:
        """One base64 line from the middle of the key: unique, and git grep -F can look for it."""
        return self.private_key.splitlines()[3]


def make_secrets(seed: int = 1234) -> Secrets:
    fakes = Fakes(seed)
    return Secrets(fakes.password(20), fakes.password(24),
                   fakes.aws_access_key_id(), fakes.github_token(), fakes.rsa_private_key_pem())


def use_fixture_rules(repo: Path) -> None:
    """An untracked .keystow.toml (excluded, so the tree stays clean) adding the test rules,
    copied into the repository: a repository's config may name only rule files inside it."""
    (repo / ".keystow-test-rules.yaml").write_bytes(FIXTURE_RULES.read_bytes())
    (repo / ".keystow.toml").write_text('extra_rules = [".keystow-test-rules.yaml"]\n')
    with open(repo / ".git" / "info" / "exclude", "a") as handle:
        handle.write(".keystow.toml\n.keystow-test-rules.yaml\n")


def build_history(repo: Path, secrets: Secrets) -> None:
    use_fixture_rules(repo)
    commit_file(repo, "README.md", "# shop\n\nDocumentation only.\n", "readme")
    commit_file(repo, "src/app.py", "def main():\n    return 0\n", "app")
    commit_file(repo, "settings.py", f'DEBUG = False\ndb_password = "{secrets.password}"\n'
                                     f'aws_access_key_id = "{secrets.aws_key_id}"\n', "settings")
    git(repo, "tag", "v0.1")
    _rename(repo)
    commit_file(repo, "config/settings.py", f'DEBUG = True\ndb_password = "{secrets.password}"\n', "move settings")
    git(repo, "switch", "-q", "-c", "feature")
    commit_file(repo, "keys/deploy.pem", secrets.private_key, "deploy key")
    commit_file(repo, "ci.sh", f"#!/bin/sh\nexport GITHUB_TOKEN={secrets.github_token}\n", "ci")
    git(repo, "tag", "-a", "v1.0", "-m", "release 1.0")
    git(repo, "switch", "-q", "main")
    commit_file(repo, "src/app.py", "def main():\n    return 1\n", "app returns 1")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge feature", "feature")
    git(repo, "switch", "-q", "-c", "release", "v0.1")
    release = f'db_password = "{secrets.release_password}"\n{secrets.private_key}'.replace("\n", "\r\n")
    commit_file(repo, "release.cfg", release.encode(), "release config")
    git(repo, "switch", "-q", "main")
    commit_file(repo, "config/settings.py", 'DEBUG = True\ndb_password = "${ssm:/shop/db_password}"\n',
                "use a reference")


def _rename(repo: Path) -> None:
    (repo / "config").mkdir()
    git(repo, "mv", "settings.py", "config/settings.py")
