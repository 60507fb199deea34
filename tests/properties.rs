//! Properties over whole documents: clean text is left alone, spacing and
//! wrapping artifacts made from clean text are undone, cleaning is
//! idempotent and loses no ideograph, letter or digit.
//!
//! The clean paragraphs come from the seed's gold file and, when it is
//! present next to the repository, from the gold side of the evaluation set
//! (`../shared/eval/dev/gold`).

use std::borrow::Cow;
use std::path::Path;

use zh_clean::chars::{is_han, width};
use zh_clean::{Cleaner, Options, Profile};

const SEED_GOLD: &str = include_str!("../fixtures/hkpc-ai-press-release.gold.txt");

/// Clean paragraphs: the seed's gold plus the evaluation gold when present.
fn paragraphs() -> Vec<String> {
    let mut docs = vec![SEED_GOLD.to_owned()];
    let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/dev/gold");
    if let Ok(entries) = std::fs::read_dir(&dev) {
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        docs.extend(paths.iter().filter_map(|p| std::fs::read_to_string(p).ok()));
    }
    docs.iter()
        .flat_map(|d| d.lines().map(str::to_owned).collect::<Vec<_>>())
        .filter(|l| !l.trim().is_empty())
        .collect()
}

/// Paragraphs that are running text, not list items (list items keep their
/// marker's space and are checked separately).
fn running_text() -> Vec<String> {
    paragraphs().into_iter().filter(|p| !p.starts_with('•') && !p.as_bytes()[0].is_ascii_digit()).collect()
}

/// A character wrapper: greedy fill to `w` columns, breaking anywhere,
/// dropping spaces at the break.
fn wrap_chars(text: &str, w: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    let mut lw = 0;
    for c in text.chars() {
        let cw = width(c);
        if lw + cw > w && lw > 0 {
            out.push_str(line.trim_end());
            out.push('\n');
            line.clear();
            lw = 0;
            if c == ' ' {
                continue;
            }
        }
        line.push(c);
        lw += cw;
    }
    out.push_str(&line);
    out
}

/// PDF-extractor spacing: a space between every two characters, Latin words
/// kept whole.
fn pdf_spacing(text: &str) -> String {
    let mut out = String::new();
    let mut prev_word = false;
    for c in text.chars() {
        if c == ' ' {
            continue;
        }
        let word = c.is_ascii_alphanumeric();
        if !(out.is_empty() || (word && prev_word)) {
            out.push(' ');
        }
        out.push(c);
        prev_word = word;
    }
    out
}

/// Bigram spacing: a space after every two ideographs of a run, and around
/// every punctuation mark.
fn bigram_spacing(text: &str) -> String {
    let mut out = String::new();
    let mut run = 0;
    for c in text.chars() {
        if is_han(c) {
            if run == 2 {
                out.push(' ');
                run = 0;
            }
            run += 1;
        } else {
            if run > 0 && c != ' ' {
                out.push(' ');
            }
            run = 0;
        }
        out.push(c);
    }
    out
}

fn doc_of(paras: &[String]) -> String {
    paras.join("\n\n") + "\n"
}

#[test]
fn clean_paragraphs_are_left_unchanged() {
    let c = Cleaner::new(Options::new(Profile::Hk));
    for p in paragraphs() {
        let p = p.replace('‧', "·");
        let input = format!("{p}\n");
        let out = c.clean_cow(&input);
        assert!(matches!(out, Cow::Borrowed(_)), "changed:\n{p}\n{out}");
    }
}

#[test]
fn character_wrapping_is_undone() {
    let c = Cleaner::default();
    let paras: Vec<String> = running_text().into_iter().map(|p| p.replace('‧', "·")).collect();
    for (i, chunk) in paras.chunks(3).enumerate() {
        let w = 40 + (i * 7) % 81;
        let doc: Vec<String> = chunk.iter().map(|p| wrap_chars(p, w)).collect();
        let out = c.clean(&doc_of(&doc));
        assert_eq!(out, doc_of(chunk), "width {w}");
    }
}

/// Spacing is a property of a document: each check spaces three paragraphs
/// together.
fn check_spacing(spacer: fn(&str) -> String, skip_latin_spaces: bool) {
    let c = Cleaner::default();
    let paras: Vec<String> = running_text()
        .into_iter()
        .filter(|p| !(skip_latin_spaces && p.contains(' ')))
        .map(|p| p.replace('‧', "·"))
        .collect();
    for chunk in paras.chunks(3) {
        let doc: Vec<String> = chunk.iter().map(|p| spacer(p)).collect();
        assert_eq!(c.clean(&doc_of(&doc)), doc_of(chunk), "input: {doc:?}");
    }
}

#[test]
fn pdf_spacing_is_undone() {
    // Genuine spaces between Latin words cannot survive PDF spacing.
    check_spacing(pdf_spacing, true);
}

#[test]
fn bigram_spacing_is_undone() {
    check_spacing(bigram_spacing, false);
}

#[test]
fn cleaning_is_idempotent() {
    for profile in [Profile::Hk, Profile::Tw, Profile::Cn] {
        let c = Cleaner::new(Options::new(profile));
        for (i, p) in running_text().iter().enumerate().take(200) {
            for input in [pdf_spacing(p), bigram_spacing(p), wrap_chars(&bigram_spacing(p), 30 + i % 70)] {
                let once = c.clean(&input);
                assert_eq!(c.clean(&once), once, "{profile:?}: {input}");
            }
        }
    }
}

mod common;
use common::letters;

#[test]
fn nothing_is_lost() {
    let keep = letters;
    let c = Cleaner::default();
    for (i, p) in running_text().iter().enumerate() {
        let input = wrap_chars(&pdf_spacing(p), 30 + i % 90);
        assert_eq!(keep(&c.clean(&input)), keep(&input), "{input}");
    }
}

/// A small deterministic generator (xorshift) of strings over an alphabet of
/// the characters every rule looks at.
fn random_docs(n: usize) -> Vec<String> {
    const ALPHABET: &[&str] = &[
        " ",
        " ",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\t",
        "\r",
        "香",
        "港",
        "生",
        "產",
        "力",
        "，",
        "。",
        "（",
        "）",
        "「",
        "」",
        "《",
        "》",
        "、",
        "：",
        "A",
        "I",
        "U",
        "S",
        "e",
        "x",
        "3",
        "1",
        "0",
        "000",
        ".",
        ",",
        ":",
        ";",
        "!",
        "?",
        "(",
        ")",
        "[",
        "]",
        "\"",
        "'",
        "%",
        "$",
        "£",
        "-",
        "_",
        "@",
        "#",
        "+",
        "/",
        "~",
        "·",
        "‧",
        "•",
        "☆",
        "□",
        "—",
        "–",
        "…",
        "“",
        "”",
        "‘",
        "’",
        "1 .",
        "一、",
        "(1)",
        "\u{200D}",
        "\u{200B}",
        "\u{3000}",
        "\u{A0}",
        "Ａ",
        "２",
        "\u{FEFF}",
        "\u{301}",
        "\u{F900}",
        "\u{2F08}",
        "👨",
        "😀",
        "한",
        "―",
        "─",
        "...",
        "。。。",
        "http://x.y/z",
        "RWTH",
        "Aachen",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..n)
        .map(|_| {
            let len = (next() % 80) as usize;
            (0..len).map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize]).collect()
        })
        .collect()
}

/// Random text: no panic, nothing lost, and — for single lines, where no
/// wrap inference is involved — idempotence.
#[test]
fn random_text_never_panics_loses_nothing_and_lines_clean_idempotently() {
    use zh_clean::CjkLatinSpace;
    let docs = random_docs(3000);
    for profile in [Profile::Hk, Profile::Tw, Profile::Cn] {
        for policy in [CjkLatinSpace::Auto, CjkLatinSpace::Remove, CjkLatinSpace::Keep, CjkLatinSpace::Pangu]
        {
            let c = Cleaner::new(Options::new(profile).cjk_latin_space(policy));
            for d in &docs {
                let out = c.clean(d);
                assert_eq!(
                    letters(&out),
                    common::source_letters(d),
                    "{profile:?} {policy:?} lost text of {d:?}"
                );
                let line = d.replace(['\n', '\r'], " ");
                let once = c.clean(&line);
                assert_eq!(c.clean(&once), once, "{profile:?} {policy:?} input {line:?}");
            }
        }
    }
}
