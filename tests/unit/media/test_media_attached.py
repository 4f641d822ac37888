"""The story's pictures list (media/attached.py): read from untrusted front matter, added
to, taken from; and the intake rule on metadata that held HTML (media/intake.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from newsdesk.domain.model import Story
from newsdesk.media import MediaError, Picture
from newsdesk.media.attached import (
    attach,
    detach,
    match_picture,
    pictures_of,
    typed_over,
    with_pictures,
)
from newsdesk.media.intake import metadata_refusal
from newsdesk.media.metadata import FileMetadata


def pic(n: int, **fields) -> Picture:
    return Picture(id="sha256:" + f"{n:x}" * 64, file_name=f"p{n}.jpg",
                   media_type="image/jpeg", width=100, height=80, **fields)


A, B, C = pic(1), pic(2), pic(3)


def test_a_list_written_reads_back_the_same():
    extra = with_pictures({"language": "en"}, [A, replace(B, caption="x", role="lead")])
    assert pictures_of(extra) == (A, replace(B, caption="x", role="lead"))
    assert with_pictures(extra, []) == {"language": "en"}


@pytest.mark.parametrize("raw, word", [
    ("a string", "not a list"),
    ([{"id": "sha256:zz", "type": "image/jpeg", "width": 1, "height": 1}], "sha256"),
    ([{**A.as_json(), "id": "../../etc/passwd"}], "sha256"),
    ([{**A.as_json(), "type": "image/svg+xml"}], "unknown picture type"),
    ([{**A.as_json(), "width": "100"}], "whole number"),
    ([{**A.as_json(), "width": True}], "whole number"),
    ([{**A.as_json(), "role": "banner"}], "role"),
    ([{**A.as_json(), "caption": 7}], "not text"),
    ([A.as_json(), A.as_json()], "twice"),
    ([{**A.as_json(), "role": "lead"}, {**B.as_json(), "role": "lead"}], "one lead"),
    (["x"], "mapping"),
])
def test_a_hand_edited_list_that_cannot_be_is_refused(raw, word):
    with pytest.raises(MediaError, match=word):
        pictures_of({"pictures": raw})


def test_text_from_the_front_matter_is_cleaned():
    raw = [{**A.as_json(), "caption": "<script>x</script>Fire\u202e", "alt": "a\x07b"}]
    (picture,) = pictures_of({"pictures": raw})
    assert (picture.caption, picture.alt) == ("Fire", "ab")


def test_attach_keeps_order_and_typed_fields_and_moves_the_lead():
    current = (replace(A, role="lead", caption="typed"), B)
    again = replace(A, caption="from file", credit="Agency")
    result = attach(current, [again, C], lead=False)
    assert [p.id for p in result] == [A.id, B.id, C.id]
    assert (result[0].caption, result[0].credit) == ("typed", "Agency")
    moved = attach(result, [C], lead=True)
    assert [p.role for p in moved] == ["gallery", "gallery", "lead"]


@pytest.mark.parametrize("ref, found", [
    (A.id, A), (A.id.removeprefix("sha256:"), A), ("111111", A), ("222222", B),
])
def test_match_picture_table(ref, found):
    assert match_picture((A, B), ref) == found


@pytest.mark.parametrize("ref, word", [("11", "not a picture id"), ("zzzzzz", "not a picture"),
                                       ("333333", "no picture")])
def test_match_picture_refusals(ref, word):
    with pytest.raises(MediaError, match=word):
        match_picture((A, B), ref)


def test_detach_returns_the_rest_and_the_one_gone():
    assert detach((A, B), "222222") == ((A,), B)


def test_typed_over_only_replaces_what_was_given():
    filled = replace(A, caption="file caption", credit="file credit")
    assert typed_over(filled, {"caption": None, "credit": "Desk"}) == replace(
        filled, credit="Desk")


@pytest.mark.parametrize("notes, typed, refused", [
    (("caption (IPTC): HTML removed",), {}, "IPTC caption metadata holds HTML"),
    (("credit (XMP): control characters removed",), {}, "control characters"),
    (("caption (IPTC): HTML removed",), {"caption": "Mine"}, ""),
    (("caption (IPTC): shortened to 2000 characters",), {}, ""),
    (("XMP metadata unreadable, ignored",), {}, ""),
])
def test_metadata_refusal_table(notes, typed, refused):
    problem = metadata_refusal(FileMetadata(notes=notes), typed, "p.jpg")
    assert (refused in problem) if refused else problem == ""


def test_pictures_are_in_the_content_hash_only_when_a_story_has_some():
    story = Story(headline="x", body="y")
    assert story.replace(extra={"pictures": []}).content_hash == story.content_hash
    with_one = story.replace(extra=with_pictures({}, [A]))
    assert with_one.content_hash != story.content_hash
    recaptioned = story.replace(extra=with_pictures({}, [replace(A, caption="new")]))
    assert recaptioned.content_hash != with_one.content_hash
