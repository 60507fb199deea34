"""Throughput of `Cleaner.clean_many` against the `zh-clean` binary on the
same documents, and the per-call overhead of `zh_clean.clean`.

    python python/bench/throughput.py --cli target/release/zh-clean

Builds about 100,000 documents of about 2 KB from the evaluation inputs
(../shared/eval/dev and dev3, spaced and hard-wrapped text; the fixtures
when they are missing), then times, best of --repeat runs:

- the binary on them as JSON Lines (`--jsonl --field text -j N`), reading a
  file and writing /dev/null;
- `Cleaner().clean_many(texts, threads=N)` on the same texts, already in
  memory (their outputs are checked against the binary's);
- `zh_clean.clean` on a short string, per call.

Wall times need an otherwise idle machine; CPU times (this process and its
children, every thread) are reported beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import tempfile
import time
import timeit
from pathlib import Path

import zh_clean

REPO = Path(__file__).resolve().parents[2]


def paragraphs() -> list[str]:
    root = REPO.parent / "shared" / "eval"
    files = sorted((root / "dev" / "input").glob("*.txt")) + sorted((root / "dev3" / "input").glob("*.txt"))
    if not files:
        print(f"note: {root} not found: documents built from the fixtures only")
        files = sorted((REPO / "fixtures").glob("*.txt"))
    out = []
    for f in files:
        out += [p.strip("\n") for p in f.read_bytes().decode("utf-8").split("\n\n") if p.strip()]
    return out


def documents(n: int, size: int) -> list[str]:
    paras = paragraphs()
    docs, i = [], 0
    for _ in range(n):
        parts, length = [], 0
        while length < size:
            p = paras[i % len(paras)]
            i += 1
            parts.append(p)
            length += len(p.encode("utf-8")) + 2
        docs.append("\n\n".join(parts) + "\n")
    return docs


def cpu_seconds() -> float:
    """CPU time of this process (every thread) and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def best(f, repeat: int) -> tuple[float, float]:
    """The shortest wall time of `repeat` runs, and the least CPU time."""
    walls, cpus = [], []
    for _ in range(repeat):
        c, t = cpu_seconds(), time.perf_counter()
        f()
        walls.append(time.perf_counter() - t)
        cpus.append(cpu_seconds() - c)
    return min(walls), min(cpus)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", default=str(REPO / "target" / "release" / "zh-clean"))
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--size", type=int, default=2000, help="bytes per document, about")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    docs = documents(args.docs, args.size)
    total = sum(len(d.encode("utf-8")) for d in docs)
    print(f"{len(docs)} documents, {total / 1e6:.1f} MB, {total / len(docs):.0f} bytes each on average")
    cleaner = zh_clean.Cleaner()
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "docs.jsonl"
        with jsonl.open("w", encoding="utf-8") as f:
            for d in docs:
                f.write(json.dumps({"text": d}, ensure_ascii=False) + "\n")
        # The outputs agree.
        out = subprocess.run(
            [args.cli, "-q", "--jsonl", "--field", "text", str(jsonl)], capture_output=True, check=True
        ).stdout.decode("utf-8")
        cli_texts = [json.loads(line)["text"] for line in out.splitlines()]
        assert cli_texts == cleaner.clean_many(docs), "clean_many differs from the binary"
        rows = []
        for n in [int(t) for t in args.threads.split(",")]:
            def run_cli() -> None:
                with open(os.devnull, "wb") as devnull:
                    subprocess.run(
                        [args.cli, "-q", "--jsonl", "--field", "text", "-j", str(n), str(jsonl)],
                        stdout=devnull,
                        check=True,
                    )

            (cli, cli_cpu) = best(run_cli, args.repeat)
            (py, py_cpu) = best(lambda: cleaner.clean_many(docs, threads=n), args.repeat)
            rows.append((n, cli, py))
            print(
                f"threads={n}: CLI {total / cli / 1e6:6.1f} MB/s ({len(docs) / cli:6.0f} docs/s, "
                f"{cli_cpu:5.1f} s CPU)   clean_many {total / py / 1e6:6.1f} MB/s ({len(docs) / py:6.0f} docs/s, "
                f"{py_cpu:5.1f} s CPU)   clean_many/CLI {cli / py:.2f} (wall), {cli_cpu / py_cpu:.2f} (CPU)"
            )
        if len(rows) > 1:
            for label, col in [("CLI", 1), ("clean_many", 2)]:
                print(f"{label} speed-up, {rows[-1][0]} threads over 1: {rows[0][col] / rows[-1][col]:.2f}x")
        print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    short = "香港 生產 力 局"
    for label, stmt in [
        ("zh_clean.clean(short)", lambda: zh_clean.clean(short)),
        ("Cleaner.clean(short)", lambda: cleaner.clean(short)),
        ("zh_clean.clean(short, profile='tw')", lambda: zh_clean.clean(short, profile="tw")),
        ("str.replace(short) (a trivial call, for scale)", lambda: short.replace(" ", "")),
    ]:
        n = 200_000
        t = min(timeit.repeat(stmt, number=n, repeat=5)) / n
        print(f"{label}: {t * 1e6:.2f} µs per call")


if __name__ == "__main__":
    main()
