"""The paragraph merge of story bodies (sync/paragraphs.py through merge.merge_body): a
table of cases, and properties over random edit scripts on two sides."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsdesk.sync.alignment import align
from newsdesk.sync.merge import merge_body
from newsdesk.sync.paragraphs import paragraphs, split_body

P = [f"Paragraph {n} says {word} things about the harbour." for n, word in
     enumerate(["first", "second", "third", "fourth", "fifth"], start=1)]


def body(*parts: str, sep: str = "\n\n", end: str = "\n") -> str:
    return sep.join(parts) + end


def edited(n: int, who: str) -> str:
    """Paragraph n (1-based) as edited by `who`: most of its words stay."""
    return P[n - 1].replace("things", f"{who} things")


BASE = body(*P)
CASES = {
    # name: (local, remote, expected merge, clashing paragraph numbers)
    "adjacent paragraphs": (
        body(edited(1, "L"), *P[1:]),
        body(P[0], edited(2, "R"), *P[2:]),
        body(edited(1, "L"), edited(2, "R"), *P[2:]),
        [],
    ),
    "paragraphs 1 and 3": (
        body(edited(1, "L"), *P[1:]),
        body(*P[:2], edited(3, "R"), *P[3:]),
        body(edited(1, "L"), P[1], edited(3, "R"), *P[3:]),
        [],
    ),
    "every paragraph, alternating": (
        body(edited(1, "L"), P[1], edited(3, "L"), P[3], edited(5, "L")),
        body(P[0], edited(2, "R"), P[2], edited(4, "R"), P[4]),
        body(edited(1, "L"), edited(2, "R"), edited(3, "L"), edited(4, "R"), edited(5, "L")),
        [],
    ),
    "same paragraph, same change": (
        body(P[0], edited(2, "X"), *P[2:]),
        body(P[0], edited(2, "X"), *P[2:]),
        body(P[0], edited(2, "X"), *P[2:]),
        [],
    ),
    "same paragraph, different changes": (
        body(P[0], edited(2, "L"), *P[2:]),
        body(P[0], edited(2, "R"), *P[2:]),
        body(P[0], edited(2, "L"), *P[2:]),
        [2],
    ),
    "deleted here, neighbour edited there": (
        body(P[0], *P[2:]),
        body(*P[:2], edited(3, "R"), *P[3:]),
        body(P[0], edited(3, "R"), *P[3:]),
        [],
    ),
    "deleted here, edited there": (
        body(P[0], *P[2:]),
        body(P[0], edited(2, "R"), *P[2:]),
        body(P[0], *P[2:]),
        [2],
    ),
    "deleted on both sides": (
        body(P[0], *P[2:]),
        body(P[0], *P[2:4]),
        body(P[0], *P[2:4]),
        [],
    ),
    "inserted at the same spot, different": (
        body(P[0], "Local insert.", *P[1:]),
        body(P[0], "Remote insert.", *P[1:]),
        body(P[0], "Local insert.", "Remote insert.", *P[1:]),
        [],
    ),
    "inserted at the same spot, identical": (
        body(P[0], "Both insert.", *P[1:]),
        body(P[0], "Both insert.", *P[1:]),
        body(P[0], "Both insert.", *P[1:]),
        [],
    ),
    "inserted after an edited paragraph, neighbour edited there": (
        body(P[0], edited(2, "L"), "New after two.", *P[2:]),
        body(*P[:2], edited(3, "R"), *P[3:]),
        body(P[0], edited(2, "L"), "New after two.", edited(3, "R"), *P[3:]),
        [],
    ),
    "moved here, edited there": (
        body(P[4], *P[:4]),
        body(*P[:4], edited(5, "R")),
        body(edited(5, "R"), *P[:4]),
        [],
    ),
    "moved here, neighbour edited there": (
        body(P[0], P[2], P[1], *P[3:]),
        body(P[0], P[1], edited(3, "R"), *P[3:]),
        body(P[0], edited(3, "R"), P[1], *P[3:]),
        [],
    ),
    "moved on both sides to different places": (
        body(P[4], *P[:4]),
        body(P[0], P[4], *P[1:4]),
        body(P[4], *P[:4]),
        [],
    ),
    "split here, other paragraph edited there": (
        body(P[0], "Paragraph 2 says", "second things about the harbour.", *P[2:]),
        body(*P[:3], edited(4, "R"), P[4]),
        body(P[0], "Paragraph 2 says", "second things about the harbour.", P[2],
             edited(4, "R"), P[4]),
        [],
    ),
    "appended on both sides": (
        body(*P, "Local end."),
        body(*P, "Remote end."),
        body(*P, "Local end.", "Remote end."),
        [],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_merge_table(case):
    local, remote, expected, clashes = CASES[case]
    merged, conflicts = merge_body(BASE, local, remote)
    assert merged == expected
    assert [c.paragraph for c in conflicts] == clashes
    # The same on the other laptop, where the sides are swapped (clean merges only: a
    # clash keeps each laptop's own words until a person resolves it).
    if not clashes:
        assert merge_body(BASE, remote, local) == (expected, [])


def test_a_clash_holds_both_texts_and_take_picks_one_side_per_paragraph():
    local = body(P[0], edited(2, "L"), P[2], edited(4, "L"), P[4])
    remote = body(P[0], edited(2, "R"), edited(3, "R"), edited(4, "R"), P[4])
    merged, conflicts = merge_body(BASE, local, remote)
    assert [(c.paragraph, c.base, c.local, c.remote) for c in conflicts] == [
        (2, P[1], edited(2, "L"), edited(2, "R")),
        (4, P[3], edited(4, "L"), edited(4, "R")),
    ]
    assert [c.label for c in conflicts] == ["body (paragraph 2)", "body (paragraph 4)"]
    assert merged == body(P[0], edited(2, "L"), edited(3, "R"), edited(4, "L"), P[4])
    merged, _ = merge_body(BASE, local, remote, "remote")
    assert merged == body(P[0], edited(2, "R"), edited(3, "R"), edited(4, "R"), P[4])
    merged, _ = merge_body(BASE, local, remote, {"body:4": "remote"})
    assert merged == body(P[0], edited(2, "L"), edited(3, "R"), edited(4, "R"), P[4])


def test_a_deleted_paragraph_in_a_clash_is_none_and_taking_that_side_drops_it():
    local = body(P[0], *P[2:])
    remote = body(P[0], edited(2, "R"), *P[2:])
    _, (conflict,) = merge_body(BASE, local, remote)
    assert (conflict.local, conflict.remote) == (None, edited(2, "R"))
    assert merge_body(BASE, local, remote, "remote")[0] == remote
    assert merge_body(BASE, local, remote, "local")[0] == local


def test_without_a_base_different_bodies_clash_whole():
    merged, (conflict,) = merge_body(None, "a\n", "b\n", "remote")
    assert merged == "b\n" and conflict.paragraph is None and conflict.label == "body"
    assert merge_body(None, "same", "same") == ("same", [])


def test_untouched_text_keeps_its_bytes():
    """CRLF line breaks, runs of blank lines, blank lines holding spaces, no final line
    break: all kept where nobody changed them."""
    base = "  Lead in.\r\n\r\n\r\nTwo\r\nlines.\r\n \t\r\nThree.   \r\n\r\nFour."
    local = base.replace("Lead in.", "Lead in, edited.")
    remote = base.replace("Four.", "Four, edited.")
    merged, conflicts = merge_body(base, local, remote)
    assert not conflicts
    assert merged == base.replace("Lead in.", "Lead in, edited.").replace("Four.", "Four, edited.")
    # A paragraph added on one side takes the line breaks of its neighbours there.
    remote = base.replace("Four.", "Four.\r\n\r\nFive.")
    merged, _ = merge_body(base, local, remote)
    assert merged == local.replace("Four.", "Four.\r\n\r\nFive.")


def test_moves_are_recognised():
    alignment = align(P, [P[4], *P[:4]])
    assert alignment.moved == {4}
    assert alignment.partner == (1, 2, 3, 4, 0)


# -- properties ---------------------------------------------------------------------------

blank_line = st.sampled_from(["\n", " \n", "\t\n", "\r\n", "  \r\n"])
text_line = st.text(alphabet="ab .\t", min_size=1, max_size=8).filter(lambda s: s.strip())
lines = st.lists(st.one_of(blank_line, text_line.map(lambda s: s + "\n"), text_line), max_size=12)


@given(lines)
@example([])
@example(["\r\n", "a\r\n", "\r\n", "b"])
def test_split_keeps_every_byte(parts):
    text = "".join(parts)
    cut = split_body(text)
    assert cut.text() == text
    assert len(cut.gaps) == len(cut.paras) + 1
    assert all(p.strip() and not p.endswith("\n") for p in cut.paras)


def words(n: int) -> str:
    return f"Item {n} holds words alpha{n} beta{n} gamma{n} delta{n}."


# An edit script: per base paragraph, which side touches it and how.
OPS = ("edit", "delete", "insert after", "edit and insert after")


@st.composite
def two_sided_scripts(draw):
    count = draw(st.integers(min_value=1, max_value=8))
    owners = draw(st.lists(st.sampled_from([None, "L", "R"]), min_size=count, max_size=count))
    ops = draw(st.lists(st.sampled_from(OPS), min_size=count, max_size=count))
    return [words(n) for n in range(count)], owners, ops


def touched(n: int, text: str, op: str, side: str) -> list[str]:
    """What `side` makes of base paragraph n with `op`."""
    out = [text.replace("beta", f"{side}-edited beta")] if "edit" in op else []
    if op == "insert after":
        out.append(text)
    if "insert" in op:
        out.append(f"New {side} paragraph number {n} zeta{n}.")
    return out


def apply(base: list[str], owners: list[str | None], ops: list[str], side: str) -> list[str]:
    """One side's version: it applies its ops to the paragraphs it owns."""
    out: list[str] = []
    for n, (text, owner, op) in enumerate(zip(base, owners, ops, strict=True)):
        out += touched(n, text, op, side) if owner == side else [text]
    return out


@settings(max_examples=150)
@given(two_sided_scripts())
def test_edits_to_different_paragraphs_merge_clean_with_every_edit(script):
    base, owners, ops = script
    local_parts, remote_parts = apply(base, owners, ops, "L"), apply(base, owners, ops, "R")
    local = body(*local_parts) if local_parts else ""
    remote = body(*remote_parts) if remote_parts else ""
    merged, conflicts = merge_body(body(*base), local, remote)
    assert conflicts == []
    want = [
        p
        for n, (text, owner, op) in enumerate(zip(base, owners, ops, strict=True))
        for p in (touched(n, text, op, owner) if owner else [text])
    ]
    assert paragraphs(merged) == want
    # The other laptop merges the same versions the other way round: same body.
    assert merge_body(body(*base), remote, local) == (merged, [])


@settings(max_examples=80)
@given(two_sided_scripts(), st.integers(min_value=0, max_value=7))
def test_the_same_paragraph_changed_differently_clashes(script, pick):
    base, owners, ops = script
    n = pick % len(base)
    owners = [o if i != n else None for i, o in enumerate(owners)]
    local_parts = apply(base, owners, ops, "L")
    remote_parts = apply(base, owners, ops, "R")
    # Both sides also change paragraph n, each its own way.
    local_parts[local_parts.index(base[n])] = base[n].replace("gamma", "L-changed gamma")
    remote_parts[remote_parts.index(base[n])] = base[n].replace("gamma", "R-changed gamma")
    merged, conflicts = merge_body(body(*base), body(*local_parts), body(*remote_parts))
    assert [c.paragraph for c in conflicts] == [n + 1]
    assert merge_body(body(*base), body(*local_parts), body(*remote_parts)) == (
        merged,
        conflicts,
    )


paragraph_text = st.text(alphabet="abc xyz.", min_size=1, max_size=12).filter(
    lambda p: p.strip() == p and p
)


@settings(max_examples=100)
@given(st.lists(paragraph_text, max_size=6), st.lists(paragraph_text, max_size=6),
       st.sampled_from(["\n\n", "\r\n\r\n", "\n \n\n"]))
def test_one_side_changed_gives_that_side(base, other, sep):
    text_base, text_other = sep.join(base), sep.join(other) + "\n"
    assert merge_body(text_base, text_other, text_other) == (text_other, [])
    assert merge_body(text_base, text_base, text_other) == (text_other, [])
    assert merge_body(text_base, text_other, text_base) == (text_other, [])


@settings(max_examples=100)
@given(st.lists(paragraph_text, max_size=6), st.lists(paragraph_text, max_size=6),
       st.lists(paragraph_text, max_size=6))
def test_any_merge_is_deterministic_and_symmetric_when_clean(base, local, remote):
    """Duplicates, empty bodies, anything: the same inputs give the same result, a clean
    result is the same with the sides swapped, and no clash loses a side's text."""
    b, lo, re_ = (body(*x) if x else "" for x in (base, local, remote))
    merged, conflicts = merge_body(b, lo, re_)
    assert merge_body(b, lo, re_) == (merged, conflicts)
    if not conflicts:
        assert merge_body(b, re_, lo)[0] == merged
    for conflict in conflicts:
        assert conflict.local is None or conflict.local in paragraphs(lo)
        assert conflict.remote is None or conflict.remote in paragraphs(re_)


@settings(max_examples=100)
@given(
    st.integers(min_value=2, max_value=7),
    st.data(),
)
def test_a_paragraph_moved_on_one_side_takes_the_other_sides_edits_along(count, data):
    base = [words(n) for n in range(count)]
    source = data.draw(st.integers(min_value=0, max_value=count - 1), label="moved")
    target = data.draw(st.integers(min_value=0, max_value=count - 1), label="to")
    edits = data.draw(st.sets(st.integers(min_value=0, max_value=count - 1)), label="edited")
    order = list(range(count))
    order.insert(target, order.pop(source))
    local = [base[n] for n in order]
    remote = [touched(n, base[n], "edit", "R")[0] if n in edits else base[n] for n in range(count)]
    merged, conflicts = merge_body(body(*base), body(*local), body(*remote))
    assert conflicts == []
    assert paragraphs(merged) == [remote[n] for n in order]
