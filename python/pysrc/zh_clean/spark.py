"""PySpark: clean text columns of a DataFrame on the executors.

Two ways, both vectorised through Arrow (``pip install pyspark[sql]``):

>>> from zh_clean.spark import clean_partitions, clean_udf       # doctest: +SKIP
>>> df.mapInPandas(clean_partitions(["text", "title"]), schema=df.schema)  # doctest: +SKIP
>>> df.withColumn("text", clean_udf()("text"))                    # doctest: +SKIP

The executors need ``zh_clean`` installed in their Python. Each Python
worker cleans on one thread by default (Spark already runs one worker per
core); pass ``threads`` to change that.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Callable, Optional, Union

from ._common import clean_values, cleaner_from
from ._zh_clean import Cleaner

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["clean_partitions", "clean_udf"]


def clean_partitions(
    columns: Union[str, Sequence[str]] = "text",
    cleaner: Optional[Cleaner] = None,
    *,
    threads: Optional[int] = 1,
    **options: Any,
) -> Callable[[Iterator[pd.DataFrame]], Iterator[pd.DataFrame]]:
    """A function for ``DataFrame.mapInPandas(f, schema=df.schema)`` that
    cleans the string ``columns`` of every batch and keeps the other
    columns, the column order and the row order.

    ``cleaner`` is a :class:`zh_clean.Cleaner`, or keyword ``options`` build
    one; it is pickled to the executors with the function.
    """
    names = [columns] if isinstance(columns, str) else list(columns)
    c = cleaner_from(cleaner, options)

    def clean_batches(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for frame in batches:
            frame = frame.copy()
            for name in names:
                frame[name] = clean_values(c, frame[name].tolist(), threads)
            yield frame

    return clean_batches


def clean_udf(
    cleaner: Optional[Cleaner] = None, *, threads: Optional[int] = 1, **options: Any
) -> Any:
    """A pandas UDF (``StringType`` in and out) that cleans a column:
    ``df.withColumn("text", clean_udf(profile="tw")("text"))``. Nulls stay
    null."""
    import pandas as pd
    from pyspark.sql.functions import pandas_udf

    c = cleaner_from(cleaner, options)

    def zh_clean_udf(texts):  # type: ignore[no-untyped-def]
        return pd.Series(clean_values(c, texts.tolist(), threads), index=texts.index, dtype=object)

    # Spark reads the kind of UDF from the annotations, which must be the
    # classes themselves (this module's annotations are strings).
    zh_clean_udf.__annotations__ = {"texts": pd.Series, "return": pd.Series}
    return pandas_udf("string")(zh_clean_udf)  # type: ignore[call-overload]
