from __future__ import annotations

import ast

from testing.fakes import ALNUM, Fakes
from tests.migrate.reference_cases import SSM, rewrite

# A fake secret made at run time, so this file holds no credential-shaped literal.
SECRET = Fakes(12).chars(ALNUM, 12)


def test_python_whole_literal_and_import_after_docstring_and_future():
    text = f'"""Doc."""\nfrom __future__ import annotations\n\nimport sys\nPASSWORD = "{SECRET}"\r\n'
    new, change = rewrite("app/settings.py", text, {SECRET: SSM}, {SECRET: "PASSWORD"})
    assert new == ('"""Doc."""\nfrom __future__ import annotations\n\nimport os\r\nimport sys\n'
                   'PASSWORD = os.environ["PASSWORD"]\r\n')
    ast.parse(new)
    assert change.manifest == {"PASSWORD": "ssm:/app/db_password"}


def test_python_part_of_a_literal_becomes_concatenation():
    text = f'import os\nURL = "postgres://app:{SECRET}@db:5432/orders"\n'
    new, _ = rewrite("db.py", text, {SECRET: SSM}, {SECRET: "DB_PASSWORD"})
    assert new == 'import os\nURL = "postgres://app:" + os.environ["DB_PASSWORD"] + "@db:5432/orders"\n'
    ast.parse(new)


def test_python_fstring_and_triple_quotes_are_manual():
    text = f'A = f"{SECRET}"\nB = """{SECRET}x"""\n'
    new, change = rewrite("a.py", text, {SECRET: SSM, SECRET + "x": SSM}, {SECRET: "A", SECRET + "x": "B"})
    assert new == text
    assert {reason for _, reason in change.manual} == {"prefixed, raw or triple-quoted string literal"}


def test_javascript_go_java():
    js, _ = rewrite("a.ts", f"const k = `Bearer {SECRET}`;\n", {SECRET: SSM}, {SECRET: "API_KEY"})
    assert js == "const k = `Bearer ${process.env.API_KEY}`;\n"
    go, _ = rewrite("m.go", f'package main\n\nimport "fmt"\n\nvar k = "{SECRET}"\n', {SECRET: SSM}, {SECRET: "K"})
    assert go == 'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nvar k = os.Getenv("K")\n'
    java, _ = rewrite("A.java", f'String k = "{SECRET}";\n', {SECRET: SSM}, {SECRET: "K"})
    assert java == 'String k = System.getenv("K");\n'


def test_not_a_string_literal_is_manual():
    new, change = rewrite("a.js", f"// token {SECRET}\n", {SECRET: SSM}, {SECRET: "K"})
    assert new == f"// token {SECRET}\n" and change.manual[0][1] == "not inside a one-line string literal"


def test_shell_quoting():
    text = f"A={SECRET}1\nB=\"x{SECRET}2\"\nC='{SECRET}3'\nD='x{SECRET}4'\n"
    env = {SECRET + n: v for n, v in (("1", "A"), ("2", "B"), ("3", "C"), ("4", "D"))}
    new, _ = rewrite("run.sh", text, {s: SSM for s in env}, env)
    assert new == 'A="${A}"\nB="x${B}"\nC="${C}"\nD=\'x\'"${D}"\'\'\n'


def test_dockerfile_declares_the_build_arg_once():
    text = f"FROM alpine\nENV A={SECRET}\nRUN echo '{SECRET}b'\n"
    new, change = rewrite("Dockerfile", text, {SECRET: SSM, SECRET + "b": SSM}, {SECRET: "A", SECRET + "b": "A"})
    assert new == 'FROM alpine\nARG A\nENV A="${A}"\nRUN echo "${A}"\n'
    assert change.kind == "dockerfile"


def test_go_constants():
    text = f'package main\n\nimport "os"\n\nconst k = "{SECRET}"\n\nconst (\n\tj = "{SECRET}x"\n)\n'
    new, change = rewrite("c.go", text, {SECRET: SSM, SECRET + "x": SSM}, {SECRET: "K", SECRET + "x": "J"})
    assert 'var k = os.Getenv("K")\n' in new and f'\tj = "{SECRET}x"\n' in new
    assert change.manual[0][1] == "inside a const block"


def test_python_import_inside_a_function_does_not_count():
    text = f'def f():\n    import os\n\n\nTOKEN = "{SECRET}"\n'
    new, _ = rewrite("a.py", text, {SECRET: SSM}, {SECRET: "TOKEN"})
    assert new == 'import os\ndef f():\n    import os\n\n\nTOKEN = os.environ["TOKEN"]\n'
