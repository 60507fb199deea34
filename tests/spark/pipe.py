"""zh-clean in Apache Spark: an RDD of JSON Lines records piped through the
binary in local mode, compared with one run of the binary over the same
records.

    python3 tests/spark/pipe.py target/release/zh-clean

Needs `pip install pyspark` and Java 17; `.ci/run` installs pyspark.
"""
import json
import subprocess
import sys

from pyspark import SparkConf, SparkContext


def main(binary):
    records = [
        {"id": i, "text": f"第 {i} 頁 ： 香港 生產 力 局 ， 49 % 受訪 AI 企業 。", "meta": {"n": i}}
        for i in range(200)
    ]
    records.insert(50, "not json")
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    command = [binary, "--jsonl", "--on-error", "skip", "-q"]
    conf = SparkConf().setMaster("local[2]").setAppName("zh-clean").set("spark.ui.enabled", "false")
    sc = SparkContext(conf=conf)
    sc.setLogLevel("ERROR")
    try:
        piped = sc.parallelize(lines, 4).pipe(" ".join(command)).collect()
    finally:
        sc.stop()
    single = subprocess.run(command, input="\n".join(lines) + "\n", capture_output=True, text=True, check=True)
    expected = single.stdout.splitlines()
    assert piped == expected, "Spark pipe differs from one run"
    assert len(piped) == len(lines), "one record out per record in"
    first = json.loads(piped[0])
    assert first["text"] == "第0頁：香港生產力局，49%受訪AI企業。", first
    assert list(first) == ["id", "text", "meta"], first
    assert piped[50] == "not json"
    print(f"spark pipe: {len(piped)} records, identical to a single run")


if __name__ == "__main__":
    main(sys.argv[1])
