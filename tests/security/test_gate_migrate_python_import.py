"""Migrate adds `import os` when it rewrites a Python literal to `os.environ[...]`; only a real
top-level import that binds `os` may stand in for it (not text inside a docstring, not an
`import os as o`, not an import nested in a function)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from testing.fakes import ALNUM, Fakes
from tests.migrate.reference_cases import SSM, rewrite

SECRET = Fakes(41).chars(ALNUM, 14)


def run_python(path, env_value: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                          env={**os.environ, "DB_PASSWORD": env_value})


@pytest.mark.parametrize("header", [
    '"""Settings.\n\nUsage:\nimport os\n"""\n',  # `import os` at column 0 inside the module docstring
    "import os as operating_system\n",
    "def helper():\n    import os\n    return os\n",
    "x = '''\nimport os\n'''\n",
])
def test_rewritten_module_runs_when_os_is_only_mentioned(tmp_path, header):
    text = f'{header}PASSWORD = "{SECRET}"\nprint(PASSWORD)\n'
    new, change = rewrite("app/settings.py", text, {SECRET: SSM}, {SECRET: "DB_PASSWORD"})
    assert change.rewritten, change.manual
    script = tmp_path / "settings.py"
    script.write_text(new)
    ran = run_python(script, "from-the-environment")
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == "from-the-environment\n"


def test_real_top_level_import_is_not_duplicated(tmp_path):
    text = f'"""Doc."""\nimport os.path\n\nPASSWORD = "{SECRET}"\nprint(PASSWORD)\n'
    new, _ = rewrite("app/settings.py", text, {SECRET: SSM}, {SECRET: "DB_PASSWORD"})
    assert new.count("import os") == 1
    script = tmp_path / "settings.py"
    script.write_text(new)
    assert run_python(script, "v").stdout == "v\n"
