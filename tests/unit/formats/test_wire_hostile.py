"""Hostile and broken wire files: each refused with one clear reason, nothing read or fetched.

The files are what an attacker (or a broken feed) would drop in the wire folder: XML bombs,
external entities naming a secret file, DTDs to fetch from a web server (a real one on
127.0.0.1 that counts its requests), bad encodings, huge files, items without a guid,
wrong roots, malformed XML and JSON.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from newsdesk.formats.detect import parse_wire_bytes, parse_wire_file
from newsdesk.formats.errors import FormatError

SAMPLES = Path(__file__).resolve().parents[3] / "resources" / "samples" / "wire"
NITF_TAIL = (b'<nitf><head><docdata><doc-id id-string="x-1"/></docdata></head><body><body.head>'
             b'<hedline><hl1>Headline &ent;</hl1></hedline></body.head></body></nitf>')


class _Counter(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:  # the name http.server calls
        type(self).requests.append(self.path)
        body = b'<!ENTITY ent "fetched">'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def web_server() -> Iterator[str]:
    """A web server on 127.0.0.1 that serves a DTD and records every request it gets."""
    _Counter.requests = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counter)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def refuse(tmp_path: Path, name: str, data: bytes) -> FormatError:
    """Parse `data` as the file `name`: it must be refused, and the folder left as it was."""
    path = tmp_path / name
    path.write_bytes(data)
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(FormatError) as caught:
        parse_wire_file(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert path.read_bytes() == data
    error = caught.value
    assert error.path == str(path) and str(error).startswith(str(path))
    assert "\n" not in str(error)
    return error


def test_billion_laughs_is_refused_at_once(tmp_path):
    laughs = [b'<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">'.encode() for n in range(1, 10)]
    data = (b'<?xml version="1.0"?><!DOCTYPE newsItem [' + b"".join(laughs) + b']>'
            b'<newsItem guid="g" version="1"><contentMeta><headline>&lol9;</headline>'
            b'</contentMeta></newsItem>')
    started = time.monotonic()
    error = refuse(tmp_path, "laughs.xml", data)
    assert time.monotonic() - started < 2
    assert "entity 'lol0'" in error.reason and "billion laughs" in error.reason


def test_quadratic_blowup_is_refused(tmp_path):
    data = (b'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY a "' + b"x" * 50_000 + b'">]>'
            + NITF_TAIL.replace(b"&ent;", b"&a;" * 50_000))
    error = refuse(tmp_path, "blowup.xml", data)
    assert "entity 'a'" in error.reason and "quadratic blowup" in error.reason


def test_an_external_entity_naming_a_secret_file_is_refused_unread(tmp_path):
    secret = tmp_path / "passwd"
    secret.write_text("root:TOPSECRET:0:0\n")
    for target in (f"file://{secret}", "file:///etc/passwd"):
        data = (f'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY ent SYSTEM "{target}">]>'
                .encode() + NITF_TAIL)
        error = refuse(tmp_path, "xxe.xml", data)
        assert "external entity 'ent'" in error.reason and target in error.reason
        assert "TOPSECRET" not in str(error)


def test_a_dtd_to_fetch_over_http_is_refused_and_never_fetched(tmp_path, web_server):
    doctypes = [
        f'<!DOCTYPE nitf SYSTEM "{web_server}/nitf-3-6.dtd">',
        f'<!DOCTYPE nitf PUBLIC "-//IPTC//DTD NITF 3.6//EN" "{web_server}/nitf-3-6.dtd">',
        f'<!DOCTYPE nitf [<!ENTITY % remote SYSTEM "{web_server}/more.dtd"> %remote;]>',
        f'<!DOCTYPE nitf [<!ENTITY ent SYSTEM "{web_server}/text">]>',
    ]
    for doctype in doctypes:
        data = b'<?xml version="1.0"?>' + doctype.encode() + NITF_TAIL
        error = refuse(tmp_path, "fetch.xml", data)
        assert web_server in error.reason
        assert "refused" in error.reason
    assert _Counter.requests == []  # the server was up all along and nobody asked


def test_a_dtd_named_by_a_bare_file_name_is_never_read(tmp_path):
    # The NITF sample's DOCTYPE names a file; one by that name beside the wire file,
    # declaring an entity, must not be read: the entity stays undefined.
    (tmp_path / "nitf-3-6.dtd").write_text('<!ENTITY ent "read from the DTD">')
    data = b'<?xml version="1.0"?><!DOCTYPE nitf SYSTEM "nitf-3-6.dtd">' + NITF_TAIL
    error = refuse(tmp_path, "local.xml", data)
    assert "undefined entity" in error.reason


@pytest.mark.parametrize("data, reason", [
    (b'<?xml version="1.0" encoding="UTF-8"?>\n<nitf>\n<p>caf\xe9</p></nitf>',
     "not valid UTF-8 text: byte 0xE9 cannot be decoded"),
    (b'<?xml version="1.0" encoding="x-martian"?><nitf/>',
     "declares the encoding 'x-martian', which is not one Newsdesk knows"),
    (b'<?xml version="1.0" encoding="base64"?><nitf/>',
     "declares the encoding 'base64', which is not a text encoding"),
    (b'<?xml version="1.0" encoding="UTF-16"?><nitf/>',
     "declares UTF-16 but its bytes are not UTF-16"),
    (b'{"uri": "urn:x", "headline": "caf\xe9"}',
     "not valid UTF-8 text: byte 0xE9 cannot be decoded (JSON is UTF-8)"),
    (b'{"uri": "urn:x", "headline": "\\ud800"}', "lone surrogate"),
    (b"\xff\xfe\x00\xd8", "UTF-16"),
])
def test_invalid_encodings_are_named(tmp_path, data, reason):
    name = "item.json" if data.startswith(b"{") else "item.xml"
    if data.startswith(b"\xff\xfe"):
        name = "item.txt"
    error = refuse(tmp_path, name, data)
    assert reason in error.reason


def test_the_bad_byte_is_found_on_its_line(tmp_path):
    error = refuse(tmp_path, "line.xml", b'<?xml version="1.0"?>\n<nitf>\n\n<p>\xe9</p></nitf>')
    assert error.line == 4


def test_a_100_mb_file_is_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "huge.xml"
    with open(path, "wb") as handle:
        handle.write(b"<nitf>")
        handle.truncate(100 * 1024 * 1024)
    with pytest.raises(FormatError, match="larger than 10 MB; too big to be a wire file"):
        parse_wire_file(path)
    with pytest.raises(FormatError, match="cannot read the file"):
        parse_wire_file(tmp_path / "missing.xml")
    with pytest.raises(FormatError, match="larger than 10 MB"):
        parse_wire_bytes(b" " * (11 * 1024 * 1024), "huge.json")


@pytest.mark.parametrize("name, data, reason", [
    ("g2.xml", b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" version="1">'
               b'<contentMeta><headline>H</headline></contentMeta></newsItem>',
     "a newsItem without a guid"),
    ("g2.xml", b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="  " version="1">'
               b'<contentMeta><headline>H</headline></contentMeta></newsItem>',
     "a newsItem without a guid"),
    ("message.xml", b'<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>'
                    b'<newsItem><contentMeta><headline>H</headline></contentMeta></newsItem>'
                    b'</itemSet></newsMessage>', "a newsItem without a guid"),
    ("story.nitf", b'<nitf><body><body.head><hedline><hl1>H</hl1></hedline></body.head>'
                   b'</body></nitf>', "no guid"),
    ("item.json", b'{"headline": "H", "body_text": "Text."}', "no uri (the agency's guid)"),
    ("item.json", b'{"uri": "", "headlines": [{"value": "H"}]}', "no uri (the agency's guid)"),
])
def test_an_item_without_a_guid_is_refused(tmp_path, name, data, reason):
    error = refuse(tmp_path, name, data)
    assert reason in error.reason


@pytest.mark.parametrize("name, data, reason", [
    ("feed.xml", b'<rss version="2.0"><channel/></rss>',
     "XML whose root element is <rss>: expected a NewsML-G2 newsItem, packageItem, "
     "newsMessage or a NITF nitf"),
    ("page.xml", b"<html><body><p>Hello</p></body></html>", "root element is <html>"),
    ("g2.xml", b'<newsItem xmlns="urn:other" guid="g"/>', "is not a NewsML-G2"),
    ("nitf.xml", b'<nitf xmlns="urn:other"/>', "is not a NITF document"),
    ("item.xml", b'{"uri": "urn:x"}', "named '.xml' but does not start like XML"),
    ("item.json", b"<nitf/>", "named '.json' but does not start like JSON"),
    ("item.json", b"[1, 2]", "not a ninjs item: the JSON holds int"),
    ("item.json", b'{"name": "not news"}', "not a ninjs item"),
    ("empty.txt", b"  \n\n ", "empty: no wire item"),
])
def test_a_wrong_root_or_kind_is_named(tmp_path, name, data, reason):
    error = refuse(tmp_path, name, data)
    assert reason in error.reason


@pytest.mark.parametrize("name, data, reason, line", [
    ("bad.xml", b"<nitf>\n<head>\n</nitf>", "malformed XML: mismatched tag", 3),
    ("cut.xml", (SAMPLES / "nitf-3.6.xml").read_bytes()[:2000], "malformed XML", None),
    ("bad.xml", b"<nitf>&nbsp;</nitf>", "malformed XML: undefined entity", 1),
    ("deep.xml", b"<nitf>" + b"<p>" * 500 + b"</p>" * 500 + b"</nitf>",
     "elements nested more than 100 deep", 1),
    ("bad.json", b'{"uri": "urn:x",\n "headline": }', "not valid JSON: Expecting value", 2),
    ("deep.json", b'{"uri": "urn:x", "headline": "H", "x": ' + b"[" * 100_000
     + b"]" * 100_000 + b"}", "nested", None),
    ("deep.json", b'{"uri": "urn:x", "headline": "H", "x": ' + b"[" * 80 + b"]" * 80 + b"}",
     "nested more than 64 levels deep", None),
    ("big.json", b'{"uri": "urn:x", "version": ' + b"9" * 5000 + b"}", "not valid JSON",
     None),
])
def test_malformed_files_are_named_with_the_line(tmp_path, name, data, reason, line):
    error = refuse(tmp_path, name, data)
    assert reason in error.reason
    if line is not None:
        assert error.line == line


@pytest.mark.parametrize("name, data, reason", [
    ("pic.xml", b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g" version="1">'
                b'<itemMeta><itemClass qcode="ninat:picture"/></itemMeta></newsItem>',
     "not a text item (itemClass ninat:picture)"),
    ("pkg.xml", b'<packageItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="p">'
                b'<groupSet root="G"><group id="G"><itemRef residref="a"/><itemRef residref="b"/>'
                b'</group></groupSet></packageItem>',
     "a packageItem on its own only refers to its 2 items"),
    ("msg.xml", b'<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>'
                b'<newsItem guid="g"><itemMeta><itemClass qcode="ninat:video"/></itemMeta>'
                b'</newsItem></itemSet></newsMessage>',
     "the newsMessage holds no text newsItem (skipped newsItem 'g': not text (ninat:video))"),
    ("v.xml", b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g" version="two">'
              b'<contentMeta><headline>H</headline></contentMeta></newsItem>',
     "version 'two' is not a whole number"),
    ("e.xml", b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g" version="1">'
              b'<itemMeta><embargoed>2026-03-09T12:00:00</embargoed></itemMeta>'
              b'<contentMeta><headline>H</headline></contentMeta></newsItem>',
     "embargo '2026-03-09T12:00:00' has no time zone offset"),
    ("e.xml", b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g" version="1">'
              b'<itemMeta><embargoed>noon</embargoed></itemMeta>'
              b'<contentMeta><headline>H</headline></contentMeta></newsItem>',
     "embargo 'noon' is not a date and time"),
    ("h.xml", b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g" version="1">'
              b'<contentMeta><headline> </headline></contentMeta></newsItem>',
     "item 'g' has no headline"),
    ("n.nitf", b'<nitf version="-//IPTC//DTD NITF 2.5//EN"/>', "only NITF 3.x is read"),
    ("three.json", b'{"uri": "u", "standard": {"version": "3.0"}, "headlines": []}',
     "ninjs 3.0: only ninjs 1.x and 2.x are read"),
    ("pic.json", b'{"uri": "u", "type": "picture", "headline": "H"}',
     "not a text item (type 'picture')"),
    ("s.json", b'{"uri": "u", "headline": "H", "pubstatus": "deleted"}',
     "publishing status 'deleted' is not one of usable, withheld, canceled"),
    ("long.json", b'{"uri": "u", "headline": "' + b"h" * 400 + b'"}',
     "headline: longer than 300 characters"),
])
def test_items_that_cannot_be_trusted_are_refused(tmp_path, name, data, reason):
    error = refuse(tmp_path, name, data)
    assert reason in error.reason
