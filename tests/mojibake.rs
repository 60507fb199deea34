//! The encoding repair on a corpus of Chinese mojibake (clean paragraphs
//! put through the corruptions of `scripts/mojibake-corpus.py`, compared
//! with what ftfy's `fix_encoding` repairs of the same cases), on ftfy's
//! own test cases, on clean text, and through the binary.
//!
//! `cargo test --test mojibake -- --nocapture` prints the table the README
//! quotes.

mod common;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use common::{stderr, stdout, zh_clean};
use zh_clean::mojibake::repair;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The paragraphs of the corpus, in the order the script numbers them.
fn paragraphs() -> Vec<String> {
    let mut out = Vec::new();
    for name in [
        "fixtures/hkpc-ai-press-release.gold.txt",
        "fixtures/mixed-trad-simp.txt",
        "tests/data/mojibake/extra.txt",
    ] {
        let text = std::fs::read_to_string(root().join(name)).expect(name);
        out.extend(
            text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_owned),
        );
    }
    out
}

/// UTF-8 bytes read as Windows-1252, undefined bytes as C1 controls (what
/// browsers and ftfy's `sloppy-windows-1252` do).
fn cp1252(s: &str) -> String {
    encoding_rs::WINDOWS_1252.decode_without_bom_handling(s.as_bytes()).0.into_owned()
}

fn latin1(s: &str) -> String {
    s.bytes().map(char::from).collect()
}

/// The corruptions of `p`, named as the script names them.
fn corruptions(p: &str) -> Vec<(&'static str, String)> {
    let mut out = vec![
        ("cp1252", cp1252(p)),
        ("latin1", latin1(p)),
        ("twice", cp1252(&cp1252(p))),
        ("nbsp-space", cp1252(p).replace('\u{A0}', " ")),
    ];
    if let Some((head, tail)) = first_sentence(p) {
        out.push(("span", cp1252(&head) + &tail));
    }
    out
}

/// `p` cut after its first `。` or `，` (not the first character, not the
/// last): the part a "first sentence only" corruption garbles, and the rest.
fn first_sentence(p: &str) -> Option<(String, String)> {
    let chars: Vec<char> = p.chars().collect();
    let find = |m: char| chars.iter().position(|&c| c == m).filter(|&i| i > 0);
    let cut = [find('。'), find('，')].into_iter().flatten().min().filter(|&cut| cut < chars.len() - 1)?;
    Some((chars[..=cut].iter().collect(), chars[cut + 1..].iter().collect()))
}

#[test]
fn chinese_mojibake_is_repaired_at_least_as_often_as_ftfy_does() {
    let paras = paragraphs();
    let results =
        std::fs::read_to_string(root().join("tests/data/mojibake/ftfy-zh.jsonl")).expect("ftfy results");
    // kind -> (cases, ours, ftfy's)
    let mut table: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut cases = 0;
    for line in results.lines() {
        let r: serde_json::Value = serde_json::from_str(line).expect("a record");
        let (kind, para) = (r["kind"].as_str().expect("kind"), r["para"].as_u64().expect("para") as usize);
        let p = &paras[para];
        let (_, bad) = corruptions(p).into_iter().find(|(k, _)| *k == kind).expect("the corruption");
        let chars = r["chars"].as_u64().expect("chars") as usize;
        assert_eq!(bad.chars().count(), chars, "case {para} {kind} is not the one ftfy was given");
        let ftfy = r["ftfy"].as_bool().expect("ftfy");
        let ours = repair(&bad) == p.as_str();
        if !ours {
            misses.push(format!("{kind} {para}: {:?}", repair(&bad)));
        }
        let e = table.entry(kind.to_owned()).or_default();
        *e = (e.0 + 1, e.1 + usize::from(ours), e.2 + usize::from(ftfy));
        cases += 1;
    }
    assert_eq!(cases, 464, "the corpus changed: rerun scripts/mojibake-corpus.py");
    eprintln!("| corruption | cases | zh-clean | ftfy fix_encoding |\n|---|---|---|---|");
    for (kind, (n, ours, ftfy)) in &table {
        eprintln!("| {kind} | {n} | {ours} | {ftfy} |");
    }
    for m in misses.iter().take(8) {
        eprintln!("missed: {m}");
    }
    for (kind, (n, ours, ftfy)) in &table {
        assert!(ours >= ftfy, "{kind}: {ours} repaired, ftfy {ftfy}");
        assert!(ours * 100 >= n * 95, "{kind}: {ours} of {n} repaired");
    }
}

/// `s` with each character one of whose UTF-8 bytes GBK loses (a lead
/// byte paired with a byte it cannot take: a space, a digit, the end)
/// written U+FFFD: what repairing UTF-8 read as GBK can give back.
fn lost_bytes_written_fffd(s: &str) -> String {
    let b = s.as_bytes();
    let reads = |bytes: &[u8]| {
        encoding_rs::GBK
            .decode_without_bom_handling_and_without_replacement(bytes)
            .is_some_and(|t| t.chars().count() == 1)
    };
    let mut lost = vec![false; b.len()];
    let mut i = 0;
    while i < b.len() {
        if b[i] <= 0x80 {
            i += 1;
        } else if i + 1 < b.len() && reads(&b[i..i + 2]) {
            i += 2;
        } else if i + 3 < b.len() && reads(&b[i..i + 4]) {
            i += 4;
        } else {
            lost[i] = true;
            i += 1;
        }
    }
    s.char_indices()
        .map(|(i, c)| if lost[i..i + c.len_utf8()].contains(&true) { '\u{FFFD}' } else { c })
        .collect()
}

/// The double-byte corruptions of `p` (see `zh_clean::mojibake::cjk`):
/// UTF-8 read as GBK, Big5 read as GBK, GBK read as Big5 (where the
/// paragraph can be written in Big5 or GBK at all), whole and with only the
/// first sentence garbled. Each with the repair expected: the original, or
/// for a corruption that lost bytes, the original with each character whose
/// bytes were lost written U+FFFD (and whether bytes were lost).
fn double_byte_corruptions(p: &str) -> Vec<(&'static str, String, String, bool)> {
    use encoding_rs::{BIG5, GBK};
    let utf8_as_gbk = |s: &str| GBK.decode_without_bom_handling(s.as_bytes()).0.into_owned();
    let written = |codec: &'static encoding_rs::Encoding, s: &str| {
        let (b, _, unmappable) = codec.encode(s);
        (!unmappable).then(|| b.into_owned())
    };
    // A character whose bytes the wrong codec cannot read comes back as
    // U+FFFD: UTF-8 loses the last byte of an odd count (the last
    // character), GBK read as Big5 each code Big5 has no character for.
    let utf8_expected = |s: &str| lost_bytes_written_fffd(s);
    let big5_expected = |s: &str| -> String {
        s.chars()
            .map(|c| {
                let read = BIG5.decode_without_bom_handling(&GBK.encode(&c.to_string()).0).0.into_owned();
                if read.contains('\u{FFFD}') { '\u{FFFD}' } else { c }
            })
            .collect()
    };
    let mut whole: Vec<(&'static str, String, String)> = Vec::new();
    let bad = utf8_as_gbk(p);
    whole.push(("utf8-as-gbk", utf8_expected(p), bad));
    if let Some(b) = written(BIG5, p) {
        whole.push(("big5-as-gbk", p.to_owned(), GBK.decode_without_bom_handling(&b).0.into_owned()));
    }
    if let Some(b) = written(GBK, p) {
        whole.push(("gbk-as-big5", big5_expected(p), BIG5.decode_without_bom_handling(&b).0.into_owned()));
    }
    let mut out: Vec<(&'static str, String, String, bool)> = whole
        .into_iter()
        .map(|(k, want, bad)| (k, bad.clone(), want.clone(), want.contains('\u{FFFD}')))
        .collect();
    if let Some((head, tail)) = first_sentence(p) {
        let bad = utf8_as_gbk(&head);
        let want = utf8_expected(&head) + &tail;
        out.push(("utf8-as-gbk-span", bad + &tail, want.clone(), want.contains('\u{FFFD}')));
        if let Some(b) = written(BIG5, &head) {
            let bad = GBK.decode_without_bom_handling(&b).0.into_owned() + &tail;
            out.push(("big5-as-gbk-span", bad, p.to_owned(), false));
        }
        if let Some(b) = written(GBK, &head) {
            let bad = BIG5.decode_without_bom_handling(&b).0.into_owned() + &tail;
            let want = big5_expected(&head) + &tail;
            out.push(("gbk-as-big5-span", bad, want.clone(), want.contains('\u{FFFD}')));
        }
    }
    out.retain(|(_, bad, _, _)| bad != p);
    out
}

/// The double-byte corruptions of every paragraph of the corpus, repaired:
/// the rate per corruption, with the cases that lost bytes counted apart
/// (repaired when every character but the lost ones comes back), and what
/// ftfy's `fix_encoding` makes of the same cases
/// (`tests/data/mojibake/ftfy-zh-cjk.jsonl`, from
/// `scripts/mojibake-corpus.py --cjk`). With `MOJIBAKE_CJK_CASES` set to a
/// path, the cases are written there for that script.
#[test]
fn double_byte_mojibake_is_repaired() {
    let paras = paragraphs();
    let ftfy_file =
        std::fs::read_to_string(root().join("tests/data/mojibake/ftfy-zh-cjk.jsonl")).unwrap_or_default();
    let ftfy: BTreeMap<(String, u64), (u64, bool)> = ftfy_file
        .lines()
        .map(|l| {
            let r: serde_json::Value = serde_json::from_str(l).expect("a record");
            let key = (r["kind"].as_str().expect("kind").to_owned(), r["para"].as_u64().expect("para"));
            (key, (r["chars"].as_u64().expect("chars"), r["ftfy"].as_bool().expect("ftfy")))
        })
        .collect();
    let mut cases_out = String::new();
    // kind -> (cases, repaired, ftfy's)
    let mut table: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    for (i, p) in paras.iter().enumerate() {
        for (kind, bad, want, lossy) in double_byte_corruptions(p) {
            let name = if lossy { format!("{kind} (bytes lost)") } else { kind.to_owned() };
            cases_out += &serde_json::json!({"kind": name, "para": i, "bad": bad, "want": want}).to_string();
            cases_out.push('\n');
            let out = zh_clean::mojibake::repair(&bad);
            let ok = out == want.as_str();
            if !ok {
                misses.push(format!("{name} {i}: {bad:?} -> {out:?}"));
            }
            let f = match ftfy.get(&(name.clone(), i as u64)) {
                Some(&(chars, f)) => {
                    assert_eq!(
                        chars,
                        bad.chars().count() as u64,
                        "case {i} {name} is not the one ftfy was given"
                    );
                    f
                }
                None => false,
            };
            let e = table.entry(name).or_default();
            *e = (e.0 + 1, e.1 + usize::from(ok), e.2 + usize::from(f));
        }
    }
    if let Some(path) = std::env::var_os("MOJIBAKE_CJK_CASES") {
        std::fs::write(path, cases_out).expect("write the cases");
    }
    eprintln!("| corruption | cases | zh-clean | ftfy fix_encoding |\n|---|---|---|---|");
    for (kind, (n, ours, f)) in &table {
        eprintln!("| {kind} | {n} | {ours} | {f} |");
    }
    for m in misses.iter().take(8) {
        eprintln!("missed: {m}");
    }
    assert!(!ftfy.is_empty(), "no ftfy results: run scripts/mojibake-corpus.py --cjk");
    // What the repair gives today, as a floor: every reading ahead of
    // ftfy, UTF-8 read as GBK (the common case) nearly always repaired.
    let floor = |kind: &str| match kind {
        "utf8-as-gbk" => 12,
        "utf8-as-gbk (bytes lost)" => 80,
        "utf8-as-gbk-span" => 27,
        "utf8-as-gbk-span (bytes lost)" => 36,
        "big5-as-gbk" => 51,
        "big5-as-gbk-span" => 36,
        "gbk-as-big5" => 17,
        "gbk-as-big5-span" => 14,
        "gbk-as-big5 (bytes lost)" => 47,
        "gbk-as-big5-span (bytes lost)" => 28,
        _ => usize::MAX,
    };
    for (kind, (_, ours, f)) in &table {
        assert!(ours >= f, "{kind}: {ours} repaired, ftfy {f}");
        assert!(*ours >= floor(kind), "{kind}: {ours} repaired, fewer than before");
    }
}

/// ftfy's own test cases that its `fix_encoding` repairs (Apache-2.0, see
/// `tests/data/mojibake/ftfy-LICENSE.txt`): mostly Latin, Greek and
/// Cyrillic text, which zh-clean repairs where it can do so safely.
#[test]
fn ftfy_test_cases() {
    let text = std::fs::read_to_string(root().join("tests/data/mojibake/ftfy-cases.json")).expect("cases");
    let cases: Vec<serde_json::Value> = serde_json::from_str(&text).expect("json");
    let mut repaired = 0;
    let mut cjk = (0, 0);
    for c in &cases {
        let field = |k: &str| c[k].as_str().expect(k).to_owned();
        let (label, original, fixed) = (field("label"), field("original"), field("fixed"));
        let ok = repair(&original) == fixed.as_str();
        repaired += usize::from(ok);
        if fixed.chars().any(|ch| zh_clean::chars::is_cjk(ch) || ('\u{AC00}'..='\u{D7AF}').contains(&ch)) {
            cjk = (cjk.0 + 1, cjk.1 + usize::from(ok));
        }
        if !ok {
            eprintln!("not repaired: {label}: {original:?} -> {:?}", repair(&original));
        }
    }
    eprintln!("ftfy's cases: {repaired} of {} repaired; CJK: {} of {}", cases.len(), cjk.1, cjk.0);
    assert_eq!(cjk, (4, 4), "every CJK case");
    // The rest are other codecs (MacRoman, Windows-1250/1251/1257, Cyrillic
    // single-byte sets) or need letters next to the span.
    assert!(repaired >= 33, "{repaired} of {} repaired", cases.len());
}

/// Clean text is never touched: every gold file at hand and every
/// paragraph of the corpus comes back borrowed.
#[test]
fn clean_text_is_never_repaired() {
    let mut files = vec![
        root().join("fixtures/hkpc-ai-press-release.gold.txt"),
        root().join("tests/data/mojibake/extra.txt"),
    ];
    files.extend(common::files_in(
        &["../shared/eval/dev/gold", "../shared/eval/dev3/gold", "../shared/eval/dev3/input"],
        "clean_text_is_never_repaired",
    ));
    let mut changed = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("text");
        if let Cow::Owned(out) = repair(&text) {
            changed.push(format!(
                "{}: {:?}",
                f.display(),
                out.lines().zip(text.lines()).find(|(a, b)| a != b)
            ));
        }
    }
    assert!(changed.is_empty(), "clean text changed:\n{}", changed.join("\n"));
}

#[test]
fn through_the_binary() {
    let bad = cp1252("香港生產力促進局今天公布研究。");
    let out = zh_clean(&["--stats"], format!("標題\n\n{bad}\n").as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "標題\n\n香港生產力促進局今天公布研究。\n");
    assert!(stderr(&out).contains("encoding_repairs=1 "), "{}", stderr(&out));
    // Off: the text stays as it came (hygiene aside).
    let out = zh_clean(&["--skip", "encoding", "--only", "encoding"], bad.as_bytes());
    assert!(!out.status.success() || stdout(&out) == bad, "{}", stdout(&out));
    let out = zh_clean(&["--only", "encoding"], bad.as_bytes());
    assert_eq!(stdout(&out), "香港生產力促進局今天公布研究。");
    // A C1 control that Latin-1 made is repaired before hygiene could
    // remove it.
    let out = zh_clean(&[], latin1("香港").as_bytes());
    assert_eq!(stdout(&out), "香港");
    // --diff shows the repaired line.
    let out = zh_clean(&["--diff"], format!("{bad}\n").as_bytes());
    assert!(stdout(&out).contains("+香港生產力促進局今天公布研究。"), "{}", stdout(&out));
}

#[test]
fn double_byte_through_the_binary() {
    let bad =
        encoding_rs::GBK.decode_without_bom_handling("香港生產力促進局公布研究".as_bytes()).0.into_owned();
    let out = zh_clean(&["--stats"], format!("標題\n\n{bad}\n").as_bytes());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "標題\n\n香港生產力促進局公布研究\n");
    assert!(stderr(&out).contains("encoding_repairs=1 "), "{}", stderr(&out));
    // Off: not repaired.
    let out = zh_clean(&["--skip", "encoding"], format!("{bad}\n").as_bytes());
    assert!(!stdout(&out).contains("香港"), "{}", stdout(&out));
    // --diff shows the repaired line.
    let out = zh_clean(&["--diff"], format!("{bad}\n").as_bytes());
    assert!(stdout(&out).contains("+香港生產力促進局公布研究"), "{}", stdout(&out));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// A word of the mixture, and whether it may be corrupted.
    fn word() -> impl Strategy<Value = (String, bool)> {
        prop_oneof![
            // Chinese words of two to six characters: corrupted or not.
            prop::collection::vec(
                prop::sample::select(
                    "香港生產力促進局今天公布研究人工智能數據樞紐「」，。（）：".chars().collect::<Vec<_>>()
                ),
                2..6
            )
            .prop_map(|v| (v.into_iter().collect(), true)),
            // Clean words that must stay as they are.
            prop::sample::select(vec![
                "RWTH",
                "Aachen",
                "café",
                "Dündar",
                "Benoît",
                "São",
                "naïve",
                "½",
                "×",
                "€100",
                "…",
                "“",
                "”",
                "2023",
                "AI",
                "tsa̍p-gōo",
                "AQUÍ”",
                "Ç’a",
                "à",
                "«\u{A0}oui\u{A0}»"
            ])
            .prop_map(|w| (w.to_owned(), false)),
        ]
    }

    /// 512 cases from a fixed seed, unless `PROPTEST_CASES` or
    /// `PROPTEST_RNG_SEED` say otherwise.
    fn config() -> ProptestConfig {
        let mut c = ProptestConfig::default();
        if std::env::var_os("PROPTEST_CASES").is_none() {
            c.cases = 512;
        }
        if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
            c.rng_seed = proptest::test_runner::RngSeed::Fixed(0x6D6F_6A69);
        }
        c
    }

    fn corrupt(s: &str, how: u8) -> String {
        match how % 4 {
            0 => cp1252(s),
            1 => latin1(s),
            2 => cp1252(&cp1252(s)),
            _ => cp1252(s).replace('\u{A0}', " "),
        }
    }

    proptest! {
        #![proptest_config(config())]

        /// Chinese words corrupted among clean words of every kind come
        /// back exactly, and the clean words are left alone.
        #[test]
        fn corrupted_words_among_clean_ones_come_back(words in prop::collection::vec((word(), any::<bool>(), any::<u8>()), 1..12)) {
            let original: Vec<&str> = words.iter().map(|((w, _), _, _)| w.as_str()).collect();
            let garbled: Vec<String> = words
                .iter()
                .map(|((w, can), pick, how)| if *can && *pick { corrupt(w, *how) } else { w.clone() })
                .collect();
            let input = garbled.join(" ");
            prop_assert_eq!(repair(&input), original.join(" "), "input {:?}", input);
        }

        /// Any text: no panic, and what does not change is borrowed.
        #[test]
        fn any_text(s in any::<String>()) {
            let out = repair(&s);
            if out == s.as_str() {
                prop_assert!(matches!(out, Cow::Borrowed(_)));
            }
        }
    }
}

/// Found by the fuzzer: hygiene turns the controls and Unicode spaces
/// after an accented letter into spaces; the output must not then read as
/// mojibake with no-break spaces made spaces (`é  ` is not `頠`), or a
/// second cleaning would change it and a letter would be lost.
#[test]
fn spaces_made_by_hygiene_are_not_no_break_spaces() {
    let c = zh_clean::Cleaner::default();
    let input = "e\u{301}\0\0\u{1680}  e\u{301}\0\u{1680} e\u{31B} A";
    let once = c.clean(input);
    assert_eq!(c.clean(&once), once);
    assert_eq!(common::letters(&once), common::source_letters(input));
    assert!(matches!(repair(&once), Cow::Borrowed(_)), "{once:?}");
    // And the marks the punctuation stage writes (`...` → `……`) do not
    // make a letter before them read as mojibake.
    let once = c.clean("豈 é ...豈 e\u{301}\0\u{7} ...\n");
    assert_eq!(c.clean(&once), once);
    assert!(matches!(repair(&once), Cow::Borrowed(_)), "{once:?}");
}

/// What hygiene reveals is repaired in the same cleaning: mojibake cut by
/// controls or zero-width characters, a line end made `\n`; so that a
/// second cleaning finds nothing more.
#[test]
fn mojibake_revealed_by_hygiene_is_repaired_too() {
    let c = zh_clean::Cleaner::default();
    for (input, want) in [("é\0¦\u{200B}™æ¸¯", "香港"), ("é¦™æ¸¯\r\nç”Ÿç”¢åŠ›", "香港\n生產力")]
    {
        let (once, stats) = c.clean_with_stats(input);
        assert_eq!(once, want, "{input:?}");
        assert!(stats.encoding_repairs >= 1);
        assert_eq!(c.clean(&once), once);
        assert_eq!(c.clean(input), want);
    }
    // A Unicode space where a no-break space stood, at the end of what a
    // first repair left: not repaired, and the same the second time.
    let once = c.clean("æ‹\u{2003}é»ž");
    assert_eq!(once, "æ‹ 點");
    assert_eq!(c.clean(&once), once);
}
