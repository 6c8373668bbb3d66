"""Scalars located by PyYAML's composer: key paths and exact character spans."""

from __future__ import annotations

from keystow.migrate.references.yamlnodes import entry_lines, is_whole_value, parse, walk


def test_walk_yields_key_paths_and_scalar_nodes():
    text = "a:\n  b: one\n  c:\n    - two\n    - {d: three}\n"
    [root] = parse(text).roots
    assert [(path, node.value) for path, node in walk(root)] == [
        (("a", "b"), "one"), (("a", "c", 0), "two"), (("a", "c", 1, "d"), "three")]


def test_marks_are_character_offsets_with_crlf_bom_and_non_ascii():
    text = "\ufeffname: café\r\nsecret: 'x''y'  # note\r\nother: \"z\"\r\n"
    documents = parse(text)
    found = documents.scalar_at(text.index("x''y"), text.index("x''y") + 4)
    assert found.path == ("secret",) and found.style == "'"
    assert text[found.start:found.end] == "'x''y'" and text[slice(*found.content)] == "x''y"
    assert not is_whole_value(text, found, *found.content)  # '' is an escape: the value is x'y
    other = documents.scalar_at(text.index("z"), text.index("z") + 1)
    assert other.path == ("other",) and is_whole_value(text, other, *other.content)


def test_each_document_of_a_stream_is_searched():
    text = "kind: A\nvalue: one\n---\nkind: B\nvalue: two\n...\n---\nlist: [x, two]\n"
    documents = parse(text)
    assert len(documents.roots) == 3
    second = documents.scalar_at(text.index("two"), text.index("two") + 3)
    assert (second.document, second.path, second.in_flow) == (1, ("value",), False)
    third = documents.scalar_at(text.rindex("two"), text.rindex("two") + 3)
    assert (third.document, third.path, third.in_flow) == (2, ("list", 1), True)


def test_tags_and_anchors_are_not_part_of_the_value():
    text = "a: !Sub \"x-${Stage}\"\nb: &shared plain\nc: *shared\n"
    documents = parse(text)
    sub = documents.scalar_at(text.index("x-"), text.index("x-") + 2)
    assert text[slice(*sub.content)] == "x-${Stage}"
    shared = documents.scalar_at(text.index("plain"), text.index("plain") + 5)
    assert shared.path == ("b",) and text[slice(*shared.content)] == "plain"
    assert [path for path, _ in walk(documents.roots[0])] == [("a",), ("b",)]  # the alias is the same node


def test_recursive_aliases_end():
    text = "a: &loop [x, *loop]\n"
    assert [path for path, _ in walk(parse(text).roots[0])] == [("a", 0)]


def test_a_secret_in_a_comment_or_key_is_not_a_value():
    text = "token: x  # old: s3cr3t\ns3cr3t2: y\n"
    documents = parse(text)
    assert documents.scalar_at(text.index("s3cr3t"), text.index("s3cr3t") + 6) is None
    assert documents.scalar_at(text.index("s3cr3t2"), text.index("s3cr3t2") + 7).is_key


def test_unparseable_text_is_none_and_tab_indented_json_parses():
    assert parse("a: [1, 2\nb: c\n") is None
    assert parse("a: b\n\tc: d\n") is None
    text = '{\n\t"a": {\n\t\t"b": "x"\n\t}\n}\n'
    found = parse(text).scalar_at(text.index("x"), text.index("x") + 1)
    assert found.path == ("a", "b") and found.style == '"'


def test_entry_lines_cover_a_block_entry_with_its_comment_only():
    text = "data:\n  a: one  # note\n  b: {c: two}\n"
    documents = parse(text)
    one = documents.scalar_at(text.index("one"), text.index("one") + 3)
    assert text[slice(*entry_lines(text, one))] == "  a: one  # note\n"
    two = documents.scalar_at(text.index("two"), text.index("two") + 3)
    assert entry_lines(text, two) is None  # inside a flow mapping
