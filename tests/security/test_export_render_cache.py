"""A poisoned render cache cannot publish unseen (issue 23's render cache, issue 16's
guarantee that verify-export detects any change to what was approved).

An export renders each approved body once and keeps it in the database's render cache,
by content hash (store/render_cache.py). Whoever can write to the SQLite file can change
a cached body without touching a signature. The attacker does so with the sqlite3 module
from another process; the chief's next export to a new folder then holds the poisoned
page, and the receiver's `newsdesk verify-export` (which renders every page again from
the approved text) must fail naming that page; `export --full` must repair the tree and
the cache.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing

from tests.security import test_export_tamper as tamper
from tests.security.test_export_tamper import PAGE, run

exported = tamper.exported  # the fixture: two approved stories exported as html

POISON = '<p>Boats leave every twenty minutes.</p><script>alert("owned")</script>'


def _cached(db) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("SELECT content_hash, body_html FROM render_cache").fetchall()


def test_a_body_poisoned_in_the_database_fails_verify_export_and_full_repairs_it(
    exported, tmp_path
):
    site, _verify = exported
    db, chief = tmp_path / "desk.db", tmp_path / "chief"
    # The first export kept each approved body, by its content hash.
    with closing(sqlite3.connect(db)) as conn:
        hashes = {row[0] for row in conn.execute(
            "SELECT content_hash FROM stories WHERE status = 'published'")}
    cached = dict(_cached(db))
    assert set(cached) == hashes and len(hashes) == 2
    assert "<p>Boats leave every twenty minutes.</p>" in cached.values()
    with closing(sqlite3.connect(db)) as conn, conn:
        changed = conn.execute(
            "UPDATE render_cache SET body_html = ? WHERE body_html LIKE '%twenty minutes%'",
            [POISON],
        ).rowcount
    assert changed == 1
    keyring = tmp_path / "xu-fang.key"
    second = tmp_path / "second"
    run(chief, db, "export", "--format", "html", "--out", str(second))
    assert "alert(" in (second / PAGE).read_text(encoding="utf-8")  # the cache was read

    def verify(check: int) -> list[str]:
        result = run(tmp_path / "receiver", tmp_path / "receiver.db", "verify-export",
                     str(second), "--keyring", str(keyring), check=check)
        return [line for line in result.stdout.splitlines() if line.startswith("problem: ")]

    problems = verify(check=1)
    assert problems == [f"problem: {PAGE} (story night-ferries): not what Newsdesk renders "
                        "from the approved content"]
    # The first tree was not rendered again (nothing changed): it still verifies.
    assert run(tmp_path / "receiver", tmp_path / "receiver.db", "verify-export", str(site),
               "--keyring", str(keyring)).returncode == 0

    run(chief, db, "export", "--format", "html", "--out", str(second), "--full")
    assert "alert(" not in (second / PAGE).read_text(encoding="utf-8")
    assert verify(check=0) == []
    assert all("alert(" not in body for _hash, body in _cached(db))  # the cache repaired
