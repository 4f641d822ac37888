"""Unit tests of newsdesk.sync."""
