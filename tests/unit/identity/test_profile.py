"""The local profile: default on first run, saved settings, the signing key, the keyring."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

from newsdesk.domain.model import Approval, utcnow
from newsdesk.identity import profile as profile_mod
from newsdesk.identity import signing
from newsdesk.identity.profile import Profile, ProfileError

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")


def test_config_dir_follows_the_environment(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("NEWSDESK_CONFIG_DIR", str(tmp_path / "cfg"))
    assert profile_mod.config_dir() == tmp_path / "cfg"
    monkeypatch.delenv("NEWSDESK_CONFIG_DIR")
    assert profile_mod.config_dir().name == "newsdesk"


def test_default_profile_is_not_written(tmp_path) -> None:
    p = Profile.load(tmp_path)
    assert p.is_default
    assert p.role == "editor"
    assert p.name == profile_mod.os_user_name()
    assert p.four_eyes
    assert not any(tmp_path.iterdir())


def test_save_and_load(tmp_path) -> None:
    p = Profile.load(tmp_path).updated(name="  Xu   Fang ", role="desk chief").save()
    again = Profile.load(tmp_path)
    assert (again.name, again.role, again.four_eyes, again.is_default) == (
        "Xu Fang", "desk_chief", True, False,
    )
    assert json.loads(p.path.read_text(encoding="utf-8"))["role"] == "desk_chief"
    assert Profile.load(tmp_path).updated(four_eyes=False).save().four_eyes is False
    assert Profile.load(tmp_path).four_eyes is False


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"role": "intern"}, "unknown role"),
        ({"name": "   "}, "a name is required"),
        ({"name": "Two\nLines"}, "one line"),
        ({"name": "x" * 101}, "at most 100"),
    ],
)
def test_bad_settings_are_refused(tmp_path, changes, message) -> None:
    with pytest.raises(ProfileError, match=message):
        Profile.load(tmp_path).updated(**changes)


@pytest.mark.parametrize(
    "text", ["{not json", "[1, 2]", '{"name": "A", "role": "boss"}']
)
def test_broken_profile_file(tmp_path, text) -> None:
    (tmp_path / "profile.json").write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError, match=r"profile\.json"):
        Profile.load(tmp_path)


@posix_only
def test_key_is_made_once_with_owner_only_permissions(tmp_path) -> None:
    p = Profile.load(tmp_path)
    assert not p.has_key()
    first = p.public_key()
    assert stat.S_IMODE(p.key_path.stat().st_mode) == 0o600
    assert Profile.load(tmp_path).public_key() == first
    assert [path.name for path in tmp_path.iterdir()] == ["signing-key.pem"]  # no temp left


@posix_only
def test_the_key_is_owner_only_from_its_first_byte_and_its_folder_entry_is_flushed(
    tmp_path, monkeypatch
) -> None:
    """A power cut right after the key is made must not lose it (the rename is flushed
    with its folder), and no other user may read it for an instant (made 0600)."""
    real_fsync = os.fsync
    flushed: list[tuple[str, int]] = []  # ("dir" | "file", mode) in order

    def fsync(fd: int) -> None:
        info = os.fstat(fd)
        kind = "dir" if stat.S_ISDIR(info.st_mode) else "file"
        flushed.append((kind, stat.S_IMODE(info.st_mode)))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    Profile.load(tmp_path).public_key()
    assert flushed[0] == ("file", 0o600)
    assert flushed[-1][0] == "dir"


def test_two_saves_at_once_never_fail_and_leave_a_whole_file(tmp_path, monkeypatch) -> None:
    """The window and a command saving the profile at the same moment: the one that
    renames last wins, and neither takes over (or deletes) the other's temporary file."""
    real_fsync = os.fsync
    other = Profile.load(tmp_path).updated(name="Cy Other", role="editor")
    interleaved: list[bool] = []

    def fsync(fd: int) -> None:
        real_fsync(fd)
        if not interleaved:  # the first save is between its write and its rename
            interleaved.append(True)
            other.save()

    monkeypatch.setattr(os, "fsync", fsync)
    Profile.load(tmp_path).updated(name="Ann First", role="desk_chief").save()
    assert interleaved
    assert Profile.load(tmp_path).name == "Ann First"
    assert [path.name for path in tmp_path.iterdir()] == ["profile.json"]


@posix_only
def test_loose_key_permissions_are_tightened(tmp_path) -> None:
    p = Profile.load(tmp_path)
    p.public_key()
    os.chmod(p.key_path, 0o644)
    p.private_key()
    assert stat.S_IMODE(p.key_path.stat().st_mode) == 0o600


def test_unreadable_key_file(tmp_path) -> None:
    p = Profile.load(tmp_path)
    p.key_path.write_bytes(b"garbage")
    with pytest.raises(ProfileError, match="not a readable private key"):
        p.private_key()


def test_signer_signs_with_the_profile_key(tmp_path) -> None:
    p = Profile.load(tmp_path).updated(name="Xu Fang", role="desk_chief")
    signed = p.signer()("story-id", Approval("Xu Fang", 1, "sha256:00", utcnow()))
    assert signed.public_key == p.public_key()
    assert signing.signature_valid("story-id", signed)


def test_export_and_trust_between_two_profiles(tmp_path) -> None:
    chief = Profile.load(tmp_path / "chief").updated(name="Xu Fang", role="desk_chief").save()
    exported = tmp_path / "xu-fang.key"
    exported.write_text(chief.export_key(), encoding="utf-8")
    writer = Profile.load(tmp_path / "writer")
    assert writer.keyring().keys == {}
    added = writer.trust(str(exported))
    assert added == {"Xu Fang": chief.public_key()}
    assert writer.keyring().name_for(chief.public_key()) == "Xu Fang"
    writer.trust(str(exported), name="Fang Xu")
    assert set(Profile.load(tmp_path / "writer").keyring().keys) == {"Xu Fang", "Fang Xu"}


def test_trust_a_key_given_as_text(tmp_path) -> None:
    key = signing.public_key_text(signing.generate_key())
    p = Profile.load(tmp_path)
    with pytest.raises(ProfileError, match="needs a name"):
        p.trust(key)
    p.trust(key, name="Li Wei")
    assert p.keyring().keys == {"Li Wei": key}
    with pytest.raises(ProfileError, match="not an Ed25519 public key"):
        p.trust("definitely-not-a-key", name="Li Wei")


def test_trust_refuses_ambiguous_and_empty_files(tmp_path) -> None:
    two = signing.Keyring(
        {n: signing.public_key_text(signing.generate_key()) for n in ("A", "B")}
    )
    many = tmp_path / "many.yaml"
    many.write_text(two.dumps(), encoding="utf-8")
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    p = Profile.load(tmp_path / "me")
    with pytest.raises(ProfileError, match="holds 2 keys"):
        p.trust(str(many), name="C")
    with pytest.raises(ProfileError, match="no keys found"):
        p.trust(str(empty))
    assert p.trust(str(many)).keys() == {"A", "B"}


def test_own_key_is_trusted(tmp_path) -> None:
    p = Profile.load(tmp_path).updated(name="Xu Fang", role="desk_chief")
    key = p.public_key()
    assert p.keyring().keys == {"Xu Fang": key}


def test_broken_keyring_file(tmp_path: Path) -> None:
    p = Profile.load(tmp_path)
    p.keyring_path.write_text("- not a mapping\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="mapping"):
        p.keyring()


def test_a_key_made_meanwhile_by_another_process_is_the_one_kept(tmp_path, monkeypatch) -> None:
    """Two processes making the signing key at once: the one that comes second reads the
    first's key instead of writing its own over it (which left the first signing with a
    key nobody holds, and failed with "File exists" when their temporary names met)."""
    prof = profile_mod.Profile("Ada Writer", "editor", folder=tmp_path).save()
    theirs = signing.generate_key()
    real_generate = profile_mod.generate_key

    def generate_while_another_writes():
        prof.key_path.write_bytes(signing.private_key_pem(theirs))  # the other process
        return real_generate()

    monkeypatch.setattr(profile_mod, "generate_key", generate_while_another_writes)
    mine = prof.private_key()
    assert signing.public_key_text(mine) == signing.public_key_text(theirs)
    assert prof.key_path.read_bytes() == signing.private_key_pem(theirs)


def _fingerprint_in_child(folder: str, queue) -> None:
    prof = profile_mod.Profile.load(Path(folder))
    queue.put(prof.fingerprint())


@pytest.mark.skipif(sys.platform == "win32", reason="fork")
def test_processes_making_the_key_at_once_all_sign_with_the_one_kept(tmp_path) -> None:
    import multiprocessing

    profile_mod.Profile("Ada Writer", "editor", folder=tmp_path).save()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    children = [context.Process(target=_fingerprint_in_child, args=(str(tmp_path), queue))
                for _ in range(6)]
    for child in children:
        child.start()
    for child in children:
        child.join(60)
    assert all(child.exitcode == 0 for child in children)
    found = {queue.get(timeout=5) for _ in children}
    assert found == {profile_mod.Profile.load(tmp_path).fingerprint()}
