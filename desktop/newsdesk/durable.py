"""Kept for sync/atomic.py until it imports newsdesk.disk.durable (the sync is being
changed in parallel); nothing else imports this module."""

from newsdesk.disk.durable import fsync_dir, fsync_file

__all__ = ["fsync_dir", "fsync_file"]
