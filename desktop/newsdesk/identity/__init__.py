"""Who works on this laptop: the profile and its Ed25519 signing key."""
