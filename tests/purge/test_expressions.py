"""Replace-text expressions, parsed and applied by git-filter-repo's own code."""

from __future__ import annotations

import os
import stat

import pytest
from git_filter_repo import FilteringOptions

from keystow.findings import Finding, Location
from keystow.purge.expressions import expression_line, private_file, replace_text
from keystow.purge.plan import Target
from testing.fakes import Fakes


def apply_like_filter_repo(expressions: bytes, data: bytes, tmp_path) -> bytes:
    """What filter-repo does to one blob with these expressions (literals first, then regexes)."""
    path = tmp_path / "expressions"
    path.write_bytes(expressions)
    parsed = FilteringOptions.get_replace_text(str(path).encode())
    for literal, replacement in parsed["literals"]:
        data = data.replace(literal, replacement)
    for regex, replacement in parsed["regexes"]:
        data = regex.sub(replacement, data)
    return data


def target(secret: str, replacement: str = "***GONE***") -> Target:
    return Target(Finding("rule", "Rule", "high", secret, (Location("f", 1, 1, 1, 1),)), replacement)


@pytest.mark.parametrize("secret", [
    Fakes(1).password(20),
    Fakes(2).password(8) + "==>" + Fakes(3).password(8),  # would cut a literal line short
    "literal:" + Fakes(4).password(12),                   # looks like a prefix
    "regex:.*" + Fakes(5).password(12),                   # looks like a regex
    "tab\there" + Fakes(6).password(8),
    Fakes(7).rsa_private_key_pem(),                        # multi-line
    Fakes(8).rsa_private_key_pem().replace("\n", "\r\n"),  # multi-line, CRLF
    "ünïcødé-" + Fakes(9).password(12),
])
def test_secret_is_replaced_exactly(secret, tmp_path):
    data = f"before\n{secret}\nmiddle {secret} after\n.*literal: regex:\n".encode()
    out = apply_like_filter_repo(replace_text([target(secret)]), data, tmp_path)
    assert out == b"before\n***GONE***\nmiddle ***GONE*** after\n.*literal: regex:\n"


def test_multiline_and_arrow_secrets_use_escaped_regex_lines():
    pem = Fakes(7).rsa_private_key_pem()
    line = expression_line(pem, "X")
    assert line.startswith(b"regex:") and b"\n" not in line and line.count(b"==>") == 1
    assert expression_line("ab==>cd", "X").startswith(b"regex:")
    assert expression_line("plain", "X") == b"literal:plain==>X"


def test_backslashes_in_a_regex_replacement_stay_literal(tmp_path):
    out = apply_like_filter_repo(replace_text([target("a\nb", r"C:\new\1")]), b"xa\nby", tmp_path)
    assert out == rb"xC:\new\1y"


def test_longer_secret_is_replaced_before_a_secret_inside_it(tmp_path):
    password = Fakes(3).password(16)
    url = f"postgres://app:{password}@db:5432/x"
    expressions = replace_text([target(password, "P"), target(url, "URL")])
    assert apply_like_filter_repo(expressions, f"{url} {password}".encode(), tmp_path) == b"URL P"


def test_literal_inside_a_multiline_secret_does_not_break_it(tmp_path):
    pem = Fakes(7).rsa_private_key_pem()
    inner = pem.splitlines()[2]
    expressions = replace_text([target(inner, "LINE"), target(pem, "KEY")])
    assert apply_like_filter_repo(expressions, f"{pem}|{inner}".encode(), tmp_path) == b"KEY|LINE"


def test_private_file_is_owner_only_and_removed(tmp_path):
    with private_file(b"secret line\n") as path:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
        assert path.read_bytes() == b"secret line\n"
    assert not path.exists() and not path.parent.exists()


def test_private_file_is_removed_when_the_rewrite_fails():
    with pytest.raises(RuntimeError):
        with private_file(b"x") as path:
            raise RuntimeError("filter-repo failed")
    assert not path.parent.exists()
