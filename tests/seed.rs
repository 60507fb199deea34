//! The real page zh-clean was built for: a Hong Kong press release dumped by
//! a text browser after a word segmenter spaced it. Every paragraph of the
//! article must come out exactly as the gold file has it.

use std::borrow::Cow;

use zh_clean::{Cleaner, Options, Profile, Variants};

const PAGE: &str = include_str!("../fixtures/hkpc-ai-press-release.txt");
const GOLD: &str = include_str!("../fixtures/hkpc-ai-press-release.gold.txt");

fn gold_lines() -> Vec<&'static str> {
    GOLD.lines().filter(|l| !l.trim().is_empty()).collect()
}

#[test]
fn every_gold_paragraph_is_an_output_line() {
    let out = Cleaner::default().clean(PAGE);
    let lines: std::collections::HashSet<&str> = out.lines().collect();
    let missing: Vec<&str> = gold_lines().into_iter().filter(|g| !lines.contains(g)).collect();
    assert_eq!(gold_lines().len(), 44);
    assert!(missing.is_empty(), "missing from the output:\n{}", missing.join("\n"));
}

#[test]
fn gold_paragraphs_come_out_in_order() {
    let out = Cleaner::default().clean(PAGE);
    let lines: Vec<&str> = out.lines().collect();
    let mut at = 0;
    for g in gold_lines() {
        let found = lines[at..].iter().position(|l| *l == g);
        assert!(found.is_some(), "not found after line {at}: {g}");
        at += found.unwrap_or(0) + 1;
    }
}

#[test]
fn navigation_is_kept_and_cleaned_not_dropped() {
    let out = Cleaner::default().clean(PAGE);
    for line in [
        "• 生產力學院",
        "☆ 3D自動加工",
        "1. [home]",
        "☆ 「工業4.0」-智能企業",
        "[menu_chat]",
        "• 願景/使命/核心價值",
    ] {
        assert!(out.lines().any(|l| l == line), "{line:?} not in output");
    }
}

#[test]
fn the_gold_text_is_already_clean() {
    for profile in [Profile::Hk, Profile::Tw] {
        let c = Cleaner::new(Options::new(profile).middle_dot('·'));
        assert!(matches!(c.clean_cow(GOLD), Cow::Borrowed(_)), "{profile:?}");
    }
}

#[test]
fn cleaning_is_idempotent_on_the_page() {
    let c = Cleaner::default();
    let once = c.clean(PAGE);
    assert_eq!(c.clean(&once), once);
}

#[test]
fn every_han_character_and_digit_survives() {
    let keep = |s: &str| -> String {
        s.chars().filter(|c| zh_clean::chars::is_han(*c) || c.is_ascii_alphanumeric()).collect()
    };
    let c = Cleaner::new(Options::default().variants(Variants::None));
    assert_eq!(keep(&c.clean(PAGE)), keep(PAGE));
}

#[test]
fn the_simplified_language_link_becomes_traditional() {
    let out = Cleaner::default().clean(PAGE);
    assert!(out.lines().any(|l| l == "□ 簡體"), "{out}");
    let kept = Cleaner::new(Options::default().variants(Variants::None)).clean(PAGE);
    assert!(kept.lines().any(|l| l == "□ 简体"));
}
