#!/usr/bin/env python3
"""Write src/radicals_table.rs from the Unicode Character Database.

The hygiene stage maps each Kangxi radical and CJK radical supplement to
its equivalent unified ideograph (U+2F08 `⼈` -> U+4EBA `人`). The mapping
is the UCD's EquivalentUnifiedIdeograph.txt:

    curl -O https://www.unicode.org/Public/17.0.0/ucd/EquivalentUnifiedIdeograph.txt
    python3 scripts/radicals-table.py EquivalentUnifiedIdeograph.txt > src/radicals_table.rs

Its lines are `CODE ; UNIFIED # name` or `FIRST..LAST ; UNIFIED # names`;
every code of a range maps to the one ideograph. The table is written
sorted by radical, for a binary search (a unit test checks the order).
"""

import re
import sys


def parse(lines):
    pairs = {}
    version = None
    for line in lines:
        m = re.match(r"#\s*EquivalentUnifiedIdeograph-(\d+\.\d+\.\d+)\.txt", line)
        if m:
            version = m.group(1)
        data = line.split("#", 1)[0].strip()
        if not data:
            continue
        codes, unified = (x.strip() for x in data.split(";"))
        first, _, last = codes.partition("..")
        for cp in range(int(first, 16), int(last or first, 16) + 1):
            pairs[cp] = int(unified, 16)
    return version, sorted(pairs.items())


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        version, pairs = parse(f)
    print("// Generated from the Unicode Character Database, EquivalentUnifiedIdeograph.txt")
    print(f"// (Unicode version {version or 'unknown'}), Unicode License v3. Radical → equivalent unified ideograph.")
    print("// Regenerate with scripts/radicals-table.py.")
    print("/// Sorted by radical code point; binary-searched by `hygiene`.")
    print("pub(crate) static RADICAL_TO_UNIFIED: &[(char, char)] = &[")
    for r, u in pairs:
        print(f"    ('\\u{{{r:04X}}}', '\\u{{{u:04X}}}'),")
    print("];")


if __name__ == "__main__":
    main()
