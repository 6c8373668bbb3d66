"""Configuration: .keystow.toml or [tool.keystow]; unknown keys warn, bad values exit 2."""

from __future__ import annotations

import pytest

from keystow.config import Config, load_config, parse_size
from keystow.errors import ConfigError
from tests.helpers import run_keystow


def test_defaults_without_config(tmp_path):
    assert load_config(tmp_path) == Config()


def test_keystow_toml_is_parsed(tmp_path):
    (tmp_path / ".keystow.toml").write_text(
        'disabled_rules = ["jwt"]\nallow_paths = ["vendor/**"]\nmax_file_size = "2MiB"\nstopwords = ["Local"]\n')
    config = load_config(tmp_path)
    assert config.disabled_rules == {"jwt"}
    assert config.allow_paths == ("vendor/**",)
    assert config.max_file_size == 2 * 1024 * 1024
    assert config.stopwords == ("local",)


def test_pyproject_tool_table_is_used(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname="x"\n[tool.keystow]\nmax_file_size = 1000\n')
    assert load_config(tmp_path).max_file_size == 1000


def test_unknown_key_warns_naming_it(tmp_path):
    (tmp_path / ".keystow.toml").write_text("colour = 'blue'\n")
    assert any("'colour'" in w for w in load_config(tmp_path).warnings)


@pytest.mark.parametrize("text, message", [
    ("max_file_size = 'lots'", "max_file_size"),
    ("disabled_rules = 'jwt'", "disabled_rules must be a list"),
    ("allow_regexes = ['(']", "does not compile"),
    ("invalid_checksum = 'maybe'", "invalid_checksum"),
    ("= broken", "invalid TOML"),
])
def test_invalid_values_are_config_errors(tmp_path, text, message):
    (tmp_path / ".keystow.toml").write_text(text + "\n")
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path)


@pytest.mark.parametrize(
    "text, size", [("10MiB", 10 << 20), ("512K", 512 << 10), ("1G", 1 << 30), ("77", 77), (42, 42)]
)
def test_sizes(text, size):
    assert parse_size(text) == size


def test_cli_invalid_config_is_one_line_and_exit_2(tmp_path):
    (tmp_path / ".keystow.toml").write_text("max_file_size = -3\n")
    (tmp_path / "a.txt").write_text("hello\n")
    result = run_keystow("scan", ".", cwd=tmp_path)
    assert result.returncode == 2
    stderr = result.stderr.decode().strip().splitlines()
    assert len(stderr) == 1 and "max_file_size" in stderr[0]
    assert b"Traceback" not in result.stderr


def test_cli_unknown_key_warns_and_still_scans(tmp_path):
    (tmp_path / ".keystow.toml").write_text("colour = 'blue'\n")
    (tmp_path / "a.txt").write_text("hello\n")
    result = run_keystow("scan", ".", cwd=tmp_path)
    assert result.returncode == 0
    assert b"unknown key 'colour'" in result.stderr
