"""The line a draft shows when the agency sent a newer version (wire/update.py `notice`)."""

from __future__ import annotations

from datetime import date

import pytest

from newsdesk.wire.update import notice

DAY = date(2026, 3, 9)


@pytest.mark.parametrize(("version", "provider", "sent", "expected"), [
    (3, "Reuters", "2026-03-09T14:05:00+00:00", "agency update available: v3 from Reuters, 14:05"),
    (4, "Northwind", "2026-03-08T23:59:00+01:00",
     "agency update available: v4 from Northwind, 2026-03-08 23:59"),
    (2, "", "2026-03-09T07:00:00Z", "agency update available: v2 from the agency, 07:00"),
    (5, "AFP", "", "agency update available: v5 from AFP"),  # no time known
    (6, "AFP", "garbled", "agency update available: v6 from AFP"),
])
def test_the_notice_names_the_version_the_agency_and_when(version, provider, sent, expected):
    assert notice(version, provider, sent, DAY) == expected
