//! Stage 2: Unicode hygiene.
//!
//! Scraped text carries invisible debris that breaks every later rule: a
//! `\r` before each newline, byte-order marks in the middle of a page (two
//! files concatenated), zero-width spaces that editors insert to allow line
//! breaks, non-breaking and ideographic spaces that are not `' '`,
//! control characters, decomposed accents, and the look-alike ideographs that
//! PDF extractors emit (compatibility ideographs such as U+F900 `豈`, Kangxi
//! radicals such as U+2F08 `⼈` instead of `人`).
//!
//! This stage turns all of that into plain text:
//!
//! * CRLF and lone CR become LF; so do the other line breaks: U+2028/U+2029,
//!   vertical tab, form feed (a page break in extracted text) and NEL
//!   (U+0085). Gluing the words on either side of a page break together would
//!   lose a separation the text had.
//! * BOM (U+FEFF), zero-width space (U+200B), word joiner (U+2060) and the
//!   other C0/C1 controls (but tab and newline) are removed.
//! * ZWJ/ZWNJ (U+200D/U+200C) are removed where they join nothing a script
//!   needs joined: next to CJK text, punctuation, whitespace, another joiner,
//!   or the start or end of the text. Between other characters they are kept: the ZWJ in
//!   👨‍👩‍👧, the ZWNJ of Persian `می‌خواهم`, the joiners of Indic scripts.
//! * NBSP and every other Unicode space separator become `' '`. The
//!   ideographic space U+3000 is kept: at the start of a line it is a
//!   paragraph indent, which the structure stage reads (a first-line indent
//!   is often the only mark of a paragraph in extracted text) and drops;
//!   inside a line it is typography (`第一章　總則`), CJK punctuation to the
//!   later stages (spaces next to it go).
//! * Kangxi radicals and CJK radical supplements become the equivalent
//!   unified ideographs (Unicode's `EquivalentUnifiedIdeograph.txt`).
//! * The text is put in NFC, which also maps the CJK compatibility
//!   ideographs (U+F900–U+FAFF, U+2F800–U+2FA1F) to unified ideographs through
//!   their canonical decompositions.
//!
//! Clean text is detected by one scan and returned borrowed.

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::edit::Edit;
use crate::radicals_table::RADICAL_TO_UNIFIED;

/// What the hygiene stage does with one character outside a grapheme
/// cluster context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Keep,
    Drop,
    /// A space separator: `' '`.
    Space,
    Newline,
    /// `\r`: a newline, unless a `\n` follows.
    CarriageReturn,
    /// ZWJ/ZWNJ: kept only inside a grapheme cluster.
    Joiner,
    Replace(char),
}

#[inline]
fn action(c: char) -> Action {
    match c {
        '\t' | '\n' => Action::Keep,
        '\r' => Action::CarriageReturn,
        '\u{0B}' | '\u{0C}' | '\u{85}' => Action::Newline,
        '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => Action::Drop,
        ' '..='\u{7E}' => Action::Keep,
        '\u{200B}' | '\u{2060}' | '\u{FEFF}' => Action::Drop,
        '\u{200C}' | '\u{200D}' => Action::Joiner,
        '\u{2028}' | '\u{2029}' => Action::Newline,
        '\u{00A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' => Action::Space,
        '\u{2E80}'..='\u{2FDF}' => match radical_to_unified(c) {
            Some(u) => Action::Replace(u),
            None => Action::Keep,
        },
        _ => Action::Keep,
    }
}

/// The unified ideograph a Kangxi radical or CJK radical supplement character
/// stands for, if Unicode names one.
///
/// ```
/// assert_eq!(zh_clean::hygiene::radical_to_unified('\u{2F08}'), Some('人'));
/// assert_eq!(zh_clean::hygiene::radical_to_unified('人'), None);
/// ```
pub fn radical_to_unified(c: char) -> Option<char> {
    RADICAL_TO_UNIFIED.binary_search_by_key(&c, |&(r, _)| r).ok().map(|i| RADICAL_TO_UNIFIED[i].1)
}

/// Applies Unicode hygiene to `text`; see the [module documentation](self).
///
/// Returns `Cow::Borrowed` when nothing needs to change.
///
/// ```
/// use zh_clean::hygiene::clean;
/// assert_eq!(clean("香港\r\n生產力\u{200B}局\u{00A0}AI"), "香港\n生產力局 AI");
/// assert!(matches!(clean("已經乾淨的文字。\n"), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn clean(text: &str) -> Cow<'_, str> {
    clean_counted(text).0
}

/// [`clean`], also counting the characters it removed or replaced (NFC
/// recompositions not included).
pub fn clean_counted(text: &str) -> (Cow<'_, str>, usize) {
    match scan::<false>(text) {
        Some((out, changes, _)) => (out, changes),
        None => unreachable!("a scan that does not watch never stops"),
    }
}

/// [`clean_counted`], in the same scan watching for a line the double-byte
/// encoding repair would look at ([`crate::mojibake::cjk`]): `None` as soon
/// as one is met, the repair's decision having to come first (see
/// [`crate::prepare_text`]). Text with no such line is text that repair
/// leaves alone, so clean text is read once for both stages. The flag
/// says whether the cleaned text may have such a line (what hygiene took
/// out may have brought rare characters together).
pub(crate) fn clean_counted_watching(text: &str) -> Option<(Cow<'_, str>, usize, bool)> {
    scan::<true>(text)
}

/// The one scan of [`clean_counted`]; with `WATCH`, `None` at the first
/// line the double-byte repair would look at, and otherwise whether the
/// output has one (without, `true`: not known).
fn scan<const WATCH: bool>(text: &str) -> Option<(Cow<'_, str>, usize, bool)> {
    use crate::mojibake::cjk;
    if text.contains(['\u{200C}', '\u{200D}']) {
        // Rare enough to leave the watching to the repair itself.
        if WATCH && cjk::suspect(text) {
            return None;
        }
        let out = clean_with_joiners(text);
        let n = usize::from(matches!(out, Cow::Owned(_)));
        let suspect = !WATCH || cjk::suspect(&out);
        return Some((out, n, suspect));
    }
    // One scan: characters that need an action are replaced in place (the
    // unchanged runs between them are copied in bulk, or not at all when
    // nothing changes); the main ideograph block is skipped three bytes at a
    // time. NFC is checked only if a character that could be affected by it
    // was seen.
    let bytes = text.as_bytes();
    let mut edit = Edit::new(text);
    let mut watch = cjk::Watches::new();
    let mut maybe_not_nfc = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            let now = match b {
                b'\n' if WATCH => {
                    watch.line_end();
                    None
                }
                b'\n' | b'\t' => None,
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => Some(""),
                b'\r' | 0x0B | 0x0C => Some("\n"),
                0..=0x1F | 0x7F => Some(""),
                _ => None,
            };
            if let Some(now) = now {
                edit.replace(i, i + 1, now);
                if WATCH {
                    watch.rewritten(None, now);
                }
            }
            i += 1;
            continue;
        }
        // The main blocks of ideographs and U+3000–U+303F (CJK punctuation)
        // are kept and NFC-stable: skip them whole.
        if crate::bytes::ideograph_at(bytes, i) || crate::bytes::cjk_symbol_at(bytes, i) {
            if !WATCH {
                i += 3;
                continue;
            }
            // Watching, the whole run is taken in one loop, each character
            // looked up in the repair's table of rare characters (one table,
            // where the text as written reads alike).
            if !watch.alike() {
                if watch.kept_in_table(b, bytes[i + 1], bytes[i + 2]) {
                    return None;
                }
                i += 3;
                continue;
            }
            let skipped = |x: u8, y: u8| {
                (0xE5..=0xE9).contains(&x) || (x == 0xE4 && y != 0xB7) || (x == 0xE3 && y == 0x80)
            };
            // Two characters at a time, then one.
            for chunk in bytes[i..].chunks_exact(6) {
                let &[x, y, z, x2, y2, z2] = chunk else { break };
                if !(skipped(x, y) && skipped(x2, y2)) {
                    break;
                }
                if watch.kept_in_table_alike_2([x, y, z], [x2, y2, z2]) {
                    return None;
                }
                i += 6;
            }
            for chunk in bytes[i..].chunks_exact(3) {
                let &[x, y, z] = chunk else { break };
                if !skipped(x, y) {
                    break;
                }
                if watch.kept_in_table_alike(x, y, z) {
                    return None;
                }
                i += 3;
            }
            continue;
        }
        let (c, len) = crate::bytes::decode_at(text, i);
        let mut buf = [0u8; 4];
        let now = match action(c) {
            Action::Keep | Action::CarriageReturn => {
                maybe_not_nfc |= !nfc_stable(c);
                None
            }
            Action::Drop | Action::Joiner => Some(""),
            Action::Space => Some(" "),
            Action::Newline => Some("\n"),
            Action::Replace(u) => Some(&*u.encode_utf8(&mut buf)),
        };
        if let Some(now) = now {
            edit.replace(i, i + len, now);
        }
        if WATCH {
            let suspect = match now {
                None => watch.kept(c),
                Some(now) => watch.rewritten(Some(c), now),
            };
            if suspect {
                return None;
            }
        }
        i += len;
    }
    let changes = edit.changes();
    let out = edit.finish();
    if maybe_not_nfc && is_nfc_quick(out.chars()) != IsNormalized::Yes && !out.nfc().eq(out.chars()) {
        let out: String = out.nfc().collect();
        let suspect = !WATCH || cjk::suspect(&out);
        return Some((Cow::Owned(out), changes + 1, suspect));
    }
    Some((out, changes, !WATCH || watch.output_suspect))
}

/// Characters NFC leaves alone whatever surrounds them: no decomposition, no
/// combining class, never composed with what precedes them.
#[inline]
fn nfc_stable(c: char) -> bool {
    matches!(c as u32,
        0..=0x2FF                 // Latin: only a following combining mark composes
        | 0x2010..=0x206F         // dashes, quotes, dots (U+2000/U+2001 decompose)
        | 0x2400..=0x2ADB         // box drawing, shapes, symbols, dingbats
        | 0x2ADD..=0x2BFF
        | 0x3000..=0x3098         // CJK punctuation, hiragana (not the voicing marks)
        | 0x309D..=0x33FF         // katakana, bopomofo, CJK symbols
        | 0x3400..=0x4DBF         // extension A
        | 0x4E00..=0x9FFF         // unified ideographs
        | 0xFE10..=0xFE6F         // vertical and small forms
        | 0xFF00..=0xFFEF         // halfwidth and fullwidth forms
        | 0x1F000..=0x1FAFF) // emoji
}

/// Whether a joiner between `before` and `after` joins something a script
/// needs joined (see the [module documentation](self)).
fn joins(before: Option<char>, after: Option<char>) -> bool {
    // Letters, marks, emoji and symbols of the scripts that use joiners;
    // never whitespace, punctuation (which later stages may turn into CJK
    // punctuation) or CJK text.
    let joinable = |c: Option<char>| {
        c.is_some_and(|c| {
            // As the character will be: NFC makes a singleton its
            // canonical form (`〈` U+2329 is `〈` U+3008, CJK punctuation),
            // and a radical becomes an ideograph. (Judged on the input
            // form, cleaning the output again could decide otherwise.)
            let mut single = None;
            let mut parts = 0;
            unicode_normalization::char::decompose_canonical(c, |d| {
                parts += 1;
                single = Some(d);
            });
            let c = if parts == 1 { single.unwrap_or(c) } else { c };
            let c = match action(c) {
                Action::Replace(u) => u,
                _ => c,
            };
            matches!(crate::chars::class(c), crate::chars::Class::Alnum | crate::chars::Class::Other)
                && !matches!(action(c), Action::Joiner | Action::Drop | Action::Space | Action::Newline)
                && !matches!(c, '\n' | '\r')
        })
    };
    joinable(before) && joinable(after)
}

/// The path for text with ZWJ/ZWNJ: each joiner is judged by its two
/// neighbours in the input (one pass, no cluster can make it quadratic).
fn clean_with_joiners(text: &str) -> Cow<'_, str> {
    let mut out = String::with_capacity(text.len());
    let mut pending_cr = false;
    let mut before: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let a = match action(c) {
            Action::Joiner if joins(before, chars.peek().copied()) => Action::Keep,
            a => a,
        };
        apply(a, c, &mut out, &mut pending_cr);
        before = Some(c);
    }
    // NFC whether or not anything else changed: text with joiners can
    // still be decomposed.
    let out = match is_nfc_quick(out.chars()) {
        IsNormalized::Yes => out,
        _ => out.nfc().collect(),
    };
    if out == text { Cow::Borrowed(text) } else { Cow::Owned(out) }
}

/// Text that a later stage changed, put back in NFC. Taking out a space
/// can leave combining marks that it kept apart out of canonical order
/// (`ͤ ͅ ͤ` becomes `ͤͤͅ`, which NFC orders `ͤͤͅ`) or a letter and its mark
/// uncomposed; the next cleaning would normalise them, so this one does.
/// Text that did not change is borrowed and was NFC already.
pub(crate) fn renormalize(text: Cow<'_, str>) -> Cow<'_, str> {
    match text {
        Cow::Owned(s) => match in_nfc(&s) {
            Cow::Owned(n) => Cow::Owned(n),
            Cow::Borrowed(_) => Cow::Owned(s),
        },
        text => text,
    }
}

/// `s` in NFC, borrowed when it is already (as the lines the structure
/// stage joins usually are: a line that starts with a combining mark,
/// joined onto a letter, is not).
pub(crate) fn in_nfc(s: &str) -> Cow<'_, str> {
    if is_nfc_quick(s.chars()) == IsNormalized::Yes || s.nfc().eq(s.chars()) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfc().collect())
    }
}

/// Writes what `a` makes of `c`.
fn apply(a: Action, c: char, out: &mut String, pending_cr: &mut bool) {
    if *pending_cr {
        *pending_cr = false;
        if c == '\n' {
            return; // the LF of a CRLF pair: the CR already wrote it
        }
    }
    match a {
        Action::Keep => out.push(c),
        Action::Drop | Action::Joiner => {}
        Action::Space => out.push(' '),
        Action::Newline => out.push('\n'),
        Action::CarriageReturn => {
            out.push('\n');
            *pending_cr = true;
        }
        Action::Replace(u) => out.push(u),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The watching scan on `t` against its oracles: it stops exactly
    /// where the double-byte repair's own test finds a line, otherwise
    /// cleans as [`clean_counted`] does, and when it says its output has
    /// no such line, the test finds none.
    fn watching_agrees(t: &str) {
        use crate::mojibake::cjk::suspect;
        match clean_counted_watching(t) {
            None => assert!(suspect(t), "{t:?}"),
            Some((out, n, may_have)) => {
                assert!(!suspect(t), "{t:?}");
                assert_eq!((out.as_ref(), n), (clean_counted(t).0.as_ref(), clean_counted(t).1), "{t:?}");
                assert!(may_have || !suspect(&out), "{t:?} -> {out:?}");
            }
        }
    }

    proptest::proptest! {
        /// Text made of the characters the watching cares about: rare and
        /// common ones, what hygiene takes out or rewrites between them,
        /// line ends of every kind.
        #[test]
        fn watching_agrees_on_any_mixture(t in proptest::collection::vec(proptest::sample::select(vec![
            "☆", "鐢", "香", "港", "九", "龍", "\u{A0}", "\u{A0}", "\u{200B}", "\u{3000}", "\r", "\r\n", "\n", "\u{0B}",
            "\u{85}", "\u{2028}", " ", "a", "\u{2F08}", "e\u{301}", "\u{FEFF}", "\u{1}", "\u{9F}",
        ]), 0..24)) {
            watching_agrees(&t.concat());
        }
    }

    #[test]
    fn watching_scan_agrees_with_the_repairs_test() {
        let gbk = |s: &str| encoding_rs::GBK.decode_without_bom_handling(s.as_bytes()).0.into_owned();
        let cases = [
            "已經乾淨的文字。\n".to_owned(),
            "香港\r\n生產力\u{200B}局\u{00A0}AI".to_owned(),
            gbk("香港生產力促進局"),
            format!("標題\n{}\n正文。", gbk("香港生產力促進局")),
            "☆ 新型 工業化\n☆ 智能 生產 線\n".to_owned(),
            "☆☆☆ 評分".to_owned(),
            "☆\n☆☆".to_owned(),
            "ㄅㄆㄇㄈ 注音".to_owned(),
            "a\u{200D}b 鐢熺".to_owned(),
            "e\u{301} 鐢\u{85}熺".to_owned(),
            String::new(),
        ];
        for t in &cases {
            watching_agrees(t);
        }
        // What hygiene takes out brings two rare characters together: the
        // input has no line to repair, the output may.
        for t in ["☆\u{A0}\u{A0}☆", "鐢\u{A0}\u{9F}熺"] {
            watching_agrees(t);
            assert!(matches!(clean_counted_watching(t), Some((_, _, true))), "{t:?}");
        }
        // A line end written between them keeps them apart.
        for t in ["☆\u{A0}\u{0B}\u{A0}☆", "☆\u{85}\u{A0}\u{A0}☆", "☆\u{A0}\u{A0}香港☆"] {
            watching_agrees(t);
            assert!(matches!(clean_counted_watching(t), Some((_, _, false))), "{t:?}");
        }
        assert!(clean_counted_watching(&cases[2]).is_none());
        assert!(clean_counted_watching(&cases[4]).is_some());
        assert!(clean_counted_watching(&cases[5]).is_none());
    }

    #[test]
    fn renormalized_after_a_later_stage() {
        let owned = |s: &str| renormalize(Cow::Owned(s.to_owned())).into_owned();
        assert_eq!(owned("\u{364}\u{345}\u{364}"), "\u{364}\u{364}\u{345}");
        assert_eq!(owned("e\u{301}"), "é");
        assert_eq!(owned("香港"), "香港");
        // Borrowed text is left as it is.
        assert!(matches!(renormalize(Cow::Borrowed("e\u{301}")), Cow::Borrowed(_)));
    }

    fn owned(s: &str) -> String {
        clean(s).into_owned()
    }

    #[test]
    fn line_endings() {
        assert_eq!(owned("a\r\nb\rc\n\r\nd"), "a\nb\nc\n\nd");
        assert_eq!(owned("a\r"), "a\n");
        assert_eq!(owned("\r\r\n"), "\n\n");
        assert_eq!(owned("a\u{2028}b\u{2029}c"), "a\nb\nc");
        // Vertical tab, form feed and NEL are line breaks too.
        assert_eq!(owned("end of page one\u{C}Start of page two"), "end of page one\nStart of page two");
        assert_eq!(owned("a\u{B}b\u{85}c"), "a\nb\nc");
        assert_eq!(owned("香\u{C}\u{200D}港"), "香\n港");
    }

    #[test]
    fn ideographic_space_inside_a_line_is_kept() {
        assert!(matches!(clean("第一章\u{3000}總則"), Cow::Borrowed(_)));
        // At a line start too: the structure stage reads the indent.
        assert!(matches!(clean("\u{3000}\u{3000}第一章\u{3000}總則"), Cow::Borrowed(_)));
        assert_eq!(owned("甲\n\u{3000}乙\u{3000}丙\u{200B}"), "甲\n\u{3000}乙\u{3000}丙");
        assert_eq!(owned("\u{FEFF}\u{3000}乙"), "\u{3000}乙");
        assert_eq!(owned(" \u{3000}\u{200D}乙\n\t\u{3000}丙"), " \u{3000}乙\n\t\u{3000}丙");
    }

    #[test]
    fn joiners_outside_cjk_text_are_kept() {
        for clean_text in
            ["می\u{200C}خواهم", "क\u{94D}\u{200D}ष", "👨\u{200D}👩\u{200D}👧", "1\u{FE0F}\u{20E3}"]
        {
            assert!(matches!(clean(clean_text), Cow::Borrowed(_)), "{clean_text:?}");
        }
        assert_eq!(owned("中\u{200C}文 می\u{200C}خواهم"), "中文 می\u{200C}خواهم");
        assert_eq!(owned("\u{200C}a a\u{200C} \u{200C}"), "a a ");
    }

    #[test]
    fn a_joiner_is_judged_by_its_neighbours_in_nfc() {
        // U+2329 is U+3008 in NFC: CJK punctuation, which joins nothing.
        assert_eq!(owned("\u{2329}\u{200D}ω"), "\u{3008}ω");
        assert_eq!(owned(&owned("\u{2329}\u{200D}ω")), "\u{3008}ω");
    }

    #[test]
    fn text_with_joiners_is_put_in_nfc_too() {
        assert_eq!(owned("👨\u{200D}👩 e\u{301}"), "👨\u{200D}👩 é");
        assert!(matches!(clean("👨\u{200D}👩 é"), Cow::Borrowed(_)));
    }

    #[test]
    fn long_joiner_runs_are_linear() {
        // 64k joiners between letters: every one judged by its neighbours.
        let run = format!("a{}b", "\u{200D}".repeat(1 << 16));
        assert_eq!(owned(&run), "ab");
    }

    #[test]
    fn invisible_characters_removed() {
        assert_eq!(owned("\u{FEFF}香\u{200B}港\u{2060}"), "香港");
        assert_eq!(owned("a\u{0}b\u{7}c\u{1B}d\u{7F}e\u{9F}f"), "abcdef");
        // A stray ZWJ/ZWNJ between ideographs is debris.
        assert_eq!(owned("中\u{200D}文\u{200C}字"), "中文字");
    }

    #[test]
    fn tab_and_newline_kept() {
        assert!(matches!(clean("a\tb\nc"), Cow::Borrowed(_)));
    }

    #[test]
    fn emoji_zwj_sequences_survive() {
        let family = "👨\u{200D}👩\u{200D}👧";
        assert_eq!(owned(&format!("家庭{family}\u{200B}")), format!("家庭{family}"));
        // A trailing ZWJ at the end of a cluster joins nothing.
        assert_eq!(owned("👨\u{200D}"), "👨");
        assert_eq!(owned("£\u{200D}\u{200D}"), "£");
    }

    #[test]
    fn spaces_normalised() {
        assert_eq!(owned("a\u{00A0}b\u{2003}c\u{202F}d\u{205F}e\u{1680}f"), "a b c d e f");
        // The ideographic space inside a line is not a plain space.
        assert_eq!(owned("香港\u{3000}九龍"), "香港\u{3000}九龍");
    }

    #[test]
    fn ideographic_indent_kept_for_the_structure_stage() {
        assert_eq!(owned("\r\n\u{3000}第一段"), "\n\u{3000}第一段");
        let c = crate::Cleaner::default();
        assert_eq!(c.clean("\u{3000}\u{3000}第一段。\n\u{3000}\u{3000}第二段。"), "第一段。\n第二段。");
        let off = crate::Cleaner::new(crate::Options::default().stage(crate::Stage::Structure, false));
        assert_eq!(off.clean("\u{3000}\u{3000}第一段。\n \u{3000}第二段。"), "第一段。\n第二段。");
    }

    #[test]
    fn nfc() {
        assert_eq!(owned("Cafe\u{0301}"), "Café");
        assert!(matches!(clean("Café"), Cow::Borrowed(_)));
    }

    #[test]
    fn compatibility_ideographs_unified() {
        // U+F900 豈 → U+8C48, U+FA0C 兀 → U+5140, U+2F800 → U+4E3D.
        assert_eq!(owned("\u{F900}\u{FA0C}\u{2F800}"), "\u{8C48}\u{5140}\u{4E3D}");
        // U+FA0E is a unified ideograph despite its block: untouched.
        assert!(matches!(clean("\u{FA0E}"), Cow::Borrowed(_)));
    }

    #[test]
    fn radicals_unified() {
        assert_eq!(owned("\u{2F08}\u{2F2F}"), "人工");
        assert_eq!(owned("\u{2ECC}"), "\u{8FB6}");
    }

    #[test]
    fn clean_text_is_borrowed() {
        for s in ["", "abc", "香港生產力促進局。\n\n• 第二段", "RWTH Aachen Campus\t1"] {
            assert!(matches!(clean(s), Cow::Borrowed(_)), "{s:?}");
        }
    }

    #[test]
    fn idempotent() {
        for s in ["a\r\n\r\nb", "\u{3000}x\u{00A0}y\u{200D}", "e\u{301}\u{F900}\u{2F00}"] {
            let once = owned(s);
            assert_eq!(owned(&once), once);
        }
    }
}
