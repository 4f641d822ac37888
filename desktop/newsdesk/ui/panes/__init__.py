"""The window's panes: the story list (model and view) with its filter bar, the metadata
panel, the workflow bar, the copy checks, the status bar, the dashboard, and moving
between them by keyboard."""
