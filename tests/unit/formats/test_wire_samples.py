"""Each wire format's sample file imports with every mapped field in place (issue 22).

The samples in resources/samples/wire are invented news from invented agencies. Each test
compares every field the format maps with the value written in the file, then checks the
draft a take would make (and that it survives the interchange Markdown unchanged).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import jsonschema
import pytest

from newsdesk.domain.model import check_valid
from newsdesk.formats.detect import parse_wire_file
from newsdesk.formats.markdown import dumps, loads
from newsdesk.formats.wire_item import Subject, WireItem

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = ROOT / "resources" / "samples" / "wire"
CET = timezone(timedelta(hours=1))

TRAM_BODY = """\
The tram extension to the old docks will carry its first passengers on Monday, a year \
before the date the city council set when work began, the transport office said on Monday.

Builders finished the *Saltmarsh bridge*, the last of three, in February. Trams will run \
every **eight minutes** at peak times and every 15 minutes in the evening.

## What changes for passengers

- Four new stops between Fish Quay and the ferry terminal
- Single fares stay at 2.10, day tickets at 5.50
- Bus route 12 is cut back to the station

The 3.4 km line cost 96 million, 4 million less than budgeted. Details are on the \
[transport office's site](https://transport.harbour-city.example/docks-line).

> "We kept the old crane rails in the road so nobody forgets what the docks were," said \
chief engineer Dara Quinn.

Residents of the new flats on Cooper's Wharf, 1,200 of them, had waited for the line since \
moving in."""

TRAM = {
    "format": "newsml-g2",
    "guid": "urn:newsml:northwind.example:20260309:harbour-tram",
    "version": 3,
    "headline": "Tram line to the old docks opens a year early",
    "deck": "The harbour extension carries its first passengers on Monday after builders "
            "finished the last bridge ahead of schedule.",
    "byline": "By Elin Okafor",
    "dateline_place": "Harbour City",
    "dateline_date": date(2026, 3, 9),
    "dateline_text": "HARBOUR CITY, March 9 (Northwind) -",
    "section": "Metro",
    "body": TRAM_BODY,
    "caption": "A test tram crosses the new Saltmarsh bridge.",
    "source": "Northwind",
    "source_editor": "Jonas Whitfield",
    "provider": "Northwind Press Agency",
    "copyright": "Copyright 2026 Northwind Press Agency. All rights reserved.",
    "language": "en-GB",
    "urgency": 4,
    "pubstatus": "usable",
    "embargo": datetime(2026, 3, 9, 12, 0, tzinfo=CET),
    "sent": datetime(2026, 3, 9, 10, 42, tzinfo=CET),
    "first_created": datetime(2026, 3, 9, 8, 15, tzinfo=CET),
    "slugline": "Harbour-Tram-Docks",
    "ednote": "Embargoed until 12:00 CET. Corrects the length of the line in paragraph 3.",
    "subjects": (Subject("public transport", "nwsubj:transport", "cpnat:abstract"),
                 Subject("urban planning", "nwsubj:urban-planning", "cpnat:abstract")),
    "keywords": ("trams", "Saltmarsh bridge", "old docks"),
    "media": ({"type": "image",
               "source": "https://images.northwind.example/2026/03/tram-bridge.jpg",
               "alt": "A tram on a steel bridge over a tidal creek",
               "caption": "A test tram crosses the new Saltmarsh bridge."},),
    "notes": (),
}
TRAM_EXTRA = {
    "@conformance": "power",
    "@standard": "NewsML-G2",
    "@standardversion": "2.33",
    "@xml:lang": "en-GB",
    "catalogRef": {"@href": "http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_38.xml"},
    "contentMeta/contentCreated": "2026-03-09T08:05:00+01:00",
    "contentMeta/contributor/@uri": "http://northwind.example/staff/jwhitfield",
    "contentMeta/creator": {"@uri": "http://northwind.example/staff/eokafor",
                            "name": "Elin Okafor"},
    "contentMeta/genre": {"@qcode": "genre:current", "name": "Current"},
    "contentMeta/located/@qcode": "nwgeo:harbour-city",
    "contentMeta/located/@type": "cptype:city",
    "contentMeta/subject[2]/broader": {"@qcode": "nwsubj:environment"},
    "itemMeta/provider/@qcode": "nprov:NWP",
    "itemMeta/service/@qcode": "svc:metro",
    "itemMeta/signal": {"@qcode": "sig:update"},
    "itemMeta/title": "HARBOUR-TRAM-DOCKS",
    "rightsInfo/copyrightHolder": {"@qcode": "nprov:NWP", "name": "Northwind Press Agency"},
    "rightsInfo/usageTerms": "For use by subscribers in print and online.",
}

BUDGET_BODY = """\
Harbour City council approved next year's budget on Tuesday by 31 votes to 18, after a \
debate that ran for more than six hours.

The budget restores two night bus routes cut in 2024 and keeps all nine branch libraries \
open, paid for by a 1.9% rise in council tax.

Opposition leader Nkechi Hale said the rise would hurt families "already paying more for \
everything else"."""

DISTRICTS_BODY = """\
Spending by district next year, against this year:

| District | 2027 | Change |
| --- | --- | --- |
| Old Town | 41.0m | +3% |
| Fish Quay | 18.5m | +7% |
| Northfield | 22.2m | -2% |

## Buses

Night routes N1 and N4 return; route 30 runs every 10 minutes.

Figures from the council's budget papers."""

PACKAGE_SHARED = {
    "format": "newsml-g2",
    "byline": "By Tomasz Berg",
    "dateline_place": "Harbour City",
    "dateline_date": date(2026, 3, 10),
    "dateline_text": "HARBOUR CITY, March 10 (Northwind) -",
    "section": "Politics",
    "caption": "The council chamber before the vote.",
    "source": "Northwind",
    "source_editor": "Priya Sandoval",
    "provider": "Northwind Press Agency",
    "copyright": "Copyright 2026 Northwind Press Agency",
    "language": "en-GB",
    "pubstatus": "usable",
    "embargo": datetime(2026, 3, 10, 18, 0, tzinfo=UTC),
    "media": (),
    "notes": ("skipped newsItem 'urn:newsml:northwind.example:20260310:budget-photo': "
              "not text (ninat:picture)",),
}
BUDGET = {
    **PACKAGE_SHARED,
    "guid": "urn:newsml:northwind.example:20260310:council-budget",
    "version": 2,
    "headline": "Council agrees a budget with more for buses",
    "deck": "Councillors voted 31 to 18 for a budget that puts night buses back and keeps "
            "every library open.",
    "body": BUDGET_BODY,
    "urgency": 3,
    "sent": datetime(2026, 3, 10, 17, 28, tzinfo=UTC),
    "first_created": datetime(2026, 3, 10, 16, 50, tzinfo=UTC),
    "slugline": "Council-Budget",
    "ednote": "Embargoed until 18:00 GMT.",
    "subjects": (Subject("local government", "nwsubj:local-government"),
                 Subject("public transport", "nwsubj:transport")),
    "keywords": ("budget", "buses"),
}
DISTRICTS = {
    **PACKAGE_SHARED,
    "guid": "urn:newsml:northwind.example:20260310:budget-districts",
    "version": 1,
    "headline": "What the budget means for each district",
    "deck": "Four districts gain, one loses: the budget line by line.",
    "body": DISTRICTS_BODY,
    "urgency": 5,
    "sent": datetime(2026, 3, 10, 17, 25, tzinfo=UTC),
    "first_created": datetime(2026, 3, 10, 17, 25, tzinfo=UTC),
    "slugline": "Council-Budget-Districts",
    "ednote": "Factbox to go with COUNCIL-BUDGET.",
    "subjects": (Subject("local government", "nwsubj:local-government"),),
    "keywords": ("budget", "districts"),
}

LIBRARY_BODY = """\
The central library in Kestrel Bay will keep its reading room open until 2 a.m. for the \
rest of the exam season after more than 400 students a night turned up in the first week, \
the city's libraries service said on Wednesday.

The late opening was planned as a two-week trial with *one* member of staff and a security \
guard. A second librarian now works each night.

## Quiet, warm and free

Students said they came for space they could not find at home.

> "There are five of us in a two-room flat. Here it is quiet, it is warm and nobody charges \
for coffee because there is no coffee."
>
> Amira Haddad, law student

The service listed what the longer hours cost each week:

- Staff: 2,300
- Heating and lighting: 640
- Security: 1,150

More details are on the [libraries service's site](https://libraries.kestrelbay.example/nights).

Reporting by Hana Kowalczyk; editing by Malik Osei."""

LIBRARY = {
    "format": "nitf",
    "guid": "MRW-2026-03-11-0042",
    "version": 2,
    "headline": "Library's night reading room draws students",
    "deck": "More than 400 students a night used the central library's reading room after it "
            "began opening until 2 a.m., twice what staff had expected.",
    "byline": "By Hana Kowalczyk, Education Correspondent",
    "dateline_place": "Kestrel Bay",
    "dateline_date": date(2026, 3, 11),
    "dateline_text": "Kestrel Bay, March 11",
    "section": "Education",
    "body": LIBRARY_BODY,
    "caption": "Students in the central library's reading room after midnight.",
    "source": "Meridian Wire",
    "source_editor": "Malik Osei",
    "provider": "MRW",
    "copyright": "Meridian Wire Ltd",
    "language": "en-GB",
    "urgency": 5,
    "pubstatus": "usable",
    "embargo": datetime(2026, 3, 11, 9, 0, tzinfo=UTC),
    "sent": datetime(2026, 3, 11, 7, 15, tzinfo=UTC),
    "first_created": None,
    "slugline": "LIBRARY-NIGHT",
    "ednote": "Pictures of the reading room on the picture service.",
    "subjects": (Subject("education", "05000000", "IPTC"),
                 Subject("libraries", "01000000", "IPTC")),
    "keywords": ("libraries", "students", "exams"),
    "media": ({"type": "image",
               "source": "https://pictures.meridian.example/0311/reading-room.jpg",
               "mime_type": "image/jpeg", "alt": "Students at long tables under lamps",
               "caption": "Students in the central library's reading room after midnight.",
               "credit": "Meridian Wire / Sol Ferreira"},),
    "notes": (),
}
LIBRARY_EXTRA = {
    "@change.date": "October 18, 2006",
    "@change.time": "19:30",
    "body/body.head/hedline/hl2": "Opening until 2 a.m. during exams was meant as a trial",
    "head/docdata/date.expire": {"@norm": "20260318T000000+0000"},
    "head/docdata/doc.copyright/@year": "2026",
    "head/meta": {"@content": "regional", "@name": "meridian-desk"},
    "head/pubdata/@type": "web",
    "head/revision-history[1]": {"@function": "writer", "@name": "Hana Kowalczyk",
                                 "@norm": "20260311T063000+0000"},
    "head/revision-history[2]/@norm": "20260311T070500+0000",
    "head/title": "Library's night reading room draws students",
    "head/tobject/@tobject.type": "news",
    "head/tobject/tobject.property": {"@tobject.property.type": "current"},
    "head/tobject/tobject.subject[2]/@tobject.subject.type": "arts, culture and entertainment",
}

LIFEBOAT = {
    "format": "ninjs-1",
    "guid": "urn:coastline.example:2026:lifeboat-gull-point",
    "version": 2,
    "headline": "Lifeboat crew rescues four kayakers off Gull Point",
    "deck": "The volunteer crew reached the group 20 minutes after a walker saw them "
            "clinging to an upturned boat.",
    "byline": "By Callum Reyes",
    "dateline_place": "Gull Point",
    "dateline_date": date(2026, 3, 12),
    "dateline_text": "GULL POINT, England, 2026-03-12",
    "section": "News / Coast",
    "body": "A volunteer lifeboat crew rescued four kayakers from the sea off Gull Point on "
            "Thursday afternoon after their boats overturned in a sudden squall.\n\n"
            "A walker on the cliff path saw the group *clinging to an upturned kayak* and "
            "called the coastguard at 15:12. The lifeboat reached them 20 minutes later.\n\n"
            "All four, aged between 19 and 23, were treated for cold at Gull Point harbour "
            "and did not need hospital care.\n\n"
            "The coastguard said the group had checked the forecast but that the squall "
            "\"came out of nowhere\", and urged paddlers to carry a radio.",
    "caption": "The Gull Point lifeboat returns to harbour with the rescued kayakers.",
    "source": "Coastline News Service",
    "source_editor": "Ines Moreau",
    "provider": "Coastline News Service",
    "copyright": "(c) 2026 Coastline News Service",
    "language": "en-GB",
    "urgency": 2,
    "pubstatus": "usable",
    "embargo": datetime(2026, 3, 12, 19, 0, tzinfo=UTC),
    "sent": datetime(2026, 3, 12, 17, 55, tzinfo=UTC),
    "first_created": datetime(2026, 3, 12, 16, 40, tzinfo=UTC),
    "slugline": "Lifeboat-Gull-Point",
    "ednote": "Updates with the coastguard's statement in paragraph 4.",
    "subjects": (Subject("maritime rescue", "rescue-sea", "about"),),
    "keywords": ("kayaking", "lifeboats"),
    "media": (),
    "notes": (),
}

MILL = {
    "format": "ninjs-2",
    "guid": "urn:coastline.example:2026:old-mill-bakery",
    "version": 1,
    "headline": "Bakers' co-op brings the old mill back to work",
    "deck": "Twelve bakers pooled their savings to restore a water mill that last ground "
            "flour in 1961.",
    "byline": "By Sofia Brandt",
    "dateline_place": "Alderford",
    "dateline_date": date(2026, 3, 13),
    "dateline_text": "Alderford, 2026-03-13",
    "section": "Business / Local",
    "body": "A cooperative of twelve bakers has restored Alder Mill, the last [water mill]"
            "(https://heritage.alderford.example/mill) on the river Alder, and will grind its "
            "own flour from next week.\n\n"
            "### Why a mill\n\n"
            "The bakers said flour prices rose by a third in two years. “We did the sums on a "
            "napkin,” said Greta Lindholm, who chairs the co-op.\n\n"
            "1. Restoration cost: 380,000\n"
            "2. Flour a week: about two tonnes\n\n"
            "Visitors can watch the **wheel** turn on Saturdays.",
    "caption": "The restored wheel of Alder Mill turns for the first time in 65 years.",
    "source": "Coastline News Service",
    "source_editor": "Ines Moreau",
    "provider": "Coastline News Service",
    "copyright": "(c) 2026 Coastline News Service",
    "language": "en-GB",
    "urgency": 6,
    "pubstatus": "usable",
    "embargo": datetime(2026, 3, 13, 10, 0, tzinfo=CET),
    "sent": datetime(2026, 3, 13, 8, 20, tzinfo=CET),
    "first_created": datetime(2026, 3, 13, 8, 0, tzinfo=CET),
    "slugline": "Old-Mill-Bakery",
    "ednote": "A picture of the mill wheel will follow.",
    "subjects": (Subject("small business", "http://coastline.example/subjects/small-business",
                         "about"),),
    "keywords": ("baking", "heritage", "Alder Mill"),
    "media": (),
    "notes": (),
}

MARKET = {
    "format": "text",
    "version": 1,
    "headline": "Night market returns to Fish Quay for the summer",
    "deck": "Sixty stalls will open on Friday evenings from May, the harbour trust said, after "
            "a trial last year drew 9,000 visitors a night.",
    "caption": "Stallholders set up under strings of lights on Fish Quay during last year's "
               "trial.",
    "dateline_place": "Harbour City",
    "dateline_date": date(2026, 3, 14),
    "section": "News / Metro",
    "source": "Northwind",
    "provider": "Northwind",
    "source_editor": "Jonas Whitfield",
    "body": "HARBOUR CITY (Northwind) -- Sixty food and craft stalls will trade on Fish Quay "
            "every Friday evening from 1 May to 25 September, the harbour trust said on "
            "Saturday.\n\n"
            "The trust ran four trial nights last August. Traders reported takings \"well "
            "above a normal Saturday\", and the trust counted 9,000 visitors on the busiest "
            "night.\n\n"
            "Stall fees are 45 a night, with half-price pitches for the first 10 traders "
            "under 25.\n\n"
            "The quay will be closed to cars from 16:00 on market nights. Bus route 7 is "
            "diverted along Chandlers Row.",
    "notes": ("dateline place 'Harbour City' taken from the first paragraph",),
}


def assert_fields(item: WireItem, expected: dict[str, object]) -> None:
    """Field by field, so a failure names the field."""
    for name, value in expected.items():
        assert getattr(item, name) == value, name


def only(path: Path) -> WireItem:
    items = parse_wire_file(path)
    assert len(items) == 1
    return items[0]


def test_newsml_g2_news_item_maps_every_field():
    item = only(SAMPLES / "newsml-g2-newsitem.xml")
    assert_fields(item, TRAM)
    assert item.extra == TRAM_EXTRA


def test_newsml_g2_package_gives_its_text_items_in_the_package_order():
    budget, districts = parse_wire_file(SAMPLES / "newsml-g2-package.xml")
    assert_fields(budget, BUDGET)
    assert_fields(districts, DISTRICTS)
    for item, position in ((budget, 1), (districts, 3)):
        package = item.package
        assert package["guid"] == "urn:newsml:northwind.example:20260310:budget-package"
        assert package["headline"] == "Council budget: buses, libraries and what each district gets"
        assert (package["position"], package["of"]) == (position, 3)
        assert item.extra["newsMessage/header"]["transmitId"] == (
            "tag:northwind.example,2026:msg-88412")
    # The districts item's NITF body.head repeats the headline: kept, not lost.
    assert districts.extra["contentSet/inlineXML/nitf/body/body.head"] == {
        "hedline": {"hl1": "What the budget means for each district"}}


def test_nitf_maps_every_field():
    item = only(SAMPLES / "nitf-3.6.xml")
    assert_fields(item, LIBRARY)
    assert item.extra == LIBRARY_EXTRA


def test_ninjs_1_maps_every_field():
    item = only(SAMPLES / "ninjs-1.4.json")
    assert_fields(item, LIFEBOAT)
    assert item.extra["headline_short"] == "Four kayakers rescued off Gull Point"
    assert item.extra["body_text"].startswith("A volunteer lifeboat crew rescued")
    assert item.extra["usageterms"] == "No archive use after 30 days."
    assert item.extra["person[1]"] == {"name": "Callum Reyes", "rel": "author"}
    assert item.extra["subject[2]/scheme"] == "http://coastline.example/subjects/"


def test_ninjs_2_maps_every_field_and_the_sample_is_valid_ninjs_2_2():
    path = SAMPLES / "ninjs-2.2.json"
    schema = json.loads((ROOT / "tests" / "data" / "ninjs-schema_2.2.json").read_text())
    jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema)
    item = only(path)
    assert_fields(item, MILL)
    assert item.extra["headlines[2]"]["value"] == "Old mill grinds again"
    assert item.extra["bodies[2]"]["contenttype"] == "text/plain"
    assert item.extra["people[2]"] == {"name": "Greta Lindholm", "rel": "mentioned"}
    assert item.extra["altids"] == [{"role": "internal", "value": "CNS-0313-0007"}]


def test_plain_text_copy_maps_every_field_with_a_guid_made_from_the_copy(tmp_path):
    path = SAMPLES / "plain-text.txt"
    item = only(path)
    assert_fields(item, MARKET)
    assert item.guid.startswith("urn:newsdesk:wire-text:")
    # The same copy under another name is the same item; other copy is another.
    copy = tmp_path / "again.txt"
    copy.write_bytes(path.read_bytes())
    assert only(copy).guid == item.guid
    copy.write_text(path.read_text(encoding="utf-8").replace("Sixty food", "Seventy food"),
                    encoding="utf-8")
    assert only(copy).guid != item.guid


def test_the_second_version_is_the_same_item_later_with_other_text():
    first = only(SAMPLES / "newsml-g2-newsitem.xml")
    later = only(SAMPLES / "newsml-g2-newsitem-v4.xml")
    assert later.guid == first.guid
    assert (first.version, later.version) == (3, 4)
    assert later.sent > first.sent
    assert later.fingerprint != first.fingerprint
    added = 'Mayor Ruth Adeyemi, who rode the first test tram, called the early opening'
    assert added in later.body and added not in first.body


SAMPLE_FILES = sorted(SAMPLES.iterdir())


def test_there_is_a_sample_for_every_format():
    formats = {item.format for path in SAMPLE_FILES for item in parse_wire_file(path)}
    assert formats == {"newsml-g2", "nitf", "ninjs-1", "ninjs-2", "text"}


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_a_take_makes_a_valid_draft_that_the_interchange_file_keeps_whole(path):
    for item in parse_wire_file(path):
        story = check_valid(item.to_story())
        assert story.status == "draft" and story.editor == ""  # the desk's editor: who takes
        assert (story.headline, story.deck, story.byline, story.caption, story.body) == (
            item.headline, item.deck, item.byline, item.caption, item.body)
        assert (story.dateline.place, story.dateline.date) == (
            item.dateline_place, item.dateline_date)
        assert story.embargo == item.embargo and story.ednote == item.ednote
        assert story.source == item.source
        wire = story.extra["wire"]
        assert (wire["guid"], wire["version"], wire["format"]) == (
            item.guid, item.version, item.format)
        assert wire["fingerprint"] == item.fingerprint
        assert wire.get("unmapped", {}) == item.extra
        if item.language:
            assert story.extra["language"] == item.language
        again = loads(dumps(story), path.name)
        assert again.extra == story.extra
        assert again.content_hash == story.content_hash


def test_the_draft_carries_the_agency_metadata():
    story = only(SAMPLES / "newsml-g2-newsitem.xml").to_story()
    assert story.slug == "harbour-tram-docks"  # from the agency's slugline
    assert story.tags == ("trams", "Saltmarsh bridge", "old docks")
    assert story.section == "Metro"
    wire = story.extra["wire"]
    assert wire["provider"] == "Northwind Press Agency"
    assert wire["urgency"] == 4
    assert wire["source_editor"] == "Jonas Whitfield"
    assert wire["sent"] == "2026-03-09T10:42:00+01:00"
    assert wire["first_created"] == "2026-03-09T08:15:00+01:00"
    assert wire["copyright"] == "Copyright 2026 Northwind Press Agency. All rights reserved."
    assert wire["subjects"][0] == {"name": "public transport", "code": "nwsubj:transport",
                                   "kind": "cpnat:abstract"}
    assert wire["media"][0]["source"].endswith("tram-bridge.jpg")
    assert "pubstatus" not in wire  # usable is the default and not repeated


def test_the_shared_plain_text_sample_reads_as_a_wire_item(sample_wire_path):
    item = only(sample_wire_path)
    assert item.format == "text" and item.version == 1
    assert (item.source, item.provider, item.source_editor) == ("SHINE", "SHINE", "Xu Fang")
    assert item.section == "News / Metro" and item.dateline_date == date(2023, 11, 6)
    story = item.to_story()
    assert story.editor == "" and story.extra["wire"]["source_editor"] == "Xu Fang"
