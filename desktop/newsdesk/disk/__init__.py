"""Files on disk that survive a crash: flushes (durable.py) and atomic writes (atomic.py,
staged.py), used by the profile, backups, exports and (when switched) the sync."""
