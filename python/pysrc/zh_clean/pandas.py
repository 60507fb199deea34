"""pandas: a ``Series`` of text in, a ``Series`` of cleaned text out.

>>> import pandas as pd
>>> from zh_clean.pandas import clean_series
>>> clean_series(pd.Series(["香港 生產 力 局", None])).tolist()
['香港生產力局', None]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from ._common import clean_values, cleaner_from
from ._zh_clean import Cleaner

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["clean_series"]


def clean_series(
    series: pd.Series,
    cleaner: Optional[Cleaner] = None,
    *,
    threads: Optional[int] = None,
    **options: Any,
) -> pd.Series:
    """Cleans every string of ``series``; returns a new ``Series`` with the
    same index, name and dtype.

    Values that are not strings (``None``, ``NaN``, ``pd.NA``) are kept as
    they are. ``cleaner`` is a :class:`zh_clean.Cleaner` to use, or else the
    keyword ``options`` build one (``profile="tw"``, …). The strings are
    cleaned in one :meth:`Cleaner.clean_many` call on ``threads`` threads
    (default: every core).
    """
    import pandas as pd

    c = cleaner_from(cleaner, options)
    values = clean_values(c, series.tolist(), threads)
    return pd.Series(values, index=series.index, name=series.name, dtype=series.dtype)
