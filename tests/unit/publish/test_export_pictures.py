"""Pictures in exports: Hugo page bundles (built by real Hugo), HTML figures, ninjs
associations (schema-valid); the exported bytes carry no GPS or camera data; the
manifest lists the picture files and verify-export checks them."""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path

import jsonschema
import pytest
from PIL import Image

from newsdesk.desk import Desk
from newsdesk.publish.verify import verify_export
from tests.unit.media.test_media_samples import (
    CAMERA_MAKE,
    IPTC_BYLINE,
    IPTC_CAPTION,
    IPTC_COPYRIGHT,
    IPTC_CREDIT,
    SERIAL,
    news_photo,
)
from tests.unit.publish.test_export_desk import approved, as_chief, as_writer
from tests.unit.publish.test_export_hugo import Tags, build, make_site, needs_hugo

SCHEMA = Path(__file__).resolve().parents[2] / "data" / "ninjs-schema_2.2.json"
GPS_IFD = 0x8825


@pytest.fixture
def desk(tmp_path):
    with Desk.open(tmp_path / "desk.db") as d:
        yield d


def story_with_photo(desk: Desk, tmp_path: Path, body: str = "Text before.\n\nText after."):
    photo = tmp_path / "fire.jpg"
    photo.write_bytes(news_photo((2400, 1600)))
    as_writer(desk)
    story = desk.create(headline="Warehouse fire", section="News / Metro", body=body)
    desk.media.add_pictures(story.id, [photo], alt="Three firefighters at dusk", lead=True)
    desk.transition(story.id, "submit")
    as_chief(desk)
    return desk.transition(story.id, "approve"), desk.media.pictures(story.id)[0]


def clean_exported(data: bytes) -> Image.Image:
    """The exported picture opened with Pillow: no GPS IFD, no camera, no IPTC/XMP."""
    image = Image.open(io.BytesIO(data))
    exif = image.getexif()
    assert GPS_IFD not in exif and not exif.get_ifd(GPS_IFD)
    assert not exif and "xmp" not in image.info and "comment" not in image.info
    assert CAMERA_MAKE.encode() not in data and SERIAL.encode() not in data
    assert b"Photoshop 3.0" not in data
    return image


@needs_hugo
def test_hugo_bundle_carries_the_picture_clean_and_hugo_builds_it(desk, tmp_path):
    story, picture = story_with_photo(desk, tmp_path)
    out = tmp_path / "site"
    report = desk.export("hugo", out)
    assert report.exported_ids == [story.id]
    bundle = out / "content" / "news" / "metro" / story.slug
    page = (bundle / "index.md").read_text(encoding="utf-8")
    name = picture.id.removeprefix("sha256:") + ".jpg"
    image = clean_exported((bundle / name).read_bytes())
    assert image.size == (1600, 1067)
    assert f'<img src="{name}" alt="Three firefighters at dusk" width="1600" height="1067">' in page
    assert f"<figcaption>{IPTC_CAPTION} — {IPTC_CREDIT}</figcaption>" in page
    assert not (out / "content" / "news" / "metro" / f"{story.slug}.md").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    (entry,) = manifest["stories"]
    listed = {f["path"]: f["sha256"] for f in entry["files"]}
    assert listed[f"content/news/metro/{story.slug}/{name}"] == hashlib.sha256(
        (bundle / name).read_bytes()).hexdigest()
    assert verify_export(out, desk.profile.keyring()).ok

    make_site(out)
    public = build(out)
    built = public / "news" / "metro" / story.slug
    tags = Tags()
    tags.feed((built / "index.html").read_text(encoding="utf-8"))
    (img,) = [attrs for tag, attrs in tags.tags if tag == "img"]
    assert (built / img["src"]).read_bytes() == (bundle / name).read_bytes()


def test_html_figure_with_alt_size_and_credit_and_body_reference(desk, tmp_path):
    body = "First paragraph.\n\n![x](media:{hex})\n\nLast paragraph."
    photo = tmp_path / "fire.jpg"
    photo.write_bytes(news_photo())
    as_writer(desk)
    story = desk.create(headline="Warehouse fire", section="News / Metro", body="x")
    desk.media.add_pictures(story.id, [photo], alt="Firefighters")
    (picture,) = desk.media.pictures(story.id)
    hex_ = picture.id.removeprefix("sha256:")
    desk.save(desk.get(story.id).replace(body=body.format(hex=hex_)), desk.get(story.id).revision)
    desk.transition(story.id, "submit")
    as_chief(desk)
    desk.transition(story.id, "approve")
    out = tmp_path / "html"
    desk.export("html", out)
    page = (out / "news" / "metro" / f"{story.slug}.html").read_text(encoding="utf-8")
    figure = (f'<figure>\n<img src="{story.slug}_files/{hex_}.jpg" alt="Firefighters" '
              f'width="640" height="480">\n<figcaption>{IPTC_CAPTION} — {IPTC_CREDIT}'
              "</figcaption>\n</figure>")
    assert figure in page
    assert page.index("First paragraph") < page.index("<figure>") < page.index("Last paragraph")
    assert page.count("<figure>") == 1 and "media:" not in page
    clean_exported((out / "news" / "metro" / f"{story.slug}_files" / f"{hex_}.jpg").read_bytes())
    assert verify_export(out, desk.profile.keyring()).ok


def test_ninjs_associations_are_schema_valid_with_renditions_and_credits(desk, tmp_path):
    story, picture = story_with_photo(desk, tmp_path)
    out = tmp_path / "ninjs"
    desk.export("ninjs", out)
    doc = json.loads((out / f"{story.id}.json").read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    assert [e.message for e in validator.iter_errors(doc)] == []
    (assoc,) = doc["associations"]
    name = picture.id.removeprefix("sha256:") + ".jpg"
    assert assoc["type"] == "picture" and assoc["name"] == "lead"
    assert assoc["renditions"] == [{
        "name": "web", "href": f"urn:newsdesk:file:{story.id}_files/{name}",
        "contenttype": "image/jpeg", "width": 1600, "height": 1067}]
    assert assoc["by"] == IPTC_BYLINE and assoc["copyrightnotice"] == IPTC_COPYRIGHT
    assert {"role": "caption", "contenttype": "text/plain", "value": IPTC_CAPTION} in (
        assoc["descriptions"])
    clean_exported((out / f"{story.id}_files" / name).read_bytes())
    assert verify_export(out, desk.profile.keyring()).ok


def test_a_changed_picture_file_fails_verify_export(desk, tmp_path):
    story, _picture = story_with_photo(desk, tmp_path)
    out = tmp_path / "html"
    desk.export("html", out)
    (path,) = (out / "news" / "metro" / f"{story.slug}_files").iterdir()
    path.write_bytes(news_photo())
    result = verify_export(out, desk.profile.keyring())
    assert not result.ok and any(path.name in p for p in result.problems)


def test_renditions_are_made_once_and_cached_by_content_hash(desk, tmp_path):
    story_with_photo(desk, tmp_path)
    desk.export("html", tmp_path / "a")
    rows = desk.store.db.execute("SELECT count(*) FROM media_renditions").fetchone()[0]
    desk.export("ninjs", tmp_path / "b")
    assert rows == 1
    assert desk.store.db.execute("SELECT count(*) FROM media_renditions").fetchone()[0] == 1


def test_a_story_without_pictures_exports_byte_for_byte_as_before(desk, tmp_path):
    story = approved(desk, "Tram depot opens", body="Doors open at nine.")
    desk.export("hugo", tmp_path / "h")
    assert (tmp_path / "h" / "content" / "news" / "metro" / f"{story.slug}.md").exists()
    assert not re.search(r"_files|figure", "".join(
        p.as_posix() for p in (tmp_path / "h").rglob("*")))


@pytest.mark.parametrize("entry, why", [
    ({"id": "../../etc/passwd", "type": "image/jpeg", "width": 1, "height": 1},
     "its pictures cannot be read"),
    ({"id": "sha256:" + "e" * 64, "type": "image/jpeg", "width": 10, "height": 10,
      "file_name": "gone.jpg", "alt": "x", "credit": "y"},
     "picture gone.jpg cannot be exported"),
])
def test_a_story_whose_pictures_cannot_go_out_is_held_back_with_the_reason(
        desk, tmp_path, entry, why):
    """A hand-edited list (from a synced file), or a picture whose bytes never arrived:
    nothing of the story is written, the report says why."""
    story = approved(desk, "Tram depot opens", body="Doors open at nine.",
                     extra={"pictures": [entry]})
    report = desk.export("html", tmp_path / "out")
    assert report.exported_ids == []
    ((skipped_id, _slug, reason),) = report.skipped
    assert skipped_id == story.id and why in reason
    assert not (tmp_path / "out" / "news" / "metro" / f"{story.slug}.html").exists()


def test_the_house_rule_can_keep_creator_and_copyright_and_nothing_else(desk, tmp_path):
    from newsdesk.paths import config_dir

    config_dir().mkdir(parents=True, exist_ok=True)
    (config_dir() / "rules.yaml").write_text("pictures:\n  keep_credits: true\n",
                                             encoding="utf-8")
    desk.reload_rules()
    story, picture = story_with_photo(desk, tmp_path)
    desk.export("html", tmp_path / "out")
    name = picture.id.removeprefix("sha256:") + ".jpg"
    data = (tmp_path / "out" / "news" / "metro" / f"{story.slug}_files" / name).read_bytes()
    exif = Image.open(io.BytesIO(data)).getexif()
    # Artist and Copyright only, in UTF-8 (as ExifTool writes them; Pillow reads Latin-1).
    kept = {tag: text.encode("latin-1").decode("utf-8") for tag, text in exif.items()}
    assert kept == {0x013B: IPTC_BYLINE, 0x8298: IPTC_COPYRIGHT}
    assert not exif.get_ifd(GPS_IFD) and CAMERA_MAKE.encode() not in data
