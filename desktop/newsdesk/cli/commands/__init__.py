"""The sub-commands of `newsdesk`, one module per group (cli/registry.py lists them)."""
