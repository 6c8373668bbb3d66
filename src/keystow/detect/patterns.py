"""Each rule's regex compiled once per process, from stored code when the interpreter allows.

Python's `re` parses and compiles a pattern in pure Python: ~2 ms for a generic rule, more than
a clean commit's whole scan. `compiled_code` keeps what that produces (the opcodes the C engine
runs) as plain data in the hook's rule index (keystow.detect.quick), and `compiled` rebuilds the
pattern with `_sre.compile` the way `re._compiler.compile` does. CPython internals: the index is
keyed by the exact interpreter version, and anything unexpected falls back to `re.compile`.
Imports nothing at start-up: the hook's quick path runs regexes without importing `re`.
"""

from __future__ import annotations

import marshal

_COMPILED: dict = {}
_CODES: dict[str, bytes] = {}  # regex → compiled code, from the index loaded in this process


def compiled(regex: str):  # noqa: ANN201 - re.Pattern[bytes], without importing re at start-up
    pattern = _COMPILED.get(regex)
    if pattern is None:
        pattern = rebuilt(regex, _CODES[regex]) if regex in _CODES else None
    if pattern is None:
        # late: the hook's quick path compiles a regex only when a rule's keyword occurs
        import re

        pattern = re.compile(regex.encode())
    _COMPILED[regex] = pattern
    return pattern


def compiled_code(regex: str) -> bytes:
    """What `re.compile` turns `regex` into before the C engine takes it, as plain data: (flags,
    opcodes, groups, groupindex, indexgroup). The index keeps it so that the hook rebuilds a
    pattern with `_sre.compile` and skips re's pure-Python parser and compiler, ~2 ms for each
    generic rule. CPython internals (re._compiler.compile does exactly this): the index is keyed
    by the interpreter's exact version, and anything unexpected means re.compile as usual."""
    try:
        # late: index building only (the full path), never the hook's quick path
        from re import _compiler, _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(regex.encode(), 0)
        opcodes = _compiler._code(parsed, 0)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, number in groupindex.items():
            indexgroup[number] = name
        ints = [int(op) for op in opcodes]  # opcodes are int subclasses (named constants): marshal wants ints
        # Marshalled on its own: loading the index then makes one bytes object per rule, and only
        # the rules whose keywords occur unpack theirs.
        return marshal.dumps((int(parsed.state.flags), ints, int(parsed.state.groups) - 1, groupindex,
                              tuple(indexgroup)))
    except Exception:  # noqa: BLE001 - another interpreter's internals: compile the usual way
        return b""


def know_code(regex: str, code: bytes) -> None:
    """Let `compiled` rebuild `regex` from `code` (see `compiled_code`) in this process: the
    quick test, and the full scan the hook runs after it."""
    if code:
        _CODES.setdefault(regex, code)


def rebuilt(regex: str, code: bytes):  # noqa: ANN201 - re.Pattern[bytes] | None
    """The pattern `re.compile(regex.encode())` would return, from its stored code; None when
    this interpreter will not take it (then `compiled` compiles as usual)."""
    try:
        import _sre  # type: ignore[import-not-found]  # built in: no import cost

        return _sre.compile(regex.encode(), *marshal.loads(code))
    except Exception:  # noqa: BLE001 - another interpreter's internals
        return None


def secret_group(pattern) -> int | str:  # noqa: ANN001 - re.Pattern[bytes]
    """The group a rule's regex captures its secret in: `secret`, else the first, else all."""
    if "secret" in pattern.groupindex:
        return "secret"
    return 1 if pattern.groups else 0


def secret_spans(regex: str, data: bytes, start: int, stop: int):  # noqa: ANN201 - Iterator[tuple[int, ...]]
    """(start, end, secret start, secret end) of each match in data[start:stop] whose secret
    group matched something."""
    pattern = compiled(regex)
    group = secret_group(pattern)
    for match in pattern.finditer(data, start, stop):
        s_start, s_end = match.span(group)
        if s_start >= 0 and s_start != s_end:
            yield match.start(), match.end(), s_start, s_end
