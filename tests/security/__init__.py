"""Attacks on Newsdesk performed as an attacker would: through its files and commands."""
