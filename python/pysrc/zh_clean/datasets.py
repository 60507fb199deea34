"""Hugging Face ``datasets``: a function for ``Dataset.map(..., batched=True)``.

>>> from datasets import Dataset
>>> from zh_clean.datasets import CleanBatch
>>> ds = Dataset.from_dict({"text": ["香港 生產 力 局 ， 49 % 受訪"]})
>>> list(ds.map(CleanBatch("text"), batched=True)["text"])
['香港生產力局，49%受訪']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Optional, Union

from ._common import clean_values, cleaner_from
from ._zh_clean import Cleaner

__all__ = ["CleanBatch"]


class CleanBatch:
    """Cleans the text columns of a batch: ``dataset.map(CleanBatch("text"), batched=True)``.

    ``columns`` names the column or columns to clean (default ``"text"``);
    with ``suffix`` the cleaned text goes to new columns (``text`` →
    ``text_clean`` with ``suffix="_clean"``) and the originals stay. Values
    that are not strings (``None``) are kept. ``cleaner`` is a
    :class:`zh_clean.Cleaner`, or keyword ``options`` build one.

    Each batch is cleaned with :meth:`Cleaner.clean_many` on ``threads``
    threads (default: every core; with ``num_proc`` > 1 pass
    ``threads=1``). Instances pickle, so ``datasets`` can fingerprint and
    cache the map and send it to worker processes.
    """

    def __init__(
        self,
        columns: Union[str, Sequence[str]] = "text",
        cleaner: Optional[Cleaner] = None,
        *,
        suffix: str = "",
        threads: Optional[int] = None,
        **options: Any,
    ) -> None:
        self.columns = [columns] if isinstance(columns, str) else list(columns)
        if not self.columns:
            raise ValueError("columns: no column given")
        self.cleaner = cleaner_from(cleaner, options)
        self.suffix = suffix
        self.threads = threads

    def __call__(self, batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
        """The cleaned columns of ``batch`` (a dict of column lists)."""
        out: dict[str, list[Any]] = {}
        for column in self.columns:
            if column not in batch:
                raise KeyError(f"column {column!r} not in the batch (columns: {', '.join(batch)})")
            out[column + self.suffix] = clean_values(self.cleaner, list(batch[column]), self.threads)
        return out

    def __repr__(self) -> str:
        return f"CleanBatch(columns={self.columns!r}, cleaner={self.cleaner!r}, suffix={self.suffix!r})"
