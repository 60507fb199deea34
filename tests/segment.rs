//! Re-segmentation: Traditional and Simplified parity, user dictionaries.
#![cfg(feature = "segment")]

mod common;

use zh_clean::opencc::{Config, convert};
use zh_clean::segment::{Segmenter, TokenKind};

const SEED_GOLD: &str = include_str!("../fixtures/hkpc-ai-press-release.gold.txt");

/// Word boundaries as character offsets.
fn boundaries(s: &Segmenter, text: &str) -> Vec<usize> {
    let mut chars = 0;
    s.segment(text)
        .iter()
        .map(|t| {
            chars += t.text(text).chars().count();
            chars
        })
        .collect()
}

#[test]
fn traditional_and_simplified_segment_alike() {
    let s = Segmenter::new();
    let mut compared = 0;
    for para in SEED_GOLD.lines().filter(|l| !l.is_empty()) {
        let simplified = convert(Config::T2s, para);
        if simplified.chars().count() != para.chars().count() {
            continue; // a phrase conversion changed the length
        }
        assert_eq!(boundaries(&s, para), boundaries(&s, &simplified), "{para}");
        compared += 1;
    }
    assert!(compared >= 40, "{compared}");
}

#[test]
fn user_dictionary_words_are_kept_whole() {
    let text = "生產力局首席數碼總監黎少斌先生表示";
    let mut s = Segmenter::new();
    assert!(!s.words(text).contains(&"首席數碼總監"));
    s.load_user_dict("黎少斌 1000 nr\n首席數碼總監 1000\n".as_bytes()).unwrap();
    let words = s.words(text);
    assert!(words.contains(&"黎少斌") && words.contains(&"首席數碼總監"), "{words:?}");
}

#[test]
fn every_token_kind_appears_and_tokens_tile_the_text() {
    let text = "香港AI產業（2023年）發展 RWTH Aachen。";
    let tokens = Segmenter::new().segment(text);
    assert_eq!(tokens.iter().map(|t| t.text(text)).collect::<String>(), text);
    for kind in [TokenKind::Word, TokenKind::Punct, TokenKind::Space] {
        assert!(tokens.iter().any(|t| t.kind == kind), "{kind:?}");
    }
}

/// Atomic tokens through the binary: `--segment` keeps each whole, in CJK
/// context, spaced or not, and its output cleans back to the same words.
#[cfg(feature = "cli")]
#[test]
fn atomic_tokens_through_the_binary() {
    let run = |args: &[&str], input: &str| {
        let out = common::zh_clean(args, input.as_bytes());
        assert!(out.status.success(), "{}", common::stderr(&out));
        common::stdout(&out)
    };
    for token in [
        "https://example.com/a?x=1",
        "foo@example.com",
        "@hkpc",
        "#AI",
        "NT$36,900",
        "3.5%",
        "25°C",
        "v2.3.1",
        "Dündar",
        "tsa̍p-gōo",
        "snake_case",
        "os.path.join()",
        "……",
        "——",
        "👨\u{200D}👩\u{200D}👧",
        "1\u{FE0F}\u{20E3}",
    ] {
        for text in [format!("香港{token}研究"), format!("香港 {token} 研究")] {
            let out = run(&["--segment"], &format!("{text}\n"));
            let words: Vec<&str> = out.split_whitespace().collect();
            assert!(words.contains(&token), "{token:?} cut in {text:?}: {out:?}");
        }
    }
    // `--segment` output cleans back to the text it came from.
    let text = "價格NT$36,900……完，見https://example.com/a?x=1。\n";
    let segmented = run(&["--segment"], text);
    assert_eq!(run(&[], &segmented), text);
}

/// Segmenting a stream gives what segmenting the whole cleaned text gives,
/// with small pieces and reads, on the fixtures and the evaluation inputs
/// (when they are present: a missing set is reported).
#[test]
fn segmented_stream_equals_whole_text() {
    let mut texts = vec![
        include_str!("../fixtures/hkpc-ai-press-release.txt").to_owned(),
        SEED_GOLD.to_owned(),
        "no newline at the end：香港生產力促進局".to_owned(),
    ];
    let inputs = common::files_in(&["../shared/eval/dev3/input"], "segmented_stream_equals_whole_text");
    texts.extend(inputs.iter().take(40).filter_map(|p| std::fs::read_to_string(p).ok()));
    let c = zh_clean::Cleaner::default();
    for text in &texts {
        let whole = c.clean_segmented(text, " ");
        for (read, piece) in [(7, 64), (4096, 1 << 20)] {
            let opts = zh_clean::stream::StreamOptions { read, piece, ..Default::default() };
            let mut out = Vec::new();
            c.clean_segmented_stream(text.as_bytes(), &mut out, " ", &opts).expect("stream");
            assert_eq!(String::from_utf8(out).expect("utf-8"), whole, "read {read}, piece {piece}");
        }
    }
}

#[test]
fn fine_words_through_the_cleaner() {
    let text = "一個 博物館 位於 香港 ， 成為 地標 。\n\n第一個 展覽\n";
    let fine = zh_clean::Cleaner::new(zh_clean::Options::default().fine_words(true));
    let s = fine.segment(text);
    let words: Vec<&str> =
        s.tokens.iter().filter(|t| t.kind != TokenKind::Space).map(|t| t.text(&s.text)).collect();
    assert_eq!(
        words,
        ["一", "個", "博物", "館", "位", "於", "香港", "，", "成", "為", "地標", "。", "第一", "個", "展覽"]
    );
    let expected = "一 個 博物 館 位 於 香港 ， 成 為 地標 。\n\n第一 個 展覽\n";
    assert_eq!(fine.clean_segmented(text, " "), expected);
    let mut out = Vec::new();
    let opts = zh_clean::stream::StreamOptions::default();
    fine.clean_segmented_stream(text.as_bytes(), &mut out, " ", &opts).expect("stream");
    assert_eq!(String::from_utf8(out).expect("utf-8"), expected);
    // The default stays jieba's granularity.
    let default = zh_clean::Cleaner::default();
    assert_eq!(default.clean_segmented(text, " "), "一個 博物館 位於 香港 ， 成為 地標 。\n\n第一個 展覽\n");
    // A segmenter of one's own is cut too, its user words excepted.
    let mut own = Segmenter::new();
    own.add_word("博物館", None, None);
    let c = zh_clean::Cleaner::new(zh_clean::Options::default().fine_words(true)).with_segmenter(own);
    assert_eq!(c.segment_words("一個博物館位於香港"), ["一", "個", "博物館", "位", "於", "香港"]);
}
