"""Decoding stages: values stored encoded, scanned as what they decode to.

A Kubernetes `Secret` keeps its `data:` values in base64, so `password: aHVudGVyMg==` hides its
password from every rule. Each such value is decoded and scanned as `key: decoded` (the line it
would be under `stringData:`); a finding is reported at the encoded value's place, with the
decoded secret. Only blobs that contain a Secret manifest pay more than one substring search. XML files keep
passwords the same way (FileZilla's `<Pass encoding="base64">`): scanned as `Pass: decoded`.
"""

from __future__ import annotations

import binascii
import re
from typing import TYPE_CHECKING, Iterator, NamedTuple

from keystow.detect.quick import MANIFEST_SUFFIXES, XML_SUFFIXES
from keystow.detect.text import TextIndex

if TYPE_CHECKING:
    from keystow.findings import Finding

# Manifests (quick.MANIFEST_SUFFIXES) only: other blobs skip even the substring search, which
# over a whole tree costs as much as a third of the Hyperscan pass.
SECRET_KIND = re.compile(rb"""^\s*kind:\s*["']?Secret["']?\s*$""", re.M)
DATA_KEY = re.compile(rb"^(?P<indent>[ \t]*)data:[ \t]*$")
ENTRY = re.compile(
    rb"""^(?P<indent>[ \t]+)(?P<key>[\w.-]+):[ \t]*["']?(?P<value>[A-Za-z0-9+/]{4,}={0,2})["']?[ \t]*$"""
)

# An XML element whose text its own attribute says is base64 (FileZilla sitemanager.xml, recentservers.xml).
BASE64_ELEMENT = re.compile(
    rb"""<(?P<key>[\w.-]{1,64})[^<>]{0,100}?\bencoding=["']base64["'][^<>]{0,100}>"""
    rb"""[ \t]*(?P<value>[A-Za-z0-9+/]{4,4096}={0,2})[ \t]*</"""
)


class Decoded(NamedTuple):
    key: str
    text: str
    start: int  # offsets of the encoded value in the blob
    end: int


def k8s_secret_data(data: bytes) -> Iterator[Decoded]:
    """Each base64 value under `data:` in a blob holding a `kind: Secret` manifest."""
    if b"Secret" not in data or not SECRET_KIND.search(data):
        return
    offset, data_indent = 0, None
    for line in data.splitlines(keepends=True):
        stripped = line.rstrip(b"\r\n")
        header = DATA_KEY.match(stripped)
        if header:
            data_indent = len(header.group("indent"))
        elif data_indent is not None:
            entry = ENTRY.match(stripped)
            if entry and len(entry.group("indent")) > data_indent:
                text = _decode(entry.group("value"))
                if text:
                    yield Decoded(
                        entry.group("key").decode(), text, offset + entry.start("value"), offset + entry.end("value")
                    )
            elif stripped.strip() and not stripped.startswith((b" ", b"\t")):
                data_indent = None  # the mapping ended
        offset += len(line)


def base64_xml_elements(data: bytes) -> Iterator[Decoded]:
    """Each XML element value marked `encoding="base64"`, decoded."""
    if b"base64" not in data:
        return
    for element in BASE64_ELEMENT.finditer(data):
        text = _decode(element.group("value"))
        if text:
            yield Decoded(element.group("key").decode(), text, element.start("value"), element.end("value"))


def _decode(value: bytes) -> str | None:
    """Printable UTF-8 text, or None for binary payloads (certificates, keystores)."""
    # late: the hook imports this module; base64 is on its no-import list
    import base64

    try:
        raw = base64.b64decode(value, validate=True)
        text = raw.decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return text if text.isprintable() and text.strip() else None


class DecodedView(NamedTuple):
    """A decoded value as the text it would be in plain form, and where its encoding sits."""

    text: bytes  # `key: "decoded"`: what the rules scan
    source: Decoded


def decoded_views(data: bytes, path: str) -> list[DecodedView]:
    """The decoded views of `data` worth scanning (the scanner scans them; nothing here scans)."""
    lowered = path.lower()
    items = list(k8s_secret_data(data)) if lowered.endswith(MANIFEST_SUFFIXES) else []
    if lowered.endswith(XML_SUFFIXES):
        items += base64_xml_elements(data)
    return [DecodedView(f"{item.key}: {_yaml_scalar(item.text)}\n".encode(), item) for item in items]


def encoded_places(index: TextIndex, views: list[DecodedView]) -> set[tuple[int, int]]:
    """(line, column) of each encoded value: a finding on the encoding itself is dropped, since
    what a value decodes to is what it means."""
    return {index.line_and_column(view.source.start) for view in views}


def _yaml_scalar(text: str) -> str:
    """The decoded text as it would be written under `stringData:`: quoted, so that a value
    starting with `!`, `@` or `?` reads as a string to the YAML-aware rules."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return f"'{text}'" if "'" not in text else text


def relocate(finding: "Finding", index: TextIndex, item: Decoded) -> "Finding":
    """The finding from a decoded view, placed at its encoded value in the blob."""
    line, column = index.line_and_column(item.start)
    end_line, end_column = index.line_and_column(item.end)
    location = finding.locations[0]._replace(line=line, column=column, end_line=end_line, end_column=end_column)
    return finding.with_locations((location,))
