"""Unit tests of newsdesk.disk."""
