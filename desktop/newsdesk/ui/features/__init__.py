"""Features of the window that stand on their own, each opened by an action."""
