"""`python -m newsdesk`: the same as the `newsdesk` command."""

import sys

from newsdesk.cli import main

if __name__ == "__main__":  # importing it (tools, other processes) starts nothing
    sys.exit(main())
