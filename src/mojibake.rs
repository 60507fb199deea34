//! Stage 1: encoding repair — text that was decoded with the wrong codec upstream.
//!
//! # The problem
//!
//! A page is stored as UTF-8, and somewhere on its way to a data set a
//! program reads those bytes as Windows-1252 or Latin-1. Every ideograph's
//! three bytes become three Western characters: `香港` (`E9 A6 99 E6 B8 AF`)
//! turns into `é¦™æ¸¯`. Done twice, the result is read again as UTF-8 bytes
//! (`Ã©Â¦â„¢Ã¦Â¸Â¯`). Latin-1 turns the bytes `80`–`9F` into C1 control
//! characters; Windows-1252 into `€ ‚ … ™ œ` and the like, and a later step
//! often turns the no-break space (byte `A0`) into a plain space.
//!
//! None of this loses information as long as nothing else touches the text:
//! writing each character back as the byte it came from and reading the
//! bytes as UTF-8 gives the original. That is why this stage runs first,
//! before hygiene removes C1 controls and turns no-break spaces into spaces.
//!
//! # What is repaired
//!
//! Only runs of characters that Windows-1252 (or Latin-1, for the five
//! bytes Windows-1252 leaves undefined and the C1 range) can write as one
//! byte each, starting at a character that would be a UTF-8 lead byte
//! (`Â`–`ô`, U+00C2–U+00F4). Mojibake of a multi-byte character never
//! contains an ASCII byte, so such a run is the whole of it; a space where
//! a byte `A0` is expected counts as that byte. Within the run, every
//! position where the bytes form a valid UTF-8 sequence is decoded, if the
//! character it gives is plausible:
//!
//! * three or four bytes: Vietnamese letters, punctuation and symbols
//!   (`“”…—™`), CJK characters, kana, Hangul, fullwidth forms, emoji — and
//!   a run that gives one such character and nothing else only when no
//!   ASCII letter touches it, or when a repaired run or CJK text is next to
//!   it and it has a character that never follows a letter in real text
//!   (`AIï¼Œ` is `AI，`, but `café …` is not `caf項`);
//! * two bytes: a Latin-1, Latin Extended-A, Greek, Cyrillic, Hebrew or
//!   Arabic letter or sign (the `Ã©` of `cafÃ©`), a combining mark, or a character
//!   Windows-1252 writes as one byte, which a second round of mojibake
//!   leaves and the next pass turns back into a byte.
//!
//! Anything else stays as written. The repair runs again on its own output
//! while it changes something, which undoes double and triple encoding.
//!
//! Then the double-byte repair ([`cjk`]): UTF-8 read as GBK (`浣犲ソ` for
//! `你好`), Big5 read as GBK and GBK read as Big5, judged by how frequent
//! the characters of each reading are.
//!
//! # Never damaging clean text
//!
//! Correct text does not look like this: in real words, a letter such as
//! `é` or `Ã` is not followed by two characters from the byte range
//! `80`–`BF` (`¦™`, `¸¯`). Chinese, Japanese and Korean text has no
//! character in U+00C2–U+00F4 at all, so the stage costs one `memchr` for
//! the byte `C3` (every such character starts with it) and returns the
//! input borrowed. Accented Latin words (`Dündar`, `Benoît`, `tsa̍p-gōo`)
//! stay: their letters are followed by ASCII letters or by nothing that
//! completes a UTF-8 sequence.
//!
//! ```
//! use zh_clean::mojibake::repair;
//! assert_eq!(repair("é¦™æ¸¯ç”Ÿç”¢åŠ›ä¿ƒé€²å±€"), "香港生產力促進局");
//! assert_eq!(repair("Ã©Â¦â„¢Ã¦Â¸Â¯"), "香港"); // encoded twice
//! assert_eq!(repair("cafÃ© Dündar 香港"), "café Dündar 香港");
//! assert!(matches!(repair("Benoît 與 Dündar"), std::borrow::Cow::Borrowed(_)));
//! ```

use std::borrow::Cow;

pub mod cjk;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// How many times the repair runs on its own output at most (one round of
/// mojibake is undone per pass). Each round doubles the text at least, so
/// this many never occur; the limit only bounds the loop.
const MAX_PASSES: usize = 32;

/// `text` with its mis-decoded spans repaired (see the module docs);
/// borrowed when there is nothing to repair.
pub fn repair(text: &str) -> Cow<'_, str> {
    repair_counted(text).0
}

/// Whether `text` has a character a repair can start at: one of
/// U+00C0–U+00FF (UTF-8 `C3 xx`), or a combining mark that may compose
/// with the letter before it (`CC xx`, `CD xx`). Text without one is clean,
/// found in one scan.
#[inline]
pub(crate) fn may_repair(text: &str) -> bool {
    memchr::memchr3(0xC3, 0xCC, 0xCD, text.as_bytes()).is_some()
}

/// Whether [`repair`] may act on `text` or on text made of it by the
/// rewrites of the later stages: a character a single-byte repair can
/// start at ([`may_repair`]), or two rare characters for the double-byte
/// one ([`cjk`]). Text without either is passed by at once.
#[inline]
pub(crate) fn may_repair_any(text: &str) -> bool {
    may_repair(text) || cjk::rare_count(&[text]) == 2
}

/// [`repair`], also counting the spans repaired (in the first pass that
/// touched them): the single-byte repair, then the double-byte one
/// ([`cjk`]).
pub fn repair_counted(text: &str) -> (Cow<'_, str>, usize) {
    let (single, spans) = single_byte_counted(text);
    match single {
        Cow::Borrowed(t) => cjk::repair_counted(t),
        Cow::Owned(t) => match cjk::repair_counted(&t) {
            (Cow::Borrowed(_), more) => (Cow::Owned(t), spans + more),
            (Cow::Owned(o), more) => (Cow::Owned(o), spans + more),
        },
    }
}

/// The repair of UTF-8 read as Windows-1252 or Latin-1 (the passes above),
/// counting the spans repaired.
pub(crate) fn single_byte_counted(text: &str) -> (Cow<'_, str>, usize) {
    // Every candidate starts with a character U+00C0–U+00FF (UTF-8: C3 ..),
    // or with a letter and a combining mark (CC .., CD ..) that compose
    // into one: text with none of these bytes is clean, found in one scan.
    let bytes = text.as_bytes();
    if !may_repair(text) {
        return (Cow::Borrowed(text), 0);
    }
    // Mojibake is made of precomposed characters, and a letter with a
    // combining mark that composes into one reads as that one (so that the
    // text after NFC, as the hygiene stage writes it, is decided alike).
    let composed: Cow<'_, str> =
        if memchr::memchr2(0xCC, 0xCD, bytes).is_none() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
            Cow::Borrowed(text)
        } else {
            Cow::Owned(text.nfc().collect())
        };
    let Some((first, mut spans)) = pass(&composed) else {
        return (Cow::Borrowed(text), 0);
    };
    let mut out = first;
    for _ in 1..MAX_PASSES {
        match pass(&out) {
            Some((next, n)) => {
                out = next;
                // A span repaired again is the same span, encoded twice.
                spans = spans.max(n);
            }
            None => break,
        }
    }
    (Cow::Owned(out), spans)
}

/// A candidate run of one pass and what decoding it gives.
struct Candidate {
    start: usize,
    end: usize,
    out: String,
    /// Characters of three or four bytes decoded in it.
    wide: usize,
    /// Characters of two bytes decoded in it.
    narrow: usize,
    /// Whether a character decoded in it took a space for a no-break
    /// space.
    stand_in: bool,
}

/// How far apart (in bytes of ASCII text) two runs may be and still
/// support each other: `2023å¹´11æœˆ` is one span cut by digits.
const NEIGHBOURHOOD: usize = 32;

/// One pass: `None` when nothing changes, otherwise the new text and the
/// number of spans repaired.
fn pass(text: &str) -> Option<(String, usize)> {
    let found = candidates(text)?;
    let keep: Vec<bool> = (0..found.len()).map(|i| repaired(text, &found, i)).collect();
    let spans = keep.iter().filter(|&&k| k).count();
    if spans == 0 {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (c, _) in found.iter().zip(&keep).filter(|(_, k)| **k) {
        out.push_str(&text[copied..c.start]);
        out.push_str(&c.out);
        copied = c.end;
    }
    out.push_str(&text[copied..]);
    Some((out, spans))
}

/// Every run of `text` that decodes to something, in order; `None` when
/// there is no candidate at all.
fn candidates(text: &str) -> Option<Vec<Candidate>> {
    let bytes = text.as_bytes();
    // Every candidate starts with a character U+00C0–U+00FF, whose UTF-8
    // form starts with the byte C3.
    let mut at = memchr::memchr(0xC3, bytes)?;
    let mut found: Vec<Candidate> = Vec::new();
    loop {
        let cand = decode_run(text, at);
        let next_from = cand.end.max(at + 1);
        if cand.wide + cand.narrow > 0 {
            found.push(cand);
        }
        match memchr::memchr(0xC3, &bytes[next_from..]) {
            Some(p) => at = next_from + p,
            None => break,
        }
    }
    Some(found)
}

/// Whether the run `found[i]` is repaired: whether what it decodes to is
/// plausible enough, on its own or with the support around it.
fn repaired(text: &str, found: &[Candidate], i: usize) -> bool {
    // A run that gives a single ideograph or other wide character and
    // nothing else needs more. With no ASCII letter on either side it
    // stands for itself. After a letter it may be the end of a word
    // (`café…”`): it needs a repaired run or CJK text next to it and a
    // character that never follows a letter in real text (`AIï¼Œ`: `¼`,
    // `Œ`; not quotes, an ellipsis, a dash, a space: `café ½` is not
    // `caf頽`). Before a letter only, it needs the support alone
    // (`216é–“AI`).
    // (A fullwidth letter counts: the punctuation stage makes it ASCII.)
    let letter = |c: Option<char>| {
        c.is_some_and(|c| {
            c.is_ascii_alphabetic()
                || crate::chars::halfwidth_alnum(c).is_some_and(|h| h.is_ascii_alphabetic())
        })
    };
    let near = |a: &Candidate, b: &Candidate| {
        let (l, r) = if a.end <= b.start { (a, b) } else { (b, a) };
        r.start - l.end <= NEIGHBOURHOOD && text[l.end..r.start].bytes().all(|c| c.is_ascii() && c != b'\n')
    };
    // (Ideographs and kana, not CJK punctuation: the punctuation stage
    // writes `（` for a `(` after the run, which must not support its
    // repair when the text is cleaned again.)
    let cjk_next_to = |c: &Candidate| {
        text[..c.start].chars().next_back().is_some_and(crate::chars::is_han)
            || text[c.end..].chars().next().is_some_and(crate::chars::is_han)
    };
    // Whether the run has a character that never follows a letter in real
    // text. (A run that crosses a space never has: `café ½`.)
    let unusual = |c: &Candidate| {
        let run = &text[c.start..c.end];
        !run.contains(' ')
            && run
                .chars()
                .skip(1)
                .any(|ch| !matches!(ch, '…' | '‘' | '’' | '“' | '”' | '«' | '»' | '–' | '—' | '·' | '\u{A0}'))
    };
    let other_alphabet = |c: &Candidate| c.out.chars().any(|ch| ('\u{370}'..='\u{6FF}').contains(&ch));
    // A C1 control decoded: a step of a double repair, never text alone.
    let control = |c: &Candidate| c.out.chars().any(|ch| ('\u{80}'..='\u{9F}').contains(&ch));
    let c = &found[i];
    let neighbour = (i.saturating_sub(1)..(i + 2).min(found.len())).any(|j| j != i && near(&found[j], c));
    let supported = neighbour || cjk_next_to(c);
    let (before, after) = (letter(text[..c.start].chars().next_back()), letter(text[c.end..].chars().next()));
    // A lone character made only of a lead and marks the later
    // stages write themselves (`…“”‘’—·`, spaces) is never one:
    // `é ...` cleaned is `é ……`, which must not read as `項……`
    // the second time.
    let only_marks = text[c.start..c.end]
        .chars()
        .skip(1)
        .all(|ch| matches!(ch, '…' | '“' | '”' | '‘' | '’' | '·' | '—' | ' '));
    // Two-byte characters: a run of several, or one that a letter or
    // a repaired run next to it supports when it is made of such
    // marks (`ESPAÃ‘A`; not `Ä”`, which the punctuation stage
    // writes for `Ä」`) or decodes to a letter of another alphabet
    // (a word of Greek or Arabic has several, a Greek letter inside
    // a Latin name has letters around it: `Ø·` alone is no `ط`).
    let narrow_ok =
        c.narrow > 1 || c.wide > 0 || before || after || neighbour || (!only_marks && !other_alphabet(c));
    // A space read as a no-break space is a guess that needs more
    // than one character in its own run: the spacing stage turns a
    // tab into a space (`ë\t•` must not read as `렕` the second
    // time), and joined lines bring runs near each other (`é Œ` on
    // two lines must not read as `頌` once they are one).
    let stand_in_ok = !c.stand_in || c.wide >= 2;
    stand_in_ok
        && ((c.narrow > 0 && narrow_ok && (!control(c) || neighbour || c.narrow > 1))
            || c.wide >= 2
            || (!only_marks && ((!before && (!after || supported)) || (before && supported && unusual(c)))))
}

/// Collects the run that starts at byte `at` of `text` (each character
/// written back as the byte it was decoded from) and decodes every
/// plausible UTF-8 sequence in it.
fn decode_run(text: &str, at: usize) -> Candidate {
    let mut run: Vec<u8> = Vec::new();
    // The text offset of each byte's character.
    let mut offsets: Vec<usize> = Vec::new();
    // Continuation bytes still expected by the last lead byte, and whether
    // that lead starts a sequence of three or four bytes.
    let mut pending = 0u8;
    let mut wide = false;
    // Which bytes of the run stand for a space read as a no-break space.
    let mut stand_ins: Vec<bool> = Vec::new();
    let mut end = at;
    let mut chars = text[at..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let b = match byte_of(c) {
            Some(b) => b,
            // A space where a sequence of three or four bytes expects a
            // continuation byte, and more mojibake follows, was a no-break
            // space (A0) that something turned into a space. (Not in
            // two-byte sequences: `× ¼` is not Hebrew; not before another
            // space: `é  ` is a letter and spaces.)
            None if c == ' '
                && pending > 0
                && wide
                && chars.peek().is_some_and(|&(_, n)| byte_of(n).is_some()) =>
            {
                0xA0
            }
            None => break,
        };
        (pending, wide) = match (b, crate::bytes::lead_len(b)) {
            (0x80..=0xBF, _) if pending > 0 => (pending - 1, wide),
            (_, Some(n @ 2..)) => (n as u8 - 1, n > 2),
            _ => (0, false),
        };
        run.push(b);
        stand_ins.push(c == ' ');
        offsets.push(at + i);
        end = at + i + c.len_utf8();
    }
    offsets.push(end);
    let mut cand = Candidate { start: at, end, out: String::new(), wide: 0, narrow: 0, stand_in: false };
    let mut k = 0;
    while k < run.len() {
        let found = sequence_at(&run, k).filter(|&(c, n)| {
            // A combining mark needs a letter to sit on, and a word around
            // it: the run repaired something already, or a letter follows
            // (`tsaÌ\u{8D}p` is `tsa̍p`; `AQUÍ”` is Spanish).
            !unicode_normalization::char::is_combining_mark(c) || {
                let before = cand.out.chars().next_back().or_else(|| text[..at].chars().next_back());
                let after = if k + n < run.len() {
                    text[offsets[k + n]..].chars().next()
                } else {
                    text[end..].chars().next()
                };
                before.is_some_and(char::is_alphabetic)
                    && (cand.narrow + cand.wide > 0 || after.is_some_and(char::is_alphabetic))
            }
        });
        if let Some((c, n)) = found {
            cand.out.push(c);
            cand.stand_in |= stand_ins[k..k + n].contains(&true);
            if n == 2 {
                cand.narrow += 1;
            } else {
                cand.wide += 1;
            }
            k += n;
        } else {
            cand.out.push_str(&text[offsets[k]..offsets[k + 1]]);
            k += 1;
        }
    }
    cand
}

/// The plausible character whose UTF-8 form starts at `bytes[k]`, and its
/// length (see the module docs for what is plausible).
fn sequence_at(bytes: &[u8], k: usize) -> Option<(char, usize)> {
    let n = crate::bytes::lead_len(bytes[k]).filter(|&n| n > 1)?;
    let s = std::str::from_utf8(bytes.get(k..k + n)?).ok()?;
    let c = s.chars().next()?;
    let plausible = match n {
        // The leads of Latin-1, Latin Extended-A, Greek, Cyrillic, Hebrew
        // and Arabic letters (`Ã©` is `é`); or a character Windows-1252
        // writes as one byte (`ˆ`, `˜`: a round of mojibake under another).
        // And a combining mark (`tsa̍p`). Not the rest of the range: `Ç’a`
        // is French, not `ǒa`; and of Greek, Cyrillic, Hebrew and Arabic
        // only letters (`×·` would be U+05F7, unassigned).
        2 => {
            (matches!(bytes[k], 0xC2..=0xC5)
                || (matches!(bytes[k], 0xCE..=0xD1 | 0xD7..=0xD9) && c.is_alphabetic()))
                || byte_of(c).is_some()
                || unicode_normalization::char::is_combining_mark(c)
        }
        // Vietnamese letters, punctuation and symbols, CJK, Hangul,
        // fullwidth forms, emoji.
        // Not the scripts right after U+0800: `à « »` with no-break spaces
        // is French, not Samaritan.
        _ => matches!(c,
            '\u{1E00}'..='\u{1EFF}'
                | '\u{2000}'..='\u{2BFF}'
                | '\u{2E80}'..='\u{9FFF}'
                | '\u{AC00}'..='\u{D7AF}'
                | '\u{F900}'..='\u{FAFF}'
                | '\u{FE30}'..='\u{FE4F}'
                | '\u{FF00}'..='\u{FFEF}'
                | '\u{1F000}'..='\u{1FAFF}'
                | '\u{20000}'..='\u{3FFFF}'),
    };
    plausible.then_some((c, n))
}

/// Whether `a` followed by `b` reads as a mis-decoded two-byte character:
/// `a` is one of `Â`–`ß` (the lead bytes C2–DF read as Latin-1) and `b` a
/// character Windows-1252 writes as a continuation byte (80–BF: `·`, `²`,
/// `…`, `“`). The later stages never glue such a pair (the repair would
/// take it for one character when the text is cleaned again).
pub(crate) fn reads_mis_decoded(a: char, b: char) -> bool {
    ('\u{C2}'..='\u{DF}').contains(&a) && byte_of(b).is_some_and(|x| (0x80..=0xBF).contains(&x))
}

/// Whether taking out a space between `before` (the text before it, as
/// written so far, in pieces) and `after` (the rest of the line) would
/// change what the repair makes of the text around it: a mis-decoded
/// character across the junction (`é‘` + `•` is `鑕`, E9 91 95, also when
/// an earlier gap brought `é` and `·` together: `é·` + `§`), or a letter or
/// an ideograph glued on that supports the repair of a run standing alone
/// (`é—…Ž•` + `生`). The later stages keep such a space, or the repair
/// would change the text when it is cleaned again. The repair itself is
/// the oracle, on 64 bytes each side (more than its neighbourhood); text
/// without a character a mis-decoded run starts with (U+00C0–U+00FF, all
/// written `C3 xx`) is passed by at once.
pub(crate) fn glue_repairs(before: [&str; 2], after: &str) -> bool {
    let has_lead = |s: &str| memchr::memchr(0xC3, s.as_bytes()).is_some();
    let Some((b0, b1, a)) = junction(before, after, |p| p.iter().any(|s| has_lead(s)) || cjk::suspect_in(p))
    else {
        return false;
    };
    let glued = format!("{b0}{b1}{a}");
    let spaced = format!("{b0}{b1} {a}");
    match repair(&glued) {
        Cow::Borrowed(_) => false,
        // (The two differ by one space: spaces aside, a repair that acts
        // alike on both gives the same text.)
        Cow::Owned(g) => g.replace(' ', "") != repair(&spaced).replace(' ', ""),
    }
}

/// The [`SIDE`] bytes each side of a junction in the text as written so
/// far (`before`, in pieces) and the rest of the line (`after`), when both
/// sides have text and one of the three pieces passes `may_start` (a
/// character a run may start at): what the junction oracles repair.
fn junction<'a>(
    before: [&'a str; 2],
    after: &'a str,
    may_start: impl Fn(&[&str; 3]) -> bool,
) -> Option<(&'a str, &'a str, &'a str)> {
    let b1 = tail(before[1], SIDE);
    let b0 = tail(before[0], SIDE - b1.len());
    let a = head(after, SIDE);
    let empty = a.is_empty() || (b0.is_empty() && b1.is_empty());
    (!empty && may_start(&[b0, b1, a])).then_some((b0, b1, a))
}

/// Whether writing one space for the whitespace run `run` between
/// `before` (the text as written so far, in pieces) and `after` would
/// change what the repair makes of the text around it: one space can stand
/// for a no-break space where two could not (`é  §â §` is left alone, `é
/// §â §` reads as `頧⠧`), so the spacing stage keeps such a run as it is.
/// The repair is the oracle, on [`SIDE`] bytes each side; spaces and tabs
/// aside, the two texts must repair alike.
pub(crate) fn single_space_repairs(before: [&str; 2], run: &str, after: &str) -> bool {
    let may_start = |p: &[&str; 3]| {
        p.iter().any(|s| may_repair(s))
            || cjk::suspect_in(p)
            || (!run.is_ascii() && cjk::suspect_in(&[p[0], p[1], run, p[2]]))
    };
    let Some((b0, b1, a)) = junction(before, after, may_start) else {
        return false;
    };
    let strip = |s: &str| s.replace([' ', '\t'], "");
    match repair(&format!("{b0}{b1} {a}")) {
        Cow::Borrowed(_) => false,
        Cow::Owned(one) => strip(&one) != strip(&repair(&format!("{b0}{b1}{run}{a}"))),
    }
}

/// Whether joining `before` and `after` with ASCII between them may change
/// what the repair makes of them at all: the two sides have text, and a
/// character a single-byte run starts with (`C3 xx`, or a letter with a
/// combining mark, `CC xx`, `CD xx`) or a line the double-byte repair
/// looks at ([`cjk::suspect_in`]) within [`SIDE`] bytes of the junction.
/// Text without either is passed by at once.
pub(crate) fn join_may_change_repair(before: &str, after: &str) -> bool {
    let (b, a) = (tail(before, SIDE), head(after, SIDE));
    !a.is_empty() && !b.is_empty() && (may_repair(b) || may_repair(a) || cjk::suspect_in(&[b, a]))
}

/// Whether joining two lines, `before` and `after`, with `join` between
/// them would change what the repair makes of them: the repair of the
/// joined text differs from the repairs of the two apart. Either halves of
/// a run meet (`…é—…` + `Ž•`), or runs on two lines, each too weak to be
/// repaired alone, support each other once on one line (`nné—…Ž•` + ` ` +
/// `nné—…Ž•`). The repair is the oracle, on [`SIDE`] bytes each side.
/// `join` is ASCII; [`join_may_change_repair`] of the two sides comes
/// first (one test for every join tried between them).
pub(crate) fn join_changes_repair(before: &str, join: &str, after: &str) -> bool {
    debug_assert!(join.is_ascii());
    let (b, a) = (tail(before, SIDE), head(after, SIDE));
    match repair(&format!("{b}{join}{a}")) {
        Cow::Borrowed(_) => false,
        Cow::Owned(joined) => joined != format!("{}{join}{}", repair(b), repair(a)),
    }
}

/// Whether writing `new` in place of `old`, between `before` (the text as
/// written so far, in pieces) and `after`, would make the repair act where
/// it did not: the punctuation stage must not complete a run the repair
/// left alone (`CØ•é · ` keeps its weak run `Ø•`; with the middle dot
/// written `‧`, the run reads as `ؕ`), or the next cleaning would repair
/// what this one kept. The repair is the oracle, on [`SIDE`] bytes each
/// side; text without a character a run starts with is passed by at once.
///
/// The question is asked of the window as it is and again with its spaces
/// and tabs taken out, and either answer refuses: the spacing stage, which
/// runs later, adds and removes spaces (`Ž朗` becomes `Ž 朗` under the
/// `pangu` policy), and the next cleaning must give the same answer on the
/// spaced form as this one gives on the unspaced one. Spaces aside, the two
/// passes see the same window.
pub(crate) fn rewrite_changes_repair(before: [&str; 2], old: &str, new: &str, after: &str) -> bool {
    let b1 = tail(before[1], SIDE);
    let b0 = tail(before[0], SIDE - b1.len());
    let a = head(after, SIDE);
    if !(may_repair(b0)
        || may_repair(b1)
        || may_repair(a)
        || may_repair(new)
        || cjk::suspect_in(&[b0, b1, new, a]))
    {
        return false;
    }
    let completes = |now: String, was: String| {
        matches!(repair(&now), Cow::Owned(r) if r != now) && matches!(repair(&was), Cow::Borrowed(_))
    };
    let strip = |s: String| s.replace([' ', '\t'], "");
    let (now, was) = (format!("{b0}{b1}{new}{a}"), format!("{b0}{b1}{old}{a}"));
    completes(strip(now.clone()), strip(was.clone())) || completes(now, was)
}

/// How many bytes each side of a junction the repair oracles look at: more
/// than the repair's own neighbourhood.
const SIDE: usize = 64;

/// The last `n` bytes of `s` or fewer, from a character boundary.
fn tail(s: &str, n: usize) -> &str {
    let mut i = s.len().saturating_sub(n);
    while !s.is_char_boundary(i) {
        i += 1;
    }
    &s[i..]
}

/// The first `n` bytes of `s` or fewer, to a character boundary.
fn head(s: &str, n: usize) -> &str {
    let mut end = s.len().min(n);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Whether `c` may be part of a mis-decoded run or of the letter one
/// starts with: a character U+0080–U+036F (Latin-1, Latin Extended,
/// spacing modifiers, combining marks) or one Windows-1252 writes as one
/// byte. Text without any is left alone by [`repair`], whatever surrounds
/// it (the streaming reader cuts long lines only in such text).
pub(crate) fn may_belong(c: char) -> bool {
    ('\u{80}'..='\u{36F}').contains(&c) || byte_of(c).is_some()
}

/// The byte Windows-1252 (or Latin-1, where Windows-1252 has no character)
/// decodes as `c`, if any: what a mis-decoded byte came from.
fn byte_of(c: char) -> Option<u8> {
    let u = c as u32;
    if (0x80..=0xFF).contains(&u) {
        return Some(u as u8);
    }
    let b = match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    };
    Some(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The corruption itself: `s` written as UTF-8 and read as
    /// Windows-1252 (Latin-1 for the bytes it leaves undefined).
    fn garble(s: &str) -> String {
        const SPECIALS: &str = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ";
        s.bytes()
            .map(|b| SPECIALS.chars().find(|&c| byte_of(c) == Some(b)).unwrap_or(char::from(b)))
            .collect()
    }

    #[test]
    fn utf8_read_as_windows_1252() {
        assert_eq!(repair("é¦™æ¸¯"), "香港");
        assert_eq!(repair("ï¼ˆé¦™æ¸¯ï¼Œ2023å¹´11æœˆ10æ—¥ï¼‰"), "（香港，2023年11月10日）");
    }

    #[test]
    fn a_lone_two_byte_character_of_marks_or_of_another_alphabet_needs_support() {
        // Marks the later stages write (`”`, `…`, `·`): a letter or a
        // repaired run must be next to it.
        assert_eq!(repair("香Ä”"), "香Ä”");
        assert_eq!(repair("Â…香"), "Â…香");
        assert_eq!(repair("ESPAÃ‘A"), "ESPAÑA");
        // A letter of another alphabet alone: no word.
        assert_eq!(repair("U.S.Ø·香"), "U.S.Ø·香");
        assert_eq!(repair("IL2RÎ³cKO"), "IL2RγcKO");
        assert_eq!(repair("Ø·Ù„Ø¨"), "طلب");
    }

    #[test]
    fn a_lone_control_is_no_repair() {
        assert_eq!(repair("Â…AI"), "Â…AI");
        assert_eq!(repair("香Â“A"), "香Â“A");
        assert!(reads_mis_decoded('Â', '²') && reads_mis_decoded('Ø', '·') && !reads_mis_decoded('A', '·'));
        // Three bytes across the junction; a glued ideograph that supports
        // a repair; an earlier gap's removal counted.
        assert!(glue_repairs(["", "é‘"], "•"));
        assert!(glue_repairs(["", "é"], "‘•"));
        assert!(glue_repairs(["x é·", ""], "§ 香"));
        assert!(glue_repairs(["", "nné—…Ž•"], "生"));
        assert!(!glue_repairs(["", "café"], "‘quoted’"));
        assert!(!glue_repairs(["", "香港"], "九龍"));
        assert!(!glue_repairs(["", ""], "•"));
        // Repaired alike with or without the space: no matter.
        assert!(!glue_repairs(["", "é¦™æ¸¯"], "香港"));
    }

    #[test]
    fn joins_that_change_the_repair() {
        // Halves of a run, with no space and with one.
        assert!(join_changes_repair("é‘", "", "•"));
        assert!(join_changes_repair("nné—…Ž•", "", "生"));
        assert!(!join_changes_repair("nné—…Ž•", " ", "生"));
        // Two weak runs, each kept alone, repaired once on one line.
        assert_eq!(repair("nné—…Ž•"), "nné—…Ž•");
        assert_ne!(repair("nné—…Ž• nné—…Ž•"), "nné—…Ž• nné—…Ž•");
        assert!(join_changes_repair("nné—…Ž•", " ", "nné—…Ž•"));
        // A run repaired alike apart and joined; text with nothing to repair.
        assert!(!join_changes_repair("é¦™æ¸¯", "", "香港"));
        assert!(!join_changes_repair("café", " ", "au lait"));
        assert!(!join_changes_repair("香港", "", "九龍"));
        assert!(!join_changes_repair("", "", "nné—…Ž•"));
        // The test that comes first: a run may start, or a double-byte line
        // is near (two rare characters among three, across the junction
        // too: `鍔涗績` is `力促` read as GBK), or neither.
        assert!(join_may_change_repair("nné—…Ž•", "生"));
        assert!(join_may_change_repair("棣欐腐", "鐢熺敘"));
        assert!(join_may_change_repair("香港 鐢", "熺 生產"));
        assert!(!join_may_change_repair("香港☆", "九龍☆"));
        assert!(!join_may_change_repair("香港", "九龍"));
        assert!(!join_may_change_repair("", "nné—…Ž•"));
    }

    #[test]
    fn rewrites_that_complete_a_run() {
        // `‧` for `·` ends the run `Ø•é ·` before `é`: `Ø•` alone repairs.
        assert!(rewrite_changes_repair(["", "CØ•é "], "·", "‧", " "));
        // A run the repair already acts on, or none near: no matter.
        assert!(!rewrite_changes_repair(["", "é¦™æ¸¯ "], "·", "‧", " "));
        assert!(!rewrite_changes_repair(["", "香港 "], "·", "‧", " 九龍"));
        assert!(!rewrite_changes_repair(["", "café"], ",", "，", "香港"));
        // `é—·` reads as `闷` beside `朗`, not beside `Ž 朗`: the answer is
        // the same whether the spacing stage has put the space in or not.
        assert!(rewrite_changes_repair(["", "各né—"], "‧", "·", "Ž朗"));
        assert!(rewrite_changes_repair(["", "各 né—"], "‧", "·", "Ž 朗"));
        assert!(rewrite_changes_repair(["各 ", "né—"], "‧", "·", "Ž\t朗"));
        // With nothing to support the run, spaced or not, the mark is free.
        assert!(!rewrite_changes_repair(["", "né—"], "‧", "·", "Ž abc"));
    }

    #[test]
    fn cjk_punctuation_is_no_support() {
        // After a letter, a lone wide character needs an ideograph next to
        // it; a `（` the punctuation stage may have made of `(` is none.
        for text in ["nné‘•(x", "nné‘•（x"] {
            assert!(matches!(repair(text), Cow::Borrowed(_)), "{text:?}");
        }
        assert_eq!(repair("nné‘•香"), "nn鑕香");
    }

    #[test]
    fn clean_text_is_borrowed() {
        for clean in [
            "香港生產力促進局（生產力局）",
            "Dündar, Benoît, tsa̍p-gōo, São Paulo, Ærøskøbing, naïve café",
            "€100 ± 5 °C, ½ × ¼ ≤ π, “引號”……—— • ™ ©",
            "日本語のテキスト、한국어 텍스트 😀👨\u{200D}👩\u{200D}👧",
            "À la carte; Ça va? Ôtez-vous; Éric Âge Ñandú",
        ] {
            assert!(matches!(repair(clean), Cow::Borrowed(_)), "{clean:?} -> {:?}", repair(clean));
        }
    }

    #[test]
    fn implausible_sequences_stay() {
        // Decodes to a private-use character: not mojibake of text.
        assert!(matches!(repair("î€€"), Cow::Borrowed(_)));
        // A lead byte without its continuation bytes.
        assert!(matches!(repair("é香港"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_single_character_needs_support() {
        assert_eq!(repair("香港é¦™ café”… café ½ AIï¼Œ"), "香港香 café”… café ½ AI，");
        // A lone character made of marks the later stages write: never.
        for clean in ["豈 é ……豈", "x é…… y", "香 è“” 港"] {
            assert!(matches!(repair(clean), Cow::Borrowed(_)), "{clean:?} -> {:?}", repair(clean));
        }
        // `é …` is E9 A0 85, `項`; `é…”` is E9 85 94, `醔`.
        for clean in [
            "café … and more",
            "Café…” she said",
            "voilà\u{A0}«\u{A0}oui\u{A0}»",
            "à « oui »",
            "Ç’a été",
            "«\u{A0}ÉTÉ\u{A0}»",
            "É… é…",
        ] {
            assert!(matches!(repair(clean), Cow::Borrowed(_)), "{clean:?} -> {:?}", repair(clean));
        }
        // Digits between single characters: one span.
        assert_eq!(repair("2023å¹´11æœˆ10æ—¥"), "2023年11月10日");
        // Next to CJK text.
        assert_eq!(repair("香æ¸¯"), "香港");
    }

    #[test]
    fn combining_marks() {
        assert_eq!(repair("tsaÌ\u{8D}p-gÅ\u{8D}Í˜"), "tsa\u{30D}p-gō\u{358}");
        // A mark with no word around it is not one.
        for clean in ["“AQUÍ”", "AQUÍ” dijo", "A.Í”_A"] {
            assert!(matches!(repair(clean), Cow::Borrowed(_)), "{clean:?} -> {:?}", repair(clean));
        }
        // Decomposed input reads as composed, so that the output of
        // hygiene (NFC) is decided alike.
        assert!(matches!(repair("A.I\u{301}”_A"), Cow::Borrowed(_)));
        assert_eq!(repair("e\u{301}\u{A6}\u{2122}"), "香");
    }

    #[test]
    fn latin_mojibake() {
        assert_eq!(repair("cafÃ© naÃ¯ve"), "café naïve");
        assert_eq!(repair("Ã‰ric"), "Éric");
    }

    #[test]
    fn garble_is_the_corruption() {
        assert_eq!(garble("香港"), "é¦™æ¸¯");
    }
}
