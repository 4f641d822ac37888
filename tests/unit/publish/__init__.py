"""Unit tests of newsdesk.publish."""
