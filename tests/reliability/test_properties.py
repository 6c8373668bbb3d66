"""Hypothesis: the loaders raise only their one-line error on any input, the JSON and SARIF
writers always produce JSON that round-trips, and the scanner never raises on any bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keystow import baseline as baseline_module
from keystow.config import Config, load_config, parse_config
from keystow.detect.ruleset import load_rule_file, parse_rule
from keystow.detect.scanner import Blob
from keystow.errors import ConfigError, RuleError
from keystow.findings import Finding, Location, Provenance
from keystow.pipeline.result import ScanResult
from keystow.pipeline.scanning import build_scanner, scan_blobs
from keystow.report import ReportOptions, render
from keystow.sources import Skipped
from testing.fakes import Fakes

FAST = settings(
    max_examples=int(__import__("os").environ.get("KEYSTOW_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**12), st.floats(allow_nan=True),
                    st.text(max_size=40))
json_values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                            st.dictionaries(st.text(max_size=12), inner, max_size=4)),
                           max_leaves=12)


def _rule_like(draw_value):
    keys = st.sampled_from(["id", "name", "regex", "severity", "examples", "negative_examples", "keywords",
                            "entropy", "validator", "window", "tags", "description", "confidence", "other"])
    return st.dictionaries(keys, draw_value, max_size=12)


rule_values = st.one_of(json_values, st.sampled_from(["aws-key", "high", "critical", r"AK[A-Z]{4}", r"(a+)+b",
                                                       r"(?P<secret>x{3,})", "[", "", "crc32"]),
                        st.lists(st.sampled_from(["AKABCD", "x", ""]), max_size=3))


@FAST
@given(_rule_like(rule_values))
def test_rule_parser_raises_only_rule_errors(raw):
    try:
        rule = parse_rule(raw, "fuzz.yaml")
    except RuleError as exc:
        assert "\n" not in str(exc)
        return
    assert rule.compiled() is not None


@FAST
@given(
    st.text(max_size=300)
    | st.builds(lambda d: yaml.safe_dump({"rules": d}), st.lists(_rule_like(rule_values), max_size=3))
)
def test_rule_file_loader_raises_only_rule_errors(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("rules") / "fuzz.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    try:
        load_rule_file(path)
    except RuleError as exc:
        assert "\n" not in str(exc)


@FAST
@given(st.dictionaries(st.sampled_from(["disabled_rules", "extra_rules", "allow_paths", "allow_regexes", "stopwords",
                                        "max_file_size", "baseline", "invalid_checksum", "unknown"]),
                       st.one_of(json_values, st.sampled_from(["10MiB", "0", "-1", "5G", "drop", "low", "(", "[a-"])),
                       max_size=8))
def test_config_parser_raises_only_config_errors(table):
    try:
        config = parse_config(table, Path("/x/.keystow.toml"))
    except ConfigError as exc:
        assert "\n" not in str(exc)
        return
    assert isinstance(config, Config) and config.max_file_size > 0


@FAST
@given(st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogateescape")))
def test_config_file_loader_raises_only_config_errors(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("config") / ".keystow.toml"
    path.write_bytes(data)
    try:
        load_config(path.parent, path)
    except ConfigError as exc:
        assert "\n" not in str(exc)


baseline_documents = st.one_of(
    json_values,
    st.builds(lambda salt, entries: {"version": 1, "salt": salt, "entries": entries},
              st.text(max_size=8), st.one_of(json_values, st.lists(st.one_of(json_values, st.fixed_dictionaries(
                  {"kind": st.sampled_from(["sha256", "sha1", "location", "x"]), "rule_id": scalars,
                   "path": scalars},
                  optional={"hash": scalars, "line": scalars, "expires": scalars, "reason": scalars,
                            "verdict": scalars, "owner": scalars})), max_size=4))),
)


@FAST
@given(baseline_documents | st.text(max_size=100))
def test_baseline_loader_raises_only_config_errors_and_round_trips(tmp_path_factory, document):
    path = tmp_path_factory.mktemp("baseline") / ".keystow-baseline.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document), encoding="utf-8",
                    errors="surrogateescape")
    try:
        loaded = baseline_module.load(path)
    except ConfigError as exc:
        assert "\n" not in str(exc)
        return
    path.write_text(loaded.to_text(), encoding="utf-8", errors="surrogateescape")
    again = baseline_module.load(path)
    # An empty optional field is the same as an absent one.
    assert sorted(
        e.to_json() == f.to_json()
        for e, f in zip(
            sorted(again.entries, key=baseline_module.Entry.sort_key),
            sorted(set(loaded.entries), key=baseline_module.Entry.sort_key),
            strict=False,
        )
    ) in ([], [True] * len(again.entries))
    assert len(again.entries) == len(set(loaded.entries))


# --- writers -----------------------------------------------------------------------------------

# Paths come from os.fsdecode: any text, lone surrogates (non-UTF-8 bytes) included.
any_text = st.lists(st.characters(blacklist_categories=("Cs",)) | st.integers(0xDC80, 0xDCFF).map(chr),
                    max_size=30).map("".join)
# Secrets are decoded with errors="replace" (scanner.py): never a surrogate.
plain_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
locations = st.builds(
    Location,
    path=any_text,
    line=st.integers(1, 10**6),
    column=st.integers(1, 10**4),
    end_line=st.integers(1, 10**6),
    end_column=st.integers(1, 10**4),
    blob=st.none() | st.text("0123456789abcdef", min_size=40, max_size=40),
    provenance=st.none()
    | st.builds(
        Provenance,
        commit=st.text("0123456789abcdef", min_size=40, max_size=40),
        author_name=any_text,
        author_email=any_text,
        date=any_text,
    ),
)
secrets = st.text("ABCDEFGHJKLMNPQRSTUVWXYZ23456789abcdefghijkmnopqrstuvwxyz", min_size=24, max_size=40)
findings = st.builds(Finding, rule_id=st.from_regex(r"[a-z0-9]+(-[a-z0-9]+)*", fullmatch=True), rule_name=plain_text,
                     severity=st.sampled_from(["critical", "high", "medium", "low"]), secret=secrets,
                     locations=st.lists(locations, min_size=1, max_size=3).map(tuple),
                     tags=st.lists(plain_text, max_size=3).map(tuple))
results = st.builds(
    ScanResult,
    findings=st.lists(findings, max_size=5),
    skipped=st.lists(
        st.builds(Skipped, any_text, any_text, st.sampled_from(["binary", "too-large", "unreadable"])), max_size=3
    ),
    notices=st.lists(any_text, max_size=3),
    scanned_blobs=st.integers(0, 10**6),
    scanned_bytes=st.integers(0, 10**12),
)


@FAST
@pytest.mark.parametrize("format_name", ["json", "sarif", "gitlab"])
@given(result=results, show=st.booleans())
def test_json_writers_always_write_json_that_round_trips(format_name, result, show):
    text = render(format_name, result, ReportOptions(show_secrets=show))
    raw = text.encode("utf-8", "surrogateescape")  # as keystow.commands.output.emit writes it
    document = json.loads(raw.decode("utf-8", "surrogateescape"))
    assert json.loads(json.dumps(document)) == document
    if format_name == "json":
        paths = [loc["path"] for f in document["findings"] for loc in f["locations"]]
        assert sorted(paths) == sorted(loc.path for f in result.findings for loc in f.locations)
    if not show:
        for finding in result.findings:
            others = repr([(f.rule_id, f.rule_name, f.tags, f.locations) for f in result.findings]) + repr(
                (result.skipped, result.notices))
            if finding.secret not in others:  # else it is not the secret that shows
                assert finding.secret not in text


# --- the scanner ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def scanner():
    return build_scanner(Config())


def _with_secrets(data: bytes, where: int) -> bytes:
    key = Fakes(where).aws_access_key_id().encode()
    cut = where % (len(data) + 1)
    return data[:cut] + b"K=" + key + b"\n" + data[cut:]


@FAST
@given(data=st.binary(max_size=4000) | st.text(max_size=2000).map(lambda t: t.encode("utf-16")),
       plant=st.none() | st.integers(0, 10**6))
def test_scanner_never_raises_on_any_bytes(scanner, data, plant):
    if plant is not None:
        data = _with_secrets(data, plant)
    result = scan_blobs(scanner, [Blob("fuzz.bin", data)])
    assert result.scanned_blobs + len(result.skipped) == 1
    for finding in result.findings:
        assert finding.line >= 1 and finding.column >= 1


# Found by the atheris harness (fuzz/run.py): Python's `re` raises OverflowError and
# RecursionError, not re.error, for these; both loaders let them through as crashes.
HOSTILE_REGEXES = [r'x(?P<secret>[^"]{11,20066666666666666666666})', "(" * 3000 + "a" + ")" * 3000]


@pytest.mark.parametrize("regex", HOSTILE_REGEXES, ids=["huge-repeat", "deep-nesting"])
def test_hostile_regexes_are_one_line_errors(regex):
    raw = {"id": "r", "name": "r", "regex": regex, "severity": "high", "examples": ["x"], "negative_examples": ["y"]}
    with pytest.raises(RuleError, match="regex does not compile"):
        parse_rule(raw, "fuzz.yaml")
    with pytest.raises(ConfigError, match="does not compile"):
        parse_config({"allow_regexes": [regex]}, Path("/x/.keystow.toml"))
