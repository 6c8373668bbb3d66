"""Bad input on disk (`keystow scan PATH`): every case completes without a traceback, says what
it skipped, exits as documented (0 clean, 1 findings) and still scans everything else."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
import time

import pytest

from tests.helpers import git
from tests.reliability.kit import (
    fake_key,
    found_keys,
    leak_line,
    scan_json,
    unprivileged_prefix,
)

CONTROL = "control.py"  # a plain file with a secret in every tree: proves the rest is scanned


def tree(root, files: dict):
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)
    (root / CONTROL).write_text("x = 1\n" + leak_line(1))
    return root


def test_empty_files(tmp_path):
    tree(tmp_path, {"empty.py": b"", "empty.txt": b"", "sub/empty": b""})
    code, doc, err = scan_json(".", cwd=tmp_path)
    assert code == 1 and found_keys(doc) == {(CONTROL, 2)}
    assert doc["summary"]["scanned_blobs"] == 4


@pytest.mark.parametrize("name", ["data.bin", "module.py"])
def test_binary_file_is_skipped_and_said(tmp_path, name):
    tree(tmp_path, {name: b"\x7fELF\x00\x01\x02" + leak_line(2).encode() + bytes(range(256))})
    code, doc, err = scan_json("-v", ".", cwd=tmp_path)
    assert code == 1 and found_keys(doc) == {(CONTROL, 2)}
    assert f"skipped {name}: binary file" in err


def test_invalid_utf8_keeps_positions(tmp_path):
    tree(tmp_path, {"bad.py": b"# \xc3\x28 \x80\x80 \xed\xa0\x80\n# \xff\n" + leak_line(3).encode()})
    code, doc, err = scan_json(".", cwd=tmp_path)
    assert code == 1 and found_keys(doc) == {(CONTROL, 2), ("bad.py", 3)}
    [finding] = [f for f in doc["findings"] if f["path"] == "bad.py"]
    assert finding["column"] == 12


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("bom", [True, False], ids=["bom", "no-bom"])
def test_utf16(tmp_path, encoding, bom):
    text = "a = 1\n\n" + leak_line(4)
    data = (codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE) if bom else b""
    tree(tmp_path, {"wide.py": data + text.encode(encoding)})
    code, doc, err = scan_json(".", cwd=tmp_path)
    assert code == 1 and found_keys(doc) == {(CONTROL, 2), ("wide.py", 3)}
    [finding] = [f for f in doc["findings"] if f["path"] == "wide.py"]
    assert finding["column"] == 12


@pytest.mark.parametrize("newlines, line", [(["\r\n"] * 4, 5), (["\r\n", "\n", "\r\n", "\n"], 5),
                                            (["\n", "\r\n", "\n", "\r\n"], 5)],
                         ids=["crlf", "mixed-crlf-first", "mixed-lf-first"])
def test_line_endings_keep_line_numbers_exact(repo, newlines, line):
    body = "".join(f"line{i}{end}" for i, end in enumerate(newlines)) + leak_line(5).replace("\n", "\r\n")
    tree(repo, {"win.py": body.encode()})
    code, doc, _ = scan_json(".", cwd=repo)
    assert code == 1 and found_keys(doc) == {(CONTROL, 2), ("win.py", line)}
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "crlf")
    code, doc, _ = scan_json("--history", cwd=repo)
    assert code == 1 and found_keys(doc) == {(CONTROL, 2), ("win.py", line)}


def test_50_mb_single_line_minified_file(tmp_path):
    chunk = b"var a=function(b){return b*2};"
    half = chunk * (25 * (1 << 20) // len(chunk))
    key = fake_key(6)
    tree(tmp_path, {"bundle.min.js": half + b'var k="' + key.encode() + b'";' + half})
    code, doc, err = scan_json("--max-file-size", "64MiB", ".", cwd=tmp_path)
    assert code == 1 and found_keys(doc) == {(CONTROL, 2), ("bundle.min.js", 1)}
    assert doc["summary"]["scanned_bytes"] > 50 * 10**6


def test_1_gb_sparse_file_is_skipped_without_reading_it(tmp_path):
    tree(tmp_path, {})
    sparse = tmp_path / "huge.log"
    with open(sparse, "wb") as handle:
        handle.truncate(1 << 30)
    # The size check comes before the read: with the file unreadable as well, the reason given
    # is its size (it was never opened), and the process never holds more than a few dozen MiB.
    sparse.chmod(0o000)
    prefix = unprivileged_prefix() or ()
    start = time.monotonic()
    # A fresh wrapper process runs keystow and reports its child's peak RSS (RUSAGE_CHILDREN of
    # the wrapper holds that one child only).
    wrapper = ("import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
               "sys.stderr.write('MAXRSS=%d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
               "sys.exit(code)")
    result = subprocess.run([*prefix, sys.executable, "-c", wrapper, sys.executable, "-m", "keystow", "scan", "-v",
                             "--format", "json", "."], cwd=tmp_path, capture_output=True, timeout=120)
    elapsed = time.monotonic() - start
    err = result.stderr
    assert result.returncode == 1 and b"Traceback" not in err
    assert b"skipped huge.log: larger than the size limit (1024.0 MiB > 10.0 MiB)" in err
    max_rss_kib = int(err.split(b"MAXRSS=")[1].split()[0])
    assert max_rss_kib < 400 * 1024  # far below the 1 GiB a read would hold
    assert elapsed < 60


def test_20000_small_files(tmp_path):
    for index in range(20_000):
        directory = tmp_path / f"d{index // 500:02d}"
        if index % 500 == 0:
            directory.mkdir()
        (directory / f"f{index}.txt").write_bytes(b"value = %d\n" % index)
    tree(tmp_path, {"d13/deep.py": "# x\n" + leak_line(7)})
    code, doc, _ = scan_json(".", cwd=tmp_path)
    assert code == 1 and found_keys(doc) == {(CONTROL, 2), ("d13/deep.py", 2)}
    assert doc["summary"]["scanned_blobs"] == 20_002


@pytest.mark.parametrize("in_git", [False, True], ids=["plain-dir", "git"])
def test_symlink_loops_and_links_outside_are_not_followed(tmp_path, in_git):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text(leak_line(8))
    root = tmp_path / "tree"
    root.mkdir()
    if in_git:
        git(root, "init", "-q")
    tree(root, {"sub/ok.txt": "x\n"})
    os.symlink(".", root / "sub" / "loop")
    os.symlink("b", root / "a")
    os.symlink("a", root / "b")
    os.symlink(outside, root / "out-dir")
    os.symlink(outside / "secret.py", root / "out-file.py")
    code, doc, err = scan_json("-v", ".", cwd=root)
    assert code == 1 and found_keys(doc) == {(CONTROL, 2)}
    assert "skipped out-file.py: symlink not followed" in err
    assert "secret.py" not in err.replace("out-file.py", "")


needs_caps = pytest.mark.skipif(
    unprivileged_prefix() is None,
    reason="running as root without setpriv to drop CAP_DAC_OVERRIDE: root reads every file",
)


@needs_caps
def test_unreadable_file_and_directory_are_warned_and_the_rest_scanned(tmp_path):
    tree(tmp_path, {"locked.py": leak_line(9), "closed/inside.py": leak_line(10), "open/fine.py": leak_line(11)})
    (tmp_path / "locked.py").chmod(0o000)
    (tmp_path / "closed").chmod(0o000)
    try:
        code, doc, err = scan_json(".", cwd=tmp_path, prefix=unprivileged_prefix())
    finally:
        (tmp_path / "closed").chmod(0o755)
    assert code == 1 and found_keys(doc) == {(CONTROL, 2), ("open/fine.py", 1)}
    assert "skipped locked.py: cannot read: Permission denied" in err
    assert "skipped closed: cannot read directory: Permission denied" in err


@needs_caps
def test_unreadable_tracked_file_in_git(repo):
    tree(repo, {"locked.py": leak_line(12)})
    git(repo, "add", ".")
    (repo / "locked.py").chmod(0o000)
    code, doc, err = scan_json(".", cwd=repo, prefix=unprivileged_prefix())
    assert code == 1 and found_keys(doc) == {(CONTROL, 2)}
    assert "skipped locked.py: cannot read: Permission denied" in err


ODD_NAMES = [b"with space.py", b"new\nline.py", b"latin-\xe9\xff.py", b" lead and tail .py"]


@pytest.mark.parametrize("mode", ["plain-dir", "git-worktree", "staged", "history"])
def test_odd_file_names(tmp_path, mode):
    root = tmp_path / "tree"
    root.mkdir()
    if mode != "plain-dir":
        git(root, "init", "-q")
    for seed, name in enumerate(ODD_NAMES, 20):
        (root / os.fsdecode(name)).write_text("x = 1\n" + leak_line(seed))
    tree(root, {})
    if mode != "plain-dir":
        git(root, "add", ".")
    if mode == "history":
        git(root, "commit", "-qm", "odd names")
    args = {"plain-dir": ["."], "git-worktree": ["."], "staged": ["--staged"], "history": ["--history"]}[mode]
    code, doc, _ = scan_json(*args, cwd=root)
    assert code == 1
    assert found_keys(doc) == {(CONTROL, 2)} | {(os.fsdecode(name), 2) for name in ODD_NAMES}
