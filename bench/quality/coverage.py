"""Provider coverage of keystow's rules against the peers' provider lists (issue 15 item 1).

    .venv/bin/python bench/quality/coverage.py                 # summary per peer, uncovered names
    .venv/bin/python bench/quality/coverage.py --write         # + rewrite bench/quality/peer-coverage.md
    .venv/bin/python bench/quality/coverage.py --baseline main # "covered before" = the rules at that ref

The peer lists are data files under bench/quality/peer-providers/ (how each was made is in its
header). Each peer entry is normalised to a provider name; a provider counts as covered when the
name matches a keystow rule's id, name, tags or keywords (provider-coverage.md, "How this table
was made", step 3), or when overrides.tsv says which rules cover it (a peer name that differs from
the vendor's, a matcher miss checked by hand) or why it is skipped (not a secret, a generic rule).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
RULES_DIR = ROOT / "src" / "keystow" / "rules"
PEERS_DIR = Path(__file__).resolve().parent / "peer-providers"
REPORT = Path(__file__).resolve().parent / "peer-coverage.md"

# Credential words a trufflehog detector name ends with; stripped repeatedly (longest first), so
# "AsanaPersonalAccessToken" and "HubSpotApiKey" name the providers asana and hubspot.
TRUFFLEHOG_SUFFIXES = sorted(
    [
        "personalaccesstoken", "accesstoken", "personaltoken", "apitoken", "apikey", "apisecret",
        "token", "oauth2", "oauth", "key", "secret", "license", "projectkey", "userkey", "writekey",
        "integrationkey", "globalapikey", "cakey", "managementapitoken", "publishkey",
        "subscriptionkey", "channelkey", "basicauth", "environmentkey", "organizationapi", "v2",
        "servertoken", "appkey", "messaging",
    ],
    key=len,
    reverse=True,
)
NAME_MATCH_MIN_LEN = 7  # shorter names only match as a whole word


@dataclass(frozen=True)
class RuleText:
    """What the name match looks at in one rule."""

    rule_id: str
    words: str  # id, name, tags, keywords, lower case, space-separated
    squashed: str  # the same with every non-alphanumeric character removed


@dataclass
class Provider:
    name: str
    peer_ids: list[str] = field(default_factory=list)


def squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def rule_texts(rule_files: dict[str, str]) -> list[RuleText]:
    texts = []
    for text in rule_files.values():
        for rule in (yaml.safe_load(text) or {}).get("rules", []):
            parts = [rule["id"], rule["name"], *rule.get("tags", []), *rule.get("keywords", [])]
            words = " ".join(parts).lower()
            texts.append(RuleText(rule["id"], words, squash(words)))
    return texts


def rule_files_at(ref: str | None) -> dict[str, str]:
    """Rule file name -> text, from the work tree (ref None) or a git ref."""
    if ref is None:
        return {p.name: p.read_text() for p in sorted(RULES_DIR.glob("*.yaml"))}
    rel = RULES_DIR.relative_to(ROOT).as_posix()
    names = subprocess.run(
        ["git", "ls-tree", "--name-only", f"{ref}:{rel}"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()
    return {
        name: subprocess.run(
            ["git", "show", f"{ref}:{rel}/{name}"], cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout
        for name in names
        if name.endswith(".yaml")
    }


def matching_rules(provider: str, texts: list[RuleText]) -> list[str]:
    word = re.compile(r"(?<![a-z0-9])" + re.escape(provider.lower()) + r"(?![a-z0-9])")
    squashed = squash(provider)
    needle = provider.lower()
    long_enough = len(squashed) >= NAME_MATCH_MIN_LEN
    return [
        text.rule_id
        for text in texts
        if (needle in text.words and word.search(text.words)) or (long_enough and squashed in text.squashed)
    ]


def trufflehog_provider(detector: str) -> str:
    name = detector.lower()
    stripped = True
    while stripped:
        stripped = False
        for suffix in TRUFFLEHOG_SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix) + 2:
                name, stripped = name[: -len(suffix)], True
                break
    return name


def kingfisher_provider(rule_id: str) -> str:
    # kingfisher.<provider>[.<sub>].<n>: the provider with its sub-name (azure.devops -> azure-devops)
    parts = rule_id.split(".")[1:]
    if parts and parts[-1].isdigit():
        parts = parts[:-1]
    return "-".join(parts).replace("_", "-")


def data_lines(name: str) -> list[list[str]]:
    lines = (PEERS_DIR / name).read_text().splitlines()
    return [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]


def peer_providers() -> dict[str, dict[str, Provider]]:
    peers: dict[str, dict[str, Provider]] = {"noseyparker": {}, "trufflehog": {}, "kingfisher": {}}

    def add(peer: str, provider: str, peer_id: str) -> None:
        peers[peer].setdefault(provider, Provider(provider)).peer_ids.append(peer_id)

    for provider, file_name, _subject in data_lines("noseyparker.tsv"):
        add("noseyparker", provider, file_name)
    for (detector,) in data_lines("trufflehog-detectors.txt"):
        add("trufflehog", trufflehog_provider(detector), detector)
    for rule_id, _name in data_lines("kingfisher-native.tsv"):
        add("kingfisher", kingfisher_provider(rule_id), rule_id)
    return peers


def overrides() -> dict[str, str]:
    """provider -> "SKIP: reason" or a comma-separated list of covering rule ids."""
    return {provider: target for provider, target in data_lines("overrides.tsv")}


@dataclass
class Coverage:
    provider: Provider
    before: list[str]
    after: list[str]
    skip: str = ""

    @property
    def status(self) -> str:
        if self.skip:
            return "skipped"
        if self.before:
            return "covered"
        return "newly covered" if self.after else "uncovered"


def covering(provider: str, texts: list[RuleText], ids: set[str], override: str | None) -> list[str]:
    if override and not override.startswith("SKIP"):
        listed = [rule_id.strip() for rule_id in override.split(",")]
        return [rule_id for rule_id in listed if rule_id in ids]
    return matching_rules(provider, texts)


def measure(baseline: str) -> dict[str, list[Coverage]]:
    before_texts, after_texts = rule_texts(rule_files_at(baseline)), rule_texts(rule_files_at(None))
    before_ids = {t.rule_id for t in before_texts}
    after_ids = {t.rule_id for t in after_texts}
    unknown = [
        (provider, rule_id)
        for provider, target in overrides().items()
        if not target.startswith("SKIP")
        for rule_id in target.split(",")
        if rule_id.strip() not in after_ids
    ]
    if unknown:
        sys.exit(f"overrides.tsv names rules that do not exist: {unknown}")
    table = overrides()
    result: dict[str, list[Coverage]] = {}
    for peer, providers in peer_providers().items():
        rows = []
        for name in sorted(providers):
            override = table.get(name)
            skip = override if override and override.startswith("SKIP") else ""
            rows.append(
                Coverage(
                    providers[name],
                    [] if skip else covering(name, before_texts, before_ids, override),
                    [] if skip else covering(name, after_texts, after_ids, override),
                    skip,
                )
            )
        result[peer] = rows
    return result


def counts(rows: list[Coverage]) -> dict[str, int]:
    out = {"providers": len(rows), "covered": 0, "newly covered": 0, "skipped": 0, "uncovered": 0}
    for row in rows:
        out[row.status] += 1
    return out


PEER_TITLES = {
    "noseyparker": "Nosey Parker (89 built-in rule files)",
    "trufflehog": "trufflehog (detector enum, proto/detectors.proto)",
    "kingfisher": "Kingfisher native rules (kingfisher-bin 1.112.0, `rules list`)",
}


def markdown(result: dict[str, list[Coverage]], baseline: str) -> str:
    out = [
        "# Provider coverage against Nosey Parker, trufflehog and Kingfisher's native rules",
        "",
        "Generated by `bench/quality/coverage.py --write` (do not edit by hand; the method is in",
        "provider-coverage.md). Status: `covered` = a rule at `" + baseline + "` covers it; `newly covered` =",
        "only the rules added since; `skipped` = not a provider secret (reason given); `uncovered` = none.",
        "",
    ]
    for peer, rows in result.items():
        c = counts(rows)
        out += [
            f"## {PEER_TITLES[peer]}",
            "",
            f"{c['providers']} providers: {c['covered']} covered before, {c['newly covered']} newly covered, "
            f"{c['skipped']} skipped, {c['uncovered']} uncovered.",
            "",
            "| provider | peer ids | status | keystow rules |",
            "| --- | --- | --- | --- |",
        ]
        for row in rows:
            ids = ", ".join(row.provider.peer_ids[:4]) + (" ..." if len(row.provider.peer_ids) > 4 else "")
            rules = row.skip or ", ".join((row.after or row.before)[:3])
            out.append(f"| {row.provider.name} | {ids} | {row.status} | {rules} |")
        out.append("")
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="main", help="git ref whose rules count as 'covered before'")
    parser.add_argument("--write", action="store_true", help=f"rewrite {REPORT.name}")
    args = parser.parse_args()
    result = measure(args.baseline)
    for peer, rows in result.items():
        c = counts(rows)
        print(f"{peer}: " + ", ".join(f"{k} {v}" for k, v in c.items()))
        uncovered = [row.provider.name for row in rows if row.status == "uncovered"]
        if uncovered:
            print("  uncovered: " + " ".join(uncovered))
    if args.write:
        REPORT.write_text(markdown(result, args.baseline))
        print(f"wrote {REPORT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
