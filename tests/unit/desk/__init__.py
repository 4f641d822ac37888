"""Unit tests of newsdesk.desk."""
