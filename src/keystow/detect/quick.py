"""The hook's quick path: could anything in a small input be a finding at all?

A pre-commit hook mostly sees a few clean files. Loading the Hyperscan database, the pickled
rules and the scanner's modules costs several times the interpreter's own start-up, so for small
inputs the hook first asks this module, which imports nothing heavier than `os` and `marshal`:

- each rule's keywords (lower-case) against the lower-cased input, the same prefilter as the `re`
  engine (a rule without keywords always runs);
- each remaining rule's regex, in files its `paths:` globs accept, rebuilt from the code stored
  in the index (keystow.detect.patterns: no `re` compiler) or compiled with `re`;
- a text needing decoding (UTF-16, a BOM, NULs) or holding a Kubernetes Secret's base64 values.

No match anywhere: no finding is possible, and the hook says so. Any match: the full scan runs
(entropy, checksums, filters, baseline, report), on the `re` engine since the input is small.
`keystow rules check` runs every rule's examples through this test (engine "tiny").

The rules come from an index in the user cache (`marshal`: no pickle, no Rule class), written
whenever the full path loads the built-in rules, and valid while the rule files, the rule schema,
keystow's version and the interpreter's are what they were (path, size and mtime of each file).
"""

from __future__ import annotations

import marshal
import os
import sys

from keystow import __version__
from keystow.cache_location import user_cache_directory
from keystow.detect.patterns import compiled_code, know_code, secret_spans

# Inputs up to this many bytes in total take the quick path, then the `re` engine.
SMALL_INPUT = 256 << 10
RULES_DIRECTORY = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "rules")
INDEX_FORMAT = 3
# What `to_scannable` decodes rather than scanning as it is.
BINARY_SNIFF = 8192
BOMS = (b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")  # UTF-16 LE, UTF-16 BE, UTF-8
# Manifests are YAML (or a template of it): the only files whose base64 values are decoded.
MANIFEST_SUFFIXES = (".yaml", ".yml", ".yaml.tpl", ".yml.tpl", ".yaml.j2", ".yml.j2", "<stdin>", "<example>")
# XML whose elements may say their text is base64 (FileZilla), and the files read by structure
# (keystow.detect.structures): Terraform state, CloudFormation/SAM templates.
XML_SUFFIXES = (".xml", "<stdin>", "<example>")
TFSTATE_SUFFIXES = (".tfstate", ".tfstate.backup", "<stdin>", "<example>")
TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template", "<stdin>", "<example>")


# --- what the quick test and the scanner share --------------------------------------------


def keywords_occur(keywords: tuple[bytes, ...], lowered: bytes) -> bool:
    """The `re` engine's prefilter: a rule runs when one of its keywords occurs (or it has none)."""
    return not keywords or any(keyword in lowered for keyword in keywords)


def path_in_scope(globs: tuple[str, ...], path: str) -> bool:
    """A rule scoped with `paths:` (a `.netrc`, `.pypirc` format) fires only in a file whose path
    or base name matches one of its globs; an unscoped rule everywhere."""
    if not globs:
        return True
    path = path.replace("\\", "/")
    base = path.rsplit("/", 1)[-1]
    return any(glob_matches(glob, path) or glob_matches(glob, base) for glob in globs)


def glob_matches(glob: str, text: str) -> bool:
    """`fnmatch.fnmatchcase`, answered without it for globs whose only wildcard is `*` (`.pgpass`,
    `*.pgpass`, `**/.kube/config`, `*kubeconfig*`): fnmatch imports `re`, which the hook's quick
    path does without. `*` matches any run of characters, `/` included, as in fnmatch."""
    if "?" in glob or "[" in glob:
        # late: fnmatch imports re; only a glob with ? or [...] needs it
        from fnmatch import fnmatchcase

        return fnmatchcase(text, glob)
    return star_matches(glob.split("*"), text)


def star_matches(parts: list[str], text: str) -> bool:
    """`text` is parts[0] + anything + parts[1] + ... + anything + parts[-1]."""
    if len(parts) == 1:
        return text == parts[0]
    head, *middle, tail = parts
    if len(text) < len(head) + len(tail) or not text.startswith(head) or not text.endswith(tail):
        return False
    position, end = len(head), len(text) - len(tail)
    for part in middle:
        found = text.find(part, position, end)
        if found < 0:
            return False
        position = found + len(part)
    return True


def needs_decoding(data: bytes) -> bool:
    """Whether `to_scannable` would change the bytes: a BOM, or a NUL in the first 8 KiB
    (binary, or UTF-16 without a BOM)."""
    return data.startswith(BOMS) or data.find(b"\0", 0, BINARY_SNIFF) >= 0  # no copy of the head


def may_hold_encoded_values(data: bytes, path: str) -> bool:
    """A file whose values the scanner decodes or reads by structure, which no rule sees in the
    text as it is: a manifest that may be a Kubernetes Secret, XML with base64 elements, a
    Terraform state (a generated password under `result`), a CloudFormation template."""
    lowered = path.lower()
    return ((lowered.endswith(MANIFEST_SUFFIXES) and b"Secret" in data)
            or (lowered.endswith(XML_SUFFIXES) and b"base64" in data)
            or is_terraform_state(data, lowered) or is_cloudformation_template(data, lowered))


def is_terraform_state(data: bytes, lowered_path: str) -> bool:
    return lowered_path.endswith(TFSTATE_SUFFIXES) and b'"terraform_version"' in data


def is_cloudformation_template(data: bytes, lowered_path: str) -> bool:
    return lowered_path.endswith(TEMPLATE_SUFFIXES) and b"AWS::" in data and b"Resources" in data


# --- the quick test ----------------------------------------------------------------------------

# The index: each rule as (id, regex, paths globs, compiled code or b""); each keyword with the rules it belongs to
# (what is tested is each distinct keyword once, not each rule's list: a clean commit's cost grows
# with the distinct keywords, ~1 µs per hundred, not with the rules); the rules without keywords.
# (list[tuple[str, str, tuple[str, ...], bytes]], list[tuple[bytes, tuple[int, ...]]], tuple[int, ...])
Index = tuple


def build_index(rules) -> Index:  # noqa: ANN001 - Iterable[Rule]
    entries: list[tuple[str, str, tuple[str, ...], bytes]] = []
    by_keyword: dict[bytes, list[int]] = {}
    always: list[int] = []
    for number, rule in enumerate(rules):
        entries.append((rule.id, rule.regex, tuple(rule.paths), compiled_code(rule.regex)))
        for keyword in {k.encode() for k in rule.keywords}:
            by_keyword.setdefault(keyword, []).append(number)
        if not rule.keywords:
            always.append(number)
    return entries, [(keyword, tuple(numbers)) for keyword, numbers in sorted(by_keyword.items())], tuple(always)


def rules_to_run(index: Index, lowered: bytes) -> list[int]:
    """The rules the `re` engine runs on this (lower-cased) text: those with a keyword in it,
    and those without keywords."""
    _, by_keyword, always = index
    chosen = set(always)
    for keyword, numbers in by_keyword:
        if keyword in lowered:
            chosen.update(numbers)
    return sorted(chosen)


def has_candidate(index: Index, path: str, data: bytes) -> bool:
    """Whether any rule's regex matches in `data` (plain text: see `needs_decoding`)."""
    entries = index[0]
    for number in rules_to_run(index, data.lower()):
        _, regex, globs, code = entries[number]
        if not path_in_scope(globs, path):
            continue
        know_code(regex, code)
        if next(secret_spans(regex, data, 0, len(data)), None) is not None:
            return True
    return False


def quick_test_applies(data: bytes, path: str) -> bool:
    """Whether `has_candidate` can answer for this text, or the full scan must (decoding first)."""
    return not needs_decoding(data) and not may_hold_encoded_values(data, path)


# --- the index in the user cache ---------------------------------------------------------------


def builtin_rule_paths() -> list[str]:
    """The built-in rule files, sorted (they ship inside the package directory)."""
    return sorted(os.path.join(RULES_DIRECTORY, name) for name in os.listdir(RULES_DIRECTORY)
                  if name.endswith((".yaml", ".yml")))


def _signature() -> tuple | None:
    parts: list = [INDEX_FORMAT, __version__, sys.implementation.name, sys.hexversion]
    for path in [*builtin_rule_paths(), os.path.join(RULES_DIRECTORY, "rule.schema.json")]:
        try:
            info = os.stat(path)
        except OSError:
            return None
        parts.append((path, info.st_size, info.st_mtime_ns))
    return tuple(parts)


def index_path() -> str | None:
    directory = user_cache_directory()
    if directory is None:
        return None
    # late: zlib only names the file (one index per installation sharing a cache directory)
    from zlib import crc32

    name = f"quick-rules-{crc32(RULES_DIRECTORY.encode()):08x}-{sys.implementation.name}-{sys.hexversion:x}.marshal"
    return os.path.join(directory, name)


def load_index() -> Index | None:
    """The built-in rules' index, or None when missing or stale (the full path writes it)."""
    path, signature = index_path(), _signature()
    if path is None or signature is None:
        return None
    try:
        with open(path, "rb") as handle:
            stored_signature, index = marshal.loads(handle.read())  # one read: marshal.load reads per object
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if stored_signature != signature:
        return None
    for _, regex, _, code in index[0]:
        know_code(regex, code)
    return index


def refresh_index(rules) -> None:  # noqa: ANN001 - the built-in rules, all of them
    """Write the index when it is missing or stale; a cache that cannot be written is no error."""
    path, signature = index_path(), _signature()
    if path is None or signature is None or load_index() is not None:
        return
    # late: writing happens on the full path, which has already imported keystow.fs
    from pathlib import Path

    from keystow import fs

    fs.write_cache(Path(path), marshal.dumps((signature, build_index(rules))))
