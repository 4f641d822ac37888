"""Picture benchmarks: add a 24-megapixel photo, open a story with 20 photos, export
1,000 stories with photos. Prints figures (README, "Pictures: figures"); asserts nothing.

    python tests/benchmarks/bench_media.py [--count 1000] [--skip-export]

The photos are made here with Pillow (tests/unit/media/test_media_samples.py): the
24-MP ones as an agency sends them (IPTC, EXIF with GPS, XMP, sensor-like grain), the
export's 1,000 distinct 1600x1067 JPEGs, one a story.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from tempfile import TemporaryDirectory

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PIL import Image, ImageDraw
from tests.unit.media.test_media_samples import (
    big_photo,
    encode,
    news_photo,
    scene,
)

from newsdesk.desk import Desk
from newsdesk.domain.model import Approval, utcnow
from newsdesk.identity.profile import Profile
from newsdesk.identity.signing import sign_approval
from newsdesk.media import THUMBNAIL


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def numbered_photo(n: int, size: tuple[int, int] = (1600, 1067)) -> bytes:
    """A distinct photo: the scene with its number drawn on it."""
    image = scene(size)
    ImageDraw.Draw(image).text((40, 40), f"photo {n}", fill=(255, 255, 255))
    return encode(image, "JPEG", quality=88)


def bench_add(desk: Desk, work: Path) -> None:
    photo = work / "big.jpg"
    photo.write_bytes(big_photo())
    times, ahead = [], []
    for n in range(3):
        story = desk.create(headline=f"Big photo {n}", body="Text.")
        # A new photo each time (one byte of its comment differs): nothing deduplicated.
        data = photo.read_bytes().replace(b"Pudong desk", f"Pudong des{n}".encode(), 1)
        path = work / f"big{n}.jpg"
        path.write_bytes(data)
        added: list = []
        times.append(timed(lambda s=story, p=path, a=added: a.extend(
            desk.media.add_pictures(s.id, [p], alt="x")[1])))
        ahead.append(timed(lambda a=added: desk.media.make_renditions(a)))
    size_mb = photo.stat().st_size / 2**20
    print(f"add a 24-MP JPEG ({size_mb:.1f} MB): {statistics.median(times) * 1000:.0f} ms "
          "(read, check, decode, metadata, store, new revision), then "
          f"{statistics.median(ahead) * 1000:.0f} ms making its thumbnail and web rendition "
          "(the command's second step; the window's background job)")


def bench_open(desk: Desk, work: Path) -> None:
    story = desk.create(headline="Twenty photos", body="Text.")
    paths = []
    for n in range(20):
        path = work / f"p{n}.jpg"
        path.write_bytes(news_photo((6000, 4000 - n)))
        paths.append(path)
    _, added = desk.media.add_pictures(story.id, paths, alt="x")
    ahead = timed(lambda: desk.media.make_renditions(added))

    def open_story(made: list[int]) -> None:
        desk.get(story.id)
        for picture in desk.media.pictures(story.id):
            made.append(len(desk.media.picture_rendition(picture, THUMBNAIL).data))

    first = timed(lambda: open_story([]))
    again = statistics.median(timed(lambda: open_story([])) for _ in range(5))
    print(f"open a story with 20 24-MP photos: {first * 1000:.1f} ms the first time, "
          f"{again * 1000:.1f} ms again (the 20 thumbnails made ahead, when added: "
          f"{ahead:.2f} s in the background)")


def bench_export(desk: Desk, work: Path, count: int) -> None:
    key = desk.profile.private_key()
    ids, pictures = [], []
    for n in range(count):
        story = desk.create(headline=f"Story {n} with a photo", section="News",
                            body="First paragraph.\n\nSecond paragraph.")
        path = work / f"e{n}.jpg"
        path.write_bytes(numbered_photo(n))
        _, added = desk.media.add_pictures(story.id, [path], alt="A photo", credit="Bench",
                                     lead=True)
        pictures.extend(added)
        ids.append(story.id)
    ahead = timed(lambda: desk.media.make_renditions(pictures))
    print(f"renditions of the {count:,} photos made ahead (as `media add` or the window's "
          f"job does, once each): {ahead:.1f} s")
    store, now = desk.store, utcnow()
    with store.transaction():
        for story_id in ids:
            story = store.get(story_id)
            approval = Approval(desk.profile.name, story.revision, story.content_hash, now)
            store.add_approval(story_id, sign_approval(story_id, approval, key))
            store.set_status(story_id, "approved", expected_revision=story.revision,
                             actor=desk.profile.name, action="approve")
    for fmt in ("hugo", "html", "ninjs"):
        out = work / f"out-{fmt}"
        reports: list = []
        first = timed(lambda o=out, f=fmt, r=reports: r.append(desk.export(f, o)))
        assert len(reports[0].exported) == count, reports[0].skipped[:3]
        full = timed(lambda o=out, f=fmt: desk.export(f, o, full=True))
        same = timed(lambda o=out, f=fmt: desk.export(f, o))
        print(f"export {count:,} stories with a photo each to {fmt}: {first:.1f} s "
              f"(renditions made or cached), {full:.1f} s all rendered again, "
              f"{same:.2f} s nothing changed")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--skip-export", action="store_true")
    args = parser.parse_args(argv)
    Image.MAX_IMAGE_PIXELS = None  # the bench's own photos
    with TemporaryDirectory() as tmp:
        work = Path(tmp)
        with Desk.open(work / "bench.db") as desk:
            desk.use_profile(Profile("Bench Chief", "desk_chief", folder=work / "chief").save())
            bench_add(desk, work)
            bench_open(desk, work)
            if not args.skip_export:
                bench_export(desk, work, args.count)


if __name__ == "__main__":
    main()
