"""Paths shared by the tests: the repository, the fixtures, the CLI binary
and the evaluation data next to the repository."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"


def cli_binary() -> Path:
    """The `zh-clean` binary to compare with: $ZH_CLEAN_BIN, or the
    repository's release build."""
    path = Path(os.environ.get("ZH_CLEAN_BIN", REPO / "target" / "release" / "zh-clean"))
    if not path.is_file():
        pytest.fail(
            f"the zh-clean binary is missing ({path}): build it with `cargo build --release` "
            "at the repository root, or point ZH_CLEAN_BIN at one",
            pytrace=False,
        )
    return path


def eval_dir() -> Path:
    """The evaluation sets: $ZH_CLEAN_EVAL_DIR, or ../shared/eval beside the
    repository."""
    return Path(os.environ.get("ZH_CLEAN_EVAL_DIR", REPO.parent / "shared" / "eval"))
