//! The evaluation set next to the repository (`../shared/eval/dev`, spaced
//! and hard-wrapped Wikipedia text with its gold paragraphs), when present:
//! at least 99.5 % of the gold paragraphs must come out exactly.
//!
//! `python3 ../shared/eval/run.py --cmd target/release/zh-clean` gives the
//! full score line (CER, space precision and recall, identity).

use std::path::Path;

use zh_clean::Cleaner;

#[test]
fn dev_set_paragraphs_come_out_exactly() {
    let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/dev");
    let Ok(entries) = std::fs::read_dir(dev.join("input")) else {
        eprintln!("skipped: {} not found", dev.display());
        return;
    };
    let c = Cleaner::default();
    let (mut total, mut exact) = (0usize, 0usize);
    let mut misses = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let input = std::fs::read_to_string(entry.path()).expect("input");
        // The scorer forgives middle-dot variants; so does this test.
        let gold = std::fs::read_to_string(dev.join("gold").join(&name)).expect("gold").replace('‧', "·");
        let out = c.clean(&input);
        for g in gold.lines().filter(|l| !l.trim().is_empty()) {
            total += 1;
            if out.lines().any(|l| l == g) {
                exact += 1;
            } else {
                misses.push(format!("{}: {g}", name.to_string_lossy()));
            }
        }
    }
    assert!(total > 0);
    assert!(exact * 1000 >= total * 995, "{exact}/{total} exact; missed:\n{}", misses.join("\n"));
}
