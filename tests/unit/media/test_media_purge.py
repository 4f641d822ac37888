"""The purge decision, by a table: which stored pictures and renditions no text names."""

from __future__ import annotations

import pytest

from newsdesk.media.purge import PurgePlan, StoredBlob, named_hashes, purge_plan

A, B, C = "a" * 64, "b" * 64, "c" * 64


def original(hex_digits: str, size: int = 100) -> StoredBlob:
    return StoredBlob(f"sha256:{hex_digits}", f"sha256:{hex_digits}", "image/jpeg", size)


def rendition(hex_digits: str, kind: str, size: int = 10) -> StoredBlob:
    return StoredBlob(f"{hex_digits}-{kind}", f"sha256:{hex_digits}", "image/jpeg", size)


# (what the texts say, the originals stored, the renditions cached,
#  the originals removed, the renditions removed)
CASES = [
    ("nothing stored", [], [], [], [], []),
    ("a picture the current story lists stays",
     ['{"pictures": [{"id": "sha256:' + A + '"}]}'], [A], [(A, "thumb")], [], []),
    ("a picture named by nothing goes, with its renditions",
     ["Body text."], [A], [(A, "thumb"), (A, "web")], [A], [(A, "thumb"), (A, "web")]),
    ("a picture only an old revision lists stays (history and restore need it)",
     ["current: no pictures", '{"extra": {"pictures": [{"id": "sha256:' + A + '"}]}}'],
     [A, B], [(B, "web")], [B], [(B, "web")]),
    ("a body reference alone keeps it", [f"![x](media:{A})"], [A], [], [], []),
    ("a broken list that still holds the hash keeps it", [f"pictures: oops {A}"], [A], [],
     [], []),
    ("a rendition whose original is not stored goes", [A], [A], [(A, "web"), (C, "web")],
     [], [(C, "web")]),
    ("an uppercase or shorter run of hex names nothing", [A.upper(), A[:63]], [A], [], [A],
     []),
    ("a sync conflict's remote text keeps it", ["local", f"remote names {B}"], [A, B],
     [(A, "thumb"), (B, "thumb")], [A], [(A, "thumb")]),
]


@pytest.mark.parametrize(("texts", "stored", "cached", "originals", "renditions"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_purge_plan(texts, stored, cached, originals, renditions):
    plan = purge_plan([original(h) for h in stored],
                      [rendition(h, kind) for h, kind in cached], named_hashes(texts))
    assert [b.picture_id for b in plan.originals] == [f"sha256:{h}" for h in originals]
    assert [b.key for b in plan.renditions] == [f"{h}-{kind}" for h, kind in renditions]
    assert plan.bytes_freed == 100 * len(originals) + 10 * len(renditions)


def test_the_plan_counts_the_renditions_of_each_picture():
    plan = PurgePlan((original(A),), (rendition(A, "thumb"), rendition(A, "web"),
                                      rendition(C, "web")))
    assert plan.renditions_of(f"sha256:{A}") == 2
    assert plan.bytes_freed == 130
