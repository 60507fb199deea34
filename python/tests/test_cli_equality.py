"""The Python package gives the command line's output byte for byte, on the
evaluation sets next to the repository (../shared/eval/dev and dev3, inputs
and gold files) and the fixtures, under several option sets.

Missing evaluation data fails these tests (set ZH_CLEAN_EVAL_OPTIONAL=1 to
skip them instead, with the reason shown); a missing binary always fails.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

import pytest

import zh_clean
from conftest import FIXTURES, cli_binary, eval_dir

SETS = ["dev/input", "dev/gold", "dev3/input", "dev3/gold"]

# (command-line flags, the same options for zh_clean)
CONFIGS = [
    ([], {}),
    (["--profile", "tw"], {"profile": "tw"}),
    (["--profile", "cn"], {"profile": "cn"}),
    (["--cjk-latin-space", "pangu", "--quotes", "curly"], {"cjk_latin_space": "pangu", "quotes": "curly"}),
    (["--variants", "hk"], {"variants": "hk"}),
    (["--convert", "s2twp"], {"convert": "s2twp"}),
    (["--skip", "structure,variants"], {"skip": ["structure", "variants"]}),
    (["--main-content"], {"main_content": True}),
]


def documents() -> list[Path]:
    """Every input: the fixtures and the four evaluation folders."""
    files = sorted(FIXTURES.glob("*.txt"))
    assert files, f"no fixtures in {FIXTURES}"
    root = eval_dir()
    missing = [s for s in SETS if not (root / s).is_dir() or not any((root / s).glob("*.txt"))]
    if missing:
        message = (
            f"EVALUATION DATA MISSING: {', '.join(str(root / s) for s in missing)} not found or empty; "
            "the CLI equality test needs ../shared/eval beside the repository (or ZH_CLEAN_EVAL_DIR)"
        )
        if os.environ.get("ZH_CLEAN_EVAL_OPTIONAL") == "1":
            pytest.skip(message)
        pytest.fail(message, pytrace=False)
    for s in SETS:
        files += sorted((root / s).glob("*.txt"))
    return files


def cli_outputs(flags: list[str], files: list[Path]) -> dict[Path, bytes]:
    """One run of the binary over every file (`--output-dir`), its output
    for each file."""
    base = Path(os.path.commonpath([str(f.resolve()) for f in files]))
    rel = [f.resolve().relative_to(base) for f in files]
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            [str(cli_binary()), "-q", *flags, "--output-dir", out, *map(str, rel)],
            cwd=base,
            check=True,
        )
        return {f: (Path(out) / r).read_bytes() for f, r in zip(files, rel)}


@pytest.mark.parametrize(("flags", "options"), CONFIGS, ids=lambda v: " ".join(v) if isinstance(v, list) else None)
def test_same_bytes_as_the_cli(flags: list[str], options: dict) -> None:
    files = documents()
    expected = cli_outputs(flags, files)
    cleaner = zh_clean.Cleaner(**options)
    texts = [f.read_bytes().decode("utf-8") for f in files]
    many = cleaner.clean_many(texts, threads=2)
    differ = []
    for f, text, out in zip(files, texts, many):
        one = zh_clean.clean(text, **options).encode("utf-8")
        if out.encode("utf-8") != expected[f] or one != expected[f]:
            differ.append(str(f))
    assert len(files) > 500, f"only {len(files)} documents compared"
    assert not differ, f"{len(differ)} of {len(files)} differ from the CLI: {differ[:5]}"


def test_same_words_as_the_cli() -> None:
    files = documents()
    expected = cli_outputs(["--segment", "--delimiter", "\x1f"], files)
    cleaner = zh_clean.Cleaner()
    differ = []
    for f in files:
        words = [w for line in expected[f].decode("utf-8").split("\n") for w in line.split("\x1f") if w]
        if cleaner.segment(f.read_bytes().decode("utf-8")) != words:
            differ.append(str(f))
    assert not differ, f"{len(differ)} of {len(files)} segment differently from the CLI: {differ[:5]}"
