"""Unit tests of newsdesk.store."""
