"""Helpers for end-to-end tests that run the real `newsdesk` command in a subprocess."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def newsdesk_executable() -> list[str]:
    script = Path(sys.executable).parent / "newsdesk"
    if script.exists():
        return [str(script)]
    found = shutil.which("newsdesk")
    return [found] if found else [sys.executable, "-m", "newsdesk"]


class Runner:
    def __init__(self, db: Path, env: dict[str, str]):
        self.db = db
        self.env = env

    def __call__(self, *args: str, input: str | None = None, check: int | None = 0,
                 env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [*newsdesk_executable(), "--db", str(self.db), *args],
            capture_output=True, text=True, input=input, timeout=120,
            env={**self.env, **(env or {})},
        )
        if check is not None:
            assert result.returncode == check, (
                f"newsdesk {' '.join(args)} exited {result.returncode}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
            )
        return result

    def json(self, *args: str, **kwargs) -> object:
        return json.loads(self(*args, **kwargs).stdout)


@pytest.fixture
def newsdesk(tmp_path) -> Runner:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    return Runner(tmp_path / "desk.db", env)
