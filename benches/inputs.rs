//! Inputs shared by the benchmarks, built from `fixtures/`.
#![allow(dead_code)]

use std::path::Path;

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The seed page: spuriously spaced and hard-wrapped (~45 KB).
pub fn seed() -> String {
    fixture("hkpc-ai-press-release.txt")
}

/// The seed's article, already clean (~9 KB).
pub fn clean() -> String {
    fixture("hkpc-ai-press-release.gold.txt")
}

/// The article with every other paragraph in Simplified.
pub fn mixed() -> String {
    fixture("mixed-trad-simp.txt")
}

/// `text` repeated (paragraph-separated) to at least `bytes` bytes.
pub fn repeat(text: &str, bytes: usize) -> String {
    let unit = format!("{}\n\n", text.trim_end());
    unit.repeat(bytes.div_ceil(unit.len()))
}

/// The paragraphs of the seed page after the structure stage: the lines the
/// spacing and punctuation stages see.
pub fn seed_paragraphs() -> String {
    let cleaner = zh_clean::Cleaner::new(zh_clean::Options::default().only(&[zh_clean::Stage::Structure]));
    cleaner.clean(&seed())
}
