"""The tests' own use of shared files: the ninjs schema ships with them, and the shared
sample wire file, which is never copied into the repository, must be there in CI."""

import json
from pathlib import Path

import pytest

from tests import conftest

DATA = Path(__file__).resolve().parents[1] / "data"


def test_ninjs_schema_ships_with_the_tests_with_its_licence():
    schema = json.loads((DATA / "ninjs-schema_2.2.json").read_text(encoding="utf-8"))
    assert "ninjs" in schema["$id"]
    assert "MIT License" in (DATA / "LICENSE-ninjs").read_text(encoding="utf-8")


def test_a_missing_sample_fails_in_ci_and_is_skipped_elsewhere(tmp_path, monkeypatch):
    monkeypatch.setattr(conftest, "SAMPLES", tmp_path)
    fixture = conftest.sample_wire_path.__wrapped__
    # BaseException: a skip inside the test would otherwise skip this test, not fail it.
    monkeypatch.setenv("CI", "true")
    with pytest.raises(BaseException) as outcome:
        fixture()
    assert isinstance(outcome.value, pytest.fail.Exception) and "CI" in str(outcome.value)
    monkeypatch.delenv("CI")
    with pytest.raises(BaseException) as outcome:
        fixture()
    assert isinstance(outcome.value, pytest.skip.Exception)
