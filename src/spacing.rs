//! Stage 5: spacing — decide every whitespace run.
//!
//! Word segmenters, PDF extractors and bigram indexers leave spaces between
//! the words of Chinese text (`香港 生產 力促 進局`, `生 產 力 局`). The
//! spacing stage looks at each run of spaces and tabs in a line, at the
//! characters on either side (and, for a few rules, one token further), and
//! decides: **remove** it, **keep** it, or make it a **single** space.
//!
//! ## Spuriously spaced or clean?
//!
//! The same run means different things in different documents. In a
//! segmenter's output `AI 的` is an artifact; in Taiwanese prose written with
//! spaces around English words it is intended. [`DocStats::measure`] counts,
//! over the whole document, how many pairs of adjacent CJK characters
//! (ideographs and CJK punctuation: `香 港`, `（ 香`) are separated by a
//! space. Clean Chinese text has almost none — not even Taiwanese text that
//! spaces its English words; segmented text has a space at a third or more of
//! them. A document is *spaced* when at least 15 % of its CJK pairs are.
//!
//! A segmented page dumped by a text browser may have lost its CJK–CJK
//! spaces (w3m drops them) and kept the ones inside Latin text: `( IDE )`,
//! `Kubernetes , Rails`, `100 %`, `PyErr _ Print`. No writer puts those
//! spaces there, so a few of them ([`DocStats::has_token_debris`]) make the
//! document count as spaced as well.
//!
//! Segmenters that emit whitespace as a token of its own leave the original
//! spaces as *wide gaps* (`News   2023`): when a spaced document contains runs
//! of two or more spaces, those runs are taken to be the original spaces and
//! single spaces between words to be artifacts.
//!
//! ## The rules, in order
//!
//! 1. Next to fullwidth CJK punctuation (`，` `（` `「` …), or between two
//!    ideographs: remove. Shared punctuation (`·` `—` `…` curly quotes) next
//!    to an ideograph or to each other: remove.
//! 2. Between an ideograph and a Latin letter or digit: the
//!    [`CjkLatinSpace`] policy — remove, keep, or exactly one space (`pangu`);
//!    `auto` removes in spaced documents and keeps in clean ones.
//! 3. Between an ideograph and a symbol: removed in spaced documents.
//! 4. Between two Latin tokens, in spaced documents only — clean documents
//!    keep their Western spacing as it is — tokenizer artifacts are repaired:
//!    * a space before `) ] } , . ; : ! ? % '` and after `( [ {` goes;
//!    * joiners take no spaces: `- _ @ / + & ~ = * ^ | \ $ #`, so
//!      `2024 - 2025` → `2024-2025`, `AIR @ InnoHK` → `AIR@InnoHK`,
//!      `$ 16` → `$16`;
//!    * `4 . 0` → `4.0`, `1 , 000` → `1,000`, `0 : 00` → `0:00`;
//!    * abbreviations: `U . S . News` → `U.S. News`, `St . Rastislav` →
//!      `St. Rastislav` (a space stays before a following word);
//!    * single letters split apart: `A I` → `AI`, `3 D` → `3D` (not when a
//!      longer word precedes, as in `Vitamin B 12`);
//!    * otherwise one space: `RWTH Aachen Campus`, `U.S. News 2023`.
//!
//! Leading and trailing whitespace of a line is removed in spaced documents.
//!
//! ## Cost
//!
//! The pass walks the line once, jumping from one whitespace byte to the
//! next; each decision looks at most one token to either side. Nothing is
//! allocated unless a run changes.

use std::borrow::Cow;

use crate::chars::{Class, class, class_at, is_currency};
use crate::edit::Edit;

/// What to do with a space between an ideograph and a Latin letter or digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum CjkLatinSpace {
    /// `remove` in spuriously spaced documents, `keep` in clean ones.
    #[default]
    Auto,
    /// `AI 的` → `AI的`.
    Remove,
    /// Leave such spaces as they are.
    Keep,
    /// Exactly one space: `AI的` → `AI 的`, `AI   的` → `AI 的`.
    Pangu,
}

/// Whitespace statistics of a whole document, measured once before the
/// spacing stage runs on its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DocStats {
    /// Pairs of CJK characters (ideographs or CJK punctuation) with nothing
    /// between them.
    pub tight_cjk_pairs: usize,
    /// Pairs of CJK characters separated only by spaces or tabs.
    pub spaced_cjk_pairs: usize,
    /// Ideographs next to a Latin letter or digit with nothing between them.
    pub tight_cjk_latin: usize,
    /// Ideographs and Latin letters or digits separated by spaces.
    pub spaced_cjk_latin: usize,
    /// Runs of exactly one space between two non-space characters.
    pub single_gaps: usize,
    /// Runs of two or more spaces between two non-space characters.
    pub wide_gaps: usize,
    /// Spaces that only a tokenizer leaves in Latin text, where no writer
    /// puts one: before `, ; . ) ] %` after a letter or digit, after `( [`
    /// before one, inside `( )`, around `_` in a name (`PyErr _ Print`).
    pub token_debris: usize,
}

impl DocStats {
    /// Counts ideograph pairs and gaps in `text`.
    ///
    /// ```
    /// use zh_clean::spacing::DocStats;
    /// assert!(DocStats::measure("香港 生產 力促 進局").is_spaced());
    /// assert!(!DocStats::measure("使用 Python 寫程式").is_spaced());
    /// ```
    pub fn measure(text: &str) -> DocStats {
        DocStats::measure_with::<true>(text)
    }

    /// [`DocStats::measure`], with (`SKIP`) or without the pass over runs of
    /// ideographs: without, every character goes through the general case,
    /// the test oracle of the skip.
    fn measure_with<const SKIP: bool>(text: &str) -> DocStats {
        let mut s = DocStats::default();
        // The class of the last non-space character of the line, if any.
        let mut prev: Option<Class> = None;
        // Where the last non-space character starts (decoded only when a
        // single gap follows it).
        let mut prev_at: Option<usize> = None;
        let mut gap = 0usize;
        // The inline code of the line a backtick was last met in (where
        // the line starts, and the spans in it): code's spaces are the
        // program's, no evidence of spacing.
        let mut code: Option<(usize, Vec<(usize, usize)>)> = None;
        let mut line_start = 0;
        let mut i = 0;
        while i < text.len() {
            if text.as_bytes()[i] == b'`' {
                if code.as_ref().is_none_or(|(start, _)| *start != line_start) {
                    let line_end = memchr::memchr(b'\n', &text.as_bytes()[i..]).map_or(text.len(), |p| i + p);
                    code = Some((line_start, crate::links::code_spans(&text[line_start..line_end])));
                }
                let span_end = code.as_ref().and_then(|(start, spans)| {
                    spans.iter().find(|&&(s, _)| start + s == i).map(|&(_, e)| start + e)
                });
                if let Some(end) = span_end {
                    // The span counts as one character that is no evidence.
                    prev = Some(Class::Other);
                    prev_at = Some(i);
                    gap = 0;
                    i = end;
                    continue;
                }
            }
            let (cls, len) = class_at(text, i);
            i += len;
            match cls {
                Class::Space => gap += 1,
                Class::Other if len == 1 && text.as_bytes()[i - 1] == b'\n' => {
                    line_start = i;
                    prev = None;
                    prev_at = None;
                    gap = 0;
                }
                _ => {
                    // A list marker that starts a line (`•`, `1.`, `（1）`):
                    // the space after it is the marker's (the structure
                    // stage writes it), not evidence of spacing.
                    if prev.is_none()
                        && let Some(end) = line_marker_end(text, i - len)
                    {
                        i = end;
                        gap = 0;
                        continue;
                    }
                    if let Some(p) = prev {
                        s.count(text, (line_start, prev_at), p, (cls, i - len), gap);
                    }
                    prev = Some(cls);
                    prev_at = Some(i - len);
                    gap = 0;
                    // A run of ideographs straight after CJK text: each one
                    // is a tight CJK pair and nothing else (what `count`
                    // does for it).
                    if SKIP && matches!(cls, Class::Han | Class::CjkPunct) {
                        let past = crate::bytes::skip_ideographs(text.as_bytes(), i);
                        if past > i {
                            s.tight_cjk_pairs += (past - i) / 3;
                            prev = Some(Class::Han);
                            prev_at = Some(past - 3);
                            i = past;
                        }
                    }
                }
            }
        }
        s
    }

    /// Counts the pair of a character of class `p`, the last one before a
    /// gap of `gap` spaces (at `prev_at`, in the line that starts at
    /// `line_start`), and one of class `cls` at byte `at`.
    fn count(
        &mut self,
        text: &str,
        (line_start, prev_at): (usize, Option<usize>),
        p: Class,
        (cls, at): (Class, usize),
        gap: usize,
    ) {
        let cjk = |c: Class| matches!(c, Class::Han | Class::CjkPunct);
        if cjk(p) && cjk(cls) {
            if gap == 0 {
                self.tight_cjk_pairs += 1;
            } else if !prev_at.is_some_and(|k| ends_a_link(text, line_start, k)) {
                // (A space after a link ending in an ideograph is the
                // link's, rule 0.)
                self.spaced_cjk_pairs += 1;
            }
        } else if (p == Class::Han && cls == Class::Alnum) || (p == Class::Alnum && cls == Class::Han) {
            if gap == 0 {
                self.tight_cjk_latin += 1;
            } else {
                self.spaced_cjk_latin += 1;
            }
        }
        match gap {
            0 => {}
            1 => {
                self.single_gaps += 1;
                let char_at = |k: usize| text[k..].chars().next().unwrap_or(' ');
                let before = prev_at.map_or('\n', char_at);
                self.token_debris += usize::from(token_debris(before, char_at(at)));
            }
            _ => self.wide_gaps += 1,
        }
    }

    /// True when spaces between CJK characters are common enough to be
    /// artifacts (at least 15 % of CJK pairs).
    pub fn is_spaced(&self) -> bool {
        let total = self.tight_cjk_pairs + self.spaced_cjk_pairs;
        self.spaced_cjk_pairs > 0 && self.spaced_cjk_pairs * 100 >= total * 15
    }

    /// True when nearly every pair of CJK characters is spaced (nine in
    /// ten, at least four): text spaced character by character, as PDF
    /// extraction leaves it, rather than word by word.
    pub fn is_letter_spaced(&self) -> bool {
        self.spaced_cjk_pairs >= 4 && self.spaced_cjk_pairs >= 9 * self.tight_cjk_pairs
    }

    /// True when the document usually separates ideographs from Latin
    /// letters and digits with a space (Taiwanese style, or any spuriously
    /// spaced text).
    pub fn spaces_cjk_and_latin(&self) -> bool {
        self.spaced_cjk_latin > self.tight_cjk_latin
    }

    /// True when spaces inside Latin tokens show a tokenizer at work even
    /// though the CJK pairs are not spaced (a text browser removed those
    /// spaces from a segmented page): at least two such spaces, and at
    /// least one single gap in fifty.
    pub fn has_token_debris(&self) -> bool {
        self.token_debris >= 2 && self.token_debris * 50 >= self.single_gaps
    }

    /// True when a spaced document preserves its original spaces as runs of
    /// two or more spaces.
    pub fn has_wide_gaps(&self) -> bool {
        self.is_spaced() && self.wide_gaps > 0 && self.wide_gaps < self.single_gaps
    }
}

/// Whether the character at `at` ends a link: the token it ends (from the
/// last space or tab of its line, which starts at `line_start`) ends with
/// one.
fn ends_a_link(text: &str, line_start: usize, at: usize) -> bool {
    let end = at + text[at..].chars().next().map_or(0, char::len_utf8);
    let token_start = memchr::memrchr2(b' ', b'\t', &text.as_bytes()[line_start..at])
        .map_or(line_start, |p| line_start + p + 1);
    token_ends_link(&text[token_start..end])
}

/// Whether `token` (text without whitespace) ends with a link; a token
/// without a dot has none, which spares the link scan nearly always.
fn token_ends_link(token: &str) -> bool {
    memchr::memchr(b'.', token.as_bytes()).is_some() && crate::links::ends_with_link(token)
}

/// Where the text after a list marker starting at `at` (the first
/// non-space character of a line) begins, if one does.
fn line_marker_end(text: &str, at: usize) -> Option<usize> {
    let b = text.as_bytes()[at];
    // Only the characters a marker can start with reach the full test
    // (not a heading's `#` nor a quote's `>`: their spaces are spacing's).
    let may_start = b.is_ascii_digit()
        || matches!(b, b'-' | b'*' | b'+' | b'(')
        || (b >= 0x80 && crate::structure::may_start_marker(crate::bytes::decode_at(text, at).0));
    if !may_start {
        return None;
    }
    let line_end = memchr::memchr(b'\n', &text.as_bytes()[at..]).map_or(text.len(), |p| at + p);
    crate::structure::marker_end(text[at..line_end].trim_end()).map(|end| at + end)
}

/// The spacing stage configured for one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spacer {
    spaced: bool,
    wide_gaps: bool,
    letter_spaced: bool,
    policy: CjkLatinSpace,
}

/// The decision for one whitespace run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    Remove,
    /// Leave the run exactly as it is.
    Keep,
    /// Make it one ASCII space.
    Single,
}

impl Spacer {
    /// A spacer for a document with the given statistics.
    pub fn new(stats: &DocStats, policy: CjkLatinSpace) -> Spacer {
        Spacer {
            spaced: stats.is_spaced() || stats.has_token_debris(),
            wide_gaps: stats.has_wide_gaps(),
            letter_spaced: stats.is_letter_spaced(),
            policy,
        }
    }

    /// Whether the document was found to be spuriously spaced.
    pub fn is_spaced(&self) -> bool {
        self.spaced
    }

    /// Decides every whitespace run of `line` (a line without `\n`).
    ///
    /// ```
    /// use zh_clean::spacing::{CjkLatinSpace, DocStats, Spacer};
    /// let line = "（ 香港 ， 2023年 11月 10日 ） 49 % 受訪 U . S . News 2023 全球";
    /// let spacer = Spacer::new(&DocStats::measure(line), CjkLatinSpace::Auto);
    /// assert_eq!(spacer.fix(line), "（香港，2023年11月10日）49%受訪U.S. News 2023全球");
    /// ```
    pub fn fix<'a>(&self, line: &'a str) -> Cow<'a, str> {
        let bytes = line.as_bytes();
        let mut edit = Edit::new(line);
        let mut chunk_start = 0usize;
        let mut before_left = "";
        let count_quotes = memchr::memchr(b'"', bytes).is_some();
        let mut quotes = 0usize;
        // Inline code keeps its spaces (see `crate::links`); a table row
        // keeps one space by each `|`.
        let code = crate::links::code_spans(line);
        let table_row = line.starts_with('|') && line.trim_end().ends_with('|') && line.len() > 1;
        // Whether the line has a character a mis-decoded run may start at
        // (asked at the first gap that needs it): the repair oracles below
        // can act only then, as no spacing decision writes one.
        let mut may_repair: Option<bool> = None;
        let mut i = find_ws(bytes, 0);
        while let Some(ws) = i {
            let ws_end = skip_ws(bytes, ws);
            let left = &line[chunk_start..ws];
            let right_end = find_ws(bytes, ws_end).unwrap_or(bytes.len());
            let right = &line[ws_end..right_end];
            if count_quotes {
                quotes += left.bytes().filter(|&b| b == b'"').count();
            }
            let in_code = code.iter().any(|&(s, e)| s < ws && ws < e);
            let by_bar = table_row && (left.ends_with('|') || right.starts_with('|'));
            if in_code || by_bar {
                if by_bar && !in_code && ws_end > ws + 1 && self.spaced {
                    edit.replace(ws, ws_end, " ");
                }
                before_left = left;
                chunk_start = ws_end;
                i = if right_end < bytes.len() { Some(right_end) } else { None };
                continue;
            }
            // The common case of spaced text, decided from the bytes alone:
            // ideographs or CJK punctuation on both sides (rule 1).
            // (Not after a link: rule 0 keeps that space.)
            if cjk_ends_at(bytes, ws) && cjk_starts_at(bytes, ws_end) && !token_ends_link(left) {
                edit.replace(ws, ws_end, "");
                before_left = left;
                chunk_start = ws_end;
                i = if right_end < bytes.len() { Some(right_end) } else { None };
                continue;
            }
            let ctx = Ctx {
                before_left,
                left,
                run: &line[ws..ws_end],
                right,
                line,
                right_end,
                quotes_open: quotes % 2 == 1,
            };
            let mut decision = self.decide(&ctx);
            // Never glue what the repair would then take for mis-decoded
            // text (see `mojibake::glue_repairs`): read on the text as
            // written so far, earlier gaps taken out.
            if decision == Decision::Remove
                && *may_repair.get_or_insert_with(|| crate::mojibake::may_repair_any(line))
                && crate::mojibake::glue_repairs(edit.before(ws), &line[ws_end..])
            {
                decision = Decision::Keep;
            }
            // Nor make one space of a run where one space would read as a
            // mis-decoded no-break space (`mojibake::single_space_repairs`).
            if decision == Decision::Single
                && &line[ws..ws_end] != " "
                && *may_repair.get_or_insert_with(|| crate::mojibake::may_repair_any(line))
                && crate::mojibake::single_space_repairs(edit.before(ws), &line[ws..ws_end], &line[ws_end..])
            {
                decision = Decision::Keep;
            }
            match decision {
                Decision::Remove => edit.replace(ws, ws_end, ""),
                Decision::Keep => {}
                Decision::Single => edit.replace(ws, ws_end, " "),
            }
            before_left = left;
            chunk_start = ws_end;
            i = if right_end < bytes.len() { Some(right_end) } else { None };
        }
        let out = edit.finish();
        if self.policy == CjkLatinSpace::Pangu {
            match pangu_insert(&out) {
                Cow::Borrowed(_) => out,
                Cow::Owned(s) => Cow::Owned(s),
            }
        } else {
            out
        }
    }

    fn decide(&self, ctx: &Ctx<'_>) -> Decision {
        let (Some(l), Some(r)) = (ctx.left.chars().next_back(), ctx.right.chars().next()) else {
            // Leading or trailing whitespace.
            return if self.spaced { Decision::Remove } else { Decision::Keep };
        };
        let g = Gap { l, r, lc: class(l), rc: class(r), wide: self.wide_gaps && ctx.run.len() >= 2 };
        // The rules, in order: the first that decides wins.
        between_backticks(&g)
            .or_else(|| self.around_link(ctx, &g))
            .or_else(|| self.near_mojibake(ctx, &g))
            .or_else(|| before_combining_mark(ctx, &g))
            .or_else(|| next_to_cjk_punct(&g))
            .or_else(|| self.next_to_han(ctx, &g))
            .unwrap_or_else(|| self.between_latin_tokens(ctx, &g))
    }

    /// Rule 0: a space around a link stays one space (a linkifier would
    /// run the link on into text glued after it, and GitHub's links start
    /// only after whitespace), except next to punctuation, which ends a
    /// link anyway or is trimmed from its end. In a spaced document a
    /// single gap next to a link is debris (a segmenter cut the link: its
    /// pieces join), unless ideographs glued after the link would run into
    /// it, or a letter or digit glued before it would make it no link.
    /// (Wide or not: a wide gap kept as one space is a single gap the next
    /// time, and must be decided alike.)
    fn around_link(&self, ctx: &Ctx<'_>, g: &Gap) -> Option<Decision> {
        let original = !self.spaced;
        let punct = |c: Class| matches!(c, Class::CjkPunct | Class::AsciiPunct);
        let keep = (!punct(g.rc) && ends_link(ctx) && (original || g.rc == Class::Han))
            || (!punct(g.lc) && starts_link(ctx) && (original || g.lc == Class::Alnum));
        keep.then(|| self.keep())
    }

    /// Never glue what would read as a mis-decoded character (`Â ²`), nor
    /// a letter onto a pair that reads so (`A Ï…`): a letter next to it
    /// supports its repair when the text is cleaned again. (An ideograph
    /// next to it supports a repair too: `Í… 香`.)
    fn near_mojibake(&self, ctx: &Ctx<'_>, g: &Gap) -> Option<Decision> {
        let mut rs = ctx.right.chars();
        let mut ls = ctx.left.chars().rev();
        let letter = |c: char| c.is_alphabetic() && !crate::chars::is_cjk(c);
        let pair_after =
            matches!((rs.next(), rs.next()), (Some(a), Some(b)) if crate::mojibake::reads_mis_decoded(a, b));
        let pair_before =
            matches!((ls.next(), ls.next()), (Some(b), Some(a)) if crate::mojibake::reads_mis_decoded(a, b));
        let supports = |c: char| letter(c) || crate::chars::is_cjk(c);
        let keep = crate::mojibake::reads_mis_decoded(g.l, g.r)
            || (pair_after && supports(g.l))
            || (pair_before && supports(g.r));
        keep.then(|| self.keep())
    }

    /// Rules 2 and 3: an ideograph and something else.
    fn next_to_han(&self, ctx: &Ctx<'_>, g: &Gap) -> Option<Decision> {
        let (lc, rc) = (g.lc, g.rc);
        if lc != Class::Han && rc != Class::Han {
            return None;
        }
        let other = if lc == Class::Han { rc } else { lc };
        if other == Class::Alnum {
            return Some(match self.policy {
                CjkLatinSpace::Remove => Decision::Remove,
                CjkLatinSpace::Pangu => Decision::Single,
                CjkLatinSpace::Keep => self.keep(),
                // An original space, kept by the segmenter as a wide gap.
                CjkLatinSpace::Auto if self.spaced && g.wide => Decision::Single,
                CjkLatinSpace::Auto if self.spaced => Decision::Remove,
                CjkLatinSpace::Auto => Decision::Keep,
            });
        }
        Some(if !self.spaced {
            Decision::Keep
        } else if g.wide || symbol_token_edge(ctx, lc == Class::Han) {
            Decision::Single
        } else {
            Decision::Remove
        })
    }

    /// Rule 4: Latin tokens, only repaired in spaced documents, except a
    /// comma or a stop standing alone where no writer sets one apart.
    fn between_latin_tokens(&self, ctx: &Ctx<'_>, g: &Gap) -> Decision {
        let (l, r, lc, rc) = (g.l, g.r, g.lc, g.rc);
        if lone_mark_debris(ctx) {
            return Decision::Remove;
        }
        if !self.spaced {
            return Decision::Keep;
        }
        // An original space, kept as a wide gap, stays one space, except
        // where no writer puts one (token debris): there it is removed as
        // a single gap would be, so that the output does not read as a
        // tokenizer's on a second pass.
        if g.wide && !token_debris(l, r) {
            return Decision::Single;
        }
        // A segmenter cuts a Latin word at each letter outside ASCII
        // (`D ü ndar`, `Beno î t`): such a letter standing alone joins the
        // Latin letters it meets.
        // (Not a mark that would compose with the letter: the text stays
        // NFC, as for any space before a combining mark.)
        let composes = unicode_normalization::char::compose(l, r).is_some();
        if (cut_out_letter(ctx.left) && r.is_alphabetic() && is_latin(r))
            || (cut_out_letter(ctx.right) && l.is_alphabetic() && is_latin(l) && !composes)
        {
            return Decision::Remove;
        }
        match (lc, rc) {
            (Class::Alnum, Class::Alnum) => self.between_alnums(ctx, l, r),
            (Class::AsciiPunct, _) | (_, Class::AsciiPunct) => ascii_punct(l, r, ctx),
            _ if is_currency(l) || is_currency(r) => ascii_punct(l, r, ctx),
            (Class::AmbiguousPunct, _) | (_, Class::AmbiguousPunct) => {
                let p = if lc == Class::AmbiguousPunct { l } else { r };
                match p {
                    '•' | '※' => Decision::Single,
                    '“' | '‘' if p == l => Decision::Remove,
                    '“' | '‘' => Decision::Single,
                    '”' | '’' if p == r => Decision::Remove,
                    '”' | '’' => Decision::Single,
                    _ => Decision::Remove,
                }
            }
            _ => Decision::Single,
        }
    }

    /// Two letters or digits in a spaced document.
    fn between_alnums(&self, ctx: &Ctx<'_>, l: char, r: char) -> Decision {
        if self.wide_gaps {
            Decision::Remove
        } else if in_letter_run(ctx) || (self.letter_spaced && one_alnum(ctx.left) && one_alnum(ctx.right)) {
            // Text spaced character by character: the run is one word, or
            // words whose boundary a capital after two lowercase letters
            // shows (`N e w Y o r k`, not `i P h o n e`).
            single_if(
                l.is_lowercase()
                    && r.is_uppercase()
                    && one_alnum(ctx.before_left)
                    && ctx.before_left.chars().all(char::is_alphabetic),
            )
        } else if single_letters(ctx) {
            Decision::Remove
        } else {
            Decision::Single
        }
    }

    #[inline]
    fn keep(&self) -> Decision {
        if self.spaced { Decision::Single } else { Decision::Keep }
    }
}

/// Whether the run separates an ideograph from a Latin token that starts
/// or ends with ASCII punctuation: `(English)`, `"seek"`, `/usr/bin`,
/// `--with-openssl`, `>= 2` (not `@name`: `青春@Y2K` is a title). Writers who put ASCII brackets,
/// quotes, paths or options in CJK text set them apart (a fullwidth form
/// would take no space), so one space stays even in a spaced document.
fn symbol_token_edge(ctx: &Ctx<'_>, han_left: bool) -> bool {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if han_left {
        let mut r = ctx.right.chars();
        let (first, second, third) = (r.next(), r.next(), r.next());
        let after = || ctx.after_right().chars().next();
        let next = second.or_else(after);
        match first {
            Some('(' | '[') => word(next),
            Some('"') => !ctx.quotes_open && word(next),
            Some('/' | '~') => word(second) || second == Some('/'),
            // A name in code: `__spam`, `_class__`.
            Some('_') => word(next) || (second == Some('_') && word(third.or_else(after))),
            // An option (`--with-openssl`, `-m`), not a dash (`--職業`).
            Some('-') => {
                (second == Some('-') && word(third.or_else(after))) || (word(second) && ctx.right.len() <= 3)
            }
            _ => matches!(ctx.right, ">=" | "<=" | "==" | "!=" | "<" | ">"),
        }
    } else {
        let mut l = ctx.left.chars().rev();
        let (last, before) = (l.next(), l.next());
        let before = before.or_else(|| ctx.before_left.chars().next_back());
        match last {
            // `(English)`, `f(x)`, `f()`.
            Some(')' | ']') => word(before) || matches!(before, Some('.' | '(' | '_')),
            Some('"') => !ctx.quotes_open && word(before),
            // `__class__`: a name in code.
            Some('_') => is_code_name(ctx.left),
            _ => false,
        }
    }
}

/// Whether the run ends a link (`https://a.b/c 頁面`); see `crate::links`.
fn ends_link(ctx: &Ctx<'_>) -> bool {
    token_ends_link(ctx.left)
}

/// Whether the run starts a link (`見 https://a.b`).
fn starts_link(ctx: &Ctx<'_>) -> bool {
    ctx.right.starts_with(['h', 'f', 'w'])
        && crate::links::spans(ctx.right).first().is_some_and(|&(s, _)| s == 0)
}

/// A comma or a stop that a tokenizer set apart, in any document (a text
/// browser may have removed the other spaces of a segmented page, so the
/// document need not look spaced): the space before a lone `,` after a
/// Latin word or a digit (`Kubernetes , Rails`: no writer puts a space
/// before a comma), and both spaces around a lone `,` or `.` between two
/// digits (`3 . 4`, and `1 , 034` before a group of three). The mark must stand alone, with a space on
/// each side: `1, 2` and `3 .` are left to the other rules.
fn lone_mark_debris(ctx: &Ctx<'_>) -> bool {
    let digit_end = |t: &str| t.as_bytes().last().is_some_and(u8::is_ascii_digit);
    let digit_start = |t: &str| t.as_bytes().first().is_some_and(u8::is_ascii_digit);
    let word_end = |t: &str| t.as_bytes().last().is_some_and(u8::is_ascii_alphanumeric);
    match (ctx.left, ctx.right) {
        // The gap before the mark.
        (l, ",") if word_end(l) => true,
        (l, ".") => digit_end(l) && digit_start(ctx.after_right()),
        // The gap after it: a decimal point, or a thousands separator
        // before a group of three digits.
        (".", r) => digit_end(ctx.before_left) && digit_start(r),
        (",", r) => {
            let group = r.bytes().take_while(u8::is_ascii_digit).count();
            digit_end(ctx.before_left)
                && group == 3
                && r.as_bytes().get(3).is_none_or(|b| !b.is_ascii_alphanumeric())
        }
        _ => false,
    }
}

/// Whether one space between `a` and `b` is one no writer puts there (see
/// [`DocStats::token_debris`]).
fn token_debris(a: char, b: char) -> bool {
    // Fullwidth letters and digits count as the halfwidth ones the
    // punctuation stage makes of them, so that a second cleaning decides
    // alike.
    let word = |c: char| c.is_ascii_alphanumeric() || crate::chars::halfwidth_alnum(c).is_some();
    (word(a) && matches!(b, ',' | ';' | ')' | ']' | '_' | '.'))
        || ((a.is_ascii_digit() || crate::chars::halfwidth_alnum(a).is_some_and(|h| h.is_ascii_digit()))
            && b == '%')
        || (matches!(a, '(' | '[' | '{' | '_') && word(b))
        || (a == '(' && b == ')')
}

/// A quick necessary condition for text after the hygiene stage (whose
/// only horizontal whitespace is `' '` and `\t`) to read as spaced
/// ([`Spacer::is_spaced`] of its [`DocStats`]): a run of spaces between two
/// CJK characters, or two single spaces that read as tokenizer debris. Only
/// the spaces are visited (`memchr`), so clean CJK text is passed over
/// quickly; when it says yes, [`DocStats::measure`] decides.
pub(crate) fn may_read_spaced(text: &str) -> bool {
    let b = text.as_bytes();
    let cjk = |c: char| matches!(crate::chars::class(c), Class::Han | Class::CjkPunct);
    let mut debris = 0;
    let mut i = 0;
    while let Some(p) = memchr::memchr2(b' ', b'\t', &b[i..]) {
        let start = i + p;
        let end = start + b[start..].iter().take_while(|&&c| c == b' ' || c == b'\t').count();
        if let (Some(l), Some(r)) = (text[..start].chars().next_back(), text[end..].chars().next()) {
            if cjk(l) && cjk(r) {
                return true;
            }
            debris += usize::from(end - start == 1 && token_debris(l, r));
            if debris >= 2 {
                return true;
            }
        }
        i = end;
    }
    false
}

/// The tokens around one whitespace run.
struct Ctx<'a> {
    /// The token before `left`.
    before_left: &'a str,
    left: &'a str,
    run: &'a str,
    right: &'a str,
    /// The line and where `right` ends in it, for the token after `right`.
    line: &'a str,
    right_end: usize,
    /// An odd number of `"` has been seen up to the end of `left`.
    quotes_open: bool,
}

impl<'a> Ctx<'a> {
    /// The token after `right`, found only when a rule asks for it.
    fn after_right(&self) -> &'a str {
        let bytes = self.line.as_bytes();
        if self.right_end >= bytes.len() {
            return "";
        }
        let s = skip_ws(bytes, self.right_end);
        &self.line[s..find_ws(bytes, s).unwrap_or(bytes.len())]
    }
}

/// Rule 4 for runs next to ASCII punctuation, in spaced documents.
fn ascii_punct(l: char, r: char, ctx: &Ctx<'_>) -> Decision {
    // A comparison operator standing alone is spaced as in code: `a >= 2`.
    let operator = |t: &str| matches!(t, ">=" | "<=" | "==" | "!=");
    if operator(ctx.left) || operator(ctx.right) {
        return Decision::Single;
    }
    let punct = |c: char| class(c) == Class::AsciiPunct || is_currency(c);
    let (lc, rc) = (class(l), class(r));
    let r_word = rc == Class::Alnum;
    if punct(l) && punct(r) {
        // `, (` and `) (` keep a space; `. .`, `- -`, `) ,` join.
        return if matches!(l, ',' | '.' | ';' | ':' | '!' | '?' | ')' | ']' | '}')
            && matches!(r, '(' | '[' | '{')
        {
            Decision::Single
        } else {
            Decision::Remove
        };
    }
    if punct(l) {
        // The run follows the punctuation mark `l`.
        return match l {
            '(' | '[' | '{' | '<' | '\'' => Decision::Remove,
            ')' | ']' | '}' | '>' | ';' | '!' | '?' | '%' => single_if(r_word),
            '.' => after_dot(ctx),
            ',' => {
                let before_digit = char_before_last(ctx).is_some_and(|c| c.is_ascii_digit());
                let group: usize = ctx.right.bytes().take_while(u8::is_ascii_digit).count();
                let group_ends = ctx.right.as_bytes().get(3).is_none_or(|b| !b.is_ascii_alphanumeric());
                if before_digit && group == 3 && group_ends { Decision::Remove } else { single_if(r_word) }
            }
            ':' => {
                let before_digit = char_before_last(ctx).is_some_and(|c| c.is_ascii_digit());
                single_if(r_word && !(before_digit && r.is_ascii_digit()))
            }
            '"' => {
                // `quotes_open` counts the quote in `left`: open means it opened.
                if ctx.quotes_open { Decision::Remove } else { single_if(r_word) }
            }
            _ => Decision::Remove,
        };
    }
    // The run precedes the punctuation mark `r`.
    let l_word = lc == Class::Alnum;
    match r {
        // A call: `f ( )`, `reset_mock ()`, `os.path.join (`.
        '(' if ctx.right.starts_with("()")
            || (ctx.right == "(" && ctx.after_right().starts_with(')'))
            || is_code_name(ctx.left) =>
        {
            Decision::Remove
        }
        '(' | '[' | '{' | '<' | '#' => single_if(l_word),
        c if is_currency(c) => single_if(l_word),
        '"' => {
            if ctx.quotes_open {
                Decision::Remove
            } else {
                single_if(l_word)
            }
        }
        _ => Decision::Remove,
    }
}

#[inline]
fn single_if(cond: bool) -> Decision {
    if cond { Decision::Single } else { Decision::Remove }
}

/// The character before the last character of `left`, looking back into the
/// previous token when `left` is a lone punctuation mark (`4 . 0`).
fn char_before_last(ctx: &Ctx<'_>) -> Option<char> {
    let mut it = ctx.left.chars();
    it.next_back();
    it.next_back().or_else(|| ctx.before_left.chars().next_back())
}

/// The alphanumeric run that ends just before the last character of `left`.
fn run_before_last<'a>(ctx: &Ctx<'a>) -> &'a str {
    let mut it = ctx.left.char_indices();
    let Some((last, _)) = it.next_back() else { return "" };
    let head = if last == 0 { ctx.before_left } else { &ctx.left[..last] };
    trailing_alnum(head)
}

fn trailing_alnum(s: &str) -> &str {
    let start = s
        .char_indices()
        .rev()
        .take_while(|&(_, c)| class(c) == Class::Alnum)
        .last()
        .map_or(s.len(), |(i, _)| i);
    &s[start..]
}

fn leading_alnum(s: &str) -> &str {
    let end = s.char_indices().find(|&(_, c)| class(c) != Class::Alnum).map_or(s.len(), |(i, _)| i);
    &s[..end]
}

/// After a `.`: decimals and abbreviation chains join, words keep a space.
fn after_dot(ctx: &Ctx<'_>) -> Decision {
    let r = ctx.right.chars().next().unwrap_or(' ');
    if class(r) != Class::Alnum {
        return Decision::Remove;
    }
    let before = run_before_last(ctx);
    // `4 . 0`
    if before.bytes().last().is_some_and(|b| b.is_ascii_digit()) && r.is_ascii_digit() {
        return Decision::Remove;
    }
    let next_word = leading_alnum(ctx.right);
    // `~/. gdbinit`, `__init__. py`: a path or a name in code before the dot.
    let head = {
        let mut it = ctx.left.char_indices();
        match it.next_back() {
            Some((0, _)) => ctx.before_left,
            Some((last, _)) => &ctx.left[..last],
            None => "",
        }
    };
    if head.ends_with(['/', '_']) {
        return Decision::Remove;
    }
    // `U . S . News`: a single letter, and the chain goes on with another.
    if before.chars().count() == 1 && next_word.chars().count() == 1 {
        let rest = &ctx.right[next_word.len()..];
        if rest.starts_with('.') || (rest.is_empty() && ctx.after_right().starts_with('.')) {
            return Decision::Remove;
        }
    }
    // `hkpc . org`, `index . html`, `PyConfig . filesystem_encoding`,
    // `locale . strcoll()`: a lowercase word after the dot continues a name
    // (a sentence does not start in lowercase); so does an identifier
    // (`types . CodeType`, `unittest . IsolatedAsyncioTestCase`: an inner
    // capital or an underscore) after a lowercase name.
    if before.chars().count() >= 2 {
        let name: &str =
            ctx.right.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap_or("");
        let identifier = name.contains('_') || name.chars().skip(1).any(|c| c.is_ascii_uppercase());
        let lower_before = before.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_');
        if r.is_ascii_lowercase() || (identifier && lower_before) {
            return Decision::Remove;
        }
    }
    Decision::Single
}

/// A token that can only be a name in code: letters and digits with an
/// underscore or a dot inside (`reset_mock`, `os.path.join`, `__init__`).
fn is_code_name(token: &str) -> bool {
    let t = token.trim_start_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '_'));
    !t.is_empty()
        && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
        && t.bytes().any(|b| b.is_ascii_alphabetic())
        && t.trim_matches(['_', '.']).contains(['_', '.'])
        || (t.starts_with("__") && t.len() > 2)
}

/// A Latin letter (ASCII or not).
fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || (matches!(c as u32, 0xC0..=0x24F | 0x1E00..=0x1EFF) && c.is_alphabetic())
}

/// A token that a segmenter cut out of a Latin word: one Latin letter
/// outside ASCII with the combining marks after it (`ü`, `ế`), or combining
/// marks alone (`tsa ̍ p`: the mark belongs to the letter before it).
fn cut_out_letter(token: &str) -> bool {
    let mut cs = token.chars();
    let combining = unicode_normalization::char::is_combining_mark;
    match cs.next() {
        Some(c) if combining(c) => cs.all(combining),
        Some(c) => !c.is_ascii() && is_latin(c) && cs.all(combining),
        None => false,
    }
}

/// A token of one letter or digit.
fn one_alnum(token: &str) -> bool {
    let mut cs = token.chars();
    matches!((cs.next(), cs.next()), (Some(c), None) if class(c) == Class::Alnum)
}

/// Whether the gap lies inside a letter-spaced run: at least three tokens
/// of one letter or digit each, a lone `.` or `,` counting among them
/// (`P y t h o n`, `1 . 3 1`), as text spaced character by character
/// leaves them; a segmenter keeps a Latin word or a number whole.
fn in_letter_run(ctx: &Ctx<'_>) -> bool {
    let member = |t: &str| one_alnum(t) || t == "." || t == ",";
    one_alnum(ctx.left) && one_alnum(ctx.right) && (member(ctx.before_left) || member(ctx.after_right()))
}

/// `A I` → `AI`, `3 D` → `3D`: two single characters split apart, neither
/// part of a longer word, not both lowercase (`a b`) and not both digits.
fn single_letters(ctx: &Ctx<'_>) -> bool {
    let l = trailing_alnum(ctx.left);
    let r = leading_alnum(ctx.right);
    if l.chars().count() != 1 || r.chars().count() != 1 {
        return false;
    }
    let (a, b) = (l.chars().next().unwrap_or(' '), r.chars().next().unwrap_or(' '));
    if (a.is_lowercase() && b.is_lowercase()) || (a.is_ascii_digit() && b.is_ascii_digit()) {
        return false;
    }
    // A longer word right before or after the pair makes it real text.
    let word_before = l.len() == ctx.left.len() && trailing_alnum(ctx.before_left).chars().count() >= 2;
    let word_after = r.len() == ctx.right.len() && leading_alnum(ctx.after_right()).chars().count() >= 2;
    !word_before && !word_after
}

/// The `pangu` policy also inserts a space where an ideograph touches a
/// Latin token, spaced as a whole as pangu.js and autocorrect space it: a
/// run of letters and digits with the ASCII symbols attached to them
/// (`C++`, `100%`, `-5`, `$100`, `/etc/passwd`, `@name`). Brackets, quotes
/// and sentence punctuation at the ends of the run are not part of the
/// token (`(C++)` keeps its brackets on the ideographs), nor is a lone
/// leading `/` (`新界/Kowloon`: a path has two); no space goes inside a link.
fn pangu_insert(text: &str) -> Cow<'_, str> {
    // Characters of a token, and those its ends do not keep.
    let token_char = |c: char| {
        c.is_ascii_graphic()
            || class(c) == Class::Alnum
            || unicode_normalization::char::is_combining_mark(c)
            || matches!(c, '°' | '€' | '£' | '¥')
    };
    const NOT_AT_ENDS: &[char] =
        &['(', ')', '[', ']', '{', '}', '<', '>', '"', '\'', '`', '*', ',', ';', ':', '!', '?'];
    let mut edit = Edit::new(text);
    let links = crate::links::verbatim_spans(text);
    let in_link = |i: usize| links.iter().any(|&(s, e)| s < i && i < e);
    let is_han = |c: Option<char>| c.is_some_and(|c| class(c) == Class::Han);
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        if !token_char(c) {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let end = text[start..].find(|c: char| !token_char(c)).map_or(text.len(), |n| start + n);
        let run = &text[start..end];
        // The token: the run without what its ends do not keep.
        let mut lead = run.len() - run.trim_start_matches(NOT_AT_ENDS).len();
        let tail = run.trim_end_matches(NOT_AT_ENDS).trim_end_matches('.').len().max(lead);
        if run[lead..tail].starts_with('/') && run[lead..tail].matches('/').count() == 1 {
            lead += 1;
        }
        if run[lead..tail].chars().any(|c| class(c) == Class::Alnum) {
            if lead == 0 && is_han(text[..start].chars().next_back()) && !in_link(start) {
                edit.insert(start, " ");
            }
            if tail == run.len() && is_han(text[end..].chars().next()) && !in_link(end) {
                edit.insert(end, " ");
            }
        }
        i = end;
    }
    edit.finish()
}

/// Whether the three bytes `b` encode an ideograph of the main blocks or
/// CJK punctuation U+3001–U+303F (not the ideographic space U+3000).
#[inline]
fn cjk3(b: &[u8]) -> bool {
    use crate::bytes::{cjk_symbol_at, ideograph_at};
    ideograph_at(b, 0) || (cjk_symbol_at(b, 0) && b.get(2) != Some(&0x80))
}

#[inline]
fn cjk_ends_at(bytes: &[u8], end: usize) -> bool {
    end >= 3 && cjk3(&bytes[end - 3..end])
}

#[inline]
fn cjk_starts_at(bytes: &[u8], start: usize) -> bool {
    bytes.len() >= start + 3 && cjk3(&bytes[start..start + 3])
}

/// The next space or tab at or after `from`. Spaced text has one every few
/// bytes, so a plain loop over the first bytes beats setting up a vector
/// search; long stretches go to `memchr`.
#[inline]
fn find_ws(bytes: &[u8], from: usize) -> Option<usize> {
    let near = bytes.len().min(from + 32);
    for (i, &b) in bytes[from..near].iter().enumerate() {
        if b == b' ' || b == b'\t' {
            return Some(from + i);
        }
    }
    memchr::memchr2(b' ', b'\t', &bytes[near..]).map(|i| near + i)
}

#[inline]
fn skip_ws(bytes: &[u8], from: usize) -> usize {
    from + bytes[from..].iter().take_while(|&&b| b == b' ' || b == b'\t').count()
}

/// The gap [`Spacer::decide`] decides: the characters on each side, their
/// classes, and whether it is a wide gap in a document that keeps its
/// original spaces as wide gaps.
struct Gap {
    l: char,
    r: char,
    lc: Class,
    rc: Class,
    wide: bool,
}

/// A space between two backticks stays: Markdown pairs code spans by the
/// length of their backtick runs, and two runs glued would be one, so that
/// the next cleaning would read other code spans (and convert what this
/// one kept verbatim).
fn between_backticks(g: &Gap) -> Option<Decision> {
    (g.l == '`' && g.r == '`').then_some(Decision::Keep)
}

/// A combining mark belongs to the letter before it: a space before one
/// is debris (`tsa ̍p`). Not where a mark of the run would compose with the
/// letter (`e ́`): the text would no longer be NFC, which hygiene made it.
/// (Any mark of the run may compose: `y ּ́` would be `ý ּ`.)
fn before_combining_mark(ctx: &Ctx<'_>, g: &Gap) -> Option<Decision> {
    if !unicode_normalization::char::is_combining_mark(g.r) {
        return None;
    }
    let marks = ctx.right.chars().take_while(|&c| unicode_normalization::char::is_combining_mark(c));
    let joined: String = std::iter::once(g.l).chain(marks).collect();
    unicode_normalization::is_nfc(&joined).then_some(Decision::Remove)
}

/// Rule 1: CJK punctuation, two ideographs, shared punctuation next to
/// CJK: no space.
fn next_to_cjk_punct(g: &Gap) -> Option<Decision> {
    let (lc, rc) = (g.lc, g.rc);
    let cjkish = |c: Class| matches!(c, Class::Han | Class::AmbiguousPunct);
    let remove = lc == Class::CjkPunct
        || rc == Class::CjkPunct
        || (lc == Class::Han && rc == Class::Han)
        || (lc == Class::AmbiguousPunct && cjkish(rc))
        || (rc == Class::AmbiguousPunct && cjkish(lc));
    remove.then_some(Decision::Remove)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fixes `line` as part of a spaced document.
    /// Each input, cleaned as a line of a spaced document, gives its output.
    fn check_spaced(cases: &[(&str, &str)]) {
        for &(input, want) in cases {
            assert_eq!(spaced(input), want, "{input:?}");
        }
    }

    fn spaced(line: &str) -> String {
        let stats = DocStats { spaced_cjk_pairs: 10, single_gaps: 10, ..DocStats::default() };
        Spacer::new(&stats, CjkLatinSpace::Auto).fix(line).into_owned()
    }

    /// Fixes `line` as part of a clean document.
    fn clean(line: &str) -> String {
        Spacer::new(&DocStats::default(), CjkLatinSpace::Auto).fix(line).into_owned()
    }

    fn with_policy(line: &str, policy: CjkLatinSpace, is_spaced: bool) -> String {
        let stats = DocStats { spaced_cjk_pairs: usize::from(is_spaced), ..DocStats::default() };
        Spacer::new(&stats, policy).fix(line).into_owned()
    }

    #[test]
    fn skipping_runs_of_ideographs_counts_as_reading_them() {
        // Lines of ideographs, CJK punctuation, letters, spaces, line
        // starts, list markers, code and links, from a fixed generator.
        let pieces = [
            "香",
            "港",
            "㐀",
            "䷀",
            "，",
            "。",
            " ",
            "  ",
            "\n",
            "a",
            "1.",
            "•",
            "`x`",
            "http://x.y/香",
            "「",
            "ÿ",
        ];
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for len in (1..300).step_by(3) {
            let text: String = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    pieces[(state % pieces.len() as u64) as usize]
                })
                .collect();
            assert_eq!(
                DocStats::measure_with::<true>(&text),
                DocStats::measure_with::<false>(&text),
                "{text:?}"
            );
        }
        for text in ["香港生產力", "，香港", "香 港香港", "\n香港", "• 香港香港"] {
            assert_eq!(DocStats::measure(text), DocStats::measure_with::<false>(text), "{text:?}");
        }
    }

    #[test]
    fn the_space_after_a_link_is_no_evidence_of_spacing() {
        let stats = DocStats::measure("見 http://x.y/z香 㐀");
        assert_eq!((stats.spaced_cjk_pairs, stats.tight_cjk_pairs), (0, 0));
        let stats = DocStats::measure("見 x.y香 㐀");
        assert_eq!((stats.spaced_cjk_pairs, stats.tight_cjk_pairs), (1, 0));
    }

    #[test]
    fn inline_code_is_no_evidence_of_spacing() {
        let stats = DocStats::measure("香香香 `香 ， 香 ， 香`\n`a`香");
        assert_eq!((stats.spaced_cjk_pairs, stats.tight_cjk_pairs, stats.single_gaps), (0, 2, 0));
    }

    #[test]
    fn a_space_between_backticks_stays() {
        // Glued, ``` and ````` would be one run of eight.
        assert_eq!(spaced("狕 加 狕``` ````` ``1é· ll``"), "狕加狕``` ````` ``1é· ll``");
        assert_eq!(spaced("香 港 `` ``"), "香港`` ``");
    }

    #[test]
    fn inline_code_and_table_cells_keep_their_spaces() {
        check_spaced(&[
            ("執行 `x = 1` 設定 的 值", "執行`x = 1`設定的值"),
            ("| 名稱 | 說明 的 文字 |", "| 名稱 | 說明的文字 |"),
            ("|  名稱  |  說明  |", "| 名稱 | 說明 |"),
            // Spaced apart by a segmenter, inline code is text; a line
            // that is no table row has no cells.
            ("執行 ` x = 1 ` 的 值", "執行`x=1`的值"),
            ("甲 | 乙 的 值", "甲|乙的值"),
        ]);
        assert_eq!(clean("| 名稱 |  說明 |"), "| 名稱 |  說明 |");
    }

    #[test]
    fn letter_spaced_runs_are_rejoined_whole() {
        check_spaced(&[
            ("用 P y t h o n 寫 的", "用Python寫的"),
            ("位於 N e w Y o r k 的", "位於New York的"),
            ("用 i P h o n e 拍 的", "用iPhone拍的"),
            ("增 長 1 . 3 1 % ， 共 4 3 2 4 億", "增長1.31%，共4324億"),
        ]);
        // Text spaced character by character: two make a run too.
        let line = "共 有 3 1 人 參 加 ， 在 A I 館 。";
        assert_eq!(spaced(line), "共有31人參加，在AI館。");
        // Text spaced word by word: two tokens make no run, `a b` stays.
        let stats =
            DocStats { spaced_cjk_pairs: 10, tight_cjk_pairs: 10, single_gaps: 10, ..DocStats::default() };
        let words = Spacer::new(&stats, CjkLatinSpace::Auto);
        assert_eq!(words.fix("變數 a b 的 值"), "變數a b的值");
        assert_eq!(words.fix("用 P y t h o n 寫 的"), "用Python寫的");
    }

    #[test]
    fn a_letter_cut_out_of_a_latin_word_joins_it() {
        check_spaced(&[
            ("作者 D ü ndar 與 Beno î t 合作", "作者Dündar與Benoît合作"),
            ("台 羅 tsa ̍ p - g ō o 是 十五", "台羅tsa̍p-gōo是十五"),
            ("É mile 的 書", "Émile的書"),
            ("越南 語 Vi ệ t Nam 的", "越南語Việt Nam的"),
        ]);
        // An original (wide) gap stays.
        let line = "法語 的 à  la  carte 一 詞";
        let stats = DocStats::measure(line);
        assert_eq!(Spacer::new(&stats, CjkLatinSpace::Auto).fix(line), "法語的à la carte一詞");
    }

    #[test]
    fn a_space_before_a_combining_mark_is_debris() {
        assert_eq!(clean("tsa \u{30D}p 與 gō o"), "tsa\u{30D}p 與 gō o");
        // Not where letter and mark would compose: `é` is written composed.
        assert_eq!(clean("caf e \u{301}"), "caf e \u{301}");
        // Nor where a later mark of the run would (the dagesh comes first
        // in canonical order, the acute composes with `y`).
        assert_eq!(clean("4y \u{5BC}\u{301}"), "4y \u{5BC}\u{301}");
        assert_eq!(spaced("香港 的 tsa \u{30D}p"), "香港的tsa\u{30D}p");
    }

    #[test]
    fn midline_ellipses_join_like_ellipses() {
        assert_eq!(spaced("然後 ⋯ ⋯ 結束"), "然後⋯⋯結束");
        assert_eq!(spaced("然後 … … 結束"), "然後……結束");
    }

    #[test]
    fn a_space_around_a_link_stays() {
        // Clean text keeps its spaces; a spaced document keeps one after a
        // link before an ideograph (glued, it would run into the link).
        assert_eq!(clean("見 https://a.b/c 頁面"), "見 https://a.b/c 頁面");
        assert_eq!(
            spaced("見 https://zh.wikipedia.org/wiki/香港_(城市) 頁面 。"),
            "見https://zh.wikipedia.org/wiki/香港_(城市) 頁面。"
        );
        assert_eq!(spaced("網站 www.hkpc.org 網站"), "網站www.hkpc.org 網站");
        // Punctuation after a link needs no space.
        assert_eq!(spaced("見 https://a.b ， 頁面"), "見https://a.b，頁面");
    }

    #[test]
    fn a_lone_comma_or_stop_is_debris_in_any_document() {
        for (input, want) in [
            ("包括 Kubernetes , Rails 和 Swift", "包括 Kubernetes, Rails 和 Swift"),
            ("佈置了 1 , 034 個水雷", "佈置了 1,034 個水雷"),
            ("從 Python 3 . 4 開始", "從 Python 3.4 開始"),
            ("第 1 . 2 . 3 節", "第 1.2.3 節"),
        ] {
            assert_eq!(clean(input), want, "{input:?}");
            assert_eq!(spaced(input).replace(' ', ""), want.replace(' ', ""), "{input:?}");
        }
        // Not alone, or not between digits: the writer's own spacing.
        assert_eq!(clean("得分 1 , 23"), "得分 1, 23");
        for kept in ["1, 2, 3", "列表 1 ,2", "版本 3 .4", "In 2023 . Then", "a . b", "香港 , 九龍"] {
            assert_eq!(clean(kept), kept);
        }
    }

    #[test]
    fn detection() {
        assert!(DocStats::measure("香港 生產 力促 進局").is_spaced());
        assert!(DocStats::measure("生 產 力 局").is_spaced());
        assert!(!DocStats::measure("香港生產力促進局今天公布 AI 研究").is_spaced());
        assert!(!DocStats::measure("第一章 總則，本法依憲法制定之，並適用於全國各地區各機關").is_spaced());
        assert!(DocStats::measure("（ 香港 ， 2023年 11月 10日 ） 49 % 受訪").is_spaced());
        let wide = DocStats::measure("香港 生產 力 U.S.   News   2023 全球");
        assert!(wide.is_spaced() && wide.has_wide_gaps());
        assert!(!DocStats::measure("香港 生產 力 U.S. News 2023").has_wide_gaps());
    }

    #[test]
    fn between_ideographs_and_cjk_punctuation() {
        assert_eq!(spaced("（ 香港 ， 2023年 11月 10日 ）"), "（香港，2023年11月10日）");
        assert_eq!(spaced("生 產 力 局"), "生產力局");
        assert_eq!(spaced("“ 越來越 ”"), "“越來越”");
        assert_eq!(spaced("威廉 · 陸斯佛"), "威廉·陸斯佛");
        assert_eq!(spaced("挑戰 – 算力 — — 完"), "挑戰–算力——完");
        // Also in clean documents.
        assert_eq!(clean("生產力局 · 新型 工業化 （ AI ）"), "生產力局·新型工業化（AI）");
    }

    #[test]
    fn cjk_latin_policies() {
        assert_eq!(spaced("國際AI 及 數據 2023 年"), "國際AI及數據2023年");
        assert_eq!(clean("使用 Python 寫程式"), "使用 Python 寫程式");
        assert_eq!(with_policy("使用 Python 寫", CjkLatinSpace::Remove, false), "使用Python寫");
        assert_eq!(with_policy("使用Python   寫", CjkLatinSpace::Pangu, false), "使用 Python 寫");
        // Never inside a link; at its ends, yes.
        assert_eq!(
            with_policy("見https://example.com/這是URL文件.html說明", CjkLatinSpace::Pangu, false),
            "見 https://example.com/這是URL文件.html說明"
        );
        assert_eq!(with_policy("國際AI 及", CjkLatinSpace::Keep, true), "國際AI 及");
    }

    #[test]
    fn pangu_spaces_a_token_with_its_symbols_as_a_whole() {
        let pangu = |line: &str| with_policy(line, CjkLatinSpace::Pangu, false);
        for (input, want) in [
            ("查看/etc/passwd文件", "查看 /etc/passwd 文件"),
            ("用C++和C#寫", "用 C++ 和 C# 寫"),
            ("增長100%左右", "增長 100% 左右"),
            ("溫度-5度", "溫度 -5 度"),
            ("價格$100元", "價格 $100 元"),
            ("聯絡@name謝謝", "聯絡 @name 謝謝"),
            ("編輯~/.gdbinit檔", "編輯 ~/.gdbinit 檔"),
            ("第3章", "第 3 章"),
            // Brackets, quotes and sentence marks stay on the ideographs;
            // a lone `/` separates, a path has two.
            ("見(C++)書", "見(C++)書"),
            ("用Python,然後", "用 Python,然後"),
            ("新界/Kowloon區", "新界/Kowloon 區"),
            ("香港/九龍", "香港/九龍"),
            ("版本v2.0.", "版本 v2.0."),
        ] {
            assert_eq!(pangu(input), want, "{input:?}");
            assert_eq!(pangu(want), want, "{want:?} again");
        }
    }

    #[test]
    fn tokenizer_artifacts() {
        let cases = [
            ("工業 4 . 0", "工業4.0"),
            ("49 % 受訪", "49%受訪"),
            ("1 , 000 人", "1,000人"),
            ("1 , 00 人 2 , 3 and 4 , 5000", "1, 00人2, 3 and 4, 5000"),
            ("2024 - 2025年", "2024-2025年"),
            ("U . S . News 2023 全球", "U.S. News 2023全球"),
            ("menu _ chat", "menu_chat"),
            ("『 AIR @ InnoHK 』", "『AIR@InnoHK』"),
            ("「 AI + 人才 」", "「AI+人才」"),
            ("3 D 自動 ☆ 3 D", "3D自動☆ 3D"),
            ("國際A I 人才", "國際AI人才"),
            ("£ 12 及 $ 16 , 250", "£12及$16,250"),
            ("15 ~ 24 米", "15~24米"),
            ("B . C . 年", "B.C.年"),
            ("實驗 基地 . . 另外", "實驗基地..另外"),
            ("戲劇 - - - - 傳奇", "戲劇----傳奇"),
            ("Navy ' s Pier", "Navy's Pier"),
            ("0 : 00 AM", "0:00 AM"),
            ("# A 、 # B", "#A、#B"),
            ("AK - 47 的", "AK-47的"),
            ("後綴 / -an /", "後綴/-an/"),
            ("[ hkpc _ logo ]", "[hkpc_logo]"),
            ("St . Rastislav", "St. Rastislav"),
            ("www . hkpc . org", "www.hkpc.org"),
        ];
        check_spaced(&cases);
    }

    #[test]
    fn names_in_code_rejoined() {
        let cases = [
            ("PyConfig . filesystem_encoding 的", "PyConfig.filesystem_encoding的"),
            ("PyConfig. filesystem_encoding", "PyConfig.filesystem_encoding"),
            ("locale . strcoll ( ) 就是", "locale.strcoll() 就是"),
            ("types . CodeType 物件", "types.CodeType物件"),
            ("reset_mock (return_value = True)", "reset_mock(return_value=True)"),
            ("__ index __ ( ) 和", "__index__() 和"),
            ("檔 中 （ ~/. gdbinit", "檔中（~/.gdbinit"),
            ("__init__ . py 檔案", "__init__.py檔案"),
            // A sentence and an abbreviation keep their space.
            ("done . The end", "done. The end"),
            ("St . Rastislav", "St. Rastislav"),
            ("the function (see below)", "the function (see below)"),
        ];
        check_spaced(&cases);
    }

    #[test]
    fn tokens_with_ascii_punctuation_stay_apart_from_cjk() {
        let cases = [
            ("凍結 ( freeze ) 是 一個", "凍結 (freeze) 是一個"),
            ("物件 的 \" seek \" 方法", "物件的 \"seek\" 方法"),
            ("安裝 在 /usr/bin 和", "安裝在 /usr/bin和"),
            ("青春 @Y2K 同期", "青春@Y2K同期"),
            ("isinstance() 判斷 一個", "isinstance() 判斷一個"),
            ("格式 為 __spam 的", "格式為 __spam的"),
            ("__class__ 是 int", "__class__ 是int"),
            ("配置 -- with - openssl 和", "配置 --with-openssl和"),
            ("配置 --with-openssl 和", "配置 --with-openssl和"),
            ("即 >= 2 但", "即 >= 2但"),
            // Not a token: a dash, currency, a lone mark.
            ("身份 --職業", "身份--職業"),
            ("收入 為 $5,467", "收入為$5,467"),
            ("五月 - 十二月", "五月-十二月"),
        ];
        check_spaced(&cases);
    }

    /// `may_read_spaced` never says no where the statistics say spaced:
    /// checked on spaced, debris-laden, clean and mixed lines.
    #[test]
    fn may_read_spaced_is_a_necessary_condition() {
        let texts = [
            "香港 生產 力促 進局",
            "香港生產力促進局\n今天 公布",
            "PyErr _ Print ( x ) , y",
            "a , b",
            "香港生產力促進局今天公布。",
            "使用 Python 寫程式",
            "• 香港\n• 九龍",
            "`a b` 香 港",
            "香\t\t港",
            "(1) 甲\n(2) 乙",
            "",
            " ",
        ];
        for t in texts {
            let spaced = Spacer::new(&DocStats::measure(t), CjkLatinSpace::Auto).is_spaced();
            assert!(!spaced || may_read_spaced(t), "{t:?}");
        }
        assert!(!may_read_spaced("香港生產力促進局今天公布。\n使用 Python 寫程式，49% 受訪。"));
        assert!(may_read_spaced("香港 生產"));
        assert!(may_read_spaced("f( x ) ;"));
    }

    #[test]
    fn no_space_is_taken_out_of_a_mis_decoded_character() {
        let spaced = DocStats { spaced_cjk_pairs: 10, single_gaps: 10, ..DocStats::default() };
        let spacer = Spacer::new(&spaced, CjkLatinSpace::Auto);
        // E9 91 + 95 would be `鑕`; E9 + 91 95 too.
        assert_eq!(spacer.fix("香 港 é‘ • 九 龍"), "香港é‘ •九龍");
        assert_eq!(spacer.fix("香 港 é ‘• 九 龍"), "香港é ‘•九龍");
        // Two bytes stay apart as before (`Â ²`); plain letters close up.
        assert_eq!(spacer.fix("香 港 Â ² 九"), "香港Â ²九");
        assert_eq!(spacer.fix("香 港 café 九 龍"), "香港café九龍");
    }

    #[test]
    fn no_run_becomes_a_space_that_reads_as_a_no_break_space() {
        // One space between `é` and `§` stands for a no-break space (E9 A0
        // A7 is `頧`); two spaces do not, and stay two.
        let spaced = DocStats { spaced_cjk_pairs: 10, single_gaps: 10, ..DocStats::default() };
        let spacer = Spacer::new(&spaced, CjkLatinSpace::Auto);
        assert_eq!(spacer.fix("品 科é  §â §"), "品科é  §â §");
        assert_eq!(crate::mojibake::repair("品科é §â §"), "品科頧⠧");
        // Elsewhere a wide gap still becomes one space.
        let wide = DocStats { spaced_cjk_pairs: 10, single_gaps: 10, wide_gaps: 2, ..DocStats::default() };
        assert_eq!(Spacer::new(&wide, CjkLatinSpace::Auto).fix("香 港 News   2023"), "香港News 2023");
    }

    #[test]
    fn token_debris_marks_a_document_as_spaced() {
        // A segmented page whose CJK spaces a text browser removed: only the
        // spaces in Latin tokens are left, and they are debris.
        let doc = "整合開發環境 ( IDE ) 與套件管理，Kubernetes , Rails 和 Swift，他 100 % 會。";
        assert_eq!(DocStats::measure("Python 3 . 4 開始，S - IVB 與 Rails , Swift").token_debris, 2);
        let stats = DocStats::measure(doc);
        assert!(!stats.is_spaced() && stats.has_token_debris(), "{stats:?}");
        let spacer = Spacer::new(&stats, CjkLatinSpace::Auto);
        assert_eq!(spacer.fix(doc), "整合開發環境 (IDE) 與套件管理，Kubernetes, Rails和Swift，他100%會。");
        // Clean text has none.
        for clean in ["使用 Python (3.12) 寫程式, 例如 f(x) 與 g_h。", "見 ( 註 ) 與 “ 引文 ”"]
        {
            assert_eq!(DocStats::measure(clean).token_debris, 0, "{clean:?}");
        }
    }

    #[test]
    fn genuine_spaces_kept() {
        let cases = [
            "RWTH Aachen Campus",
            "U.S. News 2023",
            "3.33 m",
            "M 17",
            "Vitamin B 12",
            "Game Informer",
            "Hello, world",
            "Search []",
            "see (Navy's Pier)",
            "costs $16",
            "x • y",
        ];
        for s in cases {
            assert_eq!(spaced(s), s, "{s:?}");
        }
    }

    #[test]
    fn clean_documents_keep_western_spacing() {
        for s in ["2024 - 2025", "AIR @ InnoHK", "49 %", "St. Rastislav", "A I", "價格 $100"] {
            assert_eq!(clean(s), s, "{s:?}");
        }
    }

    #[test]
    fn wide_gaps_are_original_spaces() {
        let stats = DocStats::measure("香港 生產 力 U.S.   News   2023 全球 Gam e");
        let spacer = Spacer::new(&stats, CjkLatinSpace::Auto);
        assert_eq!(spacer.fix("U . S .   News   2023 全球 Gam e"), "U.S. News 2023全球Game");
        // Where no writer puts a space (token debris), a wide gap goes as a
        // single one would: kept, it would make the output read as spaced.
        assert_eq!(spacer.fix("共 1,000   _  RWTH   ( 德國 )"), "共1,000_RWTH (德國)");
        assert_eq!(spacer.fix("是 50   %   的"), "是50% 的");
    }

    #[test]
    fn the_space_after_a_bullet_is_no_evidence() {
        let stats = DocStats::measure("・ 香港\n• 生產力\n  ・ 局");
        assert_eq!((stats.spaced_cjk_pairs, stats.single_gaps), (0, 0));
        assert!(!stats.is_spaced());
        // Inside a line, a middle dot is punctuation like any other.
        assert_eq!(DocStats::measure("香港 ・ 生產").spaced_cjk_pairs, 2);
    }

    #[test]
    fn edges_of_a_line() {
        assert_eq!(spaced("  香港 "), "香港");
        assert_eq!(clean("  香港 "), "  香港 ");
        assert_eq!(spaced(""), "");
        assert_eq!(spaced("   "), "");
    }

    #[test]
    fn unchanged_lines_are_borrowed() {
        let spacer = Spacer::new(&DocStats::default(), CjkLatinSpace::Auto);
        assert!(matches!(spacer.fix("RWTH Aachen Campus共同營運"), Cow::Borrowed(_)));
    }
}
