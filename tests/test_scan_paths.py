"""`keystow scan PATH`: what is skipped and said, encodings, exact positions, stdin, .gitignore
outside git, exit codes and config errors. Most runs are in-process (`keystow.cli.main`); stdin
runs the real CLI in a subprocess."""

from __future__ import annotations

import json
import os

import pytest

from keystow.cli.main import main
from testing.fakes import Fakes
from tests.helpers import git, run_keystow

TOKEN = Fakes(21).github_token()
LEAK = f'GITHUB_TOKEN = "{TOKEN}"\n'


def scan(capsys, monkeypatch, cwd, *args):
    """(exit code, JSON report, stderr) of `keystow scan --format json ARGS` run in `cwd`."""
    monkeypatch.chdir(cwd)
    code = main(["scan", "--format", "json", *args])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip() else None), err


def write(path, content):
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)
    return path


def places(report):
    return sorted((f["path"], f["line"], f["column"]) for f in report["findings"])


def test_binary_file_is_skipped_with_a_notice(tmp_path, capsys, monkeypatch):
    write(tmp_path / "blob.bin", b"\x00\x01" + LEAK.encode())
    code, report, err = scan(capsys, monkeypatch, tmp_path, ".", "--verbose")
    assert code == 0 and report["findings"] == []
    assert report["skipped"] == [{"path": "blob.bin", "reason": "binary file", "kind": "binary"}]
    assert "skipped blob.bin: binary file" in err


def test_max_file_size(tmp_path, capsys, monkeypatch):
    write(tmp_path / "big.py", "# padding\n" * 300 + LEAK)
    code, report, _ = scan(capsys, monkeypatch, tmp_path, ".", "--max-file-size", "1KiB")
    assert code == 0 and report["skipped"][0]["kind"] == "too-large"
    code, report, _ = scan(capsys, monkeypatch, tmp_path, ".")
    assert code == 1 and places(report) == [("big.py", 301, 17)]


def test_unreadable_file_is_warned_and_the_rest_scanned(repo, capsys, monkeypatch):
    write(repo / "gone.py", "x = 1\n")
    write(repo / "leak.py", LEAK)
    git(repo, "add", ".")
    (repo / "gone.py").unlink()  # still listed by git, no longer on disk
    code, report, err = scan(capsys, monkeypatch, repo, ".")
    assert code == 1 and places(report) == [("leak.py", 1, 17)]
    assert "skipped gone.py: cannot read" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_file_without_read_permission(tmp_path, capsys, monkeypatch):
    write(tmp_path / "leak.py", LEAK)
    os.chmod(write(tmp_path / "locked.py", "x = 1\n"), 0)
    code, report, err = scan(capsys, monkeypatch, tmp_path, ".")
    assert code == 1 and "skipped locked.py: cannot read" in err


def test_invalid_utf8_keeps_line_and_column_exact(tmp_path, capsys, monkeypatch):
    write(tmp_path / "mixed.py", b"# caf\xe9\n\xff\xfeok = '\xc3\xa9\xff' + \"" + TOKEN.encode() + b'"\n')
    code, report, _ = scan(capsys, monkeypatch, tmp_path, ".")
    # line 2: two invalid bytes, `ok = '`, an é, an invalid byte, `' + "`: the token starts at column 16
    assert code == 1 and places(report) == [("mixed.py", 2, 16)]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_with_bom(tmp_path, capsys, monkeypatch, encoding):
    text = "# ünïcode\n\n    token = '" + TOKEN + "'\n"
    data = text.encode(encoding) if encoding == "utf-16" else b"\xfe\xff" + text.encode(encoding)
    write(tmp_path / "wide.py", data)
    code, report, _ = scan(capsys, monkeypatch, tmp_path, ".")
    assert code == 1 and places(report) == [("wide.py", 3, 14)]


def test_stdin(tmp_path):
    result = run_keystow("scan", "-", "--format", "json", cwd=tmp_path, input=b"\n" + LEAK.encode())
    assert result.returncode == 1
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["path"], finding["line"], finding["column"]) == ("<stdin>", 2, 17)


def test_gitignore_is_honoured_outside_git(tmp_path, capsys, monkeypatch):
    tree = tmp_path / "tree"
    write(tree / ".gitignore", "*.log\nbuild/\n")
    write(tree / "sub" / ".gitignore", "local.py\n")
    for name in ("app.log", "build/out.py", "sub/local.py", "sub/kept.py"):
        write(tree / name, LEAK)
    code, report, _ = scan(capsys, monkeypatch, tree, ".")
    assert code == 1 and [p[0] for p in places(report)] == [os.path.join("sub", "kept.py")]


def test_gitignore_is_honoured_outside_git_unless_no_ignore(tmp_path, capsys, monkeypatch):
    tree = tmp_path / "tree"
    write(tree / ".gitignore", "build/\n")
    write(tree / "build" / "out.py", LEAK)
    assert scan(capsys, monkeypatch, tree, ".")[0] == 0
    code, report, _ = scan(capsys, monkeypatch, tree, ".", "--no-ignore")
    assert code == 1 and [p[0] for p in places(report)] == [os.path.join("build", "out.py")]


def _repo_ignoring_dist(tmp_path):
    git(tmp_path, "init", "-q")
    write(tmp_path / ".gitignore", "dist/\n")
    write(tmp_path / "app.py", "x = 1\n")
    write(tmp_path / "dist" / "bundle.js", LEAK)
    return tmp_path


def test_a_directory_git_ignores_is_scanned_when_named(tmp_path, capsys, monkeypatch):
    repo = _repo_ignoring_dist(tmp_path)
    code, report, err = scan(capsys, monkeypatch, repo, "dist")
    assert code == 1 and [p[0] for p in places(report)] == [os.path.join("dist", "bundle.js")]
    assert "dist: scanned although git ignores it (named on the command line)" in err


def test_a_file_git_ignores_is_scanned_when_named_with_a_notice(tmp_path, capsys, monkeypatch):
    repo = _repo_ignoring_dist(tmp_path)
    write(repo / "settings.local.py", LEAK)
    with open(repo / ".gitignore", "a") as ignore:
        ignore.write("*.local.py\n")
    named = [os.path.join("dist", "bundle.js"), "settings.local.py", "app.py"]
    code, report, err = scan(capsys, monkeypatch, repo, *named)
    assert code == 1 and sorted(p[0] for p in places(report)) == sorted(named[:2])
    for path in named[:2]:
        assert f"{path}: scanned although git ignores it (named on the command line)" in err
    assert "app.py: scanned although" not in err  # tracked or not ignored: no notice


def test_ignored_files_under_a_directory_need_no_ignore_in_git(tmp_path, capsys, monkeypatch):
    repo = _repo_ignoring_dist(tmp_path)
    code, report, err = scan(capsys, monkeypatch, repo, ".")
    assert code == 0 and report["summary"]["scanned_blobs"] == 2  # .gitignore and app.py
    code, report, _ = scan(capsys, monkeypatch, repo, ".", "--no-ignore")
    assert code == 1 and [p[0] for p in places(report)] == [os.path.join("dist", "bundle.js")]


def test_a_scan_that_git_hides_everything_from_says_so(tmp_path, capsys, monkeypatch):
    repo = _repo_ignoring_dist(tmp_path)
    write(repo / "logs" / ".gitignore", "*\n")
    write(repo / "logs" / "run.log", LEAK)
    code, report, err = scan(capsys, monkeypatch, repo, "logs")
    assert code == 0 and report["summary"]["scanned_blobs"] == 0
    assert "nothing was scanned: 2 path(s) under logs ignored by git's ignore rules (--no-ignore reads them)" in err


def test_exit_codes(tmp_path, capsys, monkeypatch):
    write(tmp_path / "clean.py", "x = 1\n")
    assert scan(capsys, monkeypatch, tmp_path, ".")[0] == 0
    write(tmp_path / "leak.py", LEAK)
    assert scan(capsys, monkeypatch, tmp_path, ".")[0] == 1
    assert main(["scan", "--no-such-option"]) == 2


def test_unknown_config_key_warns_and_scans(tmp_path, capsys, monkeypatch):
    write(tmp_path / ".keystow.toml", 'colour = "blue"\n')
    write(tmp_path / "leak.py", LEAK)
    code, report, err = scan(capsys, monkeypatch, tmp_path, ".")
    assert code == 1 and len(report["findings"]) == 1
    assert "unknown key 'colour'" in err


def test_invalid_config_value_is_one_line_and_exit_2(tmp_path, capsys, monkeypatch):
    write(tmp_path / ".keystow.toml", 'max_file_size = "lots"\n')
    write(tmp_path / "leak.py", LEAK)
    code, report, err = scan(capsys, monkeypatch, tmp_path, ".")
    assert code == 2 and report is None
    assert len(err.strip().splitlines()) == 1 and "max_file_size" in err
