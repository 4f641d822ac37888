"""Unit tests of newsdesk.cli."""
