"""The Python API: cleaning, options and their errors, threads, the GIL,
segmentation, statistics, decoding, pickling."""

from __future__ import annotations

import pickle
import threading
import time

import pytest

import zh_clean
from conftest import FIXTURES

SPACED = "（ 香港 ， 2023年 11月 10日 ） 香港 生產 力促 進局 今天 公布 《 香港 人工智能 產業 發展\n研究 》 ， 49 % 受訪 企業 與 德國 RWTH Aachen Campus 合作 。\n"
CLEANED = "（香港，2023年11月10日）香港生產力促進局今天公布《香港人工智能產業發展研究》，49%受訪企業與德國RWTH Aachen Campus合作。\n"


def test_clean_matches_the_rust_documentation() -> None:
    assert zh_clean.clean(SPACED) == CLEANED
    assert zh_clean.Cleaner().clean(SPACED) == CLEANED
    assert zh_clean.clean("香港 AI 產業 發展 ， 49 % 受訪") == "香港AI產業發展，49%受訪"


def test_seed_page_gives_its_gold_paragraphs() -> None:
    page = (FIXTURES / "hkpc-ai-press-release.txt").read_text(encoding="utf-8")
    gold = (FIXTURES / "hkpc-ai-press-release.gold.txt").read_text(encoding="utf-8")
    out = zh_clean.Cleaner(main_content=True).clean(page)
    assert [line for line in out.splitlines() if line] == [line for line in gold.splitlines() if line]


def test_clean_text_comes_back_as_the_same_object() -> None:
    text = "香港生產力促進局今天公布研究結果。\n"
    assert zh_clean.clean(text) is text
    assert zh_clean.Cleaner().clean_many([text])[0] is text
    # A borrowed prefix (trailing blank lines dropped) is a new string.
    assert zh_clean.clean("段落\n\n\n") == "段落\n"


def test_profiles_and_options() -> None:
    assert zh_clean.clean("他 說 「 你好 」 。", profile="cn") == "他說“你好”。"
    assert zh_clean.clean("使用Python寫", cjk_latin_space="pangu") == "使用 Python 寫"
    assert zh_clean.clean("「引文」", quotes="curly") == "“引文”"
    assert zh_clean.clean("威廉·陸斯佛", middle_dot="‧") == "威廉‧陸斯佛"
    assert zh_clean.clean("衛生署裏面", variants="tw") == "衛生署裡面"
    assert zh_clean.clean("頭髮", convert="t2s") == "头发"
    assert zh_clean.clean("香 港 , 九 龍", skip=["punctuation"]) == "香港,九龍"
    assert zh_clean.clean("香 港 , 九 龍", skip="punct") == "香港,九龍"
    assert zh_clean.clean("香港 \u200b生產", only="hygiene") == "香港 生產"
    assert zh_clean.clean("香港 \u200b生產", only=("hygiene",), profile="TW") == "香港 生產"
    # None means the profile's default.
    assert zh_clean.clean("「引文」", profile="cn", quotes=None) == "“引文”"


def test_effective_options() -> None:
    o = zh_clean.Cleaner(profile="tw", skip=["structure"]).options
    assert o["middle_dot"] == "‧" and o["quotes"] == "corner" and o["variants"] == "auto"
    assert o["structure"] is False and o["spacing"] is True
    assert zh_clean.Cleaner(profile="cn").options["variants"] == "none"
    assert set(zh_clean.Cleaner().options) == {
        "profile", "cjk_latin_space", "quotes", "middle_dot", "variants", "convert", "backend",
        "encoding", "hygiene", "structure", "spacing", "punctuation", "variants_stage", "main_content",
        "dedupe", "user_dicts", "fine_words",
    }


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"profile": "jp"}, "invalid profile 'jp': expected 'hk', 'tw' or 'cn'"),
        ({"cjk_latin_space": "some"}, "invalid cjk_latin_space 'some': expected 'auto', 'remove', 'keep' or 'pangu'"),
        ({"quotes": "angle"}, "invalid quotes 'angle': expected 'corner', 'curly' or 'keep'"),
        ({"variants": "jp"}, "invalid variants 'jp': expected 'auto', 'hk', 'tw', 'twp', 'cn' or 'none'"),
        ({"convert": "s2x"}, "invalid convert 's2x': expected 's2t', 't2s',"),
        ({"backend": "icu"}, "invalid backend 'icu': expected 'builtin' or 'opencc-sys'"),
        ({"backend": "opencc-sys"}, "invalid backend 'opencc-sys': this build of zh_clean has only 'builtin'"),
        ({"only": ["spacing", "segment"]}, "invalid only stage 'segment': expected 'encoding', 'hygiene', 'structure',"),
        ({"skip": "hygiene,nope"}, "invalid skip stage 'nope'"),
        ({"only": []}, "invalid only: no stage given"),
        ({"middle_dot": "··"}, "invalid middle_dot '··': expected exactly one character"),
        ({"variants": "hk", "convert": "s2hk"}, "variants and convert are both set"),
    ],
)
def test_bad_options_are_value_errors_naming_the_value(options: dict, message: str) -> None:
    with pytest.raises(ValueError) as info:
        zh_clean.Cleaner(**options)
    assert str(info.value).startswith(message)
    with pytest.raises(ValueError):
        zh_clean.clean("香港", **options)


def test_wrong_types_are_type_errors() -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'profil'.*profile"):
        zh_clean.Cleaner(profil="hk")
    with pytest.raises(TypeError, match="unexpected keyword argument 'user_dicts'"):
        zh_clean.clean("香港", user_dicts=[])
    with pytest.raises(TypeError, match="unexpected keyword argument 'fine_words'"):
        zh_clean.clean("香港", fine_words=True)
    with pytest.raises(TypeError, match="profile must be a string, not int"):
        zh_clean.Cleaner(profile=1)
    with pytest.raises(TypeError, match="main_content must be True or False"):
        zh_clean.Cleaner(main_content="yes")
    with pytest.raises(TypeError, match=r"expected str, not bytes \(decode bytes first"):
        zh_clean.clean(b"abc")
    with pytest.raises(TypeError, match=r"texts\[1\]: expected str, not NoneType"):
        zh_clean.Cleaner().clean_many(["香港", None])
    with pytest.raises(ValueError, match="invalid threads 0"):
        zh_clean.Cleaner().clean_many(["香港"], threads=0)


def corpus() -> list[str]:
    page = (FIXTURES / "hkpc-ai-press-release.txt").read_text(encoding="utf-8")
    paragraphs = [p for p in page.split("\n\n") if p.strip()]
    return [paragraphs[i % len(paragraphs)] + f"\n第 {i} 段 ， 49 % 受訪 。" for i in range(2000)] + ["", "香港。\n"]


@pytest.mark.parametrize("threads", [None, 1, 2, 3, 64])
def test_clean_many_is_ordered_and_equals_clean(threads: int | None) -> None:
    texts = corpus()
    c = zh_clean.Cleaner()
    expected = [c.clean(t) for t in texts]
    assert c.clean_many(texts, threads=threads) == expected
    assert c.clean_many(iter(texts), threads) == expected  # any iterable
    assert c.clean_many([], threads=threads) == []


def test_clean_many_releases_the_gil() -> None:
    texts = corpus() * 10
    c = zh_clean.Cleaner()
    span: list[float] = []

    def work() -> None:
        span.append(time.monotonic())
        c.clean_many(texts, threads=1)
        span.append(time.monotonic())

    worker = threading.Thread(target=work)
    ticks: list[float] = []
    worker.start()
    while worker.is_alive():
        ticks.append(time.monotonic())
        time.sleep(0.001)
    worker.join()
    start, end = span
    assert end - start > 0.05, "the workload is too small to tell"
    inside = [t for t in ticks if start + 0.01 < t < end - 0.01]
    # Holding the GIL, the loop above could not have run during the call.
    assert len(inside) >= 5, f"{len(inside)} ticks in {end - start:.3f}s"


def test_segment() -> None:
    c = zh_clean.Cleaner()
    assert c.segment("香港 生產 力促 進局 公布 研究 。") == ["香港", "生產力", "促進", "局", "公布", "研究", "。"]
    assert c.segment("香港生產力促進局。\n\nRWTH Aachen\n") == ["香港", "生產力", "促進", "局", "。", "RWTH", "Aachen"]


def test_fine_words(tmp_path) -> None:
    text = "一個 博物館 位於 香港 ， 成為 地標 。"
    assert zh_clean.Cleaner().segment(text) == ["一個", "博物館", "位於", "香港", "，", "成為", "地標", "。"]
    c = zh_clean.Cleaner(fine_words=True)
    assert c.segment(text) == ["一", "個", "博物", "館", "位", "於", "香港", "，", "成", "為", "地標", "。"]
    assert c.options["fine_words"] is True and zh_clean.Cleaner().options["fine_words"] is False
    assert pickle.loads(pickle.dumps(c)).segment(text) == c.segment(text)
    d = tmp_path / "user.dict"
    d.write_text("博物館 10\n", encoding="utf-8")
    assert zh_clean.Cleaner(fine_words=True, user_dicts=[d]).segment("一個博物館") == ["一", "個", "博物館"]
    with pytest.raises(TypeError, match="fine_words must be True or False"):
        zh_clean.Cleaner(fine_words="yes")


def test_user_dicts(tmp_path) -> None:
    d = tmp_path / "user.dict"
    d.write_text("生產力局 100000\n", encoding="utf-8")
    c = zh_clean.Cleaner(user_dicts=[d])
    assert c.segment("香港生產力局今天公布") == ["香港", "生產力局", "今天", "公布"]
    assert c.options["user_dicts"] == [str(d)]
    with pytest.raises(FileNotFoundError, match="user dictionary .*missing.dict"):
        zh_clean.Cleaner(user_dicts=[tmp_path / "missing.dict"])
    with pytest.raises(TypeError, match="not a single path"):
        zh_clean.Cleaner(user_dicts=str(d))


def test_stats() -> None:
    c = zh_clean.Cleaner()
    stats = c.stats("香港 生產 力 局 , 头发\u200b\n")
    assert (stats["hygiene_changes"], stats["spaces_removed"], stats["characters_converted"]) == (1, 5, 2)
    assert stats["lines_in"] == stats["lines_out"] == 1
    out, again = c.clean_with_stats("香港 生產 力 局 , 头发\u200b\n")
    assert out == "香港生產力局，頭髮\n" and again == stats


def test_pickle_and_repr() -> None:
    c = zh_clean.Cleaner(profile="tw", skip=["structure"], cjk_latin_space="pangu")
    assert repr(c) == "Cleaner(profile='tw', skip=['structure'], cjk_latin_space='pangu')"
    back = pickle.loads(pickle.dumps(c))
    assert back.options == c.options
    assert repr(zh_clean.Cleaner()) == "Cleaner()"


def test_decode() -> None:
    text = "香港生產力促進局今天公布研究結果。"
    assert zh_clean.decode(text.encode("utf-8")) == text
    assert zh_clean.decode(text.encode("big5")) == text
    assert zh_clean.decode(text.encode("big5"), "big5") == text
    simplified = "我们在北京开会，讨论经济发展。"
    assert zh_clean.decode(simplified.encode("gb18030")) == simplified
    assert zh_clean.decode(b"\xfe\xff" + text.encode("utf-16-be")) == text
    assert zh_clean.decode(bytearray(text.encode("big5"))) == text
    assert zh_clean.decode(memoryview(text.encode("utf-8"))) == text
    with pytest.raises(UnicodeDecodeError) as info:
        zh_clean.decode(b"ab\xa4\xff", "big5")
    assert (info.value.start, info.value.end) == (2, 4)
    assert "invalid Big5 at byte offset 2" in str(info.value)
    assert zh_clean.decode(b"ab\xffcd", "utf-8", lossy=True) == "ab\ufffdcd"
    with pytest.raises(ValueError, match="invalid encoding 'klingon': expected 'auto', 'utf-8'"):
        zh_clean.decode(b"ab", "klingon")
    with pytest.raises(TypeError, match="expected bytes"):
        zh_clean.decode("香港")  # type: ignore[arg-type]
    with pytest.warns(UnicodeWarning, match="encoding guessed as"):
        zh_clean.decode(b"caf\xe9 \xa4\xa4\xff!", lossy=True)


def test_module_constants() -> None:
    assert zh_clean.PROFILES == ("hk", "tw", "cn")
    opencc = {"s2t", "t2s", "s2tw", "tw2s", "s2hk", "hk2s", "s2twp", "tw2sp", "t2tw", "tw2t", "t2hk", "hk2t", "t2jp", "jp2t"}
    assert opencc <= set(zh_clean.CONVERSIONS)
    for name in zh_clean.CONVERSIONS:
        zh_clean.Cleaner(convert=name)
    assert zh_clean.STAGES == ("encoding", "hygiene", "structure", "spacing", "punctuation", "variants")
    assert zh_clean.__version__


def test_mojibake_is_repaired_first() -> None:
    garbled = "香港生產力促進局".encode("utf-8").decode("cp1252")
    assert zh_clean.clean(garbled) == "香港生產力促進局"
    assert zh_clean.clean(garbled, skip="encoding") == garbled
    stats = zh_clean.Cleaner().stats(garbled)
    assert stats["encoding_repairs"] == 1
