"""Work off the GUI thread and on timers: the one job runner (import, sync, export,
backups), the counts per status, and the autosave of the open story."""
