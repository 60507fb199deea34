//! Stage 2: structure — blocks, list items and hard-wrap recovery.
//!
//! Text browsers and PDF extractors print paragraphs as hard-wrapped lines.
//! This stage undoes the wrapping and finds the units the text is made of:
//!
//! * **Groups**: runs of non-blank lines. A blank line (or a line of only
//!   whitespace) always ends a group; nothing is ever joined across it.
//! * **Units** inside a group: paragraphs and list items. A list item starts
//!   at a line that begins with a list marker (`•` `◦` `▪` `□` `☆` `*` `-`
//!   `1.` `1 .` `(1)` `一、` …); it is never joined onto the previous item.
//!
//! ## Wrap detection
//!
//! A dump wrapped at *W* columns has many lines whose display width
//! (East Asian wide characters count 2, see [`crate::chars::width`]) is close
//! to *W*. [`analyze`] estimates *W* from the widest lines and calls the
//! document *wrapped* when most lines that are followed by another line in
//! the same group are long (at least 80 % of *W*) and few of them end a
//! sentence. Clean text — a paragraph per line, lines of every length, each
//! ending with `。` — is therefore left alone.
//!
//! In a wrapped document a long line continues on the next one. The newline
//! between them becomes:
//!
//! * nothing, when the wrapper breaks at any character (nearly all wrapped
//!   lines are exactly *W* columns wide, or *W* − 1 where a wide character
//!   did not fit) and the line is *full* — the first character of the next
//!   line would not have fitted within *W*: the break fell inside a word
//!   (`Gam` / `e Informer` → `Game Informer`);
//! * a single space otherwise: a space was consumed by the line break, and
//!   the spacing stage decides whether it stays (`投 資` → `投資`,
//!   `the quick` / `brown` → `the quick brown`).
//!
//! A line that starts with a weak marker (`-`, `*`, a number) right after a
//! full line is a continuation, not a list item: wrapping can put `- 2025年`
//! at the start of a line.
//!
//! ## Output
//!
//! [`render`] writes one unit per line, the units of a group on consecutive
//! lines and one blank line between groups. A paragraph re-joined from
//! several lines becomes a group of its own, so a blank line separates it
//! from what follows; list items and lines that were not joined stay
//! together as they came.

use std::borrow::Cow;

use crate::chars::{str_width, width};
use crate::spacing::DocStats;

/// The kind of a unit of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum UnitKind {
    /// Running text: one or more lines joined into a paragraph.
    Paragraph,
    /// A line that starts with a list marker, with its wrapped continuation.
    ListItem,
}

/// One paragraph or list item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit<'a> {
    /// Paragraph or list item.
    pub kind: UnitKind,
    /// The list marker as it should be written, including the separator that
    /// follows it (`"• "`, `"1. "`, `"一、"`); empty for paragraphs.
    pub marker: Cow<'a, str>,
    /// The text after the marker, wrapped lines joined.
    pub body: Cow<'a, str>,
    /// How many input lines the unit was made of.
    pub lines: usize,
}

/// A run of units not separated by blank lines.
pub type Group<'a> = Vec<Unit<'a>>;

/// What [`analyze`] found out about the line layout of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// The estimated wrap width in display columns (the widest line when the
    /// document is not wrapped).
    pub width: usize,
    /// Whether the document is hard-wrapped.
    pub wrapped: bool,
    /// Whether the wrapper broke lines at any character, even inside words
    /// (nearly every wrapped line is exactly as wide as the width allows),
    /// rather than at spaces.
    pub breaks_words: bool,
}

impl Layout {
    /// A document that is not hard-wrapped: no line is joined.
    pub const UNWRAPPED: Layout = Layout { width: 0, wrapped: false, breaks_words: false };
}

/// Whether a list marker can start an item anywhere (`•`) or only where the
/// previous line is not a full, wrapped line (`-`, `1.`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strength {
    Strong,
    Weak,
}

/// A list marker found at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Marker<'a> {
    strength: Strength,
    /// The marker as it should be written, with its separator.
    text: Cow<'a, str>,
    /// Byte offset of the body in the line.
    body: usize,
}

pub(crate) const BULLETS: &[char] = &[
    '•', '◦', '▪', '▫', '□', '■', '☆', '★', '○', '●', '◆', '◇', '►', '▸', '‣', '⁃', '∙', '・', '①', '②', '③',
    '④', '⑤', '⑥', '⑦', '⑧', '⑨', '⑩',
];

const CJK_NUMERALS: &[char] = &[
    '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '百', '〇', '零', '壹', '貳', '參', '肆',
    '伍', '陸', '柒', '捌', '玖', '拾',
];

/// Whether `line` starts with a list marker.
pub(crate) fn starts_with_marker(line: &str) -> bool {
    marker(line).is_some()
}

/// Recognises a list marker at the start of `line` (already trimmed).
fn marker(line: &str) -> Option<Marker<'_>> {
    let first = line.chars().next()?;
    let after = |n: usize| line[n..].trim_start_matches([' ', '\t']);
    let body_at = |n: usize| line.len() - after(n).len();
    // Bullets: a marker whether or not a space follows.
    if BULLETS.contains(&first) {
        let n = first.len_utf8();
        let body = body_at(n);
        let text = if body == line.len() || body == n {
            Cow::Borrowed(&line[..n])
        } else if body == n + 1 && line.as_bytes()[n] == b' ' {
            Cow::Borrowed(&line[..n + 1])
        } else {
            Cow::Owned(format!("{first} "))
        };
        return Some(Marker { strength: Strength::Strong, text, body });
    }
    // `-` and `*` followed by a space; `- 完 -` is a decoration, not a list.
    if (first == '-' || first == '*' || first == '+')
        && line[1..].starts_with([' ', '\t'])
        && !line.ends_with(first)
    {
        let body = body_at(1);
        let text = if body == 2 { Cow::Borrowed(&line[..2]) } else { Cow::Owned(format!("{first} ")) };
        return Some(Marker { strength: Strength::Weak, text, body });
    }
    // `1.` `1 .` `12)` followed by a space or an ideograph, never by a digit
    // (`3 . 5` is a number).
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &line[digits..];
        let gap = rest.len() - rest.trim_start_matches(' ').len();
        let rest = &rest[gap..];
        if gap <= 1 && rest.starts_with(['.', ')', '、', '．']) {
            let p = rest.chars().next()?;
            let punct_end = digits + gap + p.len_utf8();
            let next = line[punct_end..].chars().next();
            let ok = match next {
                None => true,
                Some(c) => c == ' ' || c == '\t' || crate::chars::is_han(c),
            };
            let next_non_space = after(punct_end).chars().next();
            if ok && !next_non_space.is_some_and(|c| c.is_ascii_digit()) {
                let body = body_at(punct_end);
                let sep = if body > punct_end { " " } else { "" };
                let canonical_len = digits + p.len_utf8() + sep.len();
                let text = if gap == 0 && body - punct_end == sep.len() {
                    Cow::Borrowed(&line[..canonical_len])
                } else {
                    Cow::Owned(format!("{}{p}{sep}", &line[..digits]))
                };
                return Some(Marker { strength: Strength::Weak, text, body });
            }
        }
    }
    // `(1)` `（1）` `(a)`.
    if first == '(' || first == '（' {
        let close = if first == '(' { ')' } else { '）' };
        let inner_start = first.len_utf8();
        if let Some(end) = line[inner_start..].find(close) {
            let inner = &line[inner_start..inner_start + end];
            let is_num = !inner.is_empty()
                && inner.len() <= 3
                && (inner.bytes().all(|b| b.is_ascii_digit())
                    || inner.chars().all(|c| CJK_NUMERALS.contains(&c))
                    || (inner.len() == 1 && inner.as_bytes()[0].is_ascii_lowercase()));
            if is_num {
                let m_end = inner_start + end + close.len_utf8();
                let body = body_at(m_end);
                let text = if body == m_end || (body == m_end + 1 && line.as_bytes()[m_end] == b' ') {
                    Cow::Borrowed(&line[..body])
                } else {
                    Cow::Owned(format!("{} ", &line[..m_end]))
                };
                return Some(Marker { strength: Strength::Weak, text, body });
            }
        }
    }
    // `一、` `十二、`.
    let numeral_len: usize =
        line.chars().take_while(|c| CJK_NUMERALS.contains(c)).take(3).map(char::len_utf8).sum();
    if numeral_len > 0 && line[numeral_len..].starts_with('、') {
        let m_end = numeral_len + '、'.len_utf8();
        let body = body_at(m_end);
        return Some(Marker { strength: Strength::Weak, text: Cow::Borrowed(&line[..m_end]), body });
    }
    None
}

/// Trims a line: trailing whitespace always, leading whitespace too.
#[inline]
fn trim(line: &str) -> &str {
    line.trim_matches([' ', '\t'])
}

fn ends_sentence(line: &str) -> bool {
    line.ends_with(['。', '！', '？', '」', '』', '.', '!', '?', '：', ':'])
}

/// Estimates the wrap width and decides whether the document is hard-wrapped.
///
/// ```
/// let text = "這是一段很長的文字，被文字瀏覽器按照固定的\n寬度斷成了好幾行，每一行都差不多一樣長，最\n後一行比較短。";
/// let layout = zh_clean::structure::analyze(text);
/// assert!(layout.wrapped);
/// assert_eq!(layout.width, 42);
/// ```
pub fn analyze(text: &str) -> Layout {
    let lines: Vec<(&str, usize)> = measured_lines(text);
    analyze_lines(&lines)
}

/// The trimmed lines of `text` with their display widths.
fn measured_lines(text: &str) -> Vec<(&str, usize)> {
    text.split('\n').map(trim).map(|l| (l, str_width(l))).collect()
}

fn analyze_lines(measured: &[(&str, usize)]) -> Layout {
    let mut widths: Vec<usize> = measured.iter().filter(|(l, _)| !l.is_empty()).map(|&(_, w)| w).collect();
    widths.sort_unstable_by(|a, b| b.cmp(a));
    let width = match widths.as_slice() {
        [] => 0,
        // One line much wider than a cluster of others (a URL, a table) is
        // not the wrap width.
        [w0, w1, rest @ ..]
            if *w0 * 20 > *w1 * 23 && rest.iter().take_while(|w| **w * 10 >= *w1 * 9).count() >= 2 =>
        {
            *w1
        }
        [w0, ..] => *w0,
    };
    let mut candidates = 0usize;
    let mut long = 0usize;
    let mut at_width = 0usize;
    // Long lines that end a sentence with room left on the line, and long
    // lines that end with CJK punctuation at all (verse, one clause a line).
    let mut short_sentence_ends = 0usize;
    let mut sentence_ends = 0usize;
    let mut punct_ends = 0usize;
    for pair in measured.windows(2) {
        let ((a, w), (b, _)) = (pair[0], pair[1]);
        // Evidence of wrapping is prose that continues: a line that is one
        // token (a URL, a number, a table row without spaces) or a pair that
        // stands apart anyway shows nothing.
        let one_token = !a.contains([' ', '\t']) && !a.chars().any(crate::chars::is_cjk);
        if a.is_empty() || b.is_empty() || marker(b).is_some() || one_token || stand_apart(a, b) {
            continue;
        }
        candidates += 1;
        if is_long(w, width) {
            long += 1;
            let full = w + 2 >= width;
            at_width += usize::from(full);
            short_sentence_ends += usize::from(!full && ends_sentence(a));
            sentence_ends += usize::from(ends_sentence(a));
            punct_ends += usize::from(a.chars().next_back().is_some_and(crate::chars::is_cjk_punct));
        }
    }
    // Paragraphs separated by blank lines that still span several lines.
    let groups = measured.windows(2).filter(|p| p[0].0.is_empty() && !p[1].0.is_empty()).count()
        + usize::from(measured.first().is_some_and(|l| !l.0.is_empty()));
    let wrapped = width >= 16
        && long > 0
        && 2 * long >= candidates
        && 2 * short_sentence_ends < long
        && (long < 3 || 5 * punct_ends < 4 * long)
        // With one or two lines to judge, a line ending a sentence is a
        // paragraph per line, unless blank lines separate the paragraphs.
        && (long >= 3 || groups >= 2 || sentence_ends == 0);
    let breaks_words = wrapped && at_width * 5 >= long * 4;
    Layout { width, wrapped, breaks_words }
}

/// Whether two consecutive lines stand apart whatever the wrap width: a
/// join would make one token of two tokens that each stand complete — two
/// URLs or e-mail addresses, two numbers or dates that each carry their own
/// separators (`17234.50` and `2023-11-09`) — or they are rows of a table
/// (the same number of tabs, `|` or `,` separators, at least two).
pub(crate) fn stand_apart(before: &str, after: &str) -> bool {
    let last = before.rsplit([' ', '\t']).next().unwrap_or("");
    let first = after.split([' ', '\t']).next().unwrap_or("");
    let link = |t: &str| t.contains("://") || t.starts_with("www.") || (t.contains('@') && t.contains('.'));
    let starts_link =
        |t: &str| t.starts_with("http://") || t.starts_with("https://") || t.starts_with("www.");
    if link(last) && (starts_link(first) || link(first)) {
        return true;
    }
    if structured_number(last) && structured_number(first) {
        return true;
    }
    let fields = |l: &str, sep: char| l.matches(sep).count();
    ['\t', '|', ','].into_iter().any(|sep| {
        let n = fields(before, sep);
        n >= 2 - usize::from(sep == '\t') && n == fields(after, sep)
    })
}

/// A number or date with separators between its digits (`17234.50`,
/// `1,000`, `2023-11-09`, `10:30`), complete at both ends.
fn structured_number(t: &str) -> bool {
    let t = t.trim_end_matches(['%', ')', '）', '，', '。', ',', ';']);
    let b = t.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_digit()
        && b[b.len() - 1].is_ascii_digit()
        && b.iter().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b',' | b'-' | b'/' | b':'))
        && b.windows(3).any(|w| w[0].is_ascii_digit() && !w[1].is_ascii_digit() && w[2].is_ascii_digit())
}

/// What replaces the newline between a wrapped line ending in `before` and
/// its continuation `after`:
///
/// * next to CJK text, nothing (`人/⏎平方公里`) — except between CJK and
///   Latin letters or digits, where the document's own habit decides:
///   nothing where they touch (`成立於⏎1942年`), a space where it spaces
///   them (`CCTV⏎電視劇` in Taiwanese style; spuriously spaced documents
///   count as spacing them, and the spacing stage decides);
/// * between Latin text on a full line of a word-breaking wrapper, nothing
///   when the break fell inside a word (see [`tight_join`]);
/// * otherwise a space — three between words in a document whose original
///   spaces are wide gaps, so that the spacing stage reads it as one.
fn junction(before: &str, after: &str, full: bool, stats: &DocStats) -> &'static str {
    use crate::chars::{is_alnum, is_cjk};
    let (a, b) = (before.chars().next_back().unwrap_or(' '), after.chars().next().unwrap_or(' '));
    if is_cjk(a) || is_cjk(b) {
        let latin = is_alnum(a) || is_alnum(b);
        return if latin && stats.spaces_cjk_and_latin() { " " } else { "" };
    }
    if full && tight_join(before, after) {
        ""
    } else if stats.has_wide_gaps() && is_alnum(a) && is_alnum(b) {
        "   "
    } else {
        " "
    }
}

/// Whether a break between `a` and `b` on a full line of a word-breaking
/// wrapper fell inside a word. Between Latin letters and digits that is
/// the rule (`Gam|e`, `19|87`, `RWT|H`, `T|he`) except where case or kind
/// changes as it does between words (`Aachen|Campus`, `News|2023`) or
/// sentence punctuation precedes a letter (`U.S.|News`).
fn tight_join(before: &str, after: &str) -> bool {
    use crate::chars::is_alnum;
    let mut rev = before.chars().rev();
    let (a, b) = (rev.next().unwrap_or(' '), after.chars().next().unwrap_or(' '));
    if matches!(a, '.' | ',' | ';' | ':' | '!' | '?' | ')') && b.is_alphabetic() && !crate::chars::is_han(b) {
        // `U.S.|News`, `Hello,|world`, but `U.|S.`: a single letter before
        // the dot is an abbreviation that goes on.
        let single = rev.next().is_some_and(char::is_alphabetic) && !rev.next().is_some_and(is_alnum);
        return a == '.' && single && after[b.len_utf8()..].starts_with('.');
    }
    if !(is_alnum(a) && is_alnum(b)) {
        return true;
    }
    let (da, db) = (a.is_numeric(), b.is_numeric());
    if da != db {
        return false;
    }
    !(a.is_lowercase() && b.is_uppercase())
}

/// A line at least half the width whose successor's first word would not
/// have fitted after it: a word wrapper broke there.
fn word_did_not_fit(line_width: usize, next: &str, wrap_width: usize) -> bool {
    // Only Latin words: CJK text can break anywhere, so a CJK line with room
    // left really ended there.
    let word = next.split([' ', '\t']).next().unwrap_or("");
    word.chars().all(|c| !crate::chars::is_cjk(c))
        && 2 * line_width >= wrap_width
        && line_width + 1 + str_width(word) > wrap_width
}

#[inline]
fn is_long(line_width: usize, wrap_width: usize) -> bool {
    line_width * 5 >= wrap_width * 4
}

/// Splits `text` (after hygiene) into groups of units, re-joining wrapped
/// lines when `unwrap` is true and the document is wrapped.
///
/// ```
/// use zh_clean::structure::{split, UnitKind};
/// use zh_clean::spacing::DocStats;
/// let text = "標題\n\n• 第一項\n• 第二項";
/// let groups = split(text, true, &DocStats::measure(text));
/// assert_eq!(groups.len(), 2);
/// assert_eq!(groups[1][0].kind, UnitKind::ListItem);
/// assert_eq!(groups[1][1].body, "第二項");
/// ```
pub fn split<'a>(text: &'a str, unwrap: bool, stats: &DocStats) -> Vec<Group<'a>> {
    let measured = measured_lines(text);
    let layout = if unwrap { analyze_lines(&measured) } else { Layout::UNWRAPPED };
    split_measured(measured, layout, stats)
}

/// [`split`] with a layout decided beforehand (for a document processed in
/// pieces, from its beginning).
pub fn split_with<'a>(text: &'a str, layout: Layout, stats: &DocStats) -> Vec<Group<'a>> {
    split_measured(measured_lines(text), layout, stats)
}

fn split_measured<'a>(measured: Vec<(&'a str, usize)>, layout: Layout, stats: &DocStats) -> Vec<Group<'a>> {
    let mut groups: Vec<Group<'_>> = Vec::new();
    let mut group: Group<'_> = Vec::new();
    // The display width of the previous line of the current group.
    let mut prev: Option<usize> = None;
    let mut prev_line: &str = "";
    for (line, w) in measured {
        if line.is_empty() {
            if !group.is_empty() {
                groups.push(std::mem::take(&mut group));
            }
            prev = None;
            continue;
        }
        let m = marker(line);
        let continues = match prev {
            // A wrapper never writes a line wider than its width.
            Some(pw)
                if layout.wrapped
                    && pw <= layout.width
                    && (is_long(pw, layout.width) || word_did_not_fit(pw, line, layout.width))
                    && !stand_apart(prev_line, line) =>
            {
                let first = line.chars().next().unwrap_or(' ');
                let full = layout.breaks_words && pw + width(first) > layout.width;
                // After a line filled to the width, `- 1100公斤` or `3 . 5`
                // continues the sentence: only bullets start an item there.
                let filled = layout.breaks_words && pw + 2 >= layout.width;
                match &m {
                    Some(m) if m.strength == Strength::Strong => None,
                    Some(_) if !filled => None,
                    _ => Some(full),
                }
            }
            _ => None,
        };
        match (continues, group.last_mut()) {
            (Some(full), Some(unit)) => {
                let body = unit.body.to_mut();
                body.push_str(junction(body, line, full, stats));
                body.push_str(line);
                unit.lines += 1;
            }
            _ => {
                let unit = match m {
                    Some(m) => Unit {
                        kind: UnitKind::ListItem,
                        marker: m.text,
                        body: Cow::Borrowed(&line[m.body..]),
                        lines: 1,
                    },
                    None => Unit {
                        kind: UnitKind::Paragraph,
                        marker: Cow::Borrowed(""),
                        body: Cow::Borrowed(line),
                        lines: 1,
                    },
                };
                group.push(unit);
            }
        }
        prev = Some(w);
        prev_line = line;
    }
    if !group.is_empty() {
        groups.push(group);
    }
    if layout.wrapped { separate_paragraphs(groups) } else { groups }
}

/// A paragraph re-joined from wrapped lines gets a group of its own, so that
/// it is written with a blank line before and after it: one paragraph per
/// line, a blank line between paragraphs. Lines that were not joined
/// (headings, captions, list items) stay together as they came.
fn separate_paragraphs(groups: Vec<Group<'_>>) -> Vec<Group<'_>> {
    let mut out = Vec::with_capacity(groups.len());
    for group in groups {
        let mut current: Group<'_> = Vec::new();
        for unit in group {
            if unit.kind == UnitKind::Paragraph && unit.lines > 1 {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                out.push(vec![unit]);
            } else {
                current.push(unit);
            }
        }
        if !current.is_empty() {
            out.push(current);
        }
    }
    out
}

/// Writes groups back as text: a unit per line, a blank line between groups.
/// The result ends with a newline when `final_newline` is true.
///
/// ```
/// use zh_clean::structure::{render, split};
/// let text = "• 甲\n• 乙\n\n\n段落";
/// let stats = zh_clean::spacing::DocStats::measure(text);
/// assert_eq!(render(&split(text, true, &stats), false), "• 甲\n• 乙\n\n段落");
/// ```
pub fn render(groups: &[Group<'_>], final_newline: bool) -> String {
    let mut out = String::new();
    for (i, g) in groups.iter().enumerate() {
        if i > 0 {
            out.push_str("\n\n");
        }
        for (j, u) in g.iter().enumerate() {
            if j > 0 {
                out.push('\n');
            }
            out.push_str(&u.marker);
            out.push_str(&u.body);
        }
    }
    if final_newline && !out.is_empty() {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complete_tokens_stand_apart() {
        assert!(stand_apart("https://www.hkpc.org/a", "https://www.hkpc.org/b"));
        assert!(stand_apart("見 https://a.org/x", "www.b.org 另見"));
        assert!(stand_apart("電郵 a@b.org", "c@d.org"));
        assert!(stand_apart("收市 17234.50", "2023-11-09 成交"));
        assert!(stand_apart("名稱,價格,日期", "恒指,17234.50,2023"));
        assert!(stand_apart("a\tb", "c\td"));
        // A wrapper's break inside a word or a number is not.
        assert!(!stand_apart("https://www.hkpc.org/en/abo", "ut-us/news"));
        assert!(!stand_apart("價格為 3.14", "159 元"));
        assert!(!stand_apart("Game Inform", "er 2023"));
        assert!(!stand_apart("一,二", "三"));
    }

    #[test]
    fn equal_width_lines_without_evidence_stay_apart() {
        let c = crate::Cleaner::default();
        for text in [
            "https://www.hkpc.org/a\nhttps://www.hkpc.org/b\n",
            "name,price,date\nabc,17234.50,2023\nxyz,17234.51,2024\n",
            "恒生指數收市報 17234.50\n2023-11-09 成交金額為八百億\n",
        ] {
            assert_eq!(c.clean(text).lines().count(), text.lines().count(), "{text:?}");
        }
    }

    fn roundtrip(text: &str) -> String {
        render(&split(text, true, &DocStats::measure(text)), false)
    }

    fn marker_text(line: &str) -> Option<String> {
        marker(line).map(|m| m.text.into_owned())
    }

    #[test]
    fn markers() {
        assert_eq!(marker_text("• 服務").as_deref(), Some("• "));
        assert_eq!(marker_text("•").as_deref(), Some("•"));
        assert_eq!(marker_text("☆ 新型 工業化").as_deref(), Some("☆ "));
        assert_eq!(marker_text("□\t简体").as_deref(), Some("□ "));
        assert_eq!(marker_text("1 . 建立").as_deref(), Some("1. "));
        assert_eq!(marker_text("12. item").as_deref(), Some("12. "));
        assert_eq!(marker_text("3) 三").as_deref(), Some("3) "));
        assert_eq!(marker_text("2.構建").as_deref(), Some("2."));
        assert_eq!(marker_text("(1) 第一").as_deref(), Some("(1) "));
        assert_eq!(marker_text("（二）第二").as_deref(), Some("（二）"));
        assert_eq!(marker_text("一、總則").as_deref(), Some("一、"));
        assert_eq!(marker_text("- item").as_deref(), Some("- "));
        assert_eq!(marker_text("* item").as_deref(), Some("* "));
    }

    #[test]
    fn not_markers() {
        for line in ["- 完 -", "3 . 5 米", "2023 年", "1.5 米", "-完-", "(PDF) 版", "1234. x", "x • y", "--"]
        {
            assert_eq!(marker_text(line), None, "{line:?}");
        }
    }

    #[test]
    fn blank_lines_separate_groups() {
        assert_eq!(roundtrip("甲\n\n\n乙\n \n丙"), "甲\n\n乙\n\n丙");
        assert_eq!(roundtrip("\n\n甲\n\n"), "甲");
    }

    #[test]
    fn unwrapped_text_keeps_its_lines() {
        let text = "床前明月光，\n疑是地上霜。\n舉頭望明月，\n低頭思故鄉。";
        assert!(!analyze(text).wrapped);
        assert_eq!(roundtrip(text), text);
        let text = "第一段很長很長很長很長很長很長很長很長很長很長很長。\n第二段也很長很長很長很長很長很長很長很長很長很長。";
        assert_eq!(roundtrip(text), text);
    }

    /// Hard-wraps `text` the way a character wrapper does: greedy fill up to
    /// `w` columns, breaking anywhere, dropping the spaces at a break.
    fn wrap_chars(text: &str, w: usize) -> String {
        let mut out = String::new();
        let mut line = String::new();
        let mut lw = 0;
        for c in text.chars() {
            let cw = width(c);
            if lw + cw > w {
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

    #[test]
    fn wrapped_lines_are_joined() {
        let text = "一二三四五六七八九十甲乙丙丁 Game Informer 戊己庚辛壬癸。";
        let wrapped = wrap_chars(text, 20);
        assert_eq!(wrapped, "一二三四五六七八九十\n甲乙丙丁 Game Inform\ner 戊己庚辛壬癸。");
        let layout = analyze(&wrapped);
        assert_eq!(layout, Layout { width: 20, wrapped: true, breaks_words: true });
        assert_eq!(roundtrip(&wrapped), text);
    }

    #[test]
    fn unwrapping_undoes_character_wrapping() {
        let text = "當《Game Informer》提到遊戲在日本的知名度時甚至說「四百萬日本人可能錯了」，而RWTH Aachen Campus與U.S. News 2023都在2024-2025年間。";
        for w in 18..=44 {
            let wrapped = wrap_chars(text, w);
            assert!(wrapped.lines().count() > 2, "{w}");
            assert_eq!(roundtrip(&wrapped), text, "width {w}: {wrapped:?}");
        }
    }

    #[test]
    fn a_line_with_room_left_joins_with_a_space() {
        // Wrapped at spaces: `quick` + `b` would have fitted, a space was eaten.
        let text = "zh-clean joins lines that a text browser\nwrapped at a fixed width, and keeps\nthe spaces between the words of\nextraordinary English text.";
        assert!(!analyze(text).breaks_words);
        assert_eq!(
            roundtrip(text),
            "zh-clean joins lines that a text browser wrapped at a fixed width, and keeps the spaces between the words of extraordinary English text."
        );
    }

    #[test]
    fn list_items_are_never_joined_to_each_other() {
        let text = "• 一二三四五六七八九十一二三四五六七八九\n甲乙\n• 一二三四五六七八九十一二三四五六七八九\n  續行";
        let groups = split(text, true, &DocStats::measure(text));
        assert_eq!(groups[0].len(), 2);
        assert_eq!(groups[0][0].body, "一二三四五六七八九十一二三四五六七八九甲乙");
        assert_eq!(groups[0][1].body, "一二三四五六七八九十一二三四五六七八九續行");
        assert_eq!(groups[0][1].lines, 2);
    }

    #[test]
    fn numbered_items_and_their_continuations() {
        let text = "1 . 建立 亞洲 領先 超算 中心 ： 政府 投資 建立 公共 超算\n中心 。\n2 . 構建 國際 大數 據樞 紐 ： 透過 數字 政策 辦公室 制定\n數據 政策 。";
        let groups = split(text, true, &DocStats::measure(text));
        let lines: Vec<String> =
            groups[0].iter().map(|u| format!("{}{}", u.marker, u.body.replace(' ', ""))).collect();
        assert_eq!(
            lines,
            [
                "1. 建立亞洲領先超算中心：政府投資建立公共超算中心。",
                "2. 構建國際大數據樞紐：透過數字政策辦公室制定數據政策。",
            ]
        );
    }

    #[test]
    fn weak_marker_after_a_full_line_is_a_continuation() {
        let text =
            "子丑寅卯辰巳午未申酉\n一二三四五六七八九十\n甲乙丙丁戊己庚辛壬癸\n- 完。一二三四五六七八九十";
        let groups = split(text, true, &DocStats::measure(text));
        assert_eq!(groups[0].len(), 1);
        assert_eq!(
            groups[0][0].body,
            "子丑寅卯辰巳午未申酉一二三四五六七八九十甲乙丙丁戊己庚辛壬癸- 完。一二三四五六七八九十"
        );
    }

    #[test]
    fn short_lines_in_a_wrapped_document_stay_apart() {
        let text = "一二三四五六七八九十一二三四五六七八九十\n一二三四五六七八九十一二三四五六七八九十\n結尾\n標題\n[ logo ]";
        let groups = split(text, true, &DocStats::measure(text));
        let bodies: Vec<Vec<&str>> =
            groups.iter().map(|g| g.iter().map(|u| u.body.as_ref()).collect()).collect();
        assert_eq!(
            bodies,
            [
                vec!["一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十結尾"],
                vec!["標題", "[ logo ]"]
            ]
        );
    }

    #[test]
    fn unwrap_off_keeps_lines() {
        let text = "一二三四五六七八九十\n甲乙丙丁戊己庚辛壬癸\n子丑";
        assert_eq!(render(&split(text, false, &DocStats::measure(text)), false), text);
    }

    #[test]
    fn one_wide_outlier_does_not_set_the_width() {
        let text = "一二三四五六七八九十\n一二三四五六七八九十\n一二三四五六七八九十\nhttps://example.com/a/very/long/address/that/does/not/wrap\n尾";
        assert_eq!(analyze(text).width, 20);
    }
}
