"""Attacks on Newsdesk performed as an attacker would: each goes through the files and
commands an attacker would use, and checks from another process that it is refused or
detected."""
