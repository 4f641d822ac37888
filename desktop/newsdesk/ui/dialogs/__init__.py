"""The window's dialogs, each imported when first opened: sections, trash, history and
its diffs, the stale save (a story saved elsewhere meanwhile), sync conflicts, sync,
export, backups, house style."""
