#!/usr/bin/env bash
# Regenerates the vendored OpenCC data from an OpenCC source tree.
#
#   scripts/update-opencc.sh OPENCC_DIR
#
# OPENCC_DIR is a checkout of https://github.com/BYVoid/OpenCC at a release
# tag, or an unpacked release source distribution (`pip download opencc==X
# --no-binary :all: --no-deps` gives `opencc-X.tar.gz`); both have the same
# layout. Copied, unmodified:
#
#   data/dictionary/<the raw dictionaries>.txt -> data/opencc/
#   data/config/<configuration>.json           -> data/opencc/config/
#   LICENSE                                    -> data/opencc/LICENSE, tests/opencc/LICENSE
#   test/testcases/testcases.json              -> tests/opencc/testcases.json
#
# The dictionaries OpenCC's build generates (TSCharactersExt,
# STPhrases_GeneratedFromRegionalPhrases, TWVariantsRev, HKVariantsRev,
# JPShinjitaiCharactersRev) are not copied: src/opencc.rs makes them from
# the raw ones at run time, the way data/scripts/*.py make them.
#
# Afterwards: record the release in data/opencc/README.md and
# tests/opencc/README.md, check that `Config::spec` in src/opencc.rs still
# matches the configurations (`cargo test --test opencc` compares them), and
# run the comparison with the Python package (scripts/compare-opencc.py).
set -euo pipefail

if [ $# -ne 1 ] || [ ! -d "$1/data/dictionary" ]; then
    echo "usage: $0 OPENCC_DIR (an OpenCC checkout or unpacked source distribution)" >&2
    exit 2
fi
src=$1
here=$(cd "$(dirname "$0")/.." && pwd)
dst=$here/data/opencc

# The raw dictionaries: DICTS_RAW in OpenCC's data/CMakeLists.txt.
raw=$(sed -n '/^set($/,/^)$/p' "$src/data/CMakeLists.txt" |
    awk '/DICTS_RAW/ {on = 1; next} on && /^\)/ {exit} on {print $1}')
if [ -z "$raw" ]; then
    echo "DICTS_RAW not found in $src/data/CMakeLists.txt" >&2
    exit 1
fi

rm -f "$dst"/*.txt "$dst"/config/*.json
mkdir -p "$dst/config" "$here/tests/opencc"
for d in $raw; do
    cp "$src/data/dictionary/$d.txt" "$dst/"
done
for c in "$src"/data/config/*.json; do
    case $(basename "$c") in
        opencc_config.schema.json) ;;
        *) cp "$c" "$dst/config/" ;;
    esac
done
cp "$src/LICENSE" "$dst/LICENSE"
cp "$src/LICENSE" "$here/tests/opencc/LICENSE"
cp "$src/test/testcases/testcases.json" "$here/tests/opencc/testcases.json"

echo "dictionaries: $(echo $raw | wc -w), configurations: $(ls "$dst"/config/*.json | wc -l)"
