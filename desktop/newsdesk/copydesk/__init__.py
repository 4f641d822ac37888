"""The copy desk's pure checks: house rules, spelling, typography, lengths and desk statistics."""
