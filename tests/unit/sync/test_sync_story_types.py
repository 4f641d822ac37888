"""The story type through sync: written to the file only when not the default, merged
like any other field (one laptop changes the type, the other the body: no conflict), and
a type set by hand in the folder's file arrives."""

from __future__ import annotations

from newsdesk.store import Store
from tests.unit.sync_helpers import edit, kinds, new_story, only_file, sync


def test_a_type_change_and_a_body_edit_merge_on_both_laptops(tmp_path):
    folder = tmp_path / "shared"
    with Store.open(tmp_path / "a.db") as a, Store.open(tmp_path / "b.db") as b:
        story = new_story(a)
        sync(a, folder)
        assert "type:" not in only_file(folder).read_text(encoding="utf-8")
        sync(b, folder)
        edit(a, story.id, type="analysis")
        edit(b, story.id, body=b.get(story.id).body + "\nA late paragraph from B.\n")
        sync(a, folder)
        report = sync(b, folder)
        assert report.ok and "merged" in kinds(report), kinds(report)
        sync(a, folder)
        for store in (a, b):
            merged = store.get(story.id)
            assert merged.type == "analysis"
            assert merged.body.endswith("A late paragraph from B.\n")
        assert 'type: "analysis"\n' in only_file(folder).read_text(encoding="utf-8")


def test_a_type_set_by_hand_in_the_file_arrives(tmp_path):
    folder = tmp_path / "shared"
    with Store.open(tmp_path / "a.db") as a:
        story = new_story(a)
        sync(a, folder)
        path = only_file(folder)
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('section: "News / Metro"\n',
                                     'section: "News / Metro"\ntype: "obituary"\n'),
                        encoding="utf-8")
        sync(a, folder)
        assert a.get(story.id).type == "obituary"
        assert a.list_rows(story_type="obituary")[0].id == story.id
