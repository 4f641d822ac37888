"""Window features kept in their own modules, hooked into the window by a few lines."""
