#!/usr/bin/env python3
"""Builds tests/data/mojibake/ftfy-zh.jsonl: whether ftfy's fix_encoding (the
reference users know) repairs each case of the Chinese mojibake corpus that
tests/mojibake.rs builds: clean paragraphs put through the corruptions text
meets on its way to a data set, the original being the expected repair.
Each line names the corruption, the paragraph (its index in the order
below) and the corrupted text's length in characters (so that the test can
tell when it builds a different case).

    python3 -m venv /tmp/ftfy && /tmp/ftfy/bin/pip install ftfy==6.3.1
    /tmp/ftfy/bin/python scripts/mojibake-corpus.py [FTFY_TEST_CASES_JSON]

With the path of ftfy's own test cases (tests/test_cases.json in its
source distribution, `pip download --no-binary :all: ftfy==6.3.1`), it also
writes tests/data/mojibake/ftfy-cases.json: those whose expected result
ftfy's fix_encoding gives (the encoding repairs, not the other fixes of
fix_text), with their label.

Paragraphs: the seed fixture's gold, the mixed-script fixture, and
tests/data/mojibake/extra.txt (sentences written for these tests:
Cantonese, Hokkien, Japanese, Korean, accented names, symbols, emoji).

Corruptions (UTF-8 bytes read with the wrong codec):
  cp1252       read as Windows-1252 (the five bytes it leaves undefined
               as C1 controls, as browsers do)
  latin1       read as Latin-1 (C1 controls for 80-9F)
  twice        read as Windows-1252, written as UTF-8, read again
  nbsp-space   cp1252, then every no-break space made a plain space
  span         only the paragraph's first sentence is corrupted

Double-byte corruptions (UTF-8 read as GBK, Big5 read as GBK, GBK read as
Big5; see tests/mojibake.rs, which builds them with encoding_rs, the codecs
zh-clean uses, so that Python's own GBK and Big5 tables cannot make other
cases): the test writes its cases, this script adds ftfy's verdicts and
writes tests/data/mojibake/ftfy-zh-cjk.jsonl:

    MOJIBAKE_CJK_CASES=/tmp/cjk-cases.jsonl cargo test --release --test mojibake double_byte
    /tmp/ftfy/bin/python scripts/mojibake-corpus.py --cjk /tmp/cjk-cases.jsonl
"""
import json
import pathlib
import sys

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests/data/mojibake/ftfy-zh.jsonl"


def paragraphs():
    for name in ["fixtures/hkpc-ai-press-release.gold.txt", "fixtures/mixed-trad-simp.txt",
                 "tests/data/mojibake/extra.txt"]:
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                yield line


def cp1252(s):
    return s.encode("utf-8").decode("sloppy-windows-1252")


def corruptions(p):
    yield "cp1252", cp1252(p)
    yield "latin1", p.encode("utf-8").decode("latin-1")
    yield "twice", cp1252(cp1252(p))
    yield "nbsp-space", cp1252(p).replace("\u00a0", " ")
    cut = min((i for i in (p.find("。"), p.find("，")) if i > 0), default=-1)
    if 0 < cut < len(p) - 1:
        yield "span", cp1252(p[: cut + 1]) + p[cut + 1:]


def cjk(cases_path):
    """ftfy's fix_encoding on the double-byte cases the test wrote."""
    out = OUT.parent / "ftfy-zh-cjk.jsonl"
    n = fixed = 0
    with out.open("w", encoding="utf-8") as f:
        for line in pathlib.Path(cases_path).read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            ok = ftfy.fix_encoding(case["bad"]) == case["want"]
            rec = {"kind": case["kind"], "para": case["para"], "chars": len(case["bad"]), "ftfy": ok}
            f.write(json.dumps(rec) + "\n")
            n += 1
            fixed += ok
    print(f"{n} cases written to {out.relative_to(ROOT)}; ftfy repaired {fixed} (ftfy {ftfy.__version__})")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--cjk":
        cjk(sys.argv[2])
        return
    OUT.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with OUT.open("w", encoding="utf-8") as f:
        for i, p in enumerate(paragraphs()):
            for kind, bad in corruptions(p):
                if bad == p:
                    continue
                rec = {"kind": kind, "para": i, "chars": len(bad),
                       "ftfy": ftfy.fix_encoding(bad) == p}
                f.write(json.dumps(rec) + "\n")
                n += 1
    print(f"{n} cases written to {OUT.relative_to(ROOT)} (ftfy {ftfy.__version__})")
    if len(sys.argv) > 1:
        cases = json.loads(pathlib.Path(sys.argv[1]).read_text(encoding="utf-8"))
        kept = [{"label": c["label"], "original": c["original"], "fixed": c["fixed"]}
                for c in cases
                if c["expect"] == "pass" and c["original"] != c["fixed"]
                and ftfy.fix_encoding(c["original"]) == c["fixed"]]
        path = OUT.parent / "ftfy-cases.json"
        path.write_text(json.dumps(kept, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{len(kept)} of ftfy's {len(cases)} cases written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
