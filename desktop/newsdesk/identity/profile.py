"""The local profile: who is working (name, role), their signing key and trusted keys.

Files, in the config folder (NEWSDESK_CONFIG_DIR, else the platform's user config folder):

    profile.json      {"name": ..., "role": "editor" | "desk_chief", "four_eyes": true}
    signing-key.pem   Ed25519 private key (PKCS#8 PEM), mode 0600, made on first need
    keyring.yaml      trusted desk chiefs: "Name": "base64 public key"

With no profile.json the profile is a default one, never written until the user sets it:
the operating-system user name, role editor. `is_default` tells callers to say how to
set it (`newsdesk profile --name ... --role ...`). Your own key is always trusted by
your own keyring, so a desk chief can verify their own approvals without exporting.

The key, not the name, is who you are: it signs every workflow action, its fingerprint
is recorded with every revision you save and everything you do, and a new name keeps it.
`trust()` says whose actions a sync accepts: the keyring's desk chiefs, and your own key
while your profile is a desk chief's.
"""

from __future__ import annotations

import getpass
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from newsdesk.disk.atomic import write_atomic, write_new
from newsdesk.domain.model import NewsdeskError, key_fingerprint
from newsdesk.domain.trust import Trust
from newsdesk.domain.workflow import (
    ROLE_LABELS,
    ActionSigner,
    Signer,
    WorkflowError,
    normalize_role,
)
from newsdesk.identity.signing import (
    Keyring,
    SigningError,
    action_signer_for,
    generate_key,
    load_private_key_pem,
    private_key_pem,
    public_key_text,
    signer_for,
)
from newsdesk.paths import config_dir

PROFILE_FILE = "profile.json"
KEY_FILE = "signing-key.pem"
KEYRING_FILE = "keyring.yaml"
NAME_MAX = 100


class ProfileError(NewsdeskError):
    """A profile that cannot be read, written or set as asked."""


def os_user_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "newsdesk"


def check_name(name: str) -> str:
    """A person's name, trimmed; ProfileError if empty, multi-line or too long."""
    if "\n" in name or "\r" in name:
        raise ProfileError("a name is one line")
    clean = " ".join(name.split())
    if not clean:
        raise ProfileError("a name is required")
    if len(clean) > NAME_MAX:
        raise ProfileError(f"a name is at most {NAME_MAX} characters")
    return clean


@dataclass
class Profile:
    name: str
    role: str = "editor"
    four_eyes: bool = True
    folder: Path = field(default_factory=config_dir)
    is_default: bool = False

    @classmethod
    def load(cls, folder: Path | None = None) -> Profile:
        """The saved profile, or the default one if none was saved yet."""
        folder = folder or config_dir()
        path = folder / PROFILE_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(os_user_name(), "editor", True, folder, is_default=True)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ProfileError(f"{path}: cannot read the profile ({exc})") from None
        if not isinstance(data, dict):
            raise ProfileError(f"{path}: expected a JSON object")
        try:
            return cls(
                name=check_name(str(data.get("name") or os_user_name())),
                role=normalize_role(str(data.get("role") or "editor")),
                four_eyes=bool(data.get("four_eyes", True)),
                folder=folder,
            )
        except (ProfileError, WorkflowError) as exc:
            raise ProfileError(f"{path}: {exc}") from None

    @property
    def path(self) -> Path:
        return self.folder / PROFILE_FILE

    @property
    def key_path(self) -> Path:
        return self.folder / KEY_FILE

    @property
    def keyring_path(self) -> Path:
        return self.folder / KEYRING_FILE

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    def updated(
        self, *, name: str | None = None, role: str | None = None, four_eyes: bool | None = None
    ) -> Profile:
        """A copy with the given settings checked and changed (not yet saved)."""
        try:
            new_role = normalize_role(role) if role is not None else self.role
        except WorkflowError as exc:
            raise ProfileError(str(exc)) from None
        return Profile(
            name=check_name(name) if name is not None else self.name,
            role=new_role,
            four_eyes=self.four_eyes if four_eyes is None else four_eyes,
            folder=self.folder,
        )

    def save(self) -> Profile:
        data = {"name": self.name, "role": self.role, "four_eyes": self.four_eyes}
        _write(self.path, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode())
        self.is_default = False
        return self

    # Keys

    def has_key(self) -> bool:
        return self.key_path.exists()

    def private_key(self) -> Ed25519PrivateKey:
        """The signing key, made (and stored with owner-only permissions) on first need.
        Two processes making it at once keep one key: the second reads the first's (a
        key written over another would leave actions signed by a key nobody holds)."""
        try:
            data = self.key_path.read_bytes()
        except FileNotFoundError:
            key = generate_key()
            try:
                write_new(self.key_path, private_key_pem(key), mode=0o600)
                return key
            except FileExistsError:
                data = self.key_path.read_bytes()  # another process made it just now
            except OSError as exc:
                raise ProfileError(
                    f"{self.key_path}: cannot be written ({exc.strerror or exc})"
                ) from None
        except OSError as exc:
            raise ProfileError(f"{self.key_path}: cannot read the signing key ({exc})") from None
        _tighten(self.key_path)
        try:
            return load_private_key_pem(data, str(self.key_path))
        except SigningError as exc:
            raise ProfileError(str(exc)) from None

    def public_key(self) -> str:
        return public_key_text(self.private_key())

    def signer(self) -> Signer:
        return signer_for(self.private_key())

    def action_signer(self) -> ActionSigner:
        return action_signer_for(self.private_key())

    def fingerprint(self) -> str:
        """The short name of this profile's key (made on first need): who they are."""
        return key_fingerprint(self.public_key())

    def export_key(self) -> str:
        """A one-entry keyring with this profile's name and public key, to hand to others."""
        return Keyring({self.name: self.public_key()}).dumps()

    # Trusted keys

    def keyring(self) -> Keyring:
        """The trusted keys, plus this profile's own key if it has one."""
        try:
            keyring = Keyring.load(self.keyring_path)
        except SigningError as exc:
            raise ProfileError(str(exc)) from None
        if self.has_key():
            keyring = Keyring({self.name: self.public_key()}).merged(keyring)
        return keyring

    def chief_trust(self) -> Trust:
        """Whose desk-chief actions a sync accepts: the keyring's, and this profile's own
        key while it is a desk chief's (an editor's own key approves nothing)."""
        try:
            keys = set(Keyring.load(self.keyring_path).keys.values())
        except SigningError as exc:
            raise ProfileError(str(exc)) from None
        if self.role == "desk_chief":
            keys.add(self.public_key())
        return Trust(frozenset(keys))

    def trust(self, source: str, name: str | None = None) -> dict[str, str]:
        """Add keys to the keyring: `source` is a keyring/exported-key file or a base64 key.

        A single key needs `name`; a file's entries keep their names unless `name` is given
        (then the file must hold exactly one key). Returns what was added.
        """
        path = Path(source).expanduser()
        try:
            if path.is_file():
                incoming = Keyring.load(path)
                if name is not None:
                    if len(incoming.keys) != 1:
                        raise ProfileError(
                            f"{path} holds {len(incoming.keys)} keys; --as needs exactly one"
                        )
                    incoming = Keyring({name: next(iter(incoming.keys.values()))})
            else:
                if name is None:
                    raise ProfileError("a key given as text needs a name (--as NAME)")
                incoming = Keyring()
                incoming.add(name, source)
            keyring = Keyring.load(self.keyring_path)
        except SigningError as exc:
            raise ProfileError(str(exc)) from None
        if not incoming.keys:
            raise ProfileError(f"{source}: no keys found")
        for key_name, key in incoming.keys.items():
            keyring.add(check_name(key_name), key)
        _write(self.keyring_path, keyring.dumps().encode("utf-8"))
        return dict(incoming.keys)


def _write(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write a profile file atomically and durably (disk/atomic.py): a crash, or another
    Newsdesk saving the same file at that moment, never leaves half a file or a key
    others could read for an instant."""
    try:
        write_atomic(path, data, mode=mode)
    except OSError as exc:
        raise ProfileError(f"{path}: cannot be written ({exc.strerror or exc})") from None


def _tighten(path: Path) -> None:
    # A key others can read is a key others can sign with; repair rather than refuse,
    # since the usual cause is a copy made with default permissions.
    if sys.platform != "win32" and path.stat().st_mode & 0o077:
        os.chmod(path, 0o600)
