"""The migrate part of `make demo`: a local moto server stands in for AWS.

scan → plan → apply → the diff of the rewritten files → rescan clean → `keystow run` shows the
application sees the values, read back from the store. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from testing.local_moto import local_moto_server
from tools.demo.steps import banner, keystow

DEMO_AWS_ENV = {"AWS_ACCESS_KEY_ID": "demo", "AWS_SECRET_ACCESS_KEY": "demo", "AWS_REGION": "us-east-1",
                "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
                "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull}
APP = ("import os, stat\nfrom keystow.config import toml_parser\ntomllib = toml_parser()\n"
       "names = tomllib.load(open('.keystow-refs.toml', 'rb'))\n"
       "for name in sorted(n for n in names if not n.startswith('file:')):\n"
       "    value = os.environ[name]\n"
       "    print(f'the app sees {name} = {value[:4]}… ({len(value)} characters, from {names[name]})')\n"
       "for name in sorted(n for n in names if n.startswith('file:')):\n"
       "    path = name.removeprefix('file:')\n"
       "    mode = oct(stat.S_IMODE(os.stat(path).st_mode))\n"
       "    print(f'the app reads {path} ({os.path.getsize(path)} bytes, mode {mode}, from {names[name]})')\n")
SECRET_FILES = ("deploy/id_ed25519",)  # written back by `keystow run --file` for the app's lifetime


def demo_migration(repo: Path) -> None:
    with local_moto_server() as endpoint, aws_environment(endpoint):
        banner(f"Plan the migration into SSM Parameter Store (a local moto server at {endpoint} stands in for AWS)")
        keystow(repo, "migrate", "--to", "ssm")
        banner("Apply it: store each secret, read it back, then rewrite the files (journalled)")
        keystow(repo, "migrate", "--to", "ssm", "--apply", "--yes", "--writes-per-second", "50")
        banner("What changed in the work tree (the new lines; the old ones held the secrets)")
        show_new_lines(repo)
        banner("Rescan: the work tree is clean")
        keystow(repo, "scan", ".", check_codes=(0,))
        banner("The app gets the values at run time, and the key file back: keystow run --file ... -- python -c ...")
        files = [arg for path in SECRET_FILES for arg in ("--file", path)]
        keystow(repo, "run", *files, "--", sys.executable, "-c", APP, check_codes=(0,))


def show_new_lines(repo: Path) -> None:
    """`git diff --stat` and the added lines only: a demo must not print the old secrets either."""
    subprocess.call(["git", "--no-pager", "diff", "--stat"], cwd=repo)
    diff = subprocess.run(["git", "--no-pager", "diff", "-U0", "--no-color"], cwd=repo,
                          capture_output=True, text=True).stdout
    for line in diff.splitlines():
        if line.startswith("+++ "):
            print(line[4:].removeprefix("b/"))
        elif line.startswith("+"):
            print("   " + line)


@contextmanager
def aws_environment(endpoint: str):
    saved = {name: os.environ.get(name) for name in (*DEMO_AWS_ENV, "AWS_ENDPOINT_URL", "AWS_PROFILE")}
    os.environ.update(DEMO_AWS_ENV, AWS_ENDPOINT_URL=endpoint)
    os.environ.pop("AWS_PROFILE", None)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
