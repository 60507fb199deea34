#!/usr/bin/env python3
"""Check that two zh-clean binaries write the same bytes.

A refactoring promises output identical to the code it replaces. This runs
an old and a new binary on the same inputs and reports every input on
which their output (or exit status) differs:

* every file of `fixtures/`, and the inputs and gold of the evaluation sets
  (`../shared/eval/dev`, `../shared/eval/dev3`) when they are there, under
  each profile and a few option sets;
* generated documents: the gold paragraphs and word-segmented sentences of
  those sets and of `../shared/corpora/ud_zh_gsd`, put through the damage
  scraped text shows (segmenter spaces, wide gaps, hard wraps at random
  widths, list markers, ASCII punctuation, mis-decoding, Simplified
  paragraphs, page numbers, stray controls), in chunks of about 4 MB until
  `--mb` megabytes have been cleaned, from a seed, so a failure can be
  reproduced.

Usage (build the old binary first, e.g. from a worktree of the old
commit with its own target directory):

    python3 scripts/same-output.py OLD_BINARY target/release/zh-clean --mb 300

Exit status 0 when every output is identical, 1 otherwise.
"""

import argparse
import concurrent.futures
import os
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

OPTION_SETS = [
    [],
    ["--profile", "tw"],
    ["--profile", "cn"],
    ["--cjk-latin-space", "pangu"],
    ["--cjk-latin-space", "keep", "--skip", "structure"],
    ["--main-content"],
    ["--segment"],
]
# Segmentation loads its dictionary per run: on the evaluation sets' files
# the other option sets are enough, and the generated documents have it.
FILE_OPTION_SETS = [o for o in OPTION_SETS if o != ["--segment"]]


def run(binary, args, data):
    p = subprocess.run([binary, *args], input=data, capture_output=True)
    return p.returncode, p.stdout


def files():
    found = sorted(p for p in (ROOT / "fixtures").iterdir() if p.is_file())
    for name in ("dev", "dev3"):
        for sub in ("input", "gold"):
            d = SHARED / "eval" / name / sub
            if d.is_dir():
                found += sorted(p for p in d.iterdir() if p.is_file())
            else:
                print(f"note: {d} is missing; its files are not compared", file=sys.stderr)
    return found


def sources():
    """Clean paragraphs and word-segmented sentences to damage."""
    paras, segmented = [], []
    for name in ("dev", "dev3"):
        d = SHARED / "eval" / name / "gold"
        if d.is_dir():
            for p in sorted(d.iterdir()):
                paras += [x for x in p.read_text(encoding="utf-8").split("\n\n") if x.strip()]
    for p in (ROOT / "fixtures").glob("*.gold.txt"):
        paras += [x for x in p.read_text(encoding="utf-8").split("\n\n") if x.strip()]
    ud = SHARED / "corpora" / "ud_zh_gsd"
    for part in ("dev", "test"):
        for suffix, into in ((".seg", segmented), (".txt", paras)):
            f = ud / f"{part}{suffix}"
            if f.is_file():
                into += [x for x in f.read_text(encoding="utf-8").splitlines() if x.strip()]
    if not paras:
        sys.exit("no source text found (fixtures/*.gold.txt)")
    return paras, segmented


ASCII_PUNCT = str.maketrans({"，": ",", "。": ".", "：": ":", "；": ";", "（": "(", "）": ")", "？": "?", "！": "!"})


def mis_decode(s):
    try:
        return s.encode("utf-8").decode("cp1252")
    except UnicodeDecodeError:
        return s.encode("utf-8").decode("latin-1")


def wrap(s, width):
    out, line, w = [], "", 0
    for ch in s:
        cw = 2 if ord(ch) > 0x2E80 else 1
        if w + cw > width and line:
            out.append(line)
            line, w = "", 0
        line += ch
        w += cw
    if line:
        out.append(line)
    return "\n".join(out)


def damage(rng, paras, segmented):
    p = rng.choice(segmented) if segmented and rng.random() < 0.3 else rng.choice(paras)
    r = rng.random()
    if r < 0.15:
        p = p.replace(" ", "   ")
    elif r < 0.3:
        p = p.translate(ASCII_PUNCT)
    elif r < 0.35:
        words = p.split()
        if words:
            i = rng.randrange(len(words))
            words[i] = mis_decode(words[i])
            p = " ".join(words)
    elif r < 0.4:
        from_simplified = {"這": "这", "個": "个", "們": "们", "時": "时", "會": "会", "說": "说", "對": "对"}
        p = "".join(from_simplified.get(c, c) for c in p)
    elif r < 0.45:
        p = p.replace("。", "。\u000b", 1).replace("，", "\u200b，", 1)
    if rng.random() < 0.3:
        p = wrap(p, rng.choice([16, 20, 36, 40, 60, 72, 80]))
    if rng.random() < 0.1:
        p = rng.choice(["• ", "1. ", "（一）", "- ", "> "]) + p
    if rng.random() < 0.03:
        p += f"\n\n第 {rng.randrange(1, 300)} 頁"
    return p


def documents(rng, paras, segmented, size):
    while True:
        parts, n = [], 0
        while n < size:
            p = damage(rng, paras, segmented)
            parts.append(p)
            n += len(p.encode("utf-8"))
        sep = rng.choice(["\n\n", "\n", "\r\n\r\n"])
        yield (sep.join(parts) + "\n").encode("utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--mb", type=float, default=100, help="megabytes of generated documents (default 100)")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    def same(job):
        f, opts = job
        data = f.read_bytes()
        return job, run(a.old, opts, data) == run(a.new, opts, data)

    jobs = [(f, o) for f in files() for o in (OPTION_SETS if f.parent.name == "fixtures" else FILE_OPTION_SETS)]
    differ = 0
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        for (f, opts), ok in pool.map(same, jobs):
            if not ok:
                differ += 1
                print(f"differs: {f} {' '.join(opts)}")
    print(f"files: {len(jobs)} runs, {differ} differ")
    rng = random.Random(a.seed)
    paras, segmented = sources()
    done, i = 0, 0
    for doc in documents(rng, paras, segmented, 4_000_000):
        if done >= a.mb * 1e6:
            break
        opts = OPTION_SETS[i % len(OPTION_SETS)]
        if run(a.old, opts, doc) != run(a.new, opts, doc):
            differ += 1
            keep = Path(os.environ.get("TMPDIR", "/tmp")) / f"same-output-{a.seed}-{i}.txt"
            keep.write_bytes(doc)
            print(f"differs: generated document {i} ({' '.join(opts)}), kept in {keep}")
        done += len(doc)
        i += 1
    print(f"generated: {i} documents, {done / 1e6:.0f} MB, seed {a.seed}")
    print("identical" if differ == 0 else f"{differ} differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
