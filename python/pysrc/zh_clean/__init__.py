"""Clean Traditional Chinese text scraped from the web.

Spurious spaces left by word segmenters, hard wraps from PDF extractors and
text browsers, mixed ASCII/fullwidth punctuation, Unicode debris and stray
Simplified characters, put right by zh-clean's Rust core.

>>> import zh_clean
>>> zh_clean.clean("香港 生產 力 促進 局 ， 49 % 受訪 企業")
'香港生產力促進局，49%受訪企業'
>>> cleaner = zh_clean.Cleaner(profile="cn")
>>> cleaner.clean_many(["他 說 「 你好 」 。", "头发"])
['他說“你好”。', '头发']

Framework helpers live in submodules that import their framework only when
used: :mod:`zh_clean.pandas`, :mod:`zh_clean.datasets`, :mod:`zh_clean.spark`
and :mod:`zh_clean.scrapy`.
"""

from ._zh_clean import (
    BACKENDS,
    CJK_LATIN_SPACES,
    CONVERSIONS,
    PROFILES,
    QUOTES,
    STAGES,
    VARIANTS,
    Cleaner,
    __version__,
    clean,
    decode,
)

__all__ = [
    "BACKENDS",
    "CJK_LATIN_SPACES",
    "CONVERSIONS",
    "PROFILES",
    "QUOTES",
    "STAGES",
    "VARIANTS",
    "Cleaner",
    "__version__",
    "clean",
    "decode",
]
