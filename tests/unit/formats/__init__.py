"""Unit tests of newsdesk.formats."""
