//! Main-content extraction on the seed page and on the evaluation set next
//! to the repository: the article comes out, navigation, placeholders and
//! repeats do not.

use std::borrow::Cow;
use std::collections::HashSet;
use std::path::Path;

use zh_clean::Cleaner;
use zh_clean::content::{Label, classify, dedupe, main_content};

const PAGE: &str = include_str!("../fixtures/hkpc-ai-press-release.txt");
const GOLD: &str = include_str!("../fixtures/hkpc-ai-press-release.gold.txt");

fn gold_lines() -> Vec<&'static str> {
    GOLD.lines().filter(|l| !l.trim().is_empty()).collect()
}

/// Indices in `lines` where the `wanted` lines are found in order, or the
/// first one that is missing.
fn find_in_order<'a>(lines: &[&str], wanted: &[&'a str]) -> Result<Vec<usize>, &'a str> {
    let mut at = 0;
    let mut found = Vec::new();
    for w in wanted {
        match lines[at..].iter().position(|l| l == w) {
            Some(p) => {
                found.push(at + p);
                at += p + 1;
            }
            None => return Err(w),
        }
    }
    Ok(found)
}

/// The letters, digits and ideographs of a line, lowercased: what repeats
/// are compared by.
fn key(line: &str) -> String {
    line.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

#[test]
fn seed_main_content_is_the_gold_article() {
    let cleaned = Cleaner::default().clean(PAGE);
    let out = main_content(&cleaned);
    let lines: Vec<&str> = out.lines().filter(|l| !l.trim().is_empty()).collect();
    let gold = gold_lines();
    assert_eq!(gold.len(), 44);
    let found =
        find_in_order(&lines, &gold).unwrap_or_else(|g| panic!("missing or out of order: {g}\n{out}"));
    let found: HashSet<usize> = found.into_iter().collect();
    let extra: Vec<&str> =
        lines.iter().enumerate().filter(|(i, _)| !found.contains(i)).map(|(_, l)| *l).collect();
    assert!(extra.len() <= 3, "{} lines besides the article:\n{}", extra.len(), extra.join("\n"));
}

#[test]
fn seed_labels_are_explained() {
    let cleaned = Cleaner::default().clean(PAGE);
    let blocks = classify(&cleaned);
    assert_eq!(blocks.len(), cleaned.lines().filter(|l| !l.is_empty()).count());
    let content: Vec<&str> = blocks.iter().filter(|b| b.label == Label::Content).map(|b| b.text).collect();
    assert!(content.len() <= gold_lines().len() + 3);
    for b in &blocks {
        assert_eq!(b.reason.label(), b.label);
        assert_eq!(b.first.is_some(), b.label == Label::Duplicate, "{b:?}");
        if let Some(f) = b.first {
            assert!(f < blocks.len() && blocks[f].line < b.line);
            assert_eq!(key(blocks[f].text), key(b.text));
        }
    }
    // The menus, the breadcrumb and the footer.
    for line in [
        "• 服務",
        "□ 簡體",
        "☆ 新型工業化",
        "1. [home]",
        "[hkpc_logo]",
        "Search []",
        "[sm_fb_9] [sm_in] [sm_ig] [sm_youtube] [sm_youku] [sm_wb_2] [sm_w c]",
    ] {
        let b = blocks.iter().find(|b| b.text == line).unwrap_or_else(|| panic!("{line:?}"));
        assert_eq!(b.label, Label::Boilerplate, "{b:?}");
    }
}

#[test]
fn seed_dedupe_drops_repeated_menus_and_keeps_first_occurrences() {
    let cleaned = Cleaner::default().clean(PAGE);
    let out = dedupe(&cleaned);
    let before: Vec<&str> = cleaned.lines().filter(|l| !l.is_empty()).collect();
    let after: Vec<&str> = out.lines().filter(|l| !l.is_empty()).collect();
    // Repeats are the same text (a menu printed again with other
    // punctuation is not one): over 40 % of the page's lines go.
    assert!(after.len() * 5 < before.len() * 3, "{} of {} lines left", after.len(), before.len());
    // Nothing else is touched: the output is the input with lines left out,
    // and the article is all there.
    find_in_order(&before, &after).expect("dedupe only drops lines");
    find_in_order(&after, &gold_lines()).expect("the article is kept");
    // The first occurrence of every line is kept; no line of a repeated
    // block is left twice.
    let mut seen = HashSet::new();
    let firsts: Vec<&str> = before.iter().copied().filter(|l| seen.insert(key(l))).collect();
    let kept: HashSet<&str> = after.iter().copied().collect();
    for l in &firsts {
        assert!(kept.contains(l), "first occurrence dropped: {l}");
    }
    let mut seen = HashSet::new();
    for l in &after {
        let k = key(l);
        assert!(k.chars().count() < 8 || seen.insert(k), "left twice: {l}");
    }
    // The menu printed twice and the footer copy of it. (A short line on
    // its own, such as the empty placeholder `[]`, repeats legitimately:
    // `--main-content` drops placeholders.)
    for line in ["☆ 樂齡科技研發服務", "Search []", "□ 測試及標準"] {
        assert_eq!(after.iter().filter(|l| **l == line).count(), 1, "{line}");
    }
    assert_eq!(after.iter().filter(|l| l.ends_with("樂齡科技研發服務")).count(), 1);
    assert_eq!(after.iter().filter(|l| l.ends_with("區塊鏈諮詢研發服務")).count(), 1);
}

#[test]
fn a_clean_article_comes_back_unchanged() {
    let cleaner = Cleaner::default();
    let cleaned = cleaner.clean(GOLD);
    assert!(matches!(main_content(&cleaned), Cow::Borrowed(_)));
    assert!(matches!(dedupe(&cleaned), Cow::Borrowed(_)));
    for g in gold_lines() {
        assert!(matches!(main_content(g), Cow::Borrowed(_)), "{g}");
    }
}

/// On the evaluation set, when present: the navigation lists that start
/// every third document are gone, every gold paragraph is still there, and
/// clean gold text passes through whole.
#[test]
fn dev_set_navigation_is_dropped_and_paragraphs_kept() {
    let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/dev");
    let Ok(entries) = std::fs::read_dir(dev.join("input")) else {
        eprintln!("skipped: {} not found", dev.display());
        return;
    };
    let c = Cleaner::default();
    let (mut total, mut kept, mut nav_inputs, mut nav_left) = (0usize, 0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let input = std::fs::read_to_string(entry.path()).expect("input");
        let gold_text = std::fs::read_to_string(dev.join("gold").join(&name)).expect("gold");
        // The scorer forgives middle-dot variants; so does this test.
        let gold = gold_text.replace('‧', "·");
        let cleaned = c.clean(&input);
        let out = main_content(&cleaned);
        let is_item = |l: &str| l.starts_with(['•', '□', '☆', '◦', '▪', '■', '★', '○', '●']);
        nav_inputs += cleaned.lines().any(is_item) as usize;
        nav_left += out.lines().any(is_item) as usize;
        let identity = main_content(&gold_text);
        for g in gold.lines().filter(|l| !l.trim().is_empty()) {
            total += 1;
            if out.lines().any(|l| l == g) {
                kept += 1;
            } else {
                misses.push(format!("{}: {g}", name.to_string_lossy()));
            }
        }
        assert!(matches!(identity, Cow::Borrowed(_)), "{}: clean gold text changed", name.to_string_lossy());
    }
    assert!(total > 0);
    assert!(nav_inputs > 0);
    assert_eq!(nav_left, 0, "{nav_left} of {nav_inputs} navigation lists left");
    assert!(kept * 1000 >= total * 995, "{kept}/{total} kept; missed:\n{}", misses.join("\n"));
}
