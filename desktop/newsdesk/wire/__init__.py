"""The incoming wire queue's decisions: what an arriving item is, what an update merges to,
which files of a watched folder are ready (pure functions; the desk persists them)."""
