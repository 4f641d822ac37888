"""Pictures through the sync folder: `media/<hex>.<ext>` by content hash, captions in
the front matter; a picture file whose bytes are not its name is refused."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from newsdesk.desk import Desk
from newsdesk.formats.markdown import loads
from newsdesk.sync.media_files import check_arrival
from tests.unit.media.test_media_samples import news_photo
from tests.unit.sync.test_sync_git import git, git_env, laptops_on_a_remote  # noqa: F401
from tests.unit.sync_helpers import story_files


@pytest.fixture
def two(tmp_path):
    with Desk.open(tmp_path / "a.db") as a, Desk.open(tmp_path / "b.db") as b:
        yield a, b, tmp_path / "shared"


def shared_photo(a: Desk, b: Desk, folder: Path, tmp_path: Path):
    photo = tmp_path / "fire.jpg"
    photo.write_bytes(news_photo())
    story = a.create(headline="Warehouse fire", body="Li Wei was there.")
    a.media.add_pictures(story.id, [photo], alt="Firefighters", lead=True)
    a.sync(folder)
    b.sync(folder)
    return story, photo


def test_a_picture_travels_by_content_hash_with_its_caption(two, tmp_path):
    a, b, folder = two
    story, photo = shared_photo(a, b, folder, tmp_path)
    hex_ = hashlib.sha256(photo.read_bytes()).hexdigest()
    assert (folder / "media" / f"{hex_}.jpg").read_bytes() == photo.read_bytes()
    (file,) = story_files(folder)
    in_file = loads(file.read_text(encoding="utf-8"))
    assert in_file.extra["pictures"][0]["alt"] == "Firefighters"
    (arrived,) = b.media.pictures(story.id)
    assert arrived == a.media.pictures(story.id)[0]
    assert b.store.media.picture_bytes(arrived.id) == photo.read_bytes()
    assert b.get(story.id).content_hash == a.get(story.id).content_hash


def test_a_pass_reads_the_stories_pictures_only_when_one_waits_to_go(two, tmp_path, monkeypatch):
    """Which pictures the stories list is read from every story's extra (36 ms a pass
    at 20,000 stories, issue 17): asked only when a stored picture is not in the tree
    yet, never by a desk without pictures or once every picture has gone."""
    from newsdesk.store.store_parts import StoredPictures

    a, b, folder = two
    asked: list[int] = []
    real = StoredPictures.referenced_pictures
    monkeypatch.setattr(StoredPictures, "referenced_pictures",
                        lambda self: asked.append(1) or real(self))
    a.create(headline="No pictures yet", body="Text alone.")
    a.sync(folder)
    assert asked == []
    _story, photo = shared_photo(a, b, folder, tmp_path)
    assert asked == [1]  # the new picture's pass
    a.sync(folder)
    b.sync(folder)
    assert asked == [1]
    hex_ = hashlib.sha256(photo.read_bytes()).hexdigest()
    (folder / "media" / f"{hex_}.jpg").unlink()  # gone from the tree: sent again
    a.sync(folder)
    assert asked == [1, 1] and (folder / "media" / f"{hex_}.jpg").exists()


def test_a_caption_edited_on_one_laptop_reaches_the_other(two, tmp_path):
    a, b, folder = two
    story, _photo = shared_photo(a, b, folder, tmp_path)
    current = b.get(story.id)
    pictures = current.extra["pictures"]
    changed = [{**pictures[0], "caption": "New caption from the desk"}]
    b.save(current.replace(extra={**current.extra, "pictures": changed}), current.revision)
    b.sync(folder)
    report = a.sync(folder)
    assert report.counts().get("updated") == 1
    assert a.media.pictures(story.id)[0].caption == "New caption from the desk"


def test_a_picture_file_whose_bytes_are_not_its_name_is_refused(two, tmp_path):
    a, b, folder = two
    photo = tmp_path / "fire.jpg"
    photo.write_bytes(news_photo())
    story = a.create(headline="Warehouse fire", body="Text.")
    a.media.add_pictures(story.id, [photo], alt="x")
    a.sync(folder)
    (sent,) = (folder / "media").iterdir()
    sent.write_bytes(news_photo((320, 240)))  # swapped by someone with the share
    report = b.sync(folder)
    invalid = report.of("invalid")
    assert len(invalid) == 1 and "do not match its name" in invalid[0].message
    assert b.store.media.stored_pictures([f"sha256:{sent.stem}"]) == {}
    assert sent.exists()  # left for a person to look at
    # The story still arrived; its export waits for the picture.
    assert b.media.pictures(story.id)


@pytest.mark.parametrize("name, data, word", [
    ("x.jpg", b"", "not a picture file name"),
    ("0" * 64 + ".jpg", b"abc", "do not match"),
])
def test_check_arrival_table(name, data, word):
    from newsdesk.media import MediaError

    with pytest.raises(MediaError, match=word):
        check_arrival(name, data)


def test_a_text_file_named_as_its_own_hash_is_refused_as_not_a_picture():
    from newsdesk.media import MediaError

    data = b"<svg xmlns='http://www.w3.org/2000/svg'/>"
    with pytest.raises(MediaError):
        check_arrival(hashlib.sha256(data).hexdigest() + ".png", data)


@pytest.mark.usefixtures("git_env")
def test_pictures_travel_through_a_git_remote(tmp_path):
    """The media file is committed and pushed with the story; the tree is clean after."""
    (a_store, one), (b_store, two) = laptops_on_a_remote(tmp_path, "ab")
    a_store.close()
    b_store.close()
    photo = tmp_path / "fire.jpg"
    photo.write_bytes(news_photo())
    with Desk.open(tmp_path / "a.db") as a, Desk.open(tmp_path / "b.db") as b:
        story = a.create(headline="Warehouse fire", body="Text.")
        a.media.add_pictures(story.id, [photo], alt="x")
        assert not a.sync(one).of("error")
        hex_ = hashlib.sha256(photo.read_bytes()).hexdigest()
        assert f"media/{hex_}.jpg" in git(one, "ls-files")
        assert git(one, "status", "--porcelain") == ""
        assert not b.sync(two).of("error")
        assert b.store.media.picture_bytes(f"sha256:{hex_}") == photo.read_bytes()
