"""Source rewrites per language, each checked by that language's own parser or compiler where the
machine has it (Python `ast`, `node --check`, `javac`, `rustc`, `gofmt -e`); a missing tool skips
only its own check, with the reason."""

from __future__ import annotations

import ast
import shutil
import subprocess
from pathlib import Path

import pytest

from testing.fakes import ALNUM, Fakes
from tests.migrate.reference_cases import SSM, rewrite

SECRET = Fakes(21).chars(ALNUM, 20)
BOM = "\ufeff"


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed on this machine: the rewrite is checked by text only")
    return found


def _compiles(command: list[str], cwd: Path) -> None:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_python_with_a_bom_is_rewritten_after_the_bom():
    text = f'{BOM}"""Settings."""\nTOKEN = "{SECRET}"\n'
    new, change = rewrite("app/settings.py", text, {SECRET: SSM}, {SECRET: "TOKEN"})
    assert not change.manual
    assert new == f'{BOM}"""Settings."""\nimport os\nTOKEN = os.environ["TOKEN"]\n'
    ast.parse(new.encode("utf-8"))  # what the interpreter does with the file's bytes


def test_python_with_a_bom_and_no_preamble():
    new, _ = rewrite("a.py", f'{BOM}TOKEN = "{SECRET}"\n', {SECRET: SSM}, {SECRET: "TOKEN"})
    assert new == f'{BOM}import os\nTOKEN = os.environ["TOKEN"]\n'


def test_go_single_import_becomes_one_block(tmp_path):
    text = f'package main\n\nimport "fmt"\n\nfunc main() {{\n\tfmt.Println("{SECRET}")\n}}\n'
    new, _ = rewrite("main.go", text, {SECRET: SSM}, {SECRET: "API_TOKEN"})
    assert new.count("import") == 1
    assert 'import (\n\t"fmt"\n\t"os"\n)\n' in new
    _gofmt(tmp_path, new)


def test_go_os_joins_the_existing_block_in_order(tmp_path):
    text = (f'package main\n\nimport (\n\t"fmt"\n\t"strings"\n\n\t"example.com/lib"\n)\n\n'
            f'var k = strings.ToUpper("{SECRET}")\n\nfunc main() {{ fmt.Println(k, lib.X) }}\n')
    new, _ = rewrite("main.go", text, {SECRET: SSM}, {SECRET: "K"})
    assert 'import (\n\t"fmt"\n\t"os"\n\t"strings"\n\n\t"example.com/lib"\n)\n' in new
    assert new.count("import") == 1
    _gofmt(tmp_path, new)


def _gofmt(tmp_path: Path, text: str) -> None:
    gofmt = _tool("gofmt")
    (tmp_path / "main.go").write_text(text)
    _compiles([gofmt, "-e", "-l", "main.go"], tmp_path)


def test_javascript_passes_node_check(tmp_path):
    text = f'const token = "{SECRET}";\nconst header = `Bearer {SECRET}`;\nmodule.exports = {{ token, header }};\n'
    new, _ = rewrite("client.js", text, {SECRET: SSM}, {SECRET: "API_TOKEN"})
    assert "process.env.API_TOKEN;" in new
    (tmp_path / "client.js").write_text(new)
    _compiles([_tool("node"), "--check", "client.js"], tmp_path)


def test_java_compiles(tmp_path):
    text = (f'public class Client {{\n    private static final String TOKEN = "{SECRET}";\n'
            f'    static String header() {{ return "Bearer {SECRET}x"; }}\n}}\n')
    secrets = {SECRET: SSM, SECRET + "x": SSM}
    new, _ = rewrite("Client.java", text, secrets, {SECRET: "TOKEN", SECRET + "x": "HEADER_TOKEN"})
    assert 'TOKEN = System.getenv("TOKEN");' in new
    assert 'return "Bearer " + System.getenv("HEADER_TOKEN") + "";' in new
    (tmp_path / "Client.java").write_text(new)
    _compiles([_tool("javac"), "-d", str(tmp_path / "out"), "Client.java"], tmp_path)


def test_kotlin_const_val_becomes_val():
    new, change = rewrite("App.kt", f'const val TOKEN = "{SECRET}"\n', {SECRET: SSM}, {SECRET: "TOKEN"})
    assert new == 'val TOKEN = System.getenv("TOKEN")\n' and change.kind == "source:kotlin"


def test_csharp_reads_the_environment_and_leaves_const_and_verbatim_manual():
    text = (f'class C {{\n    string token = "{SECRET}";\n    const string K = "{SECRET}k";\n'
            f'    string v = @"{SECRET}v";\n}}\n')
    secrets = {SECRET: SSM, SECRET + "k": SSM, SECRET + "v": SSM}
    new, change = rewrite("C.cs", text, secrets, {s: "TOKEN" for s in secrets})
    assert 'string token = System.Environment.GetEnvironmentVariable("TOKEN");' in new
    assert {reason for _, reason in change.manual} == {
        "a const declaration cannot hold a run-time value", "prefixed, raw or triple-quoted string literal"}


def test_php_joins_with_a_dot():
    text = f'<?php\n$token = \'{SECRET}\';\n$url = "https://x:{SECRET}u@host";\n'
    secrets = {SECRET: SSM, SECRET + "u": SSM}
    new, _ = rewrite("config.php", text, secrets, {SECRET: "TOKEN", SECRET + "u": "URL_PASSWORD"})
    assert new == "<?php\n$token = getenv('TOKEN');\n$url = \"https://x:\" . getenv('URL_PASSWORD') . \"@host\";\n"


def test_ruby_uses_env_fetch():
    new, _ = rewrite("config.rb", f'TOKEN = "{SECRET}"\n', {SECRET: SSM}, {SECRET: "TOKEN"})
    assert new == 'TOKEN = ENV.fetch("TOKEN")\n'


def test_rust_whole_literal_compiles_and_const_is_manual(tmp_path):
    text = (f'pub fn token() -> &\'static str {{\n    let t = "{SECRET}";\n    t\n}}\n'
            f'pub const K: &str = "{SECRET}k";\n')
    secrets = {SECRET: SSM, SECRET + "k": SSM}
    new, change = rewrite("src/lib.rs", text, secrets, {SECRET: "API_TOKEN", SECRET + "k": "K"})
    assert 'let t = std::env::var("API_TOKEN").expect("API_TOKEN is not set").leak();' in new
    assert change.manual[0][1] == "a const declaration cannot hold a run-time value"
    (tmp_path / "lib.rs").write_text(new)
    _compiles([_tool("rustc"), "--edition", "2021", "--crate-type", "lib", "--emit", "metadata",
               "-o", str(tmp_path / "lib.rmeta"), "lib.rs"], tmp_path)


def test_powershell_whole_and_interpolated():
    text = f'$token = "{SECRET}"\nInvoke-RestMethod -Headers @{{Authorization = "Bearer {SECRET}x"}}\n'
    secrets = {SECRET: SSM, SECRET + "x": SSM}
    new, _ = rewrite("deploy.ps1", text, secrets, {SECRET: "TOKEN", SECRET + "x": "API_TOKEN"})
    assert new == '$token = $env:TOKEN\nInvoke-RestMethod -Headers @{Authorization = "Bearer $($env:API_TOKEN)"}\n'
