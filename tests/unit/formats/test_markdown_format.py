"""Markdown with front matter: exact round trips, hand-edited files, hostile YAML."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsdesk.domain.model import (
    ALL_FIELDS,
    SLUG_MAX,
    STATUSES,
    Approval,
    Dateline,
    Story,
    WorkflowAction,
    check_valid,
)
from newsdesk.formats.errors import FormatError
from newsdesk.formats.frontmatter import quoted, serialize, text_node
from newsdesk.formats.markdown import (
    FRONT_MATTER_FIELDS,
    dumps,
    loads,
    read_markdown,
    split_front_matter,
)

ROOT = Path(__file__).resolve().parents[3]
SHANGHAI = timezone(timedelta(hours=8))
STAMP = datetime(2024, 3, 5, 7, 45, 12, tzinfo=UTC)
ID = "3f2b8c1e-9d4a-4c55-8e0f-2a6b7c8d9e10"
AWKWARD = ["NO", "yes", "N", "1:30", "0777", "---", ": colon", "#x", "~", "null", "true",
           "2023-11-06", "@at", "`tick`", "'single'", '"double"', "a: b", "- dash", "[x]",
           "{y}", "*star", "&anchor", "!tag", "%pct", "|pipe", ">fold", "0x1F", "1e3",
           ".inf", "😀 emoji", "上海 新闻", "tab\there", "bell\x07", "back\\slash",
           " padded ", "", "\u2028line sep", "nel\x85", "bom\ufeff", "rtl\u202e",
           "\U0001f9d1\u200d\U0001f4bb", "𠀋 rare CJK", "del\x7f"]


def story(**changes: object) -> Story:
    base = Story(
        id=ID, slug="ferry-strike-ends", headline="Ferry strike ends after talks",
        deck="Crews return on Monday.", byline="Ana Ruiz", dateline=Dateline("Harbourton",
        date(2024, 3, 4)), section="News / Metro", editor="Lee Min", source="Staff",
        tags=("transport", "labour"), caption="Crews at the pier.", body="First.\n\nSecond.\n",
        status="draft", revision=2, created_at=STAMP, updated_at=STAMP, modified_by="Ana Ruiz",
    )
    return base.replace(**changes)


def assert_round_trip(original: Story) -> None:
    text = dumps(original)
    back = loads(text)
    assert back == original
    assert dumps(back) == text  # also the exact offsets of every datetime


# The corpus of awkward stories


CORPUS = [
    story(),
    story(headline="NO", deck="yes", byline="N", section="1:30", editor="0777", source="---"),
    story(tags=tuple(AWKWARD[:-8]), caption="\n".join(AWKWARD)),
    story(deck="\t".join(AWKWARD), ednote="line one\nline two\r\nline three\r"),
    story(body=""),
    story(body="\n\n\nleading blank lines"),
    story(body="no trailing newline"),
    story(body="trailing newlines\n\n\n\n"),
    story(body="---\n---\n\n---"),
    story(body="front: matter\n---\nlooks like yaml: true\n---\n"),
    story(body="crlf\r\nbody\r\n\r\n"),
    story(body="lone\rcarriage\r"),
    story(body="\ufeffbom first\u2028\x85\x0c\x1b[0m"),
    story(body="  indented\n\tcode\n\n> quote\n\n* item"),
    story(embargo=datetime(2024, 3, 6, 9, 30, tzinfo=SHANGHAI)),
    story(embargo=datetime(2024, 3, 6, 9, 30, 0, 123456, tzinfo=timezone(-timedelta(hours=5)))),
    story(dateline=Dateline("", None)),
    story(dateline=Dateline("São Paulo: \"Centro\"", None)),
    story(status="approved", revision=7, approvals=(
        Approval("Desk Chief", 6, "sha256:" + "a" * 64, STAMP, "pk", "sig"),
        Approval("N", 7, "sha256:" + "b" * 64, datetime(2024, 3, 5, 9, 0, tzinfo=SHANGHAI)),
    )),
    story(extra={"NO": "yes", "weight": 10, "featured": True, "ratio": 0.25, "none": None,
                 "list": ["NO", 1, [False]], "map": {"b": {"c": "1:30"}, "a": []},
                 "weird key: #": "x", "": "empty key"}),
    story(headline="😀" * 300, slug="a" * SLUG_MAX, revision=10**15),
]


@pytest.mark.parametrize("original", CORPUS, ids=range(len(CORPUS)))
def test_corpus_round_trips_exactly(original):
    check_valid(original)
    assert_round_trip(original)


def test_writer_layout_is_fixed_and_quotes_every_string():
    text = dumps(story(extra={"zeta": "z", "alpha": "a"}))
    assert text.startswith("---\n") and "\r" not in text
    front, body, opening = split_front_matter(text)
    assert opening == 1 and body == "First.\n\nSecond.\n"
    keys = [line.split(":")[0] for line in front.splitlines() if not line.startswith(" ")]
    optional = ("modified_key", "actions", "type")  # written only when not the default
    written = [name for name in FRONT_MATTER_FIELDS if name not in optional]
    assert keys == [*written, '"alpha"', '"zeta"']
    assert 'headline: "Ferry strike ends after talks"\n' in text
    assert 'tags: ["transport", "labour"]\n' in text
    assert "dateline:\n  place: \"Harbourton\"\n  date: \"2024-03-04\"\n" in text
    assert "embargo: null\n" in text and "revision: 2\n" in text
    assert 'created_at: "2024-03-05T07:45:12+00:00"\n' in text
    assert "approvals: []\n" in text


def test_signed_actions_and_the_editing_key_are_written_in_their_place_and_read_back():
    action = WorkflowAction(
        "spike", "Chief Ann", "a2V5", STAMP + timedelta(microseconds=250), 2,
        "sha256:00", "published", "spiked", "legal: kill this story", "c2ln",
    )
    original = story(modified_key="0123456789abcdef", actions=(action,), type="analysis")
    text = dumps(original)
    front, _body, _opening = split_front_matter(text)
    keys = [line.split(":")[0] for line in front.splitlines() if line[:1] not in " -"]
    assert keys == list(FRONT_MATTER_FIELDS)
    assert '- action: "spike"\n  actor: "Chief Ann"\n' in text
    assert 'at: "2024-03-05T07:45:12.000250+00:00"' in text
    assert_round_trip(original)


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ('  - action: "spike"\n    forged: "x"', "action: unknown key 'forged'"),
        ('  - action: "spike"\n    actor: "A"', "action: missing public_key, at"),
        ('  - "spike"', "actions: each action is keys and values"),
    ],
)
def test_a_malformed_action_is_a_clear_error(entry: str, problem: str) -> None:
    text = dumps(story()).replace("approvals: []\n", f"approvals: []\nactions:\n{entry}\n")
    with pytest.raises(FormatError, match=problem):
        loads(text, "story.md")


def test_astral_characters_are_written_as_themselves():
    text = dumps(story(headline="Rocket 🚀 launch", tags=("𠀋",)))
    assert 'headline: "Rocket 🚀 launch"' in text and '["𠀋"]' in text
    assert "\\U" not in text
    assert loads(text).headline == "Rocket 🚀 launch"


def test_control_and_separator_characters_are_escaped_in_front_matter():
    text = dumps(story(caption="a\x07b\u2028c\x85d\ufeffe\\f"))
    assert 'caption: "a\\ab\\Lc\\Nd\\uFEFFe\\\\f"' in text


def test_surrogate_escapes_are_refused_and_lone_surrogates_cannot_be_written():
    # json.dumps writes astral characters as surrogate pairs; YAML wants \U0001F600.
    text = dumps(story()).replace('"Ana Ruiz"', json.dumps("Ana 😀"), 1)
    assert "\\ud83d\\ude00" in text
    for bad in (text, dumps(story()).replace('"Ana Ruiz"', '"Ana \\uD800"', 1)):
        with pytest.raises(FormatError) as info:
            loads(bad)
        assert info.value.line == 6
    assert loads(dumps(story()).replace('"Ana Ruiz"', '"Ana \\U0001F600"')).byline == "Ana 😀"
    with pytest.raises(FormatError, match="surrogate"):
        dumps(story(deck="bad \ud800"))
    with pytest.raises(FormatError, match="surrogate"):
        dumps(story(body="bad \udfff"))
    with pytest.raises(FormatError, match="surrogate"):
        dumps(story(extra={"x": ["\udfff"]}))


def test_dumps_refuses_extra_keys_it_could_not_read_back():
    with pytest.raises(FormatError, match="clashes"):
        dumps(story(extra={"headline": "again"}))
    with pytest.raises(FormatError, match="clashes"):
        dumps(story(extra={"body": "again"}))
    with pytest.raises(FormatError, match="datetime"):
        dumps(story(extra={"when": STAMP}))
    loop: list[object] = []
    loop.append(loop)
    with pytest.raises(FormatError, match="nested"):
        dumps(story(extra={"loop": loop}))


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=30) | st.sampled_from(AWKWARD))
def test_fast_quoting_is_exactly_what_the_pyyaml_emitter_writes(value):
    assert quoted(value, "x") == serialize(text_node(value, "x"))
    assert loads(dumps(story(extra={"v": value}))).extra == {"v": value}


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["id", "headline", "deck", "byline", "editor", "caption", "ednote"]),
    st.text(st.characters(exclude_categories=["Cs"]), max_size=30) | st.sampled_from(AWKWARD),
)
def test_each_text_field_is_quoted_on_its_own_whatever_the_others_hold(name, value):
    # The writer checks all text fields at once for the usual case (nothing to escape):
    # one value that needs escaping must not change how the others are written.
    text = dumps(story(**{name: value}))
    assert f"\n{name}: {serialize(text_node(value, name))}\n" in text
    if name != "headline":
        assert '\nheadline: "Ferry strike ends after talks"\n' in text
    front = split_front_matter(text)[0]
    assert len(front.splitlines()) == len(dumps(story()).splitlines()) - 5


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_categories=["Cs"]), max_size=30) | st.sampled_from(AWKWARD))
def test_tags_are_quoted_each_on_its_own(value):
    tagged = story(tags=("plain", value))  # tags are normalized: blank ones dropped
    text = dumps(tagged)
    each = ", ".join(serialize(text_node(tag, "tags")) for tag in tagged.tags)
    assert f"\ntags: [{each}]\n" in text
    assert '\nheadline: "Ferry strike ends after talks"\n' in text
    assert dumps(story(tags=())).count("\ntags: []\n") == 1


# Body delimitation


@pytest.mark.parametrize("body", ["", "\n", "x", "x\n", "\n\nx\n\n", "---", "---\n", "a\n---\nb",
                                  "a\r\nb\r\n", "\r", "---   \n...\n", "\u2028\n"])
def test_body_is_everything_after_the_closing_line(body):
    text = dumps(story(body=body))
    assert text.endswith("\n---\n" + body)
    assert loads(text).body == body


def test_closing_line_may_have_trailing_spaces_and_no_newline():
    front = dumps(story()).split("---\n")[1]
    assert loads("---\n" + front + "---  \t\nBody").body == "Body"
    assert loads("---\n" + front + "---").body == ""


def test_file_saved_with_crlf_has_its_line_ends_restored():
    text = dumps(story(body="One.\n\nTwo.\n"))
    assert loads(text.replace("\n", "\r\n")) == story(body="One.\n\nTwo.\n")


# Hand-edited files


HAND_EDITED = (
    "\ufeff\r\n"
    "---  \r\n"
    "id: 3f2b8c1e-9d4a-4c55-8e0f-2a6b7c8d9e10   \r\n"
    "headline: Norway says NO   \r\n"
    "deck: yes\r\n"
    "byline: N\r\n"
    "section: News/Metro\r\n"
    "dateline: {place: Oslo, date: 2024-03-04}\r\n"
    "tags:\r\n"
    "  - NO\r\n"
    "  - 1:30\r\n"
    "  - 0777\r\n"
    "  - null\r\n"
    "embargo: 2024-03-06T09:30:00+01:00\r\n"
    "revision: 3\r\n"
    "featured: true\r\n"
    "weight: 10\r\n"
    "notes: |\r\n"
    "  checked with\r\n"
    "  the desk\r\n"
    "---\r\n"
    "First paragraph.\r\n"
    "\r\n"
    "Second paragraph.\r\n"
)


def test_hand_edited_file_with_bom_crlf_and_plain_values_is_read_as_text(tmp_path):
    path = tmp_path / "hand.md"
    path.write_bytes(HAND_EDITED.encode("utf-8"))
    got = read_markdown(path)
    assert got.id == ID and got.headline == "Norway says NO"
    assert (got.deck, got.byline, got.section) == ("yes", "N", "News/Metro")
    assert got.dateline == Dateline("Oslo", date(2024, 3, 4))
    assert got.tags == ("NO", "1:30", "0777")
    assert got.embargo == datetime(2024, 3, 6, 8, 30, tzinfo=UTC)
    assert got.revision == 3 and got.status == "draft" and got.slug == "norway-says-no"
    assert got.extra == {"featured": "true", "weight": "10", "notes": "checked with\nthe desk\n"}
    assert got.body == "First paragraph.\n\nSecond paragraph.\n"
    assert loads(dumps(got)) == got


def test_missing_optional_keys_take_defaults():
    got = loads('---\nheadline: "Only a headline"\n---\n')
    check_valid(got)
    assert got.slug == "only-a-headline" and got.status == "draft" and got.revision == 0
    assert got.tags == () and got.dateline == Dateline() and got.embargo is None
    assert got.approvals == () and got.extra == {} and got.body == ""
    assert got.created_at.tzinfo is not None


def test_empty_and_null_values_are_empty():
    got = loads("---\nheadline: Quiet day\ndeck:\nbyline: ~\ntags:\nembargo: ''\n"
                "dateline: {place: null, date: ''}\napprovals: null\n---\n")
    assert (got.deck, got.byline, got.tags, got.embargo) == ("", "", (), None)
    assert got.dateline == Dateline() and got.approvals == ()


def test_unknown_keys_are_kept_and_written_back():
    text = dumps(story()).replace("---\n", "---\nx-custom: [a, {b: c}]\naaa: \"1\"\n", 1)
    got = loads(text)
    assert got.extra == {"x-custom": ["a", {"b": "c"}], "aaa": "1"}
    again = dumps(got)
    assert again.index('"aaa": "1"') > again.index("approvals:")
    assert loads(again) == got


def test_naive_created_at_is_utc_but_a_naive_embargo_is_refused():
    base = dumps(story())
    got = loads(base.replace('"2024-03-05T07:45:12+00:00"', '"2024-03-05 07:45:12"'))
    assert got.created_at == STAMP
    assert loads(base.replace("embargo: null", "embargo: 2024-03-06T01:00:00Z")).embargo == \
        datetime(2024, 3, 6, 1, tzinfo=UTC)
    with pytest.raises(FormatError, match="offset") as info:
        loads(base.replace("embargo: null", "embargo: 2024-03-06 09:00"))
    assert info.value.line == 15


# Invalid and hostile front matter


def edited(old: str, new: str) -> str:
    text = dumps(story())
    assert old in text
    return text.replace(old, new, 1)


BAD = [
    (edited('date: "2024-03-04"', 'date: "2024-02-30"'), 9, "not a date"),
    (edited('status: "draft"', 'status: "sent"'), 17, "status"),
    (edited('tags: ["transport", "labour"]', 'tags: "transport, labour"'), 13, "list"),
    (edited('tags: ["transport", "labour"]', "tags: [[nested]]"), 13, "tags"),
    (edited('tags: ["transport", "labour"]', 'tags: ["a,b"]'), 13, "commas"),
    (edited(f'id: "{ID}"', 'id: "story-1"'), 2, "UUID"),
    (edited(f'id: "{ID}"', "id: [1]"), 2, "id"),
    (edited("revision: 2", "revision: three"), 18, "whole number"),
    (edited("revision: 2", "revision: -1"), 18, "whole number"),
    (edited('headline: "Ferry strike ends after talks"', 'headline: ""'), 4, "headline"),
    (edited('headline: "Ferry strike ends after talks"', 'headline: "two\\nlines"'), 4,
     "one line"),
    (edited('slug: "ferry-strike-ends"', 'slug: "../../x"'), 3, "slug"),
    (edited("embargo: null", 'embargo: "soon"'), 15, "offset"),
    (edited("approvals: []", "approvals: [{approver: X}]"), 22, "missing"),
    (edited("approvals: []", "approvals: [{approver: X, stamp: 1}]"), 22, "unknown key"),
    (edited("approvals: []", "approvals: 3"), 22, "list"),
    (edited("dateline:\n", "dateline: Shanghai\nx:\n"), 7, "place and date"),
    (edited('  place: "Harbourton"', '  city: "Harbourton"'), 8, "unknown key"),
    (edited("approvals: []", 'approvals: []\nbody: "inside"'), 23, "after the closing"),
    (edited("approvals: []", 'approvals: []\nheadline: "again"'), 23, "twice"),
    (edited("approvals: []", "approvals: []\n? [a]\n: b"), 23, "key must be text"),
    (edited("approvals: []", "approvals: []\n~: b"), 23, "key must be text"),
    (edited("approvals: []", "approvals: []\nx: &a [1]\ny: *a"), 23, "anchors"),
    (edited("approvals: []", "approvals: []\nx: !!python/object:os.system [ls]"), 23,
     "not allowed"),
    (edited("approvals: []", "approvals: []\nx: !!python/name:os.system ''"), 23, "not allowed"),
    (edited("approvals: []", "approvals: []\nx: !!binary aGVsbG8="), 23, "not allowed"),
    (edited("approvals: []", "approvals: []\nx: !!set {a}"), 23, "not allowed"),
    (edited("approvals: []", "approvals: []\nx: !!timestamp 2024-01-01"), 23, "not allowed"),
    (edited("approvals: []", "approvals: []\nx: !custom 1"), 23, "not allowed"),
    (edited("approvals: []", "approvals: []\nx: !!bool maybe"), 23, "not a valid bool"),
    (edited("approvals: []", "approvals: []\nx: !!int abc"), 23, "not a valid int"),
    (edited("approvals: []", "approvals: []\nx: !!int ''"), 23, "not a valid int"),
    (edited("approvals: []", "approvals: []\nx: " + "[" * 30 + "]" * 30), 23, "nested"),
    (edited("approvals: []", "approvals: []\n\tx: 1"), 23, "front matter"),
    (edited("approvals: []", "approvals: []\nx: \"unclosed"), 24, "front matter"),
    (edited("approvals: []", "approvals: []\nx: a\x07b"), 23, r"U\+0007"),
    (edited("approvals: []", "approvals: []\n...\nmore: 1"), 24, "front matter"),
    ("---\n- a list\n---\n", 2, "keys and values"),
    ("---\n---\nbody", 1, "empty"),
    ("no front matter\n", 1, "'---'"),
    ("\n\n  \n---\nheadline: x\n", 4, "closing"),
    ("", 1, "'---'"),
]


@pytest.mark.parametrize(("text", "line", "message"), BAD, ids=range(len(BAD)))
def test_invalid_front_matter_is_refused_with_its_line(text, line, message):
    with pytest.raises(FormatError, match=message) as info:
        loads(text, "story.md")
    assert info.value.line == line
    assert info.value.path == "story.md"
    assert str(info.value).startswith(f"story.md, line {line}: ")


def test_billion_laughs_is_refused_quickly():
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    with pytest.raises(FormatError, match="anchors"):
        loads("---\nheadline: x\n" + "\n".join(lines) + "\n---\n")


def test_huge_front_matter_is_refused():
    with pytest.raises(FormatError, match="larger than 1 MB"):
        loads("---\nheadline: x\nnote: " + "a" * (1024 * 1024) + "\n---\n")


# Files


def test_read_markdown_guards_against_binary_huge_and_undecodable_files(tmp_path):
    good = tmp_path / "good.md"
    good.write_bytes(b"\xef\xbb\xbf" + dumps(story()).encode("utf-8"))
    assert read_markdown(good) == story()
    binary = tmp_path / "binary.md"
    binary.write_bytes(b"---\nheadline: x\n---\n\x00\x01\x02")
    with pytest.raises(FormatError, match="binary") as info:
        read_markdown(binary)
    assert info.value.line == 4
    latin = tmp_path / "latin.md"
    latin.write_bytes(b"---\nheadline: caf\xe9\n---\n")
    with pytest.raises(FormatError, match="not UTF-8") as info:
        read_markdown(latin)
    assert info.value.line == 2 and info.value.path == str(latin)
    huge = tmp_path / "huge.md"
    huge.write_bytes(dumps(story()).encode() + b"x" * (5 * 1024 * 1024))
    with pytest.raises(FormatError, match="larger than 5 MB"):
        read_markdown(huge)
    with pytest.raises(FormatError, match="cannot read"):
        read_markdown(tmp_path / "missing.md")
    with pytest.raises(FormatError, match="cannot read"):
        read_markdown(tmp_path)


def test_utf16_file_with_bom_is_read(tmp_path):
    path = tmp_path / "notepad.md"
    path.write_bytes(dumps(story()).encode("utf-16"))
    assert read_markdown(path) == story()


def test_shipped_sample_stories_are_in_the_writers_own_form():
    samples = sorted((ROOT / "resources" / "samples").glob("*.md"))
    for path in samples:
        assert dumps(read_markdown(path)) == path.read_text(encoding="utf-8"), path.name


def test_every_story_field_is_written():
    action = WorkflowAction("submit", "Ana Ruiz", "a2V5", STAMP, 2, "sha256:00", "draft",
                            "in_review", "", "c2ln")
    front = split_front_matter(dumps(story(modified_key="ab", actions=(action,), type="live")))[0]
    assert {line.split(":")[0] for line in front.splitlines() if not line[:1].isspace()
            and not line.startswith("-")} == set(ALL_FIELDS) - {"body"}


# Property: every valid story comes back exactly

_chars = st.characters(codec="utf-8", exclude_characters="\x00")
_text = st.text(_chars, max_size=40) | st.sampled_from(AWKWARD)
_line = _text.filter(lambda t: "\n" not in t)
_body = st.lists(_text | st.sampled_from(["---", "\n", "\r\n", "\r", "", " "]), max_size=8).map(
    "".join
)
_zones = st.builds(timezone, st.integers(-23 * 60 - 59, 23 * 60 + 59).map(
    lambda m: timedelta(minutes=m)))
_times = st.datetimes(datetime(1900, 1, 2), datetime(2200, 1, 1), timezones=_zones)
_scalars = st.none() | st.booleans() | st.integers(-(10**12), 10**12) | _text | st.floats(
    allow_nan=False
)
_values = st.recursive(
    _scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_line, inner,
                                                                            max_size=3),
    max_leaves=4,
)
_tags = st.lists(_line.filter(lambda t: "," not in t).map(lambda t: t[:100]), max_size=5)
_approvals = st.lists(st.builds(
    Approval, _line, st.integers(0, 10**6), _line, _times, _line, _line), max_size=1)


TEXT_FIELDS = ("deck", "byline", "section", "editor", "source", "caption", "ednote",
               "modified_by")


@st.composite
def stories(draw: st.DrawFn) -> Story:
    return Story(
        id=str(draw(st.uuids())),
        slug="-".join(draw(st.lists(st.text("ab0-9z", min_size=1, max_size=6).map(
            lambda t: t.replace("-", "") or "a"), min_size=1, max_size=3))),
        headline=draw(_line.filter(lambda t: t.strip()).map(lambda t: t[:300])),
        **dict(zip(TEXT_FIELDS, draw(st.lists(_text, min_size=8, max_size=8)), strict=True)),
        dateline=Dateline(draw(_text), draw(st.none() | st.dates())),
        tags=tuple(draw(_tags)), body=draw(_body), embargo=draw(st.none() | _times),
        status=draw(st.sampled_from(STATUSES)), revision=draw(st.integers(0, 10**9)),
        type=draw(st.sampled_from(("news", "brief", "opinion", "house-special"))),
        created_at=draw(_times), updated_at=draw(_times), approvals=tuple(draw(_approvals)),
        extra=draw(st.dictionaries(_line.filter(lambda k: k not in ALL_FIELDS), _values,
                                   max_size=3)),
    )


# 100 examples: each draws ~120 values, and the suite must stay fast on a 2-core CI machine.
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stories())
def test_generated_stories_round_trip_exactly(original):
    check_valid(original)
    assert_round_trip(original)


YAML_NOISE = ["---", "\n", "\r\n", ":", " ", "- ", "[", "]", "{", "}", "&a", "*a", "!!str",
              "!!python/object", '"', "'", "\\", "#", "|", ">", "? ", "\t", "headline", "id",
              "tags", "embargo", "dateline", "date", "2024-01-01", "x", "\x00", "\ud800", "😀"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200) | st.lists(st.sampled_from(YAML_NOISE), max_size=30).map("".join))
@example("\ud800\n---")  # a lone surrogate in the front matter reached the YAML parser
def test_any_text_is_a_story_or_a_format_error(text):
    for candidate in (text, "---\n" + text, "---\nheadline: x\n" + text):
        try:
            check_valid(loads(candidate, "any.md"))
        except FormatError as exc:
            assert str(exc).startswith("any.md")


# More hostile front matter


def test_yaml_directives_cannot_smuggle_python_tags():
    text = "---\n%TAG !p! tag:yaml.org,2002:python/\n--- \nheadline: x\n---\n"
    with pytest.raises(FormatError):
        loads(text)
    python_tag = "!<tag:yaml.org,2002:python/object/apply:os.system>"
    text = edited("approvals: []", f"approvals: []\nx: {python_tag} [ls]")
    with pytest.raises(FormatError, match="not allowed") as info:
        loads(text)
    assert info.value.line == 23


def test_a_merge_key_is_an_ordinary_extra_key_and_overrides_nothing():
    got = loads(edited("approvals: []", "approvals: []\n<<: {headline: Hijacked}"))
    assert got.headline == "Ferry strike ends after talks"
    assert got.extra == {"<<": {"headline": "Hijacked"}}
    assert loads(dumps(got)) == got


def test_nul_in_body_is_refused_in_text_and_in_files(tmp_path):
    with pytest.raises(FormatError, match="NUL"):
        loads(dumps(story()) + "\x00")
    path = tmp_path / "nul.md"
    path.write_bytes(dumps(story()).encode() + b"\x00")
    with pytest.raises(FormatError, match="binary"):
        read_markdown(path)


def test_old_mac_line_ends_give_a_clear_error():
    with pytest.raises(FormatError, match="'---'") as info:
        loads(dumps(story()).replace("\n", "\r"))
    assert info.value.line == 1


@pytest.mark.parametrize("text", [
    "---\n" + "-- \n" * 100_000 + "---\n",
    "---\n" + "a" * 500_000 + ": 1\n---\n",
    "---\nx: " + "[" * 100_000 + "\n---\n",
    "---\nx: " + "{a: " * 50_000 + "\n---\n",
    '---\nheadline: "' + "\\t" * 200_000 + '"\n---\n',
    "\n" * 200_000 + "---\nheadline: x\n---\n",
    "---\n" + "x: y\n" * 1000 + "---\n",
], ids=range(7))
def test_pathological_front_matter_is_refused_or_read_promptly(text):
    try:
        check_valid(loads(text, "p.md"))
    except FormatError as exc:
        assert str(exc).startswith("p.md, line ")


def test_tags_and_dateline_of_wrong_shapes():
    for old, new in [('tags: ["transport", "labour"]', "tags: {a: b}"),
                     ('tags: ["transport", "labour"]', "tags: [a, [b]]"),
                     ('tags: ["transport", "labour"]', "tags: [!!int '3']"),
                     ('  place: "Harbourton"', "  place: [Harbourton]"),
                     ('  date: "2024-03-04"', "  date: 2024-03-04T10:00"),
                     ('headline: "Ferry strike ends after talks"', "headline: {a: b}"),
                     ('created_at: "2024-03-05T07:45:12+00:00"', "created_at: yesterday")]:
        with pytest.raises(FormatError):
            loads(edited(old, new))
