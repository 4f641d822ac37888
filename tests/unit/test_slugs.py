"""Slugs: one numbering rule for stories made in the window and stories imported."""

from __future__ import annotations

from newsdesk.model import SLUG_MAX, free_slug, slug_base, slugify


def test_a_free_slug_is_kept_and_a_taken_one_is_numbered():
    assert free_slug("harbour-plan", set().__contains__) == "harbour-plan"
    taken = {"harbour-plan", "harbour-plan-2"}
    assert free_slug("harbour-plan", taken.__contains__) == "harbour-plan-3"


def test_the_number_fits_within_the_longest_slug():
    long = slugify("word " * 40, limit=SLUG_MAX)
    base = slug_base(long)
    numbered = free_slug(long, {base}.__contains__)
    assert numbered == f"{base}-2" and len(numbered) <= SLUG_MAX


def test_a_slug_of_only_hyphens_becomes_story():
    assert slug_base("---") == "story"


def test_the_window_and_the_import_number_alike(tmp_path):
    from newsdesk.desk import Desk

    with Desk.open(tmp_path / "desk.db") as desk:
        first = desk.create(headline="Ferry timetable changes", body="One.")
        second = desk.create(headline="Ferry timetable changes", body="Two.")
        taken = desk.store.taken_slugs([slug_base(first.slug)])
        assert second.slug == f"{first.slug}-2"
        assert free_slug(first.slug, taken.__contains__) == desk.unique_slug(first.slug)
