"""Turning a blob's bytes into text the matcher can scan: binary detection and decoding.

The matcher works on bytes (no decode of whole files on the hot path). UTF-8 is scanned as is,
invalid sequences included; UTF-16 (with a BOM, or recognisable by its NUL pattern) is decoded and
re-encoded as UTF-8 so its lines and columns come out right.
"""

from __future__ import annotations

import bisect
import codecs
import re
from array import array

from keystow.detect.quick import BINARY_SNIFF, needs_decoding

# Line-aware filters read at most this much of the line either side of a candidate.
CONTEXT_BYTES = 4096
# Position questions per blob answered by searching the bytes before the newline index is built:
# each search costs up to a pass over the blob at memchr speed, the index one Python-level pass.
DIRECT_SEARCHES = 8
UTF16_BOMS = ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def to_scannable(data: bytes) -> bytes | None:
    """UTF-8 bytes to scan, or None when the blob is binary (NUL in the first 8 KiB)."""
    if not needs_decoding(data):
        return data
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
    """1-based line and character column of a byte offset (one-off; a scanner placing many
    findings in one blob uses a `TextIndex`)."""
    return TextIndex(data).line_and_column(offset)


def line_at(data: bytes, offset: int) -> tuple[bytes, bytes]:
    """The line holding `offset` and the line before it (empty on the first line)."""
    return TextIndex(data).line_at(offset)


class TextIndex:
    """Positions in one blob in logarithmic time: a blob can hold thousands of findings, and
    counting from offset 0 for each made a big file of keys quadratic (1 MB on one line: minutes).

    Built once per blob that has a candidate. The first few questions are answered by searching
    the bytes for newlines (C speed, no index): most such blobs ask about one or two hits, and
    listing every newline of a 60 KB file first cost more than the questions (a tenth of a scan
    of keyword-dense code). From then on a list of newline offsets answers by bisection. The
    column is the number of characters between the line start and the offset as UTF-8 decoding
    with replacement counts them: in valid UTF-8 that is bytes minus continuation bytes; invalid
    bytes are counted per line by the decoder itself, once per line that is asked about.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._newlines: array | None = None
        self._searches_left = DIRECT_SEARCHES
        self._ascii = data.isascii()
        self._continuations: array | None = None
        self._valid_utf8: bool | None = None
        self._line_columns: dict[int, array] = {}

    def line_and_column(self, offset: int) -> tuple[int, int]:
        number, start, _end = self._line_of(offset)
        return number + 1, self._characters(start, offset) + 1

    def line_at(self, offset: int) -> tuple[bytes, bytes]:
        """The line holding `offset` and the line before it (callers ask once per line: a
        minified file is one long line)."""
        _number, start, end = self._line_of(offset)
        if not start:
            return self.data[start:end], b""
        _previous, previous_start, _previous_end = self._line_of(start - 1)
        return self.data[start:end], self.data[previous_start:max(previous_start, start - 1)]

    def line_number(self, offset: int) -> int:
        return self._line_of(offset)[0] + 1

    def context(self, start: int, end: int, width: int = CONTEXT_BYTES) -> bytes:
        """The line around `start:end`, at most `width` bytes either side: what line-aware
        filters read, so their cost per finding does not grow with the line."""
        _number, line_start, line_end = self._line_of(start)
        return self.data[max(line_start, start - width):min(line_end, end + width)]

    def _line_of(self, offset: int) -> tuple[int, int, int]:
        """(0-based line number, line start, line end without its newline) of `offset`."""
        newlines = self._newline_index()
        if newlines is None:
            start = self.data.rfind(b"\n", 0, offset) + 1
            end = self.data.find(b"\n", offset)
            return self.data.count(b"\n", 0, offset), start, len(self.data) if end < 0 else end
        number = bisect.bisect_left(newlines, offset)
        start = newlines[number - 1] + 1 if number else 0
        return number, start, newlines[number] if number < len(newlines) else len(self.data)

    def _newline_index(self) -> array | None:
        """The newline offsets once `DIRECT_SEARCHES` questions have been answered without them."""
        if self._newlines is None:
            if self._searches_left:
                self._searches_left -= 1
                return None
            self._newlines = array("q", (m.start() for m in _NEWLINE.finditer(self.data)))
        return self._newlines

    def _characters(self, start: int, offset: int) -> int:
        if self._ascii:
            return offset - start
        if self._is_valid_utf8():
            continuations = self._continuation_offsets()
            inside = bisect.bisect_left(continuations, offset) - bisect.bisect_left(continuations, start)
            return offset - start - inside
        return self._columns_of_line(start)[offset - start]

    def _is_valid_utf8(self) -> bool:
        if self._valid_utf8 is None:
            try:
                self.data.decode("utf-8")
                self._valid_utf8 = True
            except UnicodeDecodeError:
                self._valid_utf8 = False
        return self._valid_utf8

    def _continuation_offsets(self) -> array:
        if self._continuations is None:
            self._continuations = array("q", (m.start() for m in _CONTINUATION.finditer(self.data)))
        return self._continuations

    def _columns_of_line(self, start: int) -> array:
        """Characters before each byte offset of the line starting at `start` (invalid UTF-8):
        what `decode("utf-8", "replace")` of the prefix would count, an unfinished sequence
        being one replacement character."""
        columns = self._line_columns.get(start)
        if columns is None:
            end = self.data.find(b"\n", start)
            end = len(self.data) if end < 0 else end
            decoder = codecs.getincrementaldecoder("utf-8")("replace")
            columns, emitted = array("q", [0]), 0
            for byte in self.data[start:end]:
                emitted += len(decoder.decode(bytes((byte,))))
                columns.append(emitted + (1 if decoder.getstate()[0] else 0))
            self._line_columns[start] = columns
        return columns


_NEWLINE = re.compile(rb"\n")
_CONTINUATION = re.compile(rb"[\x80-\xbf]")
