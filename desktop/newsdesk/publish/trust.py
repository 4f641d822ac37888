"""The exporter's signature on manifest.json: who vouches for the whole tree.

The manifest's canonical bytes are the text Newsdesk writes for it without a signature
(`json.dumps(indent=2)` of its fields, in a fixed order). The signed file is that text
with one last member added, `"signature": {"signer", "public_key", "signature"}`: an
Ed25519 signature, by the exporting desk chief's profile key, over a fixed label and the
SHA-256 of the canonical bytes. A reader cuts the signature member off the end of the
file and has the canonical bytes back, byte for byte, with no JSON written again (a
manifest of 10,000 stories is 12 MB: serialising it again would cost a re-export more
than everything else it does). Any change to the file, a space included, fails the check.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from newsdesk.domain.workflow import same_person
from newsdesk.identity.signing import Keyring, SigningError, load_public_key, public_key_text

SIGNATURE_KEY = "signature"
_LABEL = b"newsdesk export manifest v2 sha256:"
_CLOSE = b"\n}"  # how the canonical text of a non-empty object ends


@dataclass(frozen=True)
class ManifestSigner:
    """The exporting desk chief: the name they are trusted under and their key."""

    name: str
    key: Ed25519PrivateKey

    @property
    def public_key(self) -> str:
        return public_key_text(self.key)

    def sign(self, canonical: bytes) -> bytes:
        """The signed manifest: `canonical` with the signature member added last."""
        if not canonical.endswith(_CLOSE):
            raise ValueError("a manifest's canonical text ends with its closing brace")
        member = {
            "signer": self.name,
            "public_key": self.public_key,
            "signature": base64.b64encode(self.key.sign(_message(canonical))).decode("ascii"),
        }
        return canonical[: -len(_CLOSE)] + _tail(member)


def _message(canonical: bytes) -> bytes:
    return _LABEL + hashlib.sha256(canonical).hexdigest().encode("ascii")


def _tail(member: dict[str, str]) -> bytes:
    text = json.dumps(member, ensure_ascii=True, sort_keys=True)
    return f',\n  "{SIGNATURE_KEY}": {text}\n}}\n'.encode("ascii")


def canonical_message(data: bytes, member: object) -> bytes | None:
    """What the signature of a signed manifest covers, from the file's bytes and its
    parsed signature member: the label and the hash of its canonical bytes (None if the
    file does not end with exactly that member, as Newsdesk writes it)."""
    if not (isinstance(member, dict) and set(member) == {"signer", "public_key", "signature"}
            and all(isinstance(value, str) for value in member.values())):
        return None
    tail = _tail(member)
    if not data.endswith(tail):
        return None
    # Hashed in place: the canonical text is the file up to the tail, then the close.
    digest = hashlib.sha256(memoryview(data)[: -len(tail)])
    digest.update(_CLOSE)
    return _LABEL + digest.hexdigest().encode("ascii")


def signature_problem(data: bytes, member: object, keyring: Keyring) -> tuple[str | None, str]:
    """(None, key name) if `data`, a manifest file whose parsed signature member is
    `member`, carries a valid signature by a key in `keyring`; else (why not, "")."""
    if member is None:
        return "not signed: anybody could have written it", ""
    message = canonical_message(data, member)
    if message is None:
        return "changed after it was signed (its signature is not where Newsdesk writes it)", ""
    assert isinstance(member, dict)
    key_name = keyring.name_for(member["public_key"])
    if key_name is None:
        return f"signed by {member['signer']} with a key that is not in the keyring", ""
    try:
        signature = base64.b64decode(member["signature"], validate=True)
        load_public_key(member["public_key"]).verify(signature, message)
    except (SigningError, binascii.Error, ValueError, InvalidSignature):
        return "changed after it was signed (the exporter's signature does not verify)", ""
    if not same_person(key_name, member["signer"]):
        return f"names {member['signer']} as signer but was signed with the key trusted " \
               f"as {key_name}", ""
    return None, key_name


def untrusted(
    data: bytes, member: object, keyring: Keyring | None, signer: ManifestSigner | None
) -> str | None:
    """Why an exporter cannot build on the manifest it finds (None: it can): it must be
    signed by the exporter's own key or one in `keyring`."""
    trusted = keyring if keyring is not None else Keyring()
    if signer is not None:
        trusted = Keyring({signer.name: signer.public_key}).merged(trusted)
    return signature_problem(data, member, trusted)[0]
