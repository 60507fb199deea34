"""The framework helpers: pandas, Hugging Face datasets, PySpark (local
mode) and a Scrapy item pipeline, each against plain `Cleaner.clean`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

import zh_clean

TEXTS = [
    f"第 {i} 頁 ： 香港 生產 力 局 ， 49 % 受訪 AI 企業 。\n頭 发 與 「 引文 」 ..." for i in range(300)
] + ["香港生產力促進局。", ""]


def expected(texts: list, **options) -> list:
    c = zh_clean.Cleaner(**options)
    return [c.clean(t) if isinstance(t, str) else t for t in texts]


def test_pandas_series() -> None:
    import pandas as pd

    from zh_clean.pandas import clean_series

    values = [*TEXTS[:50], None]
    s = pd.Series(values, index=range(100, 100 + len(values)), name="text", dtype=object)
    out = clean_series(s)
    assert out.tolist() == expected(values)
    assert list(out.index) == list(s.index) and out.name == "text" and out.dtype == s.dtype
    tw = clean_series(s, profile="tw", cjk_latin_space="pangu", threads=1)
    assert tw.tolist() == expected(values, profile="tw", cjk_latin_space="pangu")
    # pandas' string dtype, missing values included.
    strings = pd.Series([TEXTS[0], pd.NA, TEXTS[1]], dtype="string")
    out = clean_series(strings, zh_clean.Cleaner())
    assert out.dtype == strings.dtype and out.isna().tolist() == [False, True, False]
    assert out[0] == zh_clean.clean(TEXTS[0])
    with pytest.raises(TypeError, match="either a cleaner or options"):
        clean_series(s, zh_clean.Cleaner(), profile="tw")
    with pytest.raises(ValueError, match="invalid profile 'xx'"):
        clean_series(s, profile="xx")


def test_datasets_batched_map(tmp_path: Path) -> None:
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from datasets import Dataset

    from zh_clean.datasets import CleanBatch

    titles = [f"標題 {i} ： 香港 生產 力 局" if i % 7 else None for i in range(len(TEXTS))]
    ds = Dataset.from_dict({"id": list(range(len(TEXTS))), "text": TEXTS, "title": titles})
    out = ds.map(CleanBatch(["text", "title"], threads=2), batched=True, batch_size=64)
    assert out["text"] == expected(TEXTS)
    assert out["title"] == expected(titles)
    assert out["id"] == list(range(len(TEXTS)))
    # New columns next to the originals; worker processes get a pickled copy.
    kept = ds.map(CleanBatch("text", suffix="_clean", profile="cn", threads=1), batched=True, num_proc=2)
    assert kept["text"] == TEXTS
    assert kept["text_clean"] == expected(TEXTS, profile="cn")
    with pytest.raises(KeyError, match="column 'body' not in the batch"):
        ds.map(CleanBatch("body"), batched=True)


def java_missing() -> bool:
    return shutil.which("java") is None and not os.environ.get("JAVA_HOME")


@pytest.mark.spark
@pytest.mark.skipif(java_missing(), reason="Java not found: Spark needs Java 17 (apt-get install openjdk-17-jre-headless)")
def test_spark_local_mode() -> None:
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    from zh_clean.spark import clean_partitions, clean_udf

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("zh-clean")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        rows = [(i, t if i % 10 else None, f"標題 {i} ： 香港 生產 力 局") for i, t in enumerate(TEXTS)]
        df = spark.createDataFrame(rows, "id long, text string, title string").repartition(4)
        cleaned = df.mapInPandas(clean_partitions(["text", "title"], profile="tw"), schema=df.schema)
        got = sorted(cleaned.collect(), key=lambda r: r["id"])
        assert [r["id"] for r in got] == list(range(len(TEXTS)))
        assert [r["text"] for r in got] == expected([r[1] for r in rows], profile="tw")
        assert [r["title"] for r in got] == expected([r[2] for r in rows], profile="tw")
        assert cleaned.columns == ["id", "text", "title"]

        udf = clean_udf(zh_clean.Cleaner(cjk_latin_space="pangu"))
        got = sorted(df.withColumn("text", udf("text")).collect(), key=lambda r: r["id"])
        assert [r["text"] for r in got] == expected([r[1] for r in rows], cjk_latin_space="pangu")
    finally:
        spark.stop()


def test_scrapy_pipeline_on_items() -> None:
    import scrapy

    from zh_clean.scrapy import CleanPipeline

    class Page(scrapy.Item):
        title = scrapy.Field()
        text = scrapy.Field()
        url = scrapy.Field()

    @dataclass
    class Post:
        text: str
        tags: list

    pipeline = CleanPipeline(["title", "text", "tags"])
    page = Page(title="香港 生產 力 局", text=TEXTS[0], url="https://example.org/a b")
    assert pipeline.process_item(page, None) is page
    assert page["title"] == "香港生產力局" and page["text"] == zh_clean.clean(TEXTS[0])
    assert page["url"] == "https://example.org/a b"  # not a listed field
    post = pipeline.process_item(Post(text="头 发", tags=["香港 生產", 3]), None)
    assert post == Post(text="頭髮", tags=["香港生產", 3])
    item = pipeline.process_item({"text": None, "other": "香港 生產"}, None)
    assert item == {"text": None, "other": "香港 生產"}


def test_scrapy_pipeline_from_settings_in_a_crawl(tmp_path: Path) -> None:
    """A real crawl (of data: URLs, no network) with the pipeline switched
    on in the settings; run in a child process, as Twisted's reactor runs
    once per process."""
    pages = TEXTS[:5]
    script = tmp_path / "crawl.py"
    feed = tmp_path / "items.jsonl"
    script.write_text(
        textwrap.dedent(
            """
            import json, sys
            from urllib.parse import quote
            import scrapy
            from scrapy.crawler import CrawlerProcess

            pages = json.loads(sys.argv[1])

            class Pages(scrapy.Spider):
                name = "pages"

                async def start(self):
                    for i, text in enumerate(pages):
                        yield scrapy.Request("data:text/plain;charset=utf-8," + quote(text), cb_kwargs={"i": i})

                def parse(self, response, i):
                    yield {"i": i, "text": response.text, "title": "標題 ： 香港 生產 力 局", "raw": response.text}

            process = CrawlerProcess(settings={
                "ITEM_PIPELINES": {"zh_clean.scrapy.CleanPipeline": 300},
                "ZH_CLEAN_FIELDS": ["text", "title"],
                "ZH_CLEAN_OPTIONS": {"profile": "tw", "cjk_latin_space": "pangu"},
                "FEEDS": {sys.argv[2]: {"format": "jsonlines", "encoding": "utf-8"}},
                "LOG_LEVEL": "ERROR",
                "TELNETCONSOLE_ENABLED": False,
            })
            process.crawl(Pages)
            process.start()
            """
        ),
        encoding="utf-8",
    )
    subprocess.run([sys.executable, str(script), json.dumps(pages), str(feed)], check=True, timeout=120)
    items = sorted((json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()), key=lambda r: r["i"])
    assert [r["i"] for r in items] == list(range(len(pages)))
    opts = {"profile": "tw", "cjk_latin_space": "pangu"}
    assert [r["text"] for r in items] == expected(pages, **opts)
    assert items[0]["title"] == zh_clean.clean("標題 ： 香港 生產 力 局", **opts)
    assert [r["raw"] for r in items] == pages
