"""Tests from the attacker's side: each performs an attack through the files and commands an
attacker would use, and checks from another process that it is refused or detected."""
