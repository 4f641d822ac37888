"""A WireItem as JSON and back (formats/wire_json.py): every sample's items, exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.formats.detect import parse_wire_file
from newsdesk.formats.errors import FormatError
from newsdesk.formats.wire_json import item_from_json, item_to_json

SAMPLES = Path(__file__).resolve().parents[3] / "resources" / "samples" / "wire"


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.iterdir()))
def test_every_sample_item_round_trips(sample):
    items = parse_wire_file(SAMPLES / sample)
    assert items
    for item in items:
        again = item_from_json(item_to_json(item))
        assert again == item
        assert again.to_story().replace(id="x", created_at=item.sent, updated_at=item.sent) \
            == item.to_story().replace(id="x", created_at=item.sent, updated_at=item.sent)


@pytest.mark.parametrize("text", ["[]", "not json", '{"guid": "x"}', '{"format": "text", '
                                  '"guid": "g", "version": 1, "headline": "h", "sent": "soon"}'])
def test_what_is_not_a_stored_item_is_refused(text):
    with pytest.raises(FormatError):
        item_from_json(text)
