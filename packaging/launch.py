"""Entry script for the PyInstaller bundle: the `newsdesk` command."""

import sys

from newsdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
