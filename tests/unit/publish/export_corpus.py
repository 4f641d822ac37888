"""Stories for the publish tests: ordinary, awkward and hostile, approved and not."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from newsdesk.domain.model import Approval, Dateline, Story
from newsdesk.identity.signing import Keyring, generate_key, public_key_text, sign_approval
from newsdesk.publish.trust import ManifestSigner

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
CHIEF = "Mei Lin"
KEY = generate_key()
KEYRING = Keyring({CHIEF: public_key_text(KEY)})
SIGNER = ManifestSigner(CHIEF, KEY)  # the chief signs the manifests of the exports too
EDNOTE = "DESK-ONLY-NOTE check the quote with legal"

HOSTILE_BODIES = {
    "script": "Before.\n\n<script>alert('x')</script>\n\nAfter.",
    "inline_script": "Text <script>alert(1)</script> more",
    "onerror": '<img src="x" onerror="alert(1)">',
    "onerror_inline": "An image <img src=x onerror=alert(1)> here",
    "javascript_link": "[click](javascript:alert(1))",
    "javascript_mixed_case": "[click](JaVaScRiPt:alert(1))",
    "javascript_entity": "[click](java&#x09;script:alert(1))",
    "javascript_reference": "[click][1]\n\n[1]: javascript:alert(1)",
    "javascript_autolink": "<javascript:alert(1)>",
    "javascript_raw_anchor": '<a href="javascript:alert(1)">x</a>',
    "vbscript": "[x](vbscript:msgbox(1))",
    "data_link": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "data_image": "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "svg": '<svg onload="alert(1)"><circle r="4"/></svg>',
    "svg_block": "<svg>\n<script>alert(1)</script>\n</svg>",
    "style": "<style>body { display: none }</style>\n\nText",
    "style_attribute": '<p style="background:url(javascript:alert(1))">x</p>',
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "object": '<object data="x.swf"></object><embed src="x.swf">',
    "form": '<form action="https://evil.example"><input name="a"></form>',
    "meta_refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "title_quote": '![a](https://img.example/a.png "x\\" onerror=\\"alert(1)")',
    "html_comment": "<!-- <script>alert(1)</script> -->",
    "math": "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "base": '<base href="javascript:alert(1)//">',
    "shortcode": "A call {{< figure src=x >}} and {{% note %}} and a lone {{< opener",
}


def approve(story: Story, *, at: datetime | None = None, key=KEY, approver: str = CHIEF,
            status: str = "approved") -> Story:
    """The story with a signed approval of its current revision."""
    approval = Approval(
        approver=approver,
        revision=story.revision,
        content_hash=story.content_hash,
        approved_at=at or NOW - timedelta(hours=1),
    )
    approval = sign_approval(story.id, approval, key)
    return story.replace(status=status, approvals=(*story.approvals, approval))


def edit(story: Story, **changes: object) -> Story:
    """A new saved revision with the changes, as the store would make it."""
    return story.replace(
        revision=story.revision + 1,
        updated_at=story.updated_at + timedelta(minutes=5),
        **changes,
    )


def make_story(n: int, **fields: object) -> Story:
    base: dict[str, object] = {
        "slug": f"story-{n}",
        "headline": f"Ferry timetable changes on route {n}",
        "deck": "Morning sailings move by a quarter of an hour from next week.",
        "byline": "By Ada Park and Tom Reyes",
        "dateline": Dateline("Harbour City", date(2026, 3, 9)),
        "section": "News / Metro",
        "editor": "Sam Ortiz",
        "source": "Staff",
        "tags": ("transport", "ferries"),
        "caption": "Passengers board the early ferry.",
        "body": (
            "The harbour authority said the **first sailing** will leave at 6:15.\n\n"
            "Commuters asked for [more details](https://example.org/ferries).\n\n"
            "- Route A\n- Route B\n"
        ),
        "ednote": EDNOTE,
        "revision": 1,
        "created_at": datetime(2026, 3, 9, 8, 0, tzinfo=UTC),
        "updated_at": datetime(2026, 3, 9, 9, 0, tzinfo=UTC),
        "modified_by": "Ada Park",
    }
    base.update(fields)
    return Story(**base)  # type: ignore[arg-type]


def corpus() -> list[Story]:
    """Approved stories of many shapes, hostile bodies included, each with a unique slug."""
    stories = [
        make_story(1),
        make_story(2, section="Sport", tags=("NO", "yes", "1e3", "null"), headline="NO"),
        make_story(3, section="", dateline=Dateline(), deck="", caption="", byline="",
                   tags=(), editor="", source=""),
        make_story(4, section="新闻 / 上海", headline="上海地铁新线开通", byline="记者 王芳",
                   body="地铁十八号线今天开通。\n\n乘客很多。", tags=("地铁",)),
        make_story(5, headline='Quotes "and" colons: a test', deck="Line: with # hash",
                   body="Table:\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n> A quote\n\n"
                        "```\ncode <b>kept</b>\n```\n"),
        make_story(6, embargo=NOW - timedelta(hours=2), body="Embargo has lifted."),
        make_story(7, section="Business / Markets / Asia", body="Shares rose.<TK>\n\n"
                   "[[check name]] stays text."),
    ]
    for n, (name, body) in enumerate(HOSTILE_BODIES.items(), start=100):
        stories.append(make_story(n, slug=f"hostile-{name.replace('_', '-')}", body=body,
                                  headline=f"Hostile <b>{name}</b>", section="News / Odd"))
    return [approve(story) for story in stories]
