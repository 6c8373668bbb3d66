"""TextIndex answers its first questions by searching the bytes and later ones from a newline
index: both ways must place every offset on the same line and column."""

from __future__ import annotations

import pytest

from keystow.detect import text
from keystow.detect.text import TextIndex

SAMPLES = [
    b"first\n\nthird line\r\n  fourth = 'x'\nno newline at the end",
    b"\n\nstarts with blank lines\n",
    b"caf\xc3\xa9 = 1\n\xff\xfe broken \xc3 utf-8\nlast\n",
    b"one line only",
]


def naive(data: bytes, offset: int) -> tuple[int, bytes, bytes]:
    """Line number, line and previous line of `offset`, from splitting the whole blob."""
    number = data[:offset].count(b"\n")
    lines = data.split(b"\n")
    return number + 1, lines[number], lines[number - 1] if number else b""


def answers(index: TextIndex, offset: int) -> tuple:
    return (index.line_number(offset), index.line_and_column(offset), index.line_at(offset),
            index.context(offset, offset, width=3))


@pytest.mark.parametrize("data", SAMPLES)
def test_searching_and_the_index_agree(data, monkeypatch):
    offsets = range(len(data) + 1)
    searched = [answers(TextIndex(data), offset) for offset in offsets]  # a fresh index: searches only
    monkeypatch.setattr(text, "DIRECT_SEARCHES", 0)
    indexed = TextIndex(data)
    assert [answers(indexed, offset) for offset in offsets] == searched
    assert indexed._newlines is not None  # the second way did use the index


@pytest.mark.parametrize("data", SAMPLES)
def test_lines_match_a_plain_split(data):
    for offset in range(len(data) + 1):
        number, line, previous = naive(data, offset)
        index = TextIndex(data)
        assert index.line_number(offset) == number
        assert index.line_at(offset) == (line, previous)


def test_many_questions_switch_to_the_index():
    data = b"a = 1\n" * 100
    index = TextIndex(data)
    for offset in range(0, len(data), 6):
        assert index.line_number(offset) == offset // 6 + 1
    assert index._newlines is not None
