"""The Picture value, its id, and the merge that never overwrites what a person typed."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest

from newsdesk.media import MediaError, Picture, merge_metadata, picture_id
from newsdesk.media.metadata import FileMetadata
from newsdesk.media.picture import file_name_for, is_picture_id

HEX = "ab" * 32
ID = f"sha256:{HEX}"


def bare(**fields) -> Picture:
    return Picture(id=ID, file_name="a.jpg", media_type="image/jpeg", width=640, height=480,
                   **fields)


def test_picture_id_is_the_sha256_of_the_original_bytes():
    assert picture_id(b"photo") == "sha256:" + hashlib.sha256(b"photo").hexdigest()
    assert is_picture_id(picture_id(b""))


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        (ID, True),
        ("sha256:" + "AB" * 32, False),
        ("sha256:" + "ab" * 31, False),
        ("sha256:" + "ab" * 32 + "\n", False),
        ("sha256:../../etc/passwd", False),
        ("md5:" + "ab" * 16, False),
        ("", False),
    ],
)
def test_is_picture_id_table(text, ok):
    assert is_picture_id(text) is ok


@pytest.mark.parametrize(
    ("media_type", "name"),
    [("image/jpeg", f"{HEX}.jpg"), ("image/png", f"{HEX}.png"), ("image/webp", f"{HEX}.webp"),
     ("image/heic", f"{HEX}.heic")],
)
def test_file_name_for_table(media_type, name):
    assert file_name_for(ID, media_type) == name


@pytest.mark.parametrize(("pid", "media_type"), [("sha256:../x", "image/jpeg"),
                                                 (ID, "image/svg+xml")])
def test_file_name_for_refuses_what_could_escape_a_folder(pid, media_type):
    with pytest.raises(MediaError):
        file_name_for(pid, media_type)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id": "sha256:nothex"}, "a picture id is 'sha256:' and 64 lowercase hex digits"),
        ({"media_type": "image/svg+xml"}, "unknown picture type 'image/svg+xml'"),
        ({"width": 0}, "picture width and height are at least 1"),
        ({"height": -3}, "picture width and height are at least 1"),
        ({"width": 1.5}, "picture width and height are whole numbers"),
        ({"role": "hero"}, "a picture's role is one of lead, gallery, inline, not 'hero'"),
    ],
)
def test_a_picture_with_impossible_values_cannot_be_made(changes, message):
    with pytest.raises(MediaError) as error:
        replace(bare(), **changes)
    assert str(error.value) == message


@pytest.mark.parametrize("role", ["lead", "gallery", "inline"])
def test_each_role_is_a_picture(role):
    assert bare(role=role).role == role


def test_as_json_lists_the_fields_show_json_names_in_order():
    data = bare(caption="c", alt="a", credit="cr", creator="by", copyright="©",
                date_taken="2023-11-06", role="lead").as_json()
    assert list(data) == ["id", "file_name", "type", "width", "height", "caption", "alt",
                          "credit", "creator", "copyright", "date_taken", "role"]
    assert data["type"] == "image/jpeg" and data["role"] == "lead"


FOUND = FileMetadata(caption="File caption", alt="File alt", credit="File credit",
                     creator="File creator", copyright="File ©", date_taken="2023-11-06")

MERGE_TABLE = [
    # (what a person typed, what the picture ends with: the fields that differ from FOUND)
    ({}, {}),
    ({"caption": "Typed caption"}, {"caption": "Typed caption"}),
    ({"caption": "   "}, {}),  # whitespace is not a caption: the file fills it
    ({"alt": "Typed alt", "credit": "Typed credit"},
     {"alt": "Typed alt", "credit": "Typed credit"}),
    ({"creator": "Typed", "copyright": "Typed ©", "date_taken": "2020-01-01"},
     {"creator": "Typed", "copyright": "Typed ©", "date_taken": "2020-01-01"}),
    ({"caption": "a", "alt": "b", "credit": "c", "creator": "d", "copyright": "e",
      "date_taken": "f"},
     {"caption": "a", "alt": "b", "credit": "c", "creator": "d", "copyright": "e",
      "date_taken": "f"}),
]


@pytest.mark.parametrize(("typed", "differs"), MERGE_TABLE)
def test_merge_fills_only_blank_fields(typed, differs):
    merged = merge_metadata(bare(**typed), FOUND)
    expected = {**FOUND.values(), **differs}
    assert {k: getattr(merged, k) for k in expected} == expected


def test_merge_with_nothing_found_keeps_the_picture_and_its_role():
    picture = bare(caption="Typed", role="lead")
    assert merge_metadata(picture, FileMetadata()) is picture


def test_merge_never_touches_file_facts_or_role():
    picture = bare(role="inline")
    merged = merge_metadata(picture, FOUND)
    assert (merged.id, merged.file_name, merged.media_type, merged.width, merged.height,
            merged.role) == (ID, "a.jpg", "image/jpeg", 640, 480, "inline")
