#!/usr/bin/env python3
"""Compares the pure-Rust converter with OpenCC's Python package, line by line.

    python3 -m pip install opencc==1.4.2      # the release data/opencc/ vendors
    cargo build --release --example opencc_lines
    python3 scripts/compare-opencc.py [--configs s2t,t2s] [--show 5] [TEXT ...]

Each TEXT file (default: fixtures/*.txt and, when present, the inputs and
gold paragraphs of ../shared/eval/dev and ../shared/eval/dev3) is used as it
is and turned Simplified with the built-in `t2s`; a generated text mixes the
two scripts line by line, and another strings the keys and the values of
every vendored dictionary together, eight to a line, so that phrases meet
at every kind of boundary. Every line of all of them goes through every
configuration on both sides; the script prints, per configuration, the
lines compared and the lines that differ, shows the first differences, and
exits 1 when any line differs.
"""

import argparse
import glob
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CONFIGS = ["s2t", "t2s", "s2tw", "tw2s", "s2hk", "hk2s", "s2twp", "tw2sp",
           "t2tw", "tw2t", "t2hk", "hk2t", "t2jp", "jp2t", "s2hkp", "hk2sp"]


def rust(config, lines, binary):
    out = subprocess.run([binary, config], input="\n".join(lines) + "\n",
                         capture_output=True, encoding="utf-8", check=True).stdout
    result = out.split("\n")[:-1]
    assert len(result) == len(lines), (config, len(result), len(lines))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("texts", nargs="*")
    parser.add_argument("--configs", default=",".join(CONFIGS))
    parser.add_argument("--show", type=int, default=5, help="differences shown per configuration")
    parser.add_argument("--binary", default=os.path.join(ROOT, "target/release/examples/opencc_lines"))
    args = parser.parse_args()
    try:
        import opencc
    except ImportError:
        sys.exit("the opencc package is missing: python3 -m pip install opencc==1.4.2")
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"{args.binary} is missing: cargo build --release --example opencc_lines")

    paths = args.texts or sorted(
        glob.glob(os.path.join(ROOT, "fixtures", "*.txt"))
        + glob.glob(os.path.join(ROOT, "..", "shared", "eval", "dev*", "gold", "*.txt"))
        + glob.glob(os.path.join(ROOT, "..", "shared", "eval", "dev*", "input", "*.txt")))
    traditional = []
    for p in paths:
        with open(p, encoding="utf-8") as f:
            traditional.extend(line for line in f.read().split("\n") if line.strip())
    simplified = rust("t2s", traditional, args.binary)
    mixed = [t if i % 2 else s for i, (t, s) in enumerate(zip(traditional, simplified))]
    words = []
    for p in sorted(glob.glob(os.path.join(ROOT, "data", "opencc", "*.txt"))):
        with open(p, encoding="utf-8") as f:
            for line in f:
                if "\t" in line and not line.startswith("#"):
                    key, values = line.rstrip("\n").split("\t", 1)
                    words.append(key)
                    words.extend(values.split(" "))
    joined = ["".join(words[i:i + 8]) for i in range(0, len(words), 8)]
    lines = traditional + simplified + mixed + joined
    size = sum(len(l.encode()) + 1 for l in lines)
    print(f"opencc {opencc.__version__}; {len(paths)} files, {len(lines)} lines, {size / 1e6:.1f} MB per configuration")

    total = 0
    for config in args.configs.split(","):
        reference = opencc.OpenCC(config)
        ours = rust(config, lines, args.binary)
        differ = [(l, o, reference.convert(l)) for l, o in zip(lines, ours)]
        differ = [d for d in differ if d[1] != d[2]]
        total += len(differ)
        print(f"{config:>6}: {len(lines)} lines, {len(differ)} differ")
        for line, o, r in differ[:args.show]:
            print(f"    in:     {line[:120]}\n    ours:   {o[:120]}\n    opencc: {r[:120]}")
    sys.exit(1 if total else 0)


if __name__ == "__main__":
    main()
