"""Files that ship with Newsdesk: icons, style sheets and first-run sample stories."""
