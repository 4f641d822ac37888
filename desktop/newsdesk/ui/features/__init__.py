"""Window features that hook into the main window with a few lines each."""
