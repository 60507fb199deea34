//! Stage 3: structure — blocks, list items and hard-wrap recovery.
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
//! Wrappers count in different units: text browsers and typeset pages in
//! display columns, html2text in characters, GNU `fmt` in bytes. Measured
//! in the wrong unit, a full line of ideographs and a full line of Latin
//! text look of different lengths, so the width is estimated in each unit
//! and the one under which most continuing lines are long is kept.
//!
//! A wrapped line does **not** continue when
//!
//! * it ends a sentence and the next line's first piece (an ideograph, or a
//!   Latin word) would have fitted on it: the paragraph ended there (the
//!   last line of a paragraph is short; PDF extractors often leave no other
//!   trace of a paragraph break);
//! * the next line is indented more than it (a first-line indent, in spaces
//!   or U+3000), except inside a list item, whose continuation lines hang
//!   under its text;
//! * it ends a sentence and the next line, which goes on to another, is
//!   shorter than a typical full line by two wide characters or more: the
//!   extractor dropped a first-line indent but the typesetter's line was
//!   still short by it.
//!
//! A line at least half as wide as the wrap width that stops on a letter, a
//! digit or an ideograph goes on: wrappers that count otherwise than the
//! measure found (lynx, html2text) leave such lines before a long word.
//!
//! Some extractors write a blank line after every line. When nearly every
//! group is one line and the document read without those single blank
//! lines is wrapped (with at least three lines that certainly continue),
//! single blank lines are not paragraph breaks; two in a row still are.
//!
//! A line that starts with a weak marker (`-`, `*`, a number, a Markdown
//! heading's `#`) right after a full line is a continuation, not a list
//! item: wrapping can put `- 2025年` or `# F` at the start of a line.
//!
//! ## Markdown
//!
//! * A **heading** (`#` to `######`, a space, text) is a unit of one line:
//!   its marker keeps its space, nothing is joined onto it.
//! * A **code block** is one unit written verbatim: a fenced block from its
//!   opening fence (three or more backticks or tildes, indented at most
//!   three spaces) to the closing one — or to the end of the text when
//!   none comes — blank lines inside it included; an indented block is a
//!   run of lines after a blank line, each indented four columns beyond the
//!   document's margin, that reads as code (mostly ASCII, with a sign such
//!   as `=`, `;`, `{` or `f(`). Code lines are not evidence of wrapping.
//!
//! ## Output
//!
//! [`render`] writes one unit per line, the units of a group on consecutive
//! lines and one blank line between groups. A paragraph re-joined from
//! several lines becomes a group of its own, so a blank line separates it
//! from what follows; list items and lines that were not joined stay
//! together as they came.

use std::borrow::Cow;

use crate::chars::str_width;
use crate::spacing::DocStats;

/// The kind of a unit of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum UnitKind {
    /// Running text: one or more lines joined into a paragraph.
    Paragraph,
    /// A line that starts with a list marker, with its wrapped continuation.
    ListItem,
    /// A Markdown heading line (`# 標題`): its marker and the space after
    /// it are kept, nothing is joined onto it.
    Heading,
    /// A fenced or indented code block, kept verbatim: its lines, their
    /// indentation and the blank lines inside it are written as they came,
    /// and no later stage touches it.
    Code,
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
    /// The estimated wrap width, in [`Layout::measure`] units (the widest
    /// line when the document is not wrapped).
    pub width: usize,
    /// Whether the document is hard-wrapped.
    pub wrapped: bool,
    /// Whether the wrapper broke lines at any character, even inside words
    /// (nearly every wrapped line is exactly as wide as the width allows),
    /// rather than at spaces.
    pub breaks_words: bool,
    /// What the wrapper counted: display columns, characters or bytes.
    pub measure: Measure,
    /// The shortest length the wrapper left on a long line that continued
    /// (one that ends no sentence); at most `width`.
    pub fill: usize,
    /// The most common length of a long line that continued: the width of
    /// a full line of the typeset page.
    pub typical: usize,
    /// Whether a blank line follows every line (some PDF extractors write
    /// lines double-spaced): single blank lines then do not end paragraphs.
    pub double_spaced: bool,
    /// The smallest indentation of a line, in columns: the document's left
    /// margin. An indented code block is indented four columns beyond it.
    pub margin: usize,
}

impl Layout {
    /// A document that is not hard-wrapped: no line is joined.
    pub const UNWRAPPED: Layout = Layout {
        width: 0,
        wrapped: false,
        breaks_words: false,
        measure: Measure::Columns,
        fill: 0,
        typical: 0,
        double_spaced: false,
        margin: 0,
    };
}

/// The unit in which a wrapper measured its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Display columns (East Asian wide characters count 2): text browsers
    /// such as w3m and lynx, and the text of typeset pages.
    Columns = 0,
    /// Characters (Unicode scalar values): html2text, Python's `textwrap`.
    Chars = 1,
    /// UTF-8 bytes: GNU `fmt`.
    Bytes = 2,
}

impl Measure {
    /// How much shorter than the width a line that the wrapper filled may
    /// be: one wide character that did not fit.
    fn slack(self) -> usize {
        match self {
            Measure::Columns => 2,
            Measure::Chars => 1,
            Measure::Bytes => 3,
        }
    }

    fn of(self, s: &str) -> usize {
        match self {
            Measure::Columns => str_width(s),
            Measure::Chars => s.chars().count(),
            Measure::Bytes => s.len(),
        }
    }
}

/// The Latin words of a document (runs of ASCII letters, digits and `_`)
/// and how often each occurs: what decides whether two pieces of Latin text
/// on either side of a line break are one word that a character wrapper
/// broke (`aw` / `ait`, `CPyth` / `on`) or two words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary {
    words: std::collections::HashMap<Box<str>, u32>,
    /// Short lines that occur more than once: running headers (a title
    /// repeated at the top of every page).
    running: std::collections::HashSet<Box<str>>,
}

impl Vocabulary {
    /// Counts the Latin words of `text`.
    ///
    /// ```
    /// let v = zh_clean::structure::Vocabulary::measure("async 和 await，以及 aw\nait");
    /// assert_eq!((v.count("await"), v.count("aw"), v.count("async")), (1, 1, 1));
    /// ```
    pub fn measure(text: &str) -> Vocabulary {
        let mut words: std::collections::HashMap<Box<str>, u32> = std::collections::HashMap::new();
        for_each_word(text, |w| match words.get_mut(w) {
            Some(n) => *n += 1,
            None => {
                words.insert(w.into(), 1);
            }
        });
        Vocabulary { words, running: Default::default() }
    }

    /// The vocabulary a wrapped document needs: how often the words that
    /// meet at a line end (the last word of a line that ends with a Latin
    /// letter or digit, the first word of the next, and the two run
    /// together) occur in `text` — the only words `Vocabulary::rejoins`
    /// asks about. Empty when no line end falls between Latin words.
    pub fn for_junctions(text: &str) -> Vocabulary {
        let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
        let mut words: std::collections::HashMap<Box<str>, u32> = std::collections::HashMap::new();
        let mut lines = text.split('\n').map(|l| l.trim_matches([' ', '\t'])).peekable();
        while let Some(line) = lines.next() {
            let Some(next) = lines.peek() else { break };
            let a = &line[line.trim_end_matches(is_word).len()..];
            let b = &next[..next.len() - next.trim_start_matches(is_word).len()];
            if !a.is_empty() && !b.is_empty() {
                for w in [a.to_string(), b.to_string(), format!("{a}{b}")] {
                    words.insert(w.into_boxed_str(), 0);
                }
            }
        }
        let running = running_lines(text);
        if words.is_empty() {
            return Vocabulary { running, ..Vocabulary::default() };
        }
        for_each_word(text, |w| {
            if let Some(n) = words.get_mut(w) {
                *n += 1;
            }
        });
        Vocabulary { words, running }
    }

    /// Whether `line` (trimmed) may be a running header: a line of 4 to 40
    /// columns that ends no sentence or clause, no list item, and occurs
    /// more than once in the document. (The structure stage also wants it
    /// at most half as wide as the wrap width.)
    pub fn is_running_line(&self, line: &str) -> bool {
        !self.running.is_empty() && self.running.contains(line)
    }

    /// How often `word` occurs.
    pub fn count(&self, word: &str) -> u32 {
        self.words.get(word).copied().unwrap_or(0)
    }

    /// Whether the Latin word ending `before` and the one starting `after`
    /// are one word broken by the line end: the whole word occurs elsewhere
    /// in the document, and one of the two pieces occurs nowhere but here;
    /// or the letters that meet make an English word (see
    /// [`english_word`]) of which one piece, found nowhere else in the
    /// document, is no word (`aw` / `ait`, `res` / `et_mock()`, `issu` /
    /// `e`; not `some` / `thing`, nor `Hacker` / `News`).
    /// Whether the lowercase letters that meet at a line break are two
    /// words and no longer one: each half an English word (or one the document
    /// uses), the two together neither. Even a wrapper that breaks inside
    /// words leaves these apart (`a` / `the`), where its lines fill the
    /// width by chance at a space.
    fn keeps_apart(&self, before: &str, after: &str) -> bool {
        // Lowercase letters only: capitals may be pieces of a name (`RW` /
        // `TH`).
        let la = &before[before.trim_end_matches(|c: char| c.is_ascii_lowercase()).len()..];
        let lb = &after[..after.len() - after.trim_start_matches(|c: char| c.is_ascii_lowercase()).len()];
        let known = |w: &str| english_word(w) || self.count(w) >= 1;
        // Whole pieces: no other letter before or after them (`Cam` /
        // `pus`).
        let letter = |c: char| c.is_alphabetic() && !crate::chars::is_han(c);
        let whole =
            !before[..before.len() - la.len()].ends_with(letter) && !after[lb.len()..].starts_with(letter);
        !la.is_empty() && !lb.is_empty() && whole && known(la) && known(lb) && !known(&format!("{la}{lb}"))
    }

    fn rejoins(&self, before: &str, after: &str) -> bool {
        let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
        let a = &before[before.trim_end_matches(is_word).len()..];
        let b = &after[..after.len() - after.trim_start_matches(is_word).len()];
        if a.is_empty() || b.is_empty() || self.words.is_empty() {
            return false;
        }
        let whole = format!("{a}{b}");
        if self.count(&whole) >= 1 && (self.count(a) <= 1 || self.count(b) <= 1) {
            return true;
        }
        let la = &a[a.trim_end_matches(|c: char| c.is_ascii_alphabetic()).len()..];
        let lb = &b[..b.len() - b.trim_start_matches(|c: char| c.is_ascii_alphabetic()).len()];
        let broken = |piece: &str, token: &str| !english_word(piece) && self.count(token) <= 1;
        !la.is_empty()
            && !lb.is_empty()
            && english_word(&format!("{la}{lb}"))
            && (broken(la, a) || broken(lb, b))
    }
}

/// Whether `word` (ASCII letters, in any case) is an English word: one of
/// the 40,134 lowercase words of SCOWL size 35 in `data/english/words.txt`
/// (see its README for the source and licence).
///
/// The list is one sorted word per line, searched where it lies: a binary
/// search over byte offsets, each probe widened to the line around it. The
/// range `lo..hi` always starts and ends at line starts, so every probe
/// finds a whole line inside it and the range shrinks by at least that
/// line. No allocation beyond the lowercased query.
pub(crate) fn english_word(word: &str) -> bool {
    const WORDS: &[u8] = include_bytes!("../data/english/words.txt");
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    let word = word.to_ascii_lowercase();
    let (mut lo, mut hi) = (0, WORDS.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = memchr::memrchr(b'\n', &WORDS[lo..mid]).map_or(lo, |p| lo + p + 1);
        let end = memchr::memchr(b'\n', &WORDS[start..hi]).map_or(hi, |p| start + p);
        match WORDS[start..end].cmp(word.as_bytes()) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => lo = end + 1,
            std::cmp::Ordering::Greater => hi = start,
        }
    }
    false
}

/// Calls `f` on every Latin word of `text` (a run of two or more ASCII
/// letters, digits and `_`).
fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let mut i = 0;
    while i < bytes.len() {
        if !word(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && word(bytes[i]) {
            i += 1;
        }
        // ASCII bytes only: `start..i` is on character boundaries.
        if i - start >= 2 {
            f(&text[start..i]);
        }
    }
}

/// Whether a list marker can start an item anywhere (`•`) or only where the
/// previous line is not a full, wrapped line (`-`, `1.`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strength {
    Strong,
    Weak,
    /// A Markdown heading (`#` to `######` and a space): starts a unit
    /// anywhere and ends it with its line.
    Heading,
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

/// Bullets, in code point order (a marker whether or not a space follows).
const BULLETS: [char; 28] = [
    '•', '‣', '⁃', '∙', '①', '②', '③', '④', '⑤', '⑥', '⑦', '⑧', '⑨', '⑩', '■', '□', '▪', '▫', '▸', '►', '◆',
    '◇', '○', '●', '◦', '★', '☆', '・',
];

/// Whether `c` is a bullet.
pub(crate) fn is_bullet(c: char) -> bool {
    BULLETS.binary_search(&c).is_ok()
}

/// The numerals of `一、` and `(一)` markers, in code point order.
const CJK_NUMERALS: [char; 23] = [
    '〇', '一', '七', '三', '九', '二', '五', '伍', '八', '六', '十', '參', '四', '壹', '拾', '捌', '柒',
    '玖', '百', '肆', '貳', '陸', '零',
];

/// Whether `c` is a numeral of `一、` and `(一)` markers.
fn is_cjk_numeral(c: char) -> bool {
    CJK_NUMERALS.binary_search(&c).is_ok()
}

/// Whether `line` starts with a list marker.
pub(crate) fn starts_with_marker(line: &str) -> bool {
    marker(line).is_some()
}

/// Where the text of a list item starts, when `line` (already trimmed)
/// starts with a list marker: the marker and the spaces after it end there.
pub(crate) fn marker_end(line: &str) -> Option<usize> {
    marker(line).map(|m| m.body)
}

/// Recognises a list marker (or a Markdown heading's) at the start of
/// `line` (already trimmed).
fn marker(line: &str) -> Option<Marker<'_>> {
    let first = line.chars().next()?;
    if !may_start_marker(first) {
        return None;
    }
    recognise_marker(line, first)
}

/// [`marker`] without the test of its first character: each recogniser in
/// turn.
fn recognise_marker(line: &str, first: char) -> Option<Marker<'_>> {
    heading_marker(line)
        .or_else(|| bullet_marker(line, first))
        .or_else(|| quote_marker(line, first))
        .or_else(|| dash_marker(line, first))
        .or_else(|| number_marker(line))
        .or_else(|| bracketed_marker(line, first))
        .or_else(|| numeral_marker(line))
}

/// Whether a marker may start with `first`: the first characters the
/// recognisers below accept, so that most lines are passed over at their
/// first character.
#[inline]
pub(crate) fn may_start_marker(first: char) -> bool {
    matches!(first, '#' | '>' | '-' | '*' | '+' | '(' | '（')
        || is_digit(first)
        || is_bullet(first)
        || is_cjk_numeral(first)
}

/// `#` to `######`, a space or tab, then text: a Markdown heading. Its
/// space is the heading's, not the spacing stage's (`#標題` is a tag).
fn heading_marker(line: &str) -> Option<Marker<'_>> {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&hashes) || !line[hashes..].starts_with([' ', '\t']) {
        return None;
    }
    let body = body_at_after(line, hashes);
    if body == line.len() {
        return None;
    }
    let text = if body == hashes + 1 && line.as_bytes()[hashes] == b' ' {
        Cow::Borrowed(&line[..body])
    } else {
        Cow::Owned(format!("{} ", &line[..hashes]))
    };
    Some(Marker { strength: Strength::Heading, text, body })
}

/// Bullets: a marker whether or not a space follows.
fn bullet_marker(line: &str, first: char) -> Option<Marker<'_>> {
    if !is_bullet(first) {
        return None;
    }
    let n = first.len_utf8();
    let body = body_at_after(line, n);
    let text = if body == line.len() || body == n {
        Cow::Borrowed(&line[..n])
    } else if body == n + 1 && line.as_bytes()[n] == b' ' {
        Cow::Borrowed(&line[..n + 1])
    } else {
        Cow::Owned(format!("{first} "))
    };
    Some(Marker { strength: Strength::Strong, text, body })
}

/// `>` and a space: a quoted line (Markdown, e-mail), written like an item
/// whose marker keeps its space: `> ` whatever the spaces after it were.
fn quote_marker(line: &str, first: char) -> Option<Marker<'_>> {
    if first != '>' || !line[1..].starts_with([' ', '\t']) {
        return None;
    }
    let body = body_at_after(line, 1);
    (body < line.len()).then_some(Marker { strength: Strength::Weak, text: Cow::Borrowed("> "), body })
}

/// `-`, `*` and `+` followed by a space; `- 完 -` is a decoration, not a
/// list.
fn dash_marker(line: &str, first: char) -> Option<Marker<'_>> {
    if !matches!(first, '-' | '*' | '+') || !line[1..].starts_with([' ', '\t']) || line.ends_with(first) {
        return None;
    }
    let body = body_at_after(line, 1);
    let text = if body == 2 { Cow::Borrowed(&line[..2]) } else { Cow::Owned(format!("{first} ")) };
    Some(Marker { strength: Strength::Weak, text, body })
}

/// `1.` `1 .` `12)` followed by a space or an ideograph, never by a digit
/// (`3 . 5` is a number). Fullwidth digits count as the ASCII ones the
/// punctuation stage makes of them (`１.`), so that cleaning the output
/// again finds the same marker.
fn number_marker(line: &str) -> Option<Marker<'_>> {
    let (n_digits, digits) = line
        .chars()
        .take_while(|&c| is_digit(c))
        .take(4)
        .fold((0, 0), |(n, len), c| (n + 1, len + c.len_utf8()));
    if !(1..=3).contains(&n_digits) {
        return None;
    }
    let rest = &line[digits..];
    let gap = rest.len() - rest.trim_start_matches(' ').len();
    let rest = &rest[gap..];
    if gap > 1 || !rest.starts_with(['.', ')', '、', '．']) {
        return None;
    }
    let p = rest.chars().next()?;
    let punct_end = digits + gap + p.len_utf8();
    let ok =
        line[punct_end..].chars().next().is_none_or(|c| c == ' ' || c == '\t' || crate::chars::is_han(c));
    let next_non_space = line[punct_end..].trim_start_matches([' ', '\t']).chars().next();
    if !ok || next_non_space.is_some_and(is_digit) {
        return None;
    }
    let body = body_at_after(line, punct_end);
    let sep = if body > punct_end { " " } else { "" };
    let canonical_len = digits + p.len_utf8() + sep.len();
    let ascii = n_digits == digits;
    let text = if ascii && gap == 0 && body - punct_end == sep.len() {
        Cow::Borrowed(&line[..canonical_len])
    } else {
        let number: String =
            line[..digits].chars().map(|c| crate::chars::halfwidth_alnum(c).unwrap_or(c)).collect();
        Cow::Owned(format!("{number}{p}{sep}"))
    };
    Some(Marker { strength: Strength::Weak, text, body })
}

/// `(1)` `（1）` `(a)` `(一)`.
fn bracketed_marker(line: &str, first: char) -> Option<Marker<'_>> {
    let close = match first {
        '(' => ')',
        '（' => '）',
        _ => return None,
    };
    let inner_start = first.len_utf8();
    let end = line[inner_start..].find(close)?;
    let inner = &line[inner_start..inner_start + end];
    let is_num = !inner.is_empty()
        && ((inner.chars().count() <= 3 && inner.chars().all(is_digit))
            || (inner.len() <= 3
                && (inner.chars().all(is_cjk_numeral)
                    || (inner.len() == 1 && inner.as_bytes()[0].is_ascii_lowercase()))));
    if !is_num {
        return None;
    }
    let m_end = inner_start + end + close.len_utf8();
    let body = body_at_after(line, m_end);
    let text = if body == m_end || (body == m_end + 1 && line.as_bytes()[m_end] == b' ') {
        Cow::Borrowed(&line[..body])
    } else {
        Cow::Owned(format!("{} ", &line[..m_end]))
    };
    Some(Marker { strength: Strength::Weak, text, body })
}

/// `一、` `十二、`.
fn numeral_marker(line: &str) -> Option<Marker<'_>> {
    let numeral_len: usize =
        line.chars().take_while(|&c| is_cjk_numeral(c)).take(3).map(char::len_utf8).sum();
    if numeral_len == 0 || !line[numeral_len..].starts_with('、') {
        return None;
    }
    let m_end = numeral_len + '、'.len_utf8();
    Some(Marker {
        strength: Strength::Weak,
        text: Cow::Borrowed(&line[..m_end]),
        body: body_at_after(line, m_end),
    })
}

/// Where the text after a marker that ends at byte `n` starts: past the
/// spaces and tabs after it.
fn body_at_after(line: &str, n: usize) -> usize {
    line.len() - line[n..].trim_start_matches([' ', '\t']).len()
}

/// An ASCII or a fullwidth digit.
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn ends_sentence(line: &str) -> bool {
    line.ends_with(['。', '！', '？', '」', '』', '.', '!', '?', '：', ':'])
}

/// A quick necessary condition for [`analyze`] to find `text` wrapped,
/// reading only where its lines end: a line followed by another that is
/// no list item (the only pairs that show wrapping), or, for text written
/// double-spaced, four single lines apart, two of them ending no sentence.
/// One-paragraph-a-line text with blank lines between the groups, as
/// cleaning writes it, is passed over without measuring a line.
pub(crate) fn may_read_wrapped(text: &str) -> bool {
    let (mut prev, mut open, mut groups) = (false, 0usize, 0usize);
    for line in text.split('\n') {
        let t = line.trim_matches([' ', '\t', '\u{3000}']);
        if t.is_empty() {
            prev = false;
            continue;
        }
        if prev && marker(t).is_none() {
            return true;
        }
        groups += usize::from(!prev);
        open += usize::from(!ends_sentence(t));
        prev = true;
    }
    open >= 2 && groups >= 4
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
    layout_of(&measured_lines(text))
}

/// The layout of `lines`: their margin, and the wrapping the lines outside
/// code blocks show (code is never wrapped text).
fn layout_of(lines: &[Line<'_>]) -> Layout {
    let margin = margin(lines);
    let code = code_blocks(lines, margin);
    let layout = if code.is_empty() {
        analyze_lines(lines)
    } else {
        let mut prose = lines.to_vec();
        for line in code.into_iter().flatten() {
            prose[line] = Line { text: "", len: [0; 3], separators: [0; 3], ..prose[line] };
        }
        analyze_lines(&prose)
    };
    Layout { margin, ..layout }
}

/// The smallest code indentation (see [`code_indent`]) of a line that is
/// not blank.
fn margin(lines: &[Line<'_>]) -> usize {
    lines.iter().filter(|l| !l.is_blank()).map(|l| code_indent(l.raw)).min().unwrap_or(0)
}

/// Leading indentation as Markdown counts it for code: a space is a
/// column, a tab goes on to the next multiple of four.
fn code_indent(raw: &str) -> usize {
    let mut col = 0;
    for b in raw.bytes() {
        match b {
            b' ' => col += 1,
            b'\t' => col = (col / 4 + 1) * 4,
            _ => break,
        }
    }
    col
}

/// A code fence: three or more backticks or tildes (a backtick fence's
/// info string holds no backtick), indented or not. (Markdown takes a
/// fence indented four columns for code; but cleaning drops the indent of
/// a line that is not code, and the line would read as a fence the next
/// time.) Returns the fence character and how many there are.
fn fence(raw: &str) -> Option<(u8, usize)> {
    let t = raw.trim_start_matches([' ', '\t', '\u{3000}']);
    let c = *t.as_bytes().first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = t.bytes().take_while(|&b| b == c).count();
    (n >= 3 && !(c == b'`' && t[n..].contains('`'))).then_some((c, n))
}

/// Fenced code blocks, as a forward pass over whole lines meets them. A
/// block runs from an opening fence to a closing one (the same character,
/// at least as many, nothing after them), or to the end of the text when
/// none comes, as in CommonMark. The stream reads lines with it too, so as
/// never to cut a piece inside a block.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Fences {
    open: Option<(u8, usize)>,
}

impl Fences {
    /// Reads the next line (`raw`, without its `\n`); whether it belongs to
    /// a fenced block (its fences included).
    pub(crate) fn step(&mut self, raw: &str) -> bool {
        match self.open {
            Some((c, n)) => {
                let closes = fence(raw).is_some_and(|(d, m)| {
                    d == c
                        && m >= n
                        && raw.trim_start_matches([' ', '\t', '\u{3000}'])[m..]
                            .trim_end_matches([' ', '\t'])
                            .is_empty()
                });
                if closes {
                    self.open = None;
                }
                true
            }
            None => {
                self.open = fence(raw);
                self.open.is_some()
            }
        }
    }

    /// Whether a block is open after the lines read so far.
    pub(crate) fn is_open(&self) -> bool {
        self.open.is_some()
    }
}

/// The code blocks among `lines`, as ranges of line indices, in order:
///
/// * fenced blocks (see [`Fences`]);
/// * indented blocks, as Markdown writes them: lines after a blank line (or
///   at the start), up to the next blank line, every one indented at least
///   four columns beyond the document's `margin`, that read as code
///   ([`looks_like_code`]: indented paragraphs and centred titles do not).
fn code_blocks(lines: &[Line<'_>], margin: usize) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut fences = Fences::default();
    let mut i = 0;
    while i < lines.len() {
        if fences.step(lines[i].raw) {
            let start = i;
            i += 1;
            while i < lines.len() && fences.is_open() {
                fences.step(lines[i].raw);
                i += 1;
            }
            // A block left open ends with the text, not with the blank
            // lines after its last line.
            let end = if fences.is_open() {
                start + 1 + lines[start + 1..i].iter().rposition(|l| !l.is_blank()).map_or(0, |p| p + 1)
            } else {
                i
            };
            out.push(start..end);
            continue;
        }
        if !lines[i].is_blank() && (i == 0 || lines[i - 1].is_blank()) {
            let end = i + lines[i..]
                .iter()
                .take_while(|l| !l.is_blank() && code_indent(l.raw) >= margin + 4)
                .count();
            if end > i && lines.get(end).is_none_or(Line::is_blank) && looks_like_code(&lines[i..end]) {
                out.push(i..end);
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// Whether indented lines read as code rather than as an indented
/// paragraph or a centred title: at least half of their characters are
/// ASCII, and they hold a sign prose seldom has (`=` `{` `}` `;` `<` `>`
/// `#` `$` `\` `[` `]` `|`, or a name followed by `(`).
fn looks_like_code(lines: &[Line<'_>]) -> bool {
    let (mut ascii, mut other, mut sign) = (0usize, 0usize, false);
    for line in lines {
        let mut prev = ' ';
        for c in line.text.chars().filter(|c| !c.is_whitespace()) {
            if c.is_ascii() {
                ascii += 1;
            } else {
                other += 1;
            }
            sign |= matches!(c, '=' | '{' | '}' | ';' | '<' | '>' | '#' | '$' | '\\' | '[' | ']' | '|')
                || (c == '(' && (prev.is_ascii_alphanumeric() || prev == '_'));
            prev = c;
        }
    }
    sign && ascii >= other
}

/// One line of the input: its text without indentation and trailing
/// whitespace, how far it was indented, and its length in each of the
/// units a wrapper may count.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    /// Byte offset of the line in the document.
    start: usize,
    /// The whole line, indentation and trailing whitespace included.
    raw: &'a str,
    text: &'a str,
    /// Leading whitespace in columns (a space or tab 1, U+3000 2).
    indent: usize,
    /// Display columns, characters, bytes.
    len: [usize; 3],
    /// Tabs, bars and commas (see [`table_rows`]).
    separators: [u32; 3],
}

impl Line<'_> {
    #[inline]
    fn len(&self, m: Measure) -> usize {
        self.len[m as usize]
    }

    fn is_blank(&self) -> bool {
        self.text.is_empty()
    }
}

/// The lines of `text` (after hygiene), measured.
fn measured_lines(text: &str) -> Vec<Line<'_>> {
    let mut start = 0;
    text.split('\n')
        .map(|raw| {
            let line = measure_line(start, raw);
            start += raw.len() + 1;
            line
        })
        .collect()
}

fn measure_line(start: usize, raw: &str) -> Line<'_> {
    let body = raw.trim_start_matches([' ', '\t', '\u{3000}']);
    let indent = raw[..raw.len() - body.len()].chars().map(|c| if c == '\u{3000}' { 2 } else { 1 }).sum();
    let text = body.trim_end_matches([' ', '\t']);
    Line {
        start,
        raw,
        text,
        indent,
        len: [str_width(text), text.chars().count(), text.len()],
        separators: separators(text),
    }
}

/// `line` without an ideographic-space indent (U+3000 at its start, after
/// any spaces and tabs): what is left of a first-line indent when the
/// structure stage does not run.
pub(crate) fn without_ideographic_indent(line: &str) -> &str {
    let body = line.trim_start_matches([' ', '\t']);
    if body.starts_with('\u{3000}') { body.trim_start_matches([' ', '\t', '\u{3000}']) } else { line }
}

/// The lines of a document without the single blank lines between them (a
/// blank line after every line, as some PDF extractors write).
fn without_single_blanks<'a>(lines: &[Line<'a>]) -> Vec<Line<'a>> {
    let mut out = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        if l.is_blank() && is_single_blank(lines, i) {
            continue;
        }
        out.push(*l);
    }
    out
}

/// Whether line `i` is one blank line between two lines of text.
fn is_single_blank(lines: &[Line<'_>], i: usize) -> bool {
    i > 0
        && lines[i].is_blank()
        && !lines[i - 1].is_blank()
        && lines.get(i + 1).is_some_and(|n| !n.is_blank())
}

fn analyze_lines(lines: &[Line<'_>]) -> Layout {
    let plain = analyze_measures(lines).0;
    // Double-spaced wrapped text needs at least two lines that end no
    // sentence (clean text, a paragraph per line, has none): a cheap test
    // before reading the document again without its blank lines.
    let open_lines = lines.iter().filter(|l| !l.is_blank() && !ends_sentence(l.text)).take(2).count();
    if plain.wrapped || open_lines < 2 || !double_spaced(lines) {
        return plain;
    }
    // A blank line after every line: wrapped lines written double-spaced
    // when the document read without them is wrapped.
    // Wrapped, and at least three lines that certainly continue (two, when
    // two of them are first lines indented over the line after them): a
    // few paragraphs of one line each are not double-spaced wrapped text.
    let collapsed = without_single_blanks(lines);
    let (layout, continuing) = analyze_measures(&collapsed);
    let indented_firsts =
        collapsed.windows(2).filter(|p| !p[1].is_blank() && p[0].indent > p[1].indent).count();
    if layout.wrapped && (continuing >= 3 || (continuing >= 2 && indented_firsts >= 2)) {
        Layout { double_spaced: true, ..layout }
    } else {
        plain
    }
}

/// Whether nearly every group of lines is a single line and there are
/// enough of them to tell (at least four): a blank line may follow every
/// line.
fn double_spaced(lines: &[Line<'_>]) -> bool {
    let mut groups = 0usize;
    let mut single = 0usize;
    let mut run = 0usize;
    for l in lines.iter().chain(std::iter::once(&Line {
        start: 0,
        raw: "",
        text: "",
        indent: 0,
        len: [0; 3],
        separators: [0; 3],
    })) {
        if l.is_blank() {
            if run > 0 {
                groups += 1;
                single += usize::from(run == 1);
            }
            run = 0;
        } else {
            run += 1;
        }
    }
    groups >= 4 && single * 5 >= groups * 4
}

/// The layout under the measure that explains the document's line breaks
/// best. Wrappers count columns (w3m, PDF text), characters (html2text) or
/// bytes (GNU fmt); measured in another unit, lines of ideographs and lines
/// of Latin text that the wrapper filled alike look of different lengths.
/// The measure under which most lines that continue are long wins; columns
/// on a tie. Also returns how many long lines certainly continue (they end
/// no sentence).
fn analyze_measures(lines: &[Line<'_>]) -> (Layout, usize) {
    let facts: Vec<PairFacts> = lines.windows(2).map(|p| PairFacts::of(&p[0], &p[1])).collect();
    let mut best = analyze_in(lines, &facts, Measure::Columns);
    for m in [Measure::Chars, Measure::Bytes] {
        let other = analyze_in(lines, &facts, m);
        if other.1 > best.1 {
            best = other;
        }
    }
    (best.0, best.2)
}

/// What the analysis needs to know about a line and the one after it,
/// whatever the measure (worked out once, not once per measure).
#[derive(Debug, Clone, Copy)]
struct PairFacts {
    /// The pair shows nothing about wrapping: a blank line, a list item
    /// after, a line that is one token, or a pair that stands apart
    /// anyway.
    skip: bool,
    /// The first line ends a sentence.
    ends_sentence: bool,
    /// The first line ends with CJK punctuation.
    punct_end: bool,
    /// The second line starts with CJK text: a wrapper that breaks CJK
    /// text anywhere filled the first line up to it (before a Latin word
    /// it may have stopped short, the word did not fit).
    next_cjk: bool,
}

impl PairFacts {
    fn of(a: &Line<'_>, b: &Line<'_>) -> PairFacts {
        // Evidence of wrapping is prose that continues: a line that is one
        // token (a URL, a number, a table row without spaces) or a pair
        // that stands apart anyway shows nothing. (An indented line after
        // a long one does count: cleaning drops the indent, and the text
        // must read alike the second time.)
        let skip = a.is_blank()
            || b.is_blank()
            || (memchr::memchr2(b' ', b'\t', a.text.as_bytes()).is_none()
                && !a.text.chars().any(crate::chars::is_cjk))
            || marker(b.text).is_some()
            || lines_stand_apart(a, b);
        PairFacts {
            skip,
            ends_sentence: ends_sentence(a.text),
            punct_end: a.text.chars().next_back().is_some_and(crate::chars::is_cjk_punct),
            next_cjk: b.text.chars().next().is_some_and(crate::chars::is_cjk),
        }
    }
}

/// The layout of `lines` measured in `m`, how many lines that go on to
/// another line are long under it (0 when it is not wrapped), and how many
/// of those end no sentence.
fn analyze_in(lines: &[Line<'_>], facts: &[PairFacts], m: Measure) -> (Layout, usize, usize) {
    let width = wrap_width(lines, m);
    let t = LineTally::of(lines, facts, m, width);
    // Paragraphs separated by blank lines that still span several lines.
    let groups = lines.windows(2).filter(|p| p[0].is_blank() && !p[1].is_blank()).count()
        + usize::from(lines.first().is_some_and(|l| !l.is_blank()));
    // Too narrow to tell, whatever the measure: the wrap width is under 16
    // columns (the widest line within it, in columns, when the wrapper
    // counted otherwise).
    let columns =
        lines.iter().filter(|l| l.len(m) <= width).map(|l| l.len(Measure::Columns)).max().unwrap_or(0);
    let long = t.long;
    let wrapped = columns >= 16
        && long > 0
        && 2 * long >= t.candidates
        && 2 * t.short_sentence_ends < long
        && (long < 3 || 5 * t.punct_ends < 4 * long)
        // With one or two lines to judge, a line ending a sentence is a
        // paragraph per line, unless blank lines separate the paragraphs.
        && (long >= 3 || groups >= 2 || t.sentence_ends == 0)
        // The widest line is long by definition: alone, it shows wrapping
        // only at a width of 40 columns or more (a wrapped paragraph of
        // two lines), not in a narrow scrap of text, and only when the line
        // it goes on to closes the paragraph: a long line over a column of
        // short ones is no wrapped paragraph (joined one by one, each join
        // would make the next look wrapped).
        && (t.continuing >= 2 || (columns >= 40 && t.closed_by_next >= 1));
    // Nearly every long line at the width, and at least three of them, or
    // every one exactly so (short of it only by a character that did not
    // fit): the widest line is at the width by definition, and a second
    // one may end near it by chance when the wrapper breaks at spaces.
    let breaks_words =
        wrapped && t.at_width * 5 >= long * 4 && (t.at_width >= 3 || (t.at_width >= 2 && t.exact == long));
    // The shortest long line that certainly continued (it ends no sentence)
    // onto CJK text: what the wrapper calls a full line. A line ending a
    // sentence with room for more than that ended its paragraph.
    let fill = t.continuing_min.unwrap_or(width).min(width);
    let typical = most_common(t.continuing_widths, width);
    let layout =
        Layout { width, wrapped, breaks_words, measure: m, fill, typical, double_spaced: false, margin: 0 };
    (layout, if wrapped { long } else { 0 }, t.continuing)
}

/// The wrap width a document's lines show: the widest line, unless one
/// line much wider than a cluster of others (a URL, a table) stands out.
fn wrap_width(lines: &[Line<'_>], m: Measure) -> usize {
    let mut widths: Vec<usize> = lines.iter().filter(|l| !l.is_blank()).map(|l| l.len(m)).collect();
    widths.sort_unstable_by(|a, b| b.cmp(a));
    match widths.as_slice() {
        [] => 0,
        [w0, w1, rest @ ..]
            if *w0 * 20 > *w1 * 23 && rest.iter().take_while(|w| **w * 10 >= *w1 * 9).count() >= 2 =>
        {
            *w1
        }
        [w0, ..] => *w0,
    }
}

/// The most common of `widths` (the longest on a tie), or `default`.
fn most_common(mut widths: Vec<usize>, default: usize) -> usize {
    widths.sort_unstable();
    let (mut typical, mut best_run) = (default, 0);
    for run in widths.chunk_by(|a, b| a == b) {
        if run.len() >= best_run {
            best_run = run.len();
            typical = run[0];
        }
    }
    typical
}

/// What the lines of a document show about wrapping at `width`, counted
/// over the lines that may have been wrapped (not a short line ending a
/// sentence, which ends a paragraph wrapped or not).
#[derive(Default)]
struct LineTally {
    candidates: usize,
    /// Lines long enough to have been wrapped ([`is_long`]).
    long: usize,
    /// Long lines at the width (within the measure's slack), and beyond it.
    at_width: usize,
    exact: usize,
    /// Long lines that end a sentence with room left on the line, that end
    /// a sentence, and that end with CJK punctuation at all (verse, one
    /// clause a line).
    short_sentence_ends: usize,
    sentence_ends: usize,
    punct_ends: usize,
    /// Long lines that end no sentence: how many, their widths, and the
    /// narrowest of those followed by CJK text (with its indent).
    continuing: usize,
    continuing_widths: Vec<usize>,
    continuing_min: Option<usize>,
    /// Long lines that end no sentence and go on to a line that closes
    /// the paragraph: the last line of the text or of its group, or one
    /// followed by another long line.
    closed_by_next: usize,
}

impl LineTally {
    fn of(lines: &[Line<'_>], facts: &[PairFacts], m: Measure, width: usize) -> LineTally {
        let mut t = LineTally::default();
        let slack = m.slack();
        for (k, ((a, f), b)) in lines.iter().zip(facts).zip(lines.iter().skip(1)).enumerate() {
            let w = a.len(m);
            if f.skip || (!is_long(w, width) && f.ends_sentence) {
                continue;
            }
            t.candidates += 1;
            if !is_long(w, width) {
                continue;
            }
            t.long += 1;
            if !f.ends_sentence {
                t.continuing += 1;
                t.continuing_widths.push(w);
                let after = lines.get(k + 2);
                t.closed_by_next +=
                    usize::from(after.is_none_or(|c| c.is_blank() || is_long(c.len(m), width)));
                if f.next_cjk {
                    let w = w + a.indent.saturating_sub(b.indent);
                    t.continuing_min = Some(t.continuing_min.map_or(w, |c| c.min(w)));
                }
            }
            let full = w + slack >= width;
            t.at_width += usize::from(full);
            t.exact += usize::from(w + slack > width);
            t.short_sentence_ends += usize::from(!full && f.ends_sentence);
            t.sentence_ends += usize::from(f.ends_sentence);
            t.punct_ends += usize::from(f.punct_end);
        }
        t
    }
}

/// Whether two consecutive lines stand apart whatever the wrap width: a
/// join would make one token of two tokens that each stand complete — two
/// URLs or e-mail addresses, two numbers or dates that each carry their own
/// separators (`17234.50` and `2023-11-09`) — or they are rows of a table
/// (the same number of tabs, `|` or `,` separators, at least two; counted
/// once per line when it is measured).
fn lines_stand_apart(before: &Line<'_>, after: &Line<'_>) -> bool {
    tokens_stand_apart(before.text, after.text)
        || table_rows(before.separators, after.separators)
        || page_number(before.text)
        || page_number(after.text)
}

/// The lines of `text` that [`Vocabulary::is_running_line`] reports.
fn running_lines(text: &str) -> std::collections::HashSet<Box<str>> {
    let mut seen: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
    for line in text.split('\n') {
        let line = line.trim_matches([' ', '\t', '\u{3000}']);
        let w = str_width(line);
        if (4..=40).contains(&w)
            && !ends_sentence(line)
            && !line.ends_with(['，', '、', ',', '；', ';'])
            && marker(line).is_none()
        {
            *seen.entry(line).or_insert(0) += 1;
        }
    }
    seen.into_iter().filter(|&(_, n)| n >= 2).map(|(l, _)| l.into()).collect()
}

/// Whether a line is a page number as PDF extractors leave them between
/// the lines of a page (`第 1 頁`, `第1頁，共3頁`, `- 3 -`, `— 3 —`,
/// `Page 3`, `Page 3 of 9`, `3 / 9`): never joined onto text nor text onto
/// it. (It stays where it is: moving or dropping it would lose digits or
/// their order, so the halves of a paragraph it cuts stay apart.)
fn page_number(line: &str) -> bool {
    let line = line.trim();
    if line.len() > 40 || !line.chars().any(is_digit) {
        return false;
    }
    // Digits (ASCII or fullwidth) with spaces around them.
    let number = |s: &str| {
        let s = s.trim_matches([' ', '\u{3000}']);
        (1..=4).contains(&s.chars().count()) && s.chars().all(is_digit)
    };
    let number_of = |s: &str| match s.split_once(['/', '／']) {
        Some((a, b)) => number(a) && number(b),
        None => number(s),
    };
    if let Some(rest) = line.strip_prefix('第') {
        // `第 1 頁`, then `，共 3 頁` or `/ 共3頁`.
        return match rest.split_once('頁') {
            Some((n, tail)) => {
                let tail = tail.trim_start_matches([' ', '，', ',', '/', '／']);
                number(n)
                    && (tail.is_empty()
                        || tail.strip_prefix('共').and_then(|t| t.strip_suffix('頁')).is_some_and(number))
            }
            None => false,
        };
    }
    for dash in ['-', '—', '–'] {
        if let Some(inner) = line.strip_prefix(dash).and_then(|l| l.strip_suffix(dash)) {
            return number(inner);
        }
    }
    if let Some(rest) = line.strip_prefix("Page ").or_else(|| line.strip_prefix("page ")) {
        return match rest.split_once(" of ") {
            Some((a, b)) => number(a) && number(b),
            None => number(rest),
        };
    }
    line.contains(['/', '／']) && number_of(line)
}

/// The first half of [`lines_stand_apart`]: complete tokens at the junction.
fn tokens_stand_apart(before: &str, after: &str) -> bool {
    // The last and first whitespace-separated tokens, found with memchr
    // (a long line of ideographs has no space to stop a char-by-char scan).
    let last = &before[memchr::memrchr2(b' ', b'\t', before.as_bytes()).map_or(0, |p| p + 1)..];
    let first = &after[..memchr::memchr2(b' ', b'\t', after.as_bytes()).unwrap_or(after.len())];
    let link = |t: &str| t.contains("://") || t.starts_with("www.") || (t.contains('@') && t.contains('.'));
    let starts_link =
        |t: &str| t.starts_with("http://") || t.starts_with("https://") || t.starts_with("www.");
    if link(last) && (starts_link(first) || link(first)) {
        return true;
    }
    structured_number(last) && structured_number(first)
}

/// How many tabs, bars and commas `line` has (a table row's separators).
fn separators(line: &str) -> [u32; 3] {
    let bytes = line.as_bytes();
    let mut n = [0u32; 3];
    let mut at = 0;
    while let Some(p) = memchr::memchr3(b'\t', b'|', b',', &bytes[at..]) {
        let k = match bytes[at + p] {
            b'\t' => 0,
            b'|' => 1,
            _ => 2,
        };
        n[k] += 1;
        at += p + 1;
    }
    n
}

/// Whether two lines with these separator counts are rows of a table: the
/// same number of tabs (one or more), of bars or of commas (two or more).
fn table_rows(a: [u32; 3], b: [u32; 3]) -> bool {
    (0..3).any(|k| a[k] >= 2 - u32::from(k == 0) && a[k] == b[k])
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
    use crate::chars::{is_alnum, is_cjk, is_cjk_punct};
    let (a, b) = (before.chars().next_back().unwrap_or(' '), after.chars().next().unwrap_or(' '));
    if is_cjk(a) || is_cjk(b) {
        // The Latin side: a letter, a digit or a symbol that belongs to a
        // token (`C++`, `100%`, `Guide)`), not a bracket that opens towards
        // the CJK text or a mark that ends a clause after it. Fullwidth
        // punctuation carries its own space: never one next to it.
        let latin = if is_cjk(a) {
            !is_cjk(b) && !matches!(b, ')' | ']' | '}' | ',' | '.' | ';' | ':' | '!' | '?')
        } else {
            !matches!(a, '(' | '[' | '{')
        } && !is_cjk_punct(a)
            && !is_cjk_punct(b);
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
/// When `before` ends with a Latin letter and a hyphen (`-`, `‐` or a soft
/// hyphen) and `after` starts with a lowercase letter: the hyphen's length
/// in bytes.
fn line_end_hyphen(before: &str, after: &str) -> Option<usize> {
    let mut rev = before.chars().rev();
    let h = rev.next().filter(|c| matches!(c, '-' | '\u{2010}' | '\u{AD}'))?;
    let letter = rev.next().is_some_and(|c| c.is_alphabetic() && !crate::chars::is_cjk(c));
    let lower = after.chars().next().is_some_and(char::is_lowercase);
    (letter && lower).then_some(h.len_utf8())
}

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

/// The length, in `m`, that the first piece of `next` would have added to
/// the line `before`: one ideograph or CJK mark (CJK text breaks anywhere),
/// otherwise the first word (up to a space or an ideograph), plus the space
/// the break consumed (between Latin words, or anywhere in a spuriously
/// spaced document).
fn piece_len(before: &str, next: &str, m: Measure, spaced: bool) -> usize {
    use crate::chars::is_cjk;
    let Some(first) = next.chars().next() else { return 0 };
    // In a spuriously spaced document every break consumed a space.
    let space = usize::from(spaced || before.chars().next_back().is_some_and(|c| !is_cjk(c)));
    if is_cjk(first) {
        return usize::from(spaced) + m.of(&next[..first.len_utf8()]);
    }
    let end = next.find(|c: char| c == ' ' || c == '\t' || is_cjk(c)).unwrap_or(next.len());
    space + m.of(&next[..end])
}

/// A line at least half the width whose successor's first word would not
/// have fitted after it: a word wrapper broke there.
fn word_did_not_fit(line_len: usize, before: &str, next: &str, layout: &Layout, spaced: bool) -> bool {
    // Only Latin words: CJK text can break anywhere, so a CJK line with room
    // left really ended there.
    let word = next.split([' ', '\t']).next().unwrap_or("");
    word.chars().all(|c| !crate::chars::is_cjk(c))
        && 2 * line_len >= layout.width
        && line_len + piece_len(before, next, layout.measure, spaced) > layout.width
}

/// Whether `line` stops in the middle of a sentence: on a letter, a digit
/// or an ideograph. A line of a wrapped document that does so and is at
/// least half as wide as the wrap width goes on, however short it is
/// (wrappers that count otherwise than we do, `issue` / `tracker`).
fn ends_mid_sentence(line: &str) -> bool {
    line.chars().next_back().is_some_and(|c| c.is_alphanumeric() || crate::chars::is_han(c))
}

/// The line after line `i` in the same group, if any (in a double-spaced
/// document, across a single blank line).
fn next_line<'a>(lines: &[Line<'a>], i: usize, layout: &Layout) -> Option<Line<'a>> {
    match lines.get(i + 1) {
        Some(n) if !n.is_blank() => Some(*n),
        Some(_) if layout.double_spaced && is_single_blank(lines, i + 1) => lines.get(i + 2).copied(),
        _ => None,
    }
}

/// Whether `line`, after `prev` which ends a sentence, is the first line
/// of a paragraph whose indent the extractor dropped: it goes on to `next`
/// yet is shorter than a full line by at least two wide characters, and
/// no long word that did not fit explains that.
fn lost_indent(
    prev: &Line<'_>,
    line: &Line<'_>,
    next: Option<Line<'_>>,
    layout: &Layout,
    spaced: bool,
) -> bool {
    let m = layout.measure;
    let w = line.len(m);
    ends_sentence(prev.text)
        && !ends_sentence(line.text)
        && next.is_some_and(|n| !word_did_not_fit(w, line.text, n.text, layout, spaced) && !n.is_blank())
        && is_long(w, layout.typical)
        && w + 2 * m.slack() <= layout.typical
}

/// Whether the line `before` (of length `line_len`) ends a sentence with
/// room left for the first piece of `next`: the paragraph ended there
/// (the last line of a paragraph is short).
fn ends_with_room(line_len: usize, before: &str, next: &str, layout: &Layout, spaced: bool) -> bool {
    ends_sentence(before) && line_len + piece_len(before, next, layout.measure, spaced) <= layout.fill
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
    let lines = measured_lines(text);
    let layout =
        if unwrap { layout_of(&lines) } else { Layout { margin: margin(&lines), ..Layout::UNWRAPPED } };
    let vocabulary = if layout.wrapped { Vocabulary::for_junctions(text) } else { Vocabulary::default() };
    split_measured(text, lines, layout, stats, &vocabulary)
}

/// The list item `line` starts when it is read alone, as [`split`] reads a
/// one-line document: `None` for a paragraph, a heading, a code fence or a
/// blank line. The main-content filter asks it of every line.
pub(crate) fn list_item(line: &str) -> Option<Unit<'_>> {
    let l = measure_line(0, line);
    if l.is_blank() || fence(l.raw).is_some() {
        return None;
    }
    let unit = Unit::starting(marker(l.text), l.text);
    (unit.kind == UnitKind::ListItem).then_some(unit)
}

/// Whether `unit` is a `-`, `*` or `+` item and `next`, joined onto it,
/// would end it in its own marker (see [`marker`]).
fn ends_in_its_marker(unit: &Unit<'_>, next: &str) -> bool {
    let Some(m) = unit.marker.chars().next() else { return false };
    unit.kind == UnitKind::ListItem && matches!(m, '-' | '*' | '+') && next.ends_with(m)
}

/// Whether `unit` is a line that starts like a `-` `*` `+` item and ends
/// in the same character (`- 完 -`): a decoration, no item (see
/// [`marker`]). Nothing joins onto it: joined, it would end otherwise and
/// read as an item the next time.
fn is_decoration(unit: &Unit<'_>) -> bool {
    let body = unit.body.as_ref();
    unit.kind == UnitKind::Paragraph
        && unit.lines == 1
        && ['-', '*', '+'].iter().any(|&m| {
            body.len() > 2 && body.starts_with(m) && body[1..].starts_with([' ', '\t']) && body.ends_with(m)
        })
}

/// [`split`] with a layout and a vocabulary decided beforehand (for a
/// document processed in pieces, from its beginning).
pub fn split_with<'a>(
    text: &'a str,
    layout: Layout,
    stats: &DocStats,
    vocabulary: &Vocabulary,
) -> Vec<Group<'a>> {
    split_measured(text, measured_lines(text), layout, stats, vocabulary)
}

fn split_measured<'a>(
    doc: &'a str,
    lines: Vec<Line<'a>>,
    layout: Layout,
    stats: &DocStats,
    vocabulary: &Vocabulary,
) -> Vec<Group<'a>> {
    let (mut groups, mut group): (Vec<Group<'_>>, Group<'_>) = (Vec::new(), Vec::new());
    // The previous line of the current group.
    let mut prev: Option<Line<'a>> = None;
    let m = layout.measure;
    let spaced = stats.is_spaced();
    let mut code = code_blocks(&lines, layout.margin).into_iter().peekable();
    // A running header: a repeated short line, at most half the width.
    let running = |l: &Line<'_>| 2 * l.len(m) <= layout.width && vocabulary.is_running_line(l.text);
    let mut code_end = 0;
    for (i, line) in lines.iter().enumerate() {
        if i < code_end {
            continue;
        }
        if let Some(block) = code.next_if(|b| b.start == i) {
            push_code_block(doc, &lines[block.start..block.end], &mut groups, &mut group);
            code_end = block.end;
            prev = None;
            continue;
        }
        if line.is_blank() {
            if layout.double_spaced && is_single_blank(&lines, i) {
                continue;
            }
            if !group.is_empty() {
                groups.push(std::mem::take(&mut group));
            }
            prev = None;
            continue;
        }
        let text = line.text;
        let mk = marker(text);
        let (continues, paragraph_break) = match prev {
            // A wrapper never writes a line wider than its width (one that
            // is wider is a URL or a table row the width estimate left
            // out), unless it stops in the middle of CJK text.
            Some(p)
                if layout.wrapped
                    && (p.len(m) <= layout.width || p.text.ends_with(crate::chars::is_han))
                    && !lines_stand_apart(&p, line)
                    && !running(&p)
                    && !running(line) =>
            {
                let next = next_line(&lines, i, &layout);
                continuation(&p, line, next, &layout, spaced, mk.as_ref(), group.last())
            }
            _ => (None, false),
        };
        let joined = match (continues, group.last_mut()) {
            // A `-` item that a line ending in `-` went on would read as a
            // `- 1 -` decoration the next time, and no longer as an item.
            (Some(_), Some(unit)) if ends_in_its_marker(unit, text) || is_decoration(unit) => false,
            (Some(full), Some(unit)) => {
                let joined = join_line(&mut unit.body, text, full, stats, vocabulary);
                unit.lines += usize::from(joined);
                joined
            }
            _ => false,
        };
        if joined {
            prev = Some(*line);
            continue;
        }
        if paragraph_break && !group.is_empty() {
            groups.push(std::mem::take(&mut group));
        }
        // Nothing joins onto a heading.
        let heading = mk.as_ref().is_some_and(|m| m.strength == Strength::Heading);
        prev = (!heading).then_some(*line);
        group.push(Unit::starting(mk, text));
    }
    if !group.is_empty() {
        groups.push(group);
    }
    if layout.wrapped { separate_paragraphs(groups) } else { groups }
}

/// A code block is one unit, its lines as they came. An indented block is
/// only one between blank lines: it is written as a group of its own, so
/// that it reads as one again (in a double-spaced document the blank lines
/// around it would not be written otherwise).
fn push_code_block<'a>(doc: &'a str, block: &[Line<'a>], groups: &mut Vec<Group<'a>>, group: &mut Group<'a>) {
    let (first, last) = (&block[0], &block[block.len() - 1]);
    let indented = fence(first.raw).is_none();
    if indented && !group.is_empty() {
        groups.push(std::mem::take(group));
    }
    group.push(Unit {
        kind: UnitKind::Code,
        marker: Cow::Borrowed(""),
        body: Cow::Borrowed(&doc[first.start..last.start + last.raw.len()]),
        lines: block.len(),
    });
    if indented {
        groups.push(std::mem::take(group));
    }
}

/// Whether `line` goes on the unit that `p`, the line before it, is part
/// of in a wrapped document: `Some(full)` when it does (`full`: `p` was
/// filled to the width, so a break between letters fell inside a word),
/// and whether a paragraph rule (a short last line, an indent) ended the
/// paragraph where the line would otherwise have gone on. The new one is
/// then set apart by a blank line, so that cleaning the output again
/// (without the indent) decides alike. `mk` is the line's list marker,
/// `last` the unit `p` belongs to.
fn continuation(
    p: &Line<'_>,
    line: &Line<'_>,
    next: Option<Line<'_>>,
    layout: &Layout,
    spaced: bool,
    mk: Option<&Marker<'_>>,
    last: Option<&Unit<'_>>,
) -> (Option<bool>, bool) {
    let (m, text) = (layout.measure, line.text);
    let pw = p.len(m);
    let long = is_long(pw, layout.width);
    // A first line's indent (beyond the next line's: not a margin every
    // line has) took room on it too.
    let first_indent = p.indent.saturating_sub(line.indent);
    let room = long && ends_with_room(pw + first_indent, p.text, text, layout, spaced);
    let wraps = (long && !room)
        || word_did_not_fit(pw, p.text, text, layout, spaced)
        || (2 * pw >= layout.width && ends_mid_sentence(p.text));
    // An indented line starts a paragraph (not inside a list item: its
    // continuation lines hang under its text).
    let indented = line.indent > p.indent && last.is_some_and(|u| u.kind == UnitKind::Paragraph);
    let indented = indented || lost_indent(p, line, next, layout, spaced);
    let first = text.chars().next().unwrap_or(' ');
    let full = layout.breaks_words && pw + m.of(&text[..first.len_utf8()]) > layout.width;
    // After a line filled to the width, `- 1100公斤` or `3 . 5` continues
    // the sentence: only bullets start an item there.
    let filled = layout.breaks_words && pw + m.slack() >= layout.width;
    let paragraph_break = mk.is_none() && ((wraps && indented) || room);
    let continues = match mk {
        _ if !wraps || indented => None,
        Some(mk) if mk.strength == Strength::Strong => None,
        Some(_) if !filled => None,
        _ => Some(full),
    };
    (continues, paragraph_break)
}

/// Joins `text`, a wrapped line, onto `body`, the unit it goes on, with
/// what replaces the newline between them; or, when the join would change
/// what the encoding repair makes of the text, leaves both as they are and
/// returns false (the line then starts a unit of its own).
fn join_line(
    body: &mut Cow<'_, str>,
    text: &str,
    full: bool,
    stats: &DocStats,
    vocabulary: &Vocabulary,
) -> bool {
    let (stem, join) = joining(body, text, full, stats, vocabulary);
    let kept = &body[..stem];
    // The repair saw the lines apart and kept what it kept: joined, halves
    // of a mis-decoded run must not read as one (`…é—…Ž•` + `生`: a space
    // keeps them apart), nor must runs on two lines support each other's
    // repair (`é—…Ž•` + ` ` + `nné—…Ž•`: the lines stay apart), or the next
    // cleaning would repair what this one kept.
    let may_change = crate::mojibake::join_may_change_repair(kept, text);
    let join = if join.is_empty() && may_change && crate::mojibake::join_changes_repair(kept, "", text) {
        " "
    } else {
        join
    };
    // Two backtick runs glued would be one (Markdown pairs code spans by
    // their runs' lengths): a space keeps them apart.
    let join = if join.is_empty() && kept.ends_with('`') && text.starts_with('`') { " " } else { join };
    if may_change && crate::mojibake::join_changes_repair(kept, join, text) {
        return false;
    }
    let body = body.to_mut();
    body.truncate(stem);
    body.push_str(join);
    body.push_str(text);
    true
}

/// How `text` joins onto `body`: how much of `body` stays (a hyphen may
/// go) and what replaces the newline.
fn joining(
    body: &str,
    text: &str,
    full: bool,
    stats: &DocStats,
    vocabulary: &Vocabulary,
) -> (usize, &'static str) {
    match line_end_hyphen(body, text) {
        // A word hyphenated at the line end: its halves meet. A soft hyphen
        // only marked the break; a hyphen goes too when the halves make a
        // word the document or the word list knows and a half is none
        // (`aw-` / `ait`), and stays otherwise (`well-` / `known`).
        Some(h) => {
            let stem = body.len() - h;
            if h == '\u{AD}'.len_utf8() || vocabulary.rejoins(&body[..stem], text) {
                (stem, "")
            } else {
                (body.len(), "")
            }
        }
        None => {
            let join = junction(body, text, full, stats);
            // A Latin word a character wrapper broke: the document's own
            // words say so; and two words that stay two.
            let join = if join.starts_with(' ') && vocabulary.rejoins(body, text) {
                ""
            } else if join.is_empty() && full && vocabulary.keeps_apart(body, text) {
                " "
            } else {
                join
            };
            (body.len(), join)
        }
    }
}

impl<'a> Unit<'a> {
    /// The unit a line starts: a heading or a list item after its marker,
    /// else a paragraph.
    fn starting(mk: Option<Marker<'a>>, text: &'a str) -> Unit<'a> {
        match mk {
            Some(mk) => Unit {
                kind: if mk.strength == Strength::Heading { UnitKind::Heading } else { UnitKind::ListItem },
                marker: mk.text,
                body: Cow::Borrowed(&text[mk.body..]),
                lines: 1,
            },
            None => Unit {
                kind: UnitKind::Paragraph,
                marker: Cow::Borrowed(""),
                body: Cow::Borrowed(text),
                lines: 1,
            },
        }
    }
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
    let mut sink = crate::sink::Sink::new("");
    for group in groups {
        for (i, u) in group.iter().enumerate() {
            sink.unit(i == 0);
            sink.push(&u.marker);
            sink.push(&u.body);
        }
    }
    sink.finish(final_newline).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chars::width;

    fn stand_apart(before: &str, after: &str) -> bool {
        lines_stand_apart(&measure_line(0, before), &measure_line(0, after))
    }

    #[test]
    fn marker_tables_are_sorted() {
        assert!(BULLETS.is_sorted() && CJK_NUMERALS.is_sorted());
        assert!("•①⑩★".chars().all(is_bullet) && !"·-字".chars().any(is_bullet));
        assert!("〇一十百拾".chars().all(is_cjk_numeral) && !"千字1".chars().any(is_cjk_numeral));
    }

    #[test]
    fn markers_start_only_with_the_characters_said() {
        // Every character of the Basic Multilingual Plane, followed by what
        // completes a marker of each kind.
        let tails = ["", " x", "\t x", "、x", ". x", ".字", ") x", "）x", "1) x", "一)", "a)", "# x"];
        for c in (0..=0xFFFFu32).filter_map(char::from_u32) {
            for tail in tails {
                let line = format!("{c}{tail}");
                if recognise_marker(&line, c).is_some() {
                    assert!(may_start_marker(c), "{line:?}");
                }
            }
        }
    }

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
    fn two_lines_near_the_width_do_not_show_a_word_breaking_wrapper() {
        // Broken at spaces, two lines end within two columns of the width:
        // the words at their ends stay apart.
        let text = "tracker is where we track bugs and the virtual\nenvironment is where we install packages for the\nproject that we work on every day of the week.";
        let layout = analyze(text);
        assert!(layout.wrapped && !layout.breaks_words, "{layout:?}");
        assert_eq!(roundtrip(text), text.replace('\n', " "));
        // One overlong line broken at its only space (html2text does not
        // break CJK text) shows nothing either.
        let text = format!("{}issue\ntracker。\n\n短的一行。", "郵件列表或者".repeat(12));
        assert_eq!(roundtrip(&text), text.replace("issue\n", "issue "));
    }

    #[test]
    fn words_hyphenated_at_a_line_end_are_rejoined() {
        let line = "the method is used to wait for the result of a";
        // The third line ends with the first half of a hyphenated word.
        let third = &line[..line.len() - 5];
        let wrapped = |end: &str, next: &str| format!("{line}\n{line}\n{third} {end}\n{next} call.");
        let joined = |word: &str| format!("{line} {line} {third} {word} call.");
        // A soft hyphen only marks the break.
        assert_eq!(roundtrip(&wrapped("aw\u{AD}", "ait")), joined("await"));
        assert_eq!(roundtrip(&wrapped("some\u{AD}", "thing")), joined("something"));
        // A hyphen goes when the halves make a word and one half is none.
        assert_eq!(roundtrip(&wrapped("aw-", "ait")), joined("await"));
        assert_eq!(roundtrip(&wrapped("well-", "known")), joined("well-known"));
        // Not before a capital or a digit, nor after CJK text.
        assert_eq!(line_end_hyphen("x-", "Y"), None);
        assert_eq!(line_end_hyphen("x-", "2"), None);
        assert_eq!(line_end_hyphen("香-", "x"), None);
    }

    #[test]
    fn running_headers_are_lines_of_their_own() {
        let full = "一二三四五六七八九十一二三四五六七八九十";
        let text = format!("開源衡量準則\n{full}\n{full}\n開源衡量準則\n{full}\n{full}\n完。");
        assert_eq!(
            roundtrip(&text),
            format!("開源衡量準則\n\n{full}{full}\n\n開源衡量準則\n\n{full}{full}完。")
        );
        // Said once, a short line is no header: it goes on the line before.
        let text = format!("{full}\n{full}\n開源衡量準則\n{full}\n完。");
        assert_eq!(roundtrip(&text), format!("{full}{full}開源衡量準則\n\n{full}完。"));
    }

    #[test]
    fn page_numbers_are_lines_of_their_own() {
        for line in [
            "第 1 頁",
            "第１頁",
            "第1頁，共3頁",
            "第 2 頁 / 共 9 頁",
            "- 3 -",
            "-12-",
            "— 3 —",
            "Page 3",
            "Page 3 of 9",
            "3 / 9",
        ] {
            assert!(page_number(line), "{line:?}");
        }
        for line in
            ["第一頁", "第 1 章", "- 完 -", "3", "2023", "Page three", "1/2杯", "第 1 頁是封面", "- 3 - 4 -"]
        {
            assert!(!page_number(line), "{line:?}");
        }
        // Between two full lines of a wrapped paragraph, a page number is
        // glued to neither.
        let full = "一二三四五六七八九十一二三四五六七八九十";
        let text = format!("{full}\n{full}\n第 1 頁\n{full}\n{full}\n完。");
        assert_eq!(roundtrip(&text), format!("{full}{full}\n\n第 1 頁\n\n{full}{full}完。"));
    }

    #[test]
    fn one_long_line_is_evidence_only_at_forty_columns() {
        // Two lines, the first long and going on: under 40 columns a scrap
        // of text, at 40 or more a wrapped paragraph of two lines.
        let narrow = "香。香。香。香香\n香";
        assert!(!analyze(narrow).wrapped);
        assert_eq!(roundtrip(narrow), narrow);
        let wide = "這是一段很長的文字，被文字瀏覽器按照固定的\n寬度斷成了兩行。";
        assert!(analyze(wide).wrapped);
        assert_eq!(roundtrip(wide), wide.replace('\n', ""));
        // An indented line after a long one is evidence too: cleaning drops
        // the indent, and the output must read alike.
        let item = "10. 一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十(1)\n RWTH";
        assert_eq!(
            roundtrip(item),
            "10. 一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十(1) RWTH"
        );
    }

    #[test]
    fn one_long_line_over_a_column_of_short_ones_is_not_wrapped() {
        // The long line goes on to a line that closes its paragraph (the
        // end, a blank line, another long line): a wrapped paragraph.
        let wide = "這是一段很長的文字，被文字瀏覽器按照固定的\n寬度斷成了兩行。";
        assert!(analyze(&format!("{wide}\n\n另一段。")).wrapped);
        // Over a column of short lines, it is none: joined one line at a
        // time, each join would make the next line look wrapped.
        let column = "這是一段很長的文字，被文字瀏覽器按照固定的\n(\ne\n$\nŒ\n香";
        assert!(!analyze(column).wrapped);
        assert_eq!(roundtrip(column), column);
        let c = crate::Cleaner::default();
        let once = c.clean(column);
        assert_eq!(c.clean(&once), once);
    }

    #[test]
    fn narrow_lines_under_one_wider_line_are_not_wrapped() {
        // The wrap width is the cluster's (13 columns, under 16: too narrow
        // to tell), not the wider line's.
        let text = "查看/etc/passwd文件\n用C++和Python\n價格$100元\n增長100%左右\n溫度-5度\n聯絡@name謝謝";
        assert!(!analyze(text).wrapped);
        assert_eq!(roundtrip(text), text);
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

    #[test]
    fn joins_keep_halves_of_a_mis_decoded_run_apart() {
        // Apart, the lone run `nné—…Ž•` is no repair; glued to `生` it
        // reads as one (`闅Ž•生`), so the join is a space, which the
        // spacing stage keeps for the same reason.
        let lines = [
            "這是一段很長的中文句子用來測試換行的情況看看會怎樣處理",
            "這是一段很長的中文句子用來測試換行的情況看看會怎樣nné—…Ž•",
            "生產力促進局的文章內容在這裡繼續寫下去直到行的寬度相同",
            "這是一段很長的中文句子用來測試換行的情況看看會怎樣處理。",
        ];
        let text = lines.join("\n");
        let joined = roundtrip(&text);
        assert!(joined.contains("nné—…Ž• 生產力"), "{joined}");
        assert_eq!(joined.lines().count(), 1);
        let once = cleaned_idempotently(&text);
        assert!(once.contains("nné—…Ž• 生產力"), "{once}");
        // Without the mis-decoded run, CJK halves meet.
        let plain = roundtrip(&text.replace("nné—…Ž•", "處理"));
        assert!(plain.contains("處理生產力"), "{plain}");
    }

    #[test]
    fn a_join_keeps_backtick_runs_apart() {
        let (stats, vocabulary) = (DocStats::default(), Vocabulary::default());
        let mut body = Cow::Borrowed("加狕```");
        assert!(join_line(&mut body, "``1é· ll``", true, &stats, &vocabulary));
        assert_eq!(body, "加狕``` ``1é· ll``");
        let mut body = Cow::Borrowed("加狕");
        assert!(join_line(&mut body, "``1``", true, &stats, &vocabulary));
        assert_eq!(body, "加狕``1``");
    }

    #[test]
    fn lines_whose_runs_would_support_each_other_stay_apart() {
        // Each line's run `nné—…Ž•` is too weak to be repaired alone; on
        // one line the two would be repaired together. The lines stay
        // apart, as the repair saw them (two paragraphs of a wrapped
        // document), so that cleaning again changes nothing.
        let lines = [
            "這是一段很長的中文句子用來測試換行的情況看看會怎樣處理",
            "這是一段很長的中文句子用來測試換行的情況看看會怎樣處理",
            "這是一段很長的中文句子用來測試換行的情況看nné—…Ž•",
            "nné—…Ž•，段很長的中文句子用來測試換行的情況看看會怎樣處理",
            "這是一段很長的中文句子用來測試換行的情況看看會怎樣處理。",
        ];
        let text = lines.join("\n");
        let out = roundtrip(&text);
        assert!(out.contains("看nné—…Ž•\n\nnné—…Ž•，段"), "{out}");
        let once = cleaned_idempotently(&text);
        assert!(once.contains("nné—…Ž•\n\nnné—…Ž•，"), "{once}");
        // Without the runs, the lines are one paragraph.
        assert_eq!(roundtrip(&text.replace("nné—…Ž•", "處理")).lines().count(), 1);
    }

    #[test]
    fn a_list_item_alone_is_what_split_makes_of_its_line() {
        let lines = [
            "• 服務",
            "- 項目",
            "1. 第一",
            "（一）總則",
            "一、總則",
            "# 標題",
            "```",
            "```rust",
            "~~~",
            "- 完 -",
            "* 重點",
            "+ 加",
            "a) 選項",
            "普通段落。",
            "",
            "   ",
            "    縮排",
            "2023年11月10日",
            "１．全形",
            "• ",
            "-",
            "第一章 總則",
            "§ 1",
            "▪ 小項",
        ];
        for line in lines {
            let oracle = split(line, false, &DocStats::default())
                .into_iter()
                .flatten()
                .next()
                .filter(|u| u.kind == UnitKind::ListItem);
            assert_eq!(list_item(line), oracle, "{line:?}");
        }
        assert!(list_item("• 服務").is_some() && list_item("普通段落。").is_none());
    }

    /// `text` cleaned by the default cleaner, checked to clean to itself.
    fn cleaned_idempotently(text: &str) -> String {
        let c = crate::Cleaner::default();
        let once = c.clean(text);
        assert_eq!(c.clean(&once), once, "not idempotent on {text:?}");
        once
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
        // Fullwidth digits, which the punctuation stage makes ASCII.
        assert_eq!(marker_text("１. 建立").as_deref(), Some("1. "));
        assert_eq!(marker_text("１２）第二").as_deref(), None);
        assert_eq!(marker_text("（３）第三").as_deref(), Some("（３）"));
        // A quoted line.
        assert_eq!(marker_text("> 引用 的 文字").as_deref(), Some("> "));
        assert_eq!(marker_text(">\t引用").as_deref(), Some("> "));
    }

    #[test]
    fn not_markers() {
        for line in [
            "- 完 -",
            "3 . 5 米",
            "2023 年",
            "1.5 米",
            "-完-",
            "(PDF) 版",
            "1234. x",
            "x • y",
            "--",
            "１２３４. x",
            "３ . ５ 米",
            ">引用",
            "> ",
            "x > y",
        ] {
            assert_eq!(marker_text(line), None, "{line:?}");
        }
    }

    fn kinds(text: &str) -> Vec<(UnitKind, String)> {
        split(text, true, &DocStats::measure(text))
            .into_iter()
            .flatten()
            .map(|u| (u.kind, format!("{}{}", u.marker, u.body)))
            .collect()
    }

    #[test]
    fn markdown_headings_are_units_of_one_line() {
        use UnitKind::*;
        assert_eq!(
            kinds("# 標題\n內容 在 這裡\n##\t第二 節\n#標籤 不是 標題"),
            [
                (Heading, "# 標題".into()),
                (Paragraph, "內容 在 這裡".into()),
                (Heading, "## 第二 節".into()),
                (Paragraph, "#標籤 不是 標題".into()),
            ]
        );
        // Seven hashes, or nothing after them, make no heading.
        assert_eq!(kinds("####### 甲")[0].0, Paragraph);
        assert_eq!(kinds("# ")[0].0, Paragraph);
        // After a line filled to the width, `# F` goes on the sentence.
        let text = "音樂理論中組成的音有#A、#B、#C、#D、#E、\n# F、#G及#A。";
        let wrapped = "一二三四五六七八九十一二三四五六七八九十\n".repeat(3) + text;
        let units = kinds(&wrapped);
        assert!(units.iter().all(|(k, _)| *k == Paragraph), "{units:?}");
    }

    #[test]
    fn fenced_code_blocks_are_kept_whole() {
        use UnitKind::*;
        let text = "說明 如下 ：\n```python\nx = 1  # 註釋\n\n\n    return x\n```\n完成 。\n\n後 文";
        assert_eq!(
            kinds(text),
            [
                (Paragraph, "說明 如下 ：".into()),
                (Code, "```python\nx = 1  # 註釋\n\n\n    return x\n```".into()),
                (Paragraph, "完成 。".into()),
                (Paragraph, "後 文".into()),
            ]
        );
        // A longer closing fence closes; a shorter one or other text is code.
        assert_eq!(kinds("~~~~\n~~~\n```\n~~~~~\n甲")[0], (Code, "~~~~\n~~~\n```\n~~~~~".into()));
        // A fence left open runs to the end of the text, not its blank lines.
        assert_eq!(kinds("甲\n```\nx = 1\n\n\n"), [(Paragraph, "甲".into()), (Code, "```\nx = 1".into())]);
        // Not fences: two backticks, a backtick in a backtick fence's info
        // string.
        for text in ["``\n甲", "``` a`b\n甲"] {
            assert!(kinds(text).iter().all(|(k, _)| *k == Paragraph), "{text:?}");
        }
        // Indented, a fence is one still: cleaned, the line would read as
        // one.
        assert_eq!(kinds("甲\n\t~~~~ x\n乙")[1].0, Code);
    }

    #[test]
    fn indented_code_blocks_are_kept_whole() {
        use UnitKind::*;
        let text = "範例 ：\n\n    def f(x):\n        return x  # 註釋\n\n\tx = f(1)\n";
        assert_eq!(
            kinds(text),
            [
                (Paragraph, "範例 ：".into()),
                (Code, "    def f(x):\n        return x  # 註釋".into()),
                (Code, "\tx = f(1)".into()),
            ]
        );
        // Indented prose, a centred title, a paragraph's indented line, and
        // code indented only as far as the document's margin are text.
        for text in [
            "甲\n\n    第一 段 縮排 的 文字 (見下) 。",
            "甲\n\n                 模組 (Module)",
            "甲\n    x = f(1)",
            "    甲\n\n    x = f(1)",
        ] {
            assert!(kinds(text).iter().all(|(k, _)| *k == Paragraph), "{text:?}");
        }
    }

    #[test]
    fn an_indented_code_block_is_a_group_of_its_own() {
        // Double-spaced text: single blank lines do not part groups, but a
        // block indented as code is one only between blank lines, so it is
        // written apart.
        let line = "一二三四五六七八九十一二三四五六七八九十";
        let text = format!("{line}\n\n{line}\n\n{line}\n\n短句。\n\n    x = f(1)\n\n甲\n\n乙\n");
        let layout = analyze(&text);
        assert!(layout.double_spaced, "{layout:?}");
        let groups = split_with(&text, layout, &DocStats::measure(&text), &Vocabulary::default());
        let code =
            groups.iter().position(|g| g.iter().any(|u| u.kind == UnitKind::Code)).expect("a code unit");
        assert_eq!(groups[code].len(), 1, "{groups:?}");
    }

    #[test]
    fn nothing_joins_onto_a_decoration() {
        // `- 香 - 1 -` is no item; joined with `U.S.` it would read as one.
        let text = "¡            - 1 -\n香   - 1 -\n       -  香     - 1 -\nU.S.";
        let groups = split(text, true, &DocStats::measure(text));
        let bodies: Vec<&str> = groups.iter().flatten().map(|u| u.body.as_ref()).collect();
        assert!(bodies.contains(&"U.S."), "{bodies:?}");
    }

    #[test]
    fn code_lines_are_no_evidence_of_wrapping() {
        // Lines of code of one width do not make the text around them
        // wrapped.
        let code = "```\n".to_string() + &"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx = 1\n".repeat(6) + "```\n";
        let text = code + "短的 一行\n另一 行";
        assert!(!analyze(&text).wrapped);
        assert_eq!(kinds(&text).len(), 3);
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
        assert_eq!(
            layout,
            Layout {
                width: 20,
                wrapped: true,
                breaks_words: true,
                measure: Measure::Columns,
                fill: 20,
                typical: 20,
                double_spaced: false,
                margin: 0
            }
        );
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

    /// `may_read_wrapped` never says no where `analyze` says wrapped.
    #[test]
    fn may_read_wrapped_is_a_necessary_condition() {
        let line = "一二三四五六七八九十一二三四五六七八九十";
        let texts = [
            format!("{line}\n{line}\n{line}\n短。"),
            format!("{line}\n\n{line}\n\n{line}\n\n短句。\n\n{line}\n\n{line}"),
            format!("• {line}\n{line}\n• {line}"),
            format!("標題\n\n{line}，{line}。\n\n{line}。"),
            "這是一段很長的文字，被文字瀏覽器按照固定的\n寬度斷成了好幾行，每一行都差不多一樣長，最\n後一行比較短。".to_owned(),
        ];
        for t in &texts {
            assert!(!analyze(t).wrapped || may_read_wrapped(t), "{t:?}");
        }
        assert!(may_read_wrapped(&texts[0]));
        assert!(may_read_wrapped(&texts[1]));
        // Units apart, or items one under the other: nothing to measure.
        assert!(!may_read_wrapped(&texts[3]));
        assert!(!may_read_wrapped(&format!("• {line}\n• {line}\n• {line}")));
    }

    #[test]
    fn a_dash_item_takes_no_line_that_would_make_it_a_decoration() {
        // Joined, `- 第一 項 目 ， 內容 很 長 -` would read as a `- 1 -`
        // decoration, not an item, when the output is cleaned again.
        let text = "- 第一 項 目 ， 內容 很 長 很 長 很 長 很 長 的 一 行\n  -\n- 第二 項 目 ， 內容 很 長 很 長 很 長 很 長 的 一\n  行 。";
        let groups = split(text, true, &DocStats::measure(text));
        let lines: Vec<String> =
            groups.iter().flatten().map(|u| format!("{}{}", u.marker, u.body.replace(' ', ""))).collect();
        assert_eq!(
            lines,
            ["- 第一項目，內容很長很長很長很長的一行", "-", "- 第二項目，內容很長很長很長很長的一行。"]
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
    fn a_line_wider_than_the_width_goes_on_when_it_stops_mid_text() {
        let text = "一二三四五六七八九十\n一二三四五六七八九十\n一二三四五六七八九十\n甲乙丙丁戊己庚辛壬癸子丑\n尾。";
        assert_eq!(analyze(text).width, 20);
        assert_eq!(roundtrip(text), text.replace('\n', ""));
        // A URL wider than the width stays on its own line.
        let url = "一二三四五六七八九十\n一二三四五六七八九十\n一二三四五六七八九十\nhttps://example.com/a/b/c/d\n尾。";
        assert_eq!(roundtrip(url).lines().count(), 3, "{}", roundtrip(url));
    }

    #[test]
    fn one_wide_outlier_does_not_set_the_width() {
        let text = "一二三四五六七八九十\n一二三四五六七八九十\n一二三四五六七八九十\nhttps://example.com/a/very/long/address/that/does/not/wrap\n尾";
        assert_eq!(analyze(text).width, 20);
    }

    /// Wraps `text` greedily at `w` units of `m`, breaking before any
    /// ideograph or CJK mark and at spaces between Latin words (the space
    /// is consumed), the way html2text (characters) or a PDF typesetter
    /// (columns) does.
    fn wrap_in(text: &str, w: usize, m: Measure) -> String {
        let mut pieces: Vec<String> = Vec::new();
        let mut word = String::new();
        for c in text.chars() {
            if crate::chars::is_cjk(c) || c == ' ' {
                if !word.is_empty() {
                    pieces.push(std::mem::take(&mut word));
                }
                pieces.push(c.to_string());
            } else {
                word.push(c);
            }
        }
        if !word.is_empty() {
            pieces.push(word);
        }
        let mut lines: Vec<String> = vec![String::new()];
        for p in pieces {
            let line = lines.last_mut().unwrap();
            if m.of(line) + m.of(&p) > w && !line.trim().is_empty() {
                let done = line.trim_end().to_string();
                *line = done;
                lines.push(if p == " " { String::new() } else { p });
            } else {
                line.push_str(&p);
            }
        }
        lines.join("\n")
    }

    const MIXED: &str = "第三方工具，例如 Cython、cffi、SWIG 和 Numba，提供了更為簡單及更為複雜的多種方法，來為 Python 建立 C 和 C++ 擴充。Python 封裝使用者指南 (Python Packaging User Guide) 不僅涵蓋了數個可以用來簡化二進制擴充建立過程的工具，也會討論為何建立一個擴充模組可能會是你的優先考量。";

    #[test]
    fn the_measure_is_the_one_the_wrapper_counted() {
        for (m, w) in
            [(Measure::Chars, 40), (Measure::Chars, 32), (Measure::Bytes, 72), (Measure::Columns, 50)]
        {
            let wrapped = wrap_in(MIXED, w, m);
            assert!(wrapped.lines().count() >= 4, "{m:?} {w}");
            let layout = analyze(&wrapped);
            assert!(layout.wrapped, "{m:?} {w}: {layout:?}");
            assert_eq!(roundtrip(&wrapped), MIXED, "{m:?} {w}:\n{wrapped}");
        }
        // Lines of ideographs and of Latin text of the same length in
        // characters: only characters explain both as full.
        let wrapped = wrap_in(MIXED, 40, Measure::Chars);
        assert_eq!(analyze(&wrapped).measure, Measure::Chars);
    }

    #[test]
    fn a_short_line_that_ends_a_sentence_ends_its_paragraph() {
        let one = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三。";
        let two = "甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬癸甲乙丙丁。";
        // Typeset without any blank line between the paragraphs.
        let text = format!("{}\n{}", wrap_in(one, 24, Measure::Columns), wrap_in(two, 24, Measure::Columns));
        assert_eq!(roundtrip(&text), format!("{one}\n\n{two}"));
        // A full line that ends a sentence goes on: the paragraph may.
        let three = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三。四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三。";
        assert_eq!(roundtrip(&wrap_in(three, 24, Measure::Columns)), three);
    }

    #[test]
    fn an_indented_line_starts_a_paragraph() {
        let body = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二";
        for indent in ["\u{3000}\u{3000}", "  ", "    "] {
            let para = |text: &str| wrap_in(&format!("{indent}{text}"), 24, Measure::Columns);
            // The last line of the first paragraph happens to be full.
            let text = format!("{}\n{}\n{}", para(body), para(body), para("甲乙丙丁。"));
            assert_eq!(roundtrip(&text), format!("{body}\n\n{body}\n\n甲乙丙丁。"), "{indent:?}:\n{text}");
        }
        // A list item's continuation hangs under its text: not a paragraph.
        let item = wrap_in(&format!("{body}{body}"), 24, Measure::Columns).replace('\n', "\n  ");
        let text = format!("{}\n• {item}\n• 甲乙", wrap_in(body, 24, Measure::Columns));
        assert_eq!(roundtrip(&text), format!("{body}\n\n• {body}{body}\n• 甲乙"), "{text}");
        assert_eq!(without_ideographic_indent(" \u{3000}乙\u{3000}丙"), "乙\u{3000}丙");
        assert_eq!(without_ideographic_indent("  乙"), "  乙");
    }

    #[test]
    fn a_line_that_stops_mid_sentence_goes_on() {
        // A wrapper that counts otherwise broke before a long Latin word:
        // the line looks short but stops on a letter or an ideograph.
        let text = "當你的專案開始時，沒有必要立刻寫下完整的文件，書寫和編碼風格會吸引或者\n拒絕不同類型的人。\n恭喜你開源了你的首個專案。不要忘了回覆每一個 comment 和 pull\nrequest，你正在創造學習的機會。";
        assert_eq!(
            roundtrip(text),
            "當你的專案開始時，沒有必要立刻寫下完整的文件，書寫和編碼風格會吸引或者拒絕不同類型的人。\n\n恭喜你開源了你的首個專案。不要忘了回覆每一個 comment 和 pull request，你正在創造學習的機會。"
        );
    }

    #[test]
    fn a_first_line_shorter_by_a_dropped_indent_starts_a_paragraph() {
        // Typeset with a two-character first-line indent that the extractor
        // dropped; the first paragraph's last line happens to be full.
        let para = |text: &str| wrap_in(&format!("　　{text}"), 24, Measure::Columns).replace('　', "");
        // 10 + 3 × 12 characters: the last line is full.
        let one = format!("{}。", "香".repeat(45));
        let two = format!("{}。", "港".repeat(40));
        let (one, two) = (one.as_str(), two.as_str());
        let text = format!("{}\n{}\n{}", para(one), para(two), para(one));
        assert!(text.lines().nth(3).is_some_and(|l| l.ends_with('。') && str_width(l) == 24), "{text}");
        assert_eq!(roundtrip(&text), format!("{one}\n\n{two}\n\n{one}"), "{text}");
    }

    /// Lines of a typeset page 40 columns wide (20 ideographs).
    const FULL: &str = "甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬癸";

    #[test]
    fn a_line_short_before_a_latin_word_does_not_set_the_fill() {
        // The third line stopped at 32 columns: `(pre-built)` did not fit.
        // That is no full line, so the sentence ending at 34 columns with
        // room for a character more ended its paragraph.
        let text = format!(
            "{FULL}\n{FULL}\n甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己\n(pre-built) 乙丙丁戊己庚辛壬癸甲乙丙丁戊\n{FULL}\n甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己。\n{FULL}\n{FULL}\n甲乙。"
        );
        let out = roundtrip(&text);
        assert_eq!(out.lines().filter(|l| !l.is_empty()).count(), 2, "{out}");
        assert!(out.contains("戊己。\n\n甲乙丙"), "{out}");
    }

    #[test]
    fn a_first_line_indent_takes_room_on_the_line() {
        // The first line is 36 columns of text after a 4-column indent:
        // full, so the sentence at its end does not end the paragraph.
        let text = format!(
            "　　甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚。\n{FULL}\n{FULL}\n甲乙丙丁戊己庚辛壬。\n　　甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛\n{FULL}\n甲乙。"
        );
        let out = roundtrip(&text);
        assert_eq!(out.lines().filter(|l| !l.is_empty()).count(), 2, "{out}");
        assert!(out.starts_with("甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚。甲乙"), "{out}");
        // A margin every line has is no indent.
        let margin: String = text.lines().map(|l| format!("     {}\n", l.trim_start_matches('　'))).collect();
        assert_eq!(roundtrip(&margin).lines().filter(|l| !l.is_empty()).count(), 2);
    }

    #[test]
    fn english_words_are_found_as_a_set_would_find_them() {
        // The naive oracle: every line of the list in a set.
        let text = std::str::from_utf8(include_bytes!("../data/english/words.txt")).expect("UTF-8");
        let set: std::collections::HashSet<&str> = text.lines().collect();
        assert_eq!(set.len(), 40_134);
        for w in text.lines().step_by(7) {
            assert!(english_word(w), "{w}");
            // A letter more or less at either end, and the capitalised form.
            for probe in [&w[1..], &w[..w.len() - 1], &format!("{w}q"), &format!("q{w}")] {
                assert_eq!(english_word(probe), set.contains(probe), "{probe:?}");
            }
            assert!(english_word(&w.to_ascii_uppercase()), "{w}");
        }
        for not in ["", "aw", "ait", "res", "eff", "ction", "café", "a b", "re-do", "\n", "zzzzzz"] {
            assert!(!english_word(not), "{not:?}");
        }
        for w in ["a", "await", "reset", "effect", "method", "navy", "zoos"] {
            assert!(english_word(w), "{w}");
        }
    }

    #[test]
    fn english_words_rejoin_a_broken_latin_word() {
        // Pieces that occur nowhere else in the document.
        let v = Vocabulary::measure(
            "包含 aw\nait、res\net_mock() 和 side_eff\nect，貢獻（issu\ne或者PR），海軍碼頭（Nav\ny's）",
        );
        assert!(v.rejoins("包含 aw", "ait、"));
        assert!(v.rejoins("res", "et_mock() 不會"));
        assert!(v.rejoins("return_value、side_eff", "ect 或"));
        assert!(v.rejoins("貢獻（issu", "e或者PR"));
        assert!(v.rejoins("碼頭（Nav", "y's Pier）"));
        // Two words, a piece the document uses on its own, or no English
        // word: apart.
        let v = Vocabulary::measure(
            "some\nthing Hacker\nNews CPyth\non 以及 met\nhod 與 the\nre-release，hod 一詞",
        );
        for (a, b) in
            [("some", "thing"), ("Hacker", "News"), ("CPyth", "on"), ("met", "hod"), ("the", "re-release")]
        {
            assert!(!v.rejoins(a, b), "{a} / {b}");
        }
        // Through the structure stage: a wrapped document.
        let text = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十\n一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五 aw\nait 一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三\n一二三。";
        let out = roundtrip(text);
        assert!(out.contains("五 await 一"), "{out}");
    }

    #[test]
    fn the_documents_words_rejoin_a_broken_latin_word() {
        let v = Vocabulary::measure(
            "一個協程函式能以 async def 定義，並可能包含 aw\nait 關鍵字；await 只能在協程內使用。on 與 CPython",
        );
        assert!(v.rejoins("包含 aw", "ait 關鍵字"));
        // Two words that are not one word elsewhere, or whose pieces are
        // words of their own, stay apart.
        assert!(!v.rejoins("async", "def"));
        assert!(!v.rejoins("pull", "request"));
        assert!(!Vocabulary::default().rejoins("aw", "ait"));
        let text = "一二三四五六七八九十一二三四五六七八九十 await 一二三四五六七八九十\n一二三四五六七八九十一二三四五六七八九十一二三四五六七 aw\nait 一二三四五六七八九十一二三四五六七八九十一二三四五六七\n一二三。";
        let out = roundtrip(text);
        assert!(out.contains("七 await 一") && !out.contains("aw ait"), "{out}");
    }

    #[test]
    fn a_paragraph_a_rule_ended_is_set_apart() {
        // The indent that ended the first paragraph is gone from the output:
        // a blank line keeps the two apart when the output is cleaned again.
        let body = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二";
        let text = format!(
            "{}\n  甲乙丙丁戊己庚辛壬。\n{}",
            wrap_in(body, 24, Measure::Columns),
            wrap_in(body, 24, Measure::Columns)
        );
        let once = roundtrip(&text);
        assert_eq!(once, format!("{body}\n\n甲乙丙丁戊己庚辛壬。\n\n{body}"));
        assert_eq!(roundtrip(&once), once);
        // Too narrow to tell in any measure: 15 columns, 24 bytes.
        assert!(!analyze("……，，香香香香\n香").wrapped);
    }

    #[test]
    fn a_blank_line_after_every_line_is_not_a_paragraph_break() {
        let one = "鼓勵其他的貢獻者也是對專案的一種投資。當你們授權大量的粉絲做他們感興趣的工作時，壓力就會少很多。";
        let two = "當你開始一個新專案，會覺得就私下默默地工作是很正常的。但開源專案真正開始茁壯的時候，是當你開始公開的把你的進度歷程紀錄下來的時候。";
        let three = "把事情記錄下來，會更多的人參與，參與的人也方便能從歷程的每個階段著手。";
        let wrapped = [one, two, three].map(|p| wrap_in(p, 40, Measure::Columns)).join("\n");
        let double = format!("標題\n\n{}\n\n- 1 -\n", wrapped.replace('\n', "\n\n"));
        let layout = analyze(&double);
        assert!(layout.double_spaced && layout.wrapped, "{layout:?}");
        assert_eq!(roundtrip(&double), format!("標題\n\n{one}\n\n{two}\n\n{three}\n\n- 1 -"));
        // Two paragraphs of two lines, each first line indented.
        let first = |p: &str| format!("\u{3000}\u{3000}{}", &p[..p.char_indices().nth(30).unwrap().0]);
        let rest = |p: &str| p[p.char_indices().nth(30).unwrap().0..].to_string();
        let short = format!("{}\n\n{}\n\n{}\n\n{}\n\n第 1 頁", first(two), rest(two), first(one), rest(one));
        assert!(analyze(&short).double_spaced, "{:?}", analyze(&short));
        assert_eq!(roundtrip(&short), format!("{two}\n\n{one}\n\n第 1 頁"));
        // Paragraphs of one line each, blank lines between: as they are.
        let clean = format!("{one}\n\n{two}\n\n{three}\n\n{one}\n\n{two}");
        assert!(!analyze(&clean).double_spaced);
        assert_eq!(roundtrip(&clean), clean);
    }
}
