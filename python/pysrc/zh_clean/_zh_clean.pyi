"""Type stubs of the extension module behind :mod:`zh_clean`."""

import os
from collections.abc import Iterable
from typing import Literal, TypedDict, Union, final

from typing_extensions import Unpack

__version__: str

Profile = Literal["hk", "tw", "cn"]
CjkLatinSpace = Literal["auto", "remove", "keep", "pangu"]
QuoteStyle = Literal["corner", "curly", "keep"]
VariantsMode = Literal["auto", "hk", "tw", "twp", "cn", "none"]
# An OpenCC configuration name ("s2hk", "t2s", …): `CONVERSIONS` lists them.
Conversion = str
Backend = Literal["builtin"]
StageName = Literal["encoding", "hygiene", "structure", "spacing", "punctuation", "punct", "variants"]
Stages = Union[str, Iterable[StageName]]

PROFILES: tuple[str, ...]
CJK_LATIN_SPACES: tuple[str, ...]
QUOTES: tuple[str, ...]
VARIANTS: tuple[str, ...]
CONVERSIONS: tuple[str, ...]
BACKENDS: tuple[str, ...]
STAGES: tuple[str, ...]

class Options(TypedDict, total=False):
    """Keyword options of :func:`clean` (``None`` means the profile's default)."""

    profile: Profile | None
    cjk_latin_space: CjkLatinSpace | None
    quotes: QuoteStyle | None
    middle_dot: str | None
    variants: VariantsMode | None
    convert: Conversion | None
    backend: Backend | None
    only: Stages | None
    skip: Stages | None
    main_content: bool | None
    dedupe: bool | None

class CleanerOptions(Options, total=False):
    """Keyword options of :class:`Cleaner`: those of :func:`clean`, user dictionaries and the word granularity."""

    user_dicts: Iterable[str | os.PathLike[str]] | None
    fine_words: bool | None

class EffectiveOptions(TypedDict):
    """Every option of a :class:`Cleaner` with its value (``Cleaner.options``)."""

    profile: Profile
    cjk_latin_space: CjkLatinSpace
    quotes: QuoteStyle
    middle_dot: str
    variants: VariantsMode
    convert: Conversion | None
    backend: Backend
    encoding: bool
    hygiene: bool
    structure: bool
    spacing: bool
    punctuation: bool
    variants_stage: bool
    main_content: bool
    dedupe: bool
    user_dicts: list[str]
    fine_words: bool

class Stats(TypedDict):
    """What cleaning one text did, stage by stage."""

    bytes_in: int
    bytes_out: int
    lines_in: int
    lines_out: int
    encoding_repairs: int
    hygiene_changes: int
    paragraphs: int
    list_items: int
    headings: int
    code_blocks: int
    lines_joined: int
    spaces_removed: int
    punctuation_changed: int
    characters_converted: int

@final
class Cleaner:
    """The cleaning pipeline, configured once and reused.

    Takes the options of :func:`clean`, and two for :meth:`segment`:
    ``user_dicts``, jieba user dictionaries, and ``fine_words``, ``True``
    for words as the Universal Dependencies treebanks cut them (``一 個``,
    ``博物 館``) instead of jieba's (``一個``, ``博物館``). Immutable, shareable between threads,
    picklable (rebuilt from its options).
    """

    def __init__(self, **options: Unpack[CleanerOptions]) -> None: ...
    def clean(self, text: str) -> str:
        """Cleans ``text`` (the same object comes back when it was already clean)."""
    def clean_many(self, texts: Iterable[str], threads: int | None = None) -> list[str]:
        """Cleans every text, in order, on ``threads`` threads (default: every core), without the GIL."""
    def segment(self, text: str) -> list[str]:
        """Cleans ``text`` and cuts it into words (whitespace dropped)."""
    def stats(self, text: str) -> Stats:
        """Counts of what each stage did to ``text``."""
    def clean_with_stats(self, text: str) -> tuple[str, Stats]:
        """``(clean(text), stats(text))`` in one pass."""
    @property
    def options(self) -> EffectiveOptions:
        """The effective options, the profile's defaults filled in."""
    def __getnewargs_ex__(self) -> tuple[tuple[()], dict[str, object]]: ...

def clean(text: str, **options: Unpack[Options]) -> str:
    """Cleans ``text`` with the given options; bad values raise ``ValueError``."""

def decode(
    data: bytes | bytearray | memoryview, encoding: str = "auto", *, lossy: bool = False
) -> str:
    """Decodes bytes in UTF-8, Big5, GB18030, UTF-16 or a detected encoding."""
