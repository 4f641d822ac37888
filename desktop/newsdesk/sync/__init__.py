"""Interchange-tree sync: a folder of Markdown files, optionally a git clone.

See docs/architecture.md, "The two Markdown trees" and "The flow of a sync".

`sync(store, folder)` runs one pass (with commit, pull and push when the folder is a git
working tree with a remote) and returns a SyncReport. Conflicts a person must resolve
are listed by `list_conflicts` and closed by `resolve_conflict`; `has_conflict` tells the
workflow that a story cannot be approved yet.
"""

from newsdesk.store.sync_conflicts import has_conflict
from newsdesk.sync.conflicts import Conflict, ConflictError, list_conflicts, resolve_conflict
from newsdesk.sync.delivery import sync_with_git as sync
from newsdesk.sync.git import GitError
from newsdesk.sync.layout import WorkspaceError
from newsdesk.sync.report import SyncEntry, SyncReport

__all__ = [
    "Conflict",
    "ConflictError",
    "GitError",
    "SyncEntry",
    "SyncReport",
    "WorkspaceError",
    "has_conflict",
    "list_conflicts",
    "resolve_conflict",
    "sync",
]
