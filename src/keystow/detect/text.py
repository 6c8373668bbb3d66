"""Turning a blob's bytes into text the matcher can scan: binary detection and decoding.

The matcher works on bytes (no decode of whole files on the hot path). UTF-8 is scanned as is,
invalid sequences included; UTF-16 (with a BOM, or recognisable by its NUL pattern) is decoded and
re-encoded as UTF-8 so its lines and columns come out right.
"""

from __future__ import annotations

import codecs

BINARY_SNIFF = 8192
UTF16_BOMS = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def to_scannable(data: bytes) -> bytes | None:
    """UTF-8 bytes to scan, or None when the blob is binary (NUL in the first 8 KiB)."""
    for bom, encoding in UTF16_BOMS:
        if data.startswith(bom):
            return _recode(data[len(bom):], encoding)
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):]
    head = data[:BINARY_SNIFF]
    if b"\0" not in head:
        return data
    guessed = _bomless_utf16(head)
    return _recode(data, guessed) if guessed else None


def _bomless_utf16(head: bytes) -> str | None:
    """UTF-16 text without a BOM: ASCII-range text puts a NUL in every other byte."""
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _recode(data: bytes, encoding: str) -> bytes:
    return data.decode(encoding, errors="replace").encode("utf-8")


def line_and_column(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and character column of a byte offset."""
    line = data.count(b"\n", 0, offset) + 1
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return line, column


def line_at(data: bytes, offset: int) -> tuple[bytes, bytes]:
    """The line holding `offset` and the line before it (empty on the first line)."""
    start = data.rfind(b"\n", 0, offset) + 1
    end = data.find(b"\n", offset)
    end = len(data) if end < 0 else end
    prev_start = data.rfind(b"\n", 0, max(0, start - 1)) + 1 if start else start
    return data[start:end], data[prev_start:max(prev_start, start - 1)]
