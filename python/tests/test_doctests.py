"""The examples in the package's docstrings run as written."""

from __future__ import annotations

import doctest
import importlib
import os

import pytest


@pytest.mark.parametrize("module", ["zh_clean", "zh_clean.pandas", "zh_clean.datasets", "zh_clean.spark", "zh_clean.scrapy"])
def test_docstring_examples(module: str) -> None:
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
