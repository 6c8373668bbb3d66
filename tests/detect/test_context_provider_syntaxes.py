"""Context provider rules (provider name + credential word + fixed-shape value, the shared `assign`
fragment of the finance / monitoring / AI / data / media rule files) find their value in every
assignment syntax the peer scanners' own rule examples use: gitleaks' generated cases (INI, JSON,
escaped JSON, XML, YAML block scalars, Go, PHP, Makefile, CSV, logstash) and Kingfisher's
"provider SECRET value" lines."""

from __future__ import annotations

import pytest

from keystow.config import Config
from keystow.detect.matcher import hyperscan_available
from keystow.detect.scanner import Blob, FilterPolicy, Scanner
from keystow.pipeline.scanning import load_ruleset
from testing.fakes import Fakes

ENGINES = ["re"] + (["hyperscan"] if hyperscan_available() else [])
_fakes = Fakes(61)
UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
HEX = "0123456789abcdef"
ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"

# (rule id, the provider name peers put in the variable, a value of the rule's shape)
CASES = [
    ("etherscan-api-key", "etherscan", _fakes.chars(UPPER, 34)),
    ("particle-access-token", "particle", _fakes.chars(HEX, 40)),
    ("kraken-access-token", "kraken", _fakes.chars(ALNUM + "+/", 86)),
    ("sumologic-access-key", "sumologic", _fakes.chars(ALNUM, 64)),
    ("paystack-live-secret-key", "paystack", "sk_live_" + _fakes.chars(HEX, 40)),
]

SYNTAXES = [
    '{i}Token="{s}"', '{i}Token = "{s}"', "{i}Token={s}", "{i}Token = {s}",
    '{{\n    "{i}_token": "{s}"\n}}', '\\{{\n    \\"{i}_token\\": \\"{s}\\"\n\\}}',
    "<{i}Token>{s}</{i}Token>", "<{i}Token>\n    {s}\n</{i}Token>",
    "{i}_token: {s}", "{i}_token: '{s}'", '{i}_token: "{s}"', "{i}_token: |\n  {s}", "{i}_token: >\n  {s}",
    'string {i}Token = "{s}";', 'var {i}Token string = "{s}"', '{i}Token := "{s}"', "{i}Token := `{s}`",
    'String {i}Token = "{s}";', '${i}Token .= "{s}"', "{i}Token = '{s}'",
    "{i}Token,{s},", '  "{i}Token" => "{s}"',
    '{I}_TOKEN = "{s}"', '{I}_TOKEN := "{s}"', '{I}_TOKEN ::= "{s}"', '{I}_TOKEN :::= "{s}"',
    '{I}_TOKEN ?= "{s}"', '{I}_TOKEN += "{s}"',
    "{i} SECRET={s}", "{i} PRIVATE_KEY {s}", "{i}.access_token={s}", "export {I}_API_KEY='{s}'",
    '#define {I}_AUTH_TOKEN "{s}"',
]


@pytest.fixture(scope="module", params=ENGINES)
def scanner(request):
    return Scanner(load_ruleset(Config()), FilterPolicy(inline_allow=False), request.param)


def found(scanner: Scanner, rule_id: str, text: str) -> list[str]:
    return [f.secret for f in scanner.scan(Blob("config.txt", text.encode())) if f.rule_id == rule_id]


@pytest.mark.parametrize("syntax", SYNTAXES)
@pytest.mark.parametrize(("rule_id", "provider", "value"), CASES, ids=[case[0] for case in CASES])
def test_context_rule_finds_the_value_in_every_peer_syntax(scanner, rule_id, provider, value, syntax):
    text = syntax.format(i=provider, I=provider.upper(), s=value)
    assert found(scanner, rule_id, text) == [value]


@pytest.mark.parametrize(("rule_id", "provider", "value"), CASES, ids=[case[0] for case in CASES])
def test_context_rule_needs_a_credential_name_and_the_whole_value(scanner, rule_id, provider, value):
    assert found(scanner, rule_id, f"{provider}_url = {value}") == []
    assert found(scanner, rule_id, f"{provider.upper()}_API_KEY={value[: len(value) // 2]}") == []
    assert found(scanner, rule_id, f"{provider.upper()}_API_KEY={value}{value[:5]}") == []
