"""Unit tests of newsdesk.media."""
