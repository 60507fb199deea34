"""Scrapy: an item pipeline that cleans text fields of every item.

In ``settings.py``::

    ITEM_PIPELINES = {"zh_clean.scrapy.CleanPipeline": 300}
    ZH_CLEAN_FIELDS = ["title", "text"]          # default: ["text"]
    ZH_CLEAN_OPTIONS = {"profile": "tw"}         # default: {} (Hong Kong)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Optional

from ._zh_clean import Cleaner

__all__ = ["CleanPipeline"]


class CleanPipeline:
    """Cleans the named fields of each item (dicts, ``scrapy.Item``,
    dataclass and attrs items alike, through ``itemadapter``).

    A string field is cleaned; a list field has its strings cleaned; a
    missing field or another value is left alone. From a crawler the
    fields come from the ``ZH_CLEAN_FIELDS`` setting and the cleaner's
    options from ``ZH_CLEAN_OPTIONS``.
    """

    def __init__(self, fields: Iterable[str] = ("text",), cleaner: Optional[Cleaner] = None) -> None:
        self.fields = [fields] if isinstance(fields, str) else list(fields)
        self.cleaner = cleaner if cleaner is not None else Cleaner()

    @classmethod
    def from_crawler(cls, crawler: Any) -> CleanPipeline:
        """The pipeline configured by the crawler's settings."""
        settings = crawler.settings
        fields = settings.getlist("ZH_CLEAN_FIELDS") or ["text"]
        options = settings.getdict("ZH_CLEAN_OPTIONS")
        return cls(fields, Cleaner(**options))

    def process_item(self, item: Any, spider: Any = None) -> Any:
        """Cleans ``item``'s fields in place and returns it."""
        try:
            from itemadapter import ItemAdapter
        except ImportError:  # plain dicts without Scrapy installed
            adapter: Any = item
        else:
            adapter = ItemAdapter(item)
        for field in self.fields:
            if field not in adapter:
                continue
            value = adapter[field]
            if isinstance(value, str):
                adapter[field] = self.cleaner.clean(value)
            elif isinstance(value, list):
                adapter[field] = [self.cleaner.clean(v) if isinstance(v, str) else v for v in value]
        return item
