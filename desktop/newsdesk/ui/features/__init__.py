"""What the window does beyond showing stories, each reaching the window through the
narrow protocol of ui/window.py with actions from the registry: copy-desk tools, the
File menu's sync, export and backups, slug changes, house style, preview, theme, the
wire queue, corrections, updates and kills, photos."""
