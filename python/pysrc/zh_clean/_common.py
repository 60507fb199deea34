"""Shared by the framework helpers: one cleaner from a cleaner or options."""

from __future__ import annotations

from typing import Any, Optional

from ._zh_clean import Cleaner


def cleaner_from(cleaner: Optional[Cleaner], options: dict[str, Any]) -> Cleaner:
    """``cleaner`` itself, or a new :class:`Cleaner` built from ``options``."""
    if cleaner is not None:
        if options:
            raise TypeError("give either a cleaner or options, not both")
        return cleaner
    return Cleaner(**options)


def clean_values(cleaner: Cleaner, values: list[Any], threads: Optional[int]) -> list[Any]:
    """``values`` with every ``str`` cleaned (in one ``clean_many`` call) and
    everything else (``None``, NaN, numbers) left as it is."""
    positions = [i for i, v in enumerate(values) if isinstance(v, str)]
    if not positions:
        return list(values)
    cleaned = cleaner.clean_many([values[i] for i in positions], threads=threads)
    out = list(values)
    for i, text in zip(positions, cleaned):
        out[i] = text
    return out
