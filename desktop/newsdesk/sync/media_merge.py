"""Three-way merge of a story's pictures list (the `pictures` extra key): pure.

Picture by picture (by id) and field by field, so two laptops captioning two pictures,
or one adding a picture while the other writes alt text, merge clean. The rules:
- a picture added on one side is added; on both, its fields merge with no base;
- a field changed on one side takes that change; changed both ways, it is a clash
  (named `extra.pictures:<first 12 hex>.<field>`), which holds the side `choose` names;
- a picture removed on one side and left alone on the other is removed; removed on one
  side and changed on the other, it stays, changed: an edit beats a delete, as for
  stories;
- the order is the local one, with pictures new from the other side after;
- at most one lead: when both sides chose a different lead, it is a clash
  (`extra.pictures:lead`) and the other becomes a gallery picture.
Entries are the plain mappings of the front matter; an entry without a text id is
left to the whole-value merge (this returns None), as is a value that is not a list.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

Entry = Mapping[str, object]
Clash = tuple[str, object, object, object]  # name, base, local, remote
Choose = Callable[[str], str]  # a clash's name -> "local" or "remote"
PREFIX = "extra.pictures"


def _by_id(entries: object) -> dict[str, Entry] | None:
    if not isinstance(entries, list):
        return None
    found: dict[str, Entry] = {}
    for entry in entries:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("id"), str):
            return None
        found[str(entry["id"])] = entry
    return found if len(found) == len(entries) else None


def _label(pid: str) -> str:
    return pid.removeprefix("sha256:")[:12]


def _merge_entry(
    pid: str, base: Entry | None, local: Entry, remote: Entry, choose: Choose,
    clashes: list[Clash],
) -> dict[str, object]:
    merged: dict[str, object] = {}
    for field in dict.fromkeys([*local, *remote]):
        mine, theirs = local.get(field), remote.get(field)
        old = base.get(field) if base is not None else None
        if mine == theirs or (base is not None and theirs == old):
            merged[field] = mine
        elif base is not None and mine == old:
            merged[field] = theirs
        else:
            name = f"{PREFIX}:{_label(pid)}.{field}"
            clashes.append((name, old, mine, theirs))
            merged[field] = theirs if choose(name) == "remote" else mine
    return merged


def _one_lead(
    merged: dict[str, dict[str, object]], local: dict[str, Entry], remote: dict[str, Entry],
    choose: Choose, clashes: list[Clash],
) -> None:
    leads = [pid for pid, entry in merged.items() if entry.get("role") == "lead"]
    if len(leads) < 2:
        return
    mine = next((p for p in leads if local.get(p, {}).get("role") == "lead"), leads[0])
    theirs = next((p for p in leads if remote.get(p, {}).get("role") == "lead"), leads[-1])
    name = f"{PREFIX}:lead"
    clashes.append((name, None, mine, theirs))
    keep = theirs if choose(name) == "remote" else mine
    for pid in leads:
        if pid != keep:
            merged[pid] = {**merged[pid], "role": "gallery"}


def merge_pictures(
    base: object, local: object, remote: object, choose: Choose
) -> tuple[list[dict[str, object]], list[Clash]] | None:
    """The merged list and its clashes; None when a side is not a list of entries with
    ids (`base` None: no common ancestor)."""
    mine, theirs = _by_id(local), _by_id(remote)
    old = {} if base is None else _by_id(base)
    if mine is None or theirs is None or old is None:
        return None
    clashes: list[Clash] = []
    merged: dict[str, dict[str, object]] = {}
    for pid in dict.fromkeys([*mine, *theirs]):
        before, here, there = old.get(pid), mine.get(pid), theirs.get(pid)
        if here is not None and there is not None:
            merged[pid] = _merge_entry(pid, before, here, there, choose, clashes)
        elif here is not None or there is not None:
            kept = here if here is not None else there
            # The other side removed it: gone if this side left it as it was.
            if before is None or dict(kept) != dict(before):
                merged[pid] = dict(kept)
    _one_lead(merged, mine, theirs, choose, clashes)
    return list(merged.values()), clashes


def merged_ids(entries: Sequence[Entry]) -> list[str]:
    """The ids of a merged list, in order (for reports and tests)."""
    return [str(entry["id"]) for entry in entries]
