//! Main content: telling the article from navigation, link rows and
//! repeated blocks.
//!
//! # The problem
//!
//! A text-browser dump of a web page is mostly not the article. The seed
//! page (`fixtures/hkpc-ai-press-release.txt`) prints, before its 44
//! article paragraphs, five hundred lines of menus (`• 服務`, `□ 簡體`,
//! `☆ 新型工業化`), a breadcrumb (`1. [home]`), image and icon placeholders
//! (`[hkpc_logo]`), a search box (`Search []`), and after them a row of
//! social-media icons (`[sm_fb_9] [sm_in] …`), the same menu again and a
//! copyright line. This module labels every line of the *cleaned* text
//! (the output of [`Cleaner::clean`](crate::Cleaner::clean): one paragraph or
//! list item per line, the lines of a group consecutive, one blank line
//! between groups) as [`Label::Content`], [`Label::Boilerplate`] or
//! [`Label::Duplicate`], with the [`Reason`]. [`main_content`] keeps the
//! content; [`dedupe`] only drops repeats.
//!
//! # The heuristics
//!
//! They follow jusText and trafilatura, adapted to plain text, where there is
//! no markup to say what a link or a heading is.
//!
//! 1. **Line classes.** Every line is first put in one of three classes:
//!    * *prose* — the anchors of the article: a line that ends with a full
//!      stop (`。` `！` `？`, possibly followed by a closing quote or
//!      bracket) and has a size of at least [`STOP_SIZE`], or with another
//!      sentence or clause mark (`；` `：` `…`, ASCII `.` `!` `?` `;` `:`)
//!      and has a size of at least [`SENTENCE_SIZE`], or a long line (size
//!      at least [`LONG_SIZE`]) dense with punctuation (at least one clause mark `，、；：。！？` per
//!      [`MARK_EVERY`] of size, plus one). The *size* of a line counts each
//!      ideograph once and each run of Latin letters or digits twice, so
//!      that `RWTH Aachen Campus` weighs as much as six ideographs.
//!      Navigation items, titles and link rows have no sentence punctuation.
//!    * *bad* — lines that are boilerplate whatever surrounds them:
//!      [`Reason::Placeholder`] (only bracketed image or icon names, perhaps
//!      with one Latin word: `[hkpc_logo]`, `Search []`, `1. [home]`,
//!      `[sm_fb_9] [sm_in]`), [`Reason::LinkRow`] (three or more short
//!      items between `|` `｜` `>` `»` `›`: `首頁 > 新聞 > 2023`),
//!      [`Reason::EmptyItem`] (a list marker alone), [`Reason::Copyright`]
//!      (a short line with `©`, `Copyright`, `All rights reserved`,
//!      `版權所有`) and [`Reason::Menu`] (the short items of a run of three
//!      or more list items that mixes bullet kinds, `•` `□` `☆`, the way a
//!      text browser draws the levels of a nested menu, where at least two
//!      items in three are short: size at most [`ITEM_SIZE`] and no
//!      sentence punctuation).
//!    * *short* — everything else: headings, short paragraphs, list items,
//!      captions, single menu items. Their fate depends on their neighbours.
//! 2. **Context** (jusText). A run of short lines between two prose lines
//!    is content ([`Reason::BetweenProse`]): headings, short paragraphs and
//!    lists inside the article stay, such as the nine numbered
//!    recommendations of the seed or a one-sentence paragraph between two
//!    long ones. A run next to a bad line or to the start or end of the text
//!    is boilerplate: [`Reason::BeforeArticle`] before the first prose line,
//!    [`Reason::AfterArticle`] after the last, [`Reason::NearBoilerplate`]
//!    in between.
//! 3. **Headings.** Titles have no sentence punctuation and come just before
//!    the article, after the navigation: the last line of a run that ends at
//!    a prose line is content ([`Reason::Heading`]) when it is a group of its
//!    own (blank lines around it) and not a list item.
//! 4. **No article.** When no line is prose there is nothing to anchor the
//!    article: short lines are then kept ([`Reason::NoArticle`]) and only bad
//!    lines dropped, so short clean documents pass through whole.
//! 5. **Repeats** ([`Reason::Repeat`]). A repeat is the same text: lines
//!    are compared by their characters without whitespace and without a
//!    leading bullet glyph (`• 服務` repeats `☆ 服務`), so that
//!    punctuation, digits and case count (`1.000` does not repeat `1,000`,
//!    `「不！」` does not repeat `「不？」`, `6. 標題` does not repeat
//!    `標題`). Keys are hashed, so the pass is linear. A line whose key was
//!    seen before is a repeat when it is a block by itself: its key has at
//!    least [`REPEAT_SIZE`] characters, or a neighbour in its group is a
//!    repeat too (a repeated menu). Short lines repeat legitimately — an
//!    answer in a dialogue (`乙：好。`), `• 是` in two lists of answers — and
//!    a short line repeated on its own is not a repeat.
//!    The first occurrence is kept. In [`classify`], a repeat is labelled
//!    [`Label::Duplicate`] unless it is the article's own copy of a line that
//!    so far only appeared in boilerplate (a title printed in the page header
//!    and again above the article): that copy is content. A repeat is
//!    labelled [`Label::Duplicate`] also where it is boilerplate anyway, so
//!    that a pipeline sees every repeat; [`Block::first`] points to the
//!    occurrence that is kept.
//!
//! Everything is linear in the length of the text: a few passes over the
//! lines and one hash table.
//!
//! # Limits
//!
//! Position decides for short lines at the edges of the article: a short
//! line after the last prose line that does not end a sentence (a byline,
//! `（完）`) is dropped, and a short line of its own just before the article
//! is kept as its heading even when it is a skip link. Lists inside the
//! article stay unless they mix bullet kinds like a nested menu. Text
//! without any prose line keeps everything but the lines that are bad in
//! themselves.
//!
//! ```
//! use zh_clean::content::{classify, main_content, Label, Reason};
//!
//! let page = "[site_logo]\n\n• 首頁\n□ 新聞\n☆ 聯絡我們\n\n公司公布年度業績\n\n\
//!             本公司今天公布年度業績，營業額上升百分之十，純利創新高。\n\n\
//!             董事會建議派發末期股息。\n\n© 2024 本公司版權所有\n";
//! let blocks = classify(page);
//! assert_eq!(blocks[0].reason, Reason::Placeholder);
//! assert_eq!(blocks[1].label, Label::Boilerplate);
//! assert_eq!(blocks[4].reason, Reason::Heading);
//! assert_eq!(
//!     main_content(page),
//!     "公司公布年度業績\n\n本公司今天公布年度業績，營業額上升百分之十，純利創新高。\n\n董事會建議派發末期股息。\n"
//! );
//! ```

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::chars::is_han;
use crate::structure;

/// Minimum size of a line that ends with a full stop (`。` `！` `？`) for it
/// to count as prose.
pub const STOP_SIZE: usize = 4;
/// Minimum size of a line that ends with another sentence or clause mark
/// (`；` `：` `…` or ASCII `.` `!` `?` `;` `:`) for it to count as prose.
pub const SENTENCE_SIZE: usize = 8;
/// Minimum size of a line without a sentence end for it to count as prose
/// (it also needs punctuation, see [`MARK_EVERY`]).
pub const LONG_SIZE: usize = 30;
/// A long line is prose when it has at least one clause mark per this much
/// size, plus one.
pub const MARK_EVERY: usize = 80;
/// Maximum size of a short list item, as counted for menus.
pub const ITEM_SIZE: usize = 24;
/// Minimum key length (letters, digits, ideographs) for a repeated line to
/// count as a repeated block by itself.
pub const REPEAT_SIZE: usize = 8;

/// What a line of a page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Label {
    /// Part of the article.
    Content,
    /// Navigation, placeholders, link rows, footers.
    Boilerplate,
    /// A repeat of an earlier line.
    Duplicate,
}

impl Label {
    /// The label as a lowercase word: `content`, `boilerplate`, `duplicate`.
    ///
    /// ```
    /// assert_eq!(zh_clean::content::Label::Boilerplate.as_str(), "boilerplate");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Content => "content",
            Label::Boilerplate => "boilerplate",
            Label::Duplicate => "duplicate",
        }
    }
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a line got its label. The module documentation describes each rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Reason {
    /// Content: a sentence, or a long line dense with punctuation.
    Prose,
    /// Content: a short line in a run between two prose lines.
    BetweenProse,
    /// Content: a line of its own just before prose, after boilerplate or at
    /// the start: a title or heading.
    Heading,
    /// Content: no line of the text is prose, so nothing is dropped by
    /// position.
    NoArticle,
    /// Boilerplate: bracketed image or icon names (`[logo]`, `Search []`).
    Placeholder,
    /// Boilerplate: short items between separators (`首頁 > 新聞 > 2023`).
    LinkRow,
    /// Boilerplate: a list marker with nothing after it.
    EmptyItem,
    /// Boilerplate: a short item of a nested menu (a run of short list items
    /// with several kinds of bullets).
    Menu,
    /// Boilerplate: a copyright notice.
    Copyright,
    /// Boilerplate: a short line before the first prose line.
    BeforeArticle,
    /// Boilerplate: a short line after the last prose line.
    AfterArticle,
    /// Boilerplate: a short line in a run that touches boilerplate, between
    /// prose lines.
    NearBoilerplate,
    /// Duplicate: the line repeats an earlier one.
    Repeat,
}

impl Reason {
    /// The label this reason gives.
    ///
    /// ```
    /// use zh_clean::content::{Label, Reason};
    /// assert_eq!(Reason::Heading.label(), Label::Content);
    /// assert_eq!(Reason::Menu.label(), Label::Boilerplate);
    /// ```
    pub fn label(self) -> Label {
        use Reason::*;
        match self {
            Prose | BetweenProse | Heading | NoArticle => Label::Content,
            Placeholder | LinkRow | EmptyItem | Menu | Copyright | BeforeArticle | AfterArticle
            | NearBoilerplate => Label::Boilerplate,
            Repeat => Label::Duplicate,
        }
    }

    /// The reason as a kebab-case name (`before-article`, `link-row`).
    ///
    /// ```
    /// assert_eq!(zh_clean::content::Reason::LinkRow.as_str(), "link-row");
    /// ```
    pub fn as_str(self) -> &'static str {
        use Reason::*;
        match self {
            Prose => "prose",
            BetweenProse => "between-prose",
            Heading => "heading",
            NoArticle => "no-article",
            Placeholder => "placeholder",
            LinkRow => "link-row",
            EmptyItem => "empty-item",
            Menu => "menu",
            Copyright => "copyright",
            BeforeArticle => "before-article",
            AfterArticle => "after-article",
            NearBoilerplate => "near-boilerplate",
            Repeat => "repeat",
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One non-blank line of the text, labelled.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Block<'a> {
    /// The line, without its newline.
    pub text: &'a str,
    /// Its line number in the text, from 0 (blank lines count).
    pub line: usize,
    /// Its group: groups are runs of non-blank lines, numbered from 0.
    pub group: usize,
    /// Content, boilerplate or duplicate.
    pub label: Label,
    /// Why.
    pub reason: Reason,
    /// For a duplicate, the index (in the returned blocks) of the occurrence
    /// that is kept.
    pub first: Option<usize>,
}

/// What is measured of each line.
#[derive(Debug)]
struct Line<'a> {
    text: &'a str,
    line: usize,
    group: usize,
    /// Whether the line is a list item, and the first character of its
    /// marker when that is a bullet glyph (not a number or letter).
    list: bool,
    glyph: Option<char>,
    /// The line after its list marker, trimmed.
    body: &'a str,
    /// Ideographs, plus two for each run of other letters and digits.
    size: usize,
    /// Clause marks: `，、；：。！？` and their ASCII forms before a space.
    marks: usize,
    /// Sentence marks: `，。！？；` (`、` and `：` occur in menu items).
    hard_marks: usize,
    /// Whether the line ends with a full stop, or with another sentence or
    /// clause mark.
    ends: Ending,
}

/// How a line ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// `。` `！` `？`.
    Stop,
    /// `；` `：` `…`, ASCII `.` `!` `?` `;` `:`.
    Mark,
    /// Anything else.
    Open,
}

/// The class of a line before context is taken into account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Prose,
    Bad(Reason),
    Short,
}

fn measure<'a>(text: &'a str) -> Vec<Line<'a>> {
    let mut lines = Vec::new();
    let mut group = 0;
    let mut in_group = false;
    for (n, raw) in text.split('\n').enumerate() {
        let trimmed = raw.trim_matches([' ', '\t', '\r']);
        if trimmed.is_empty() {
            if in_group {
                group += 1;
                in_group = false;
            }
            continue;
        }
        in_group = true;
        // The structure stage's own list-marker rules, on one line.
        let (list, glyph, body) = match structure::list_item(trimmed) {
            Some(u) => {
                let body = trimmed[trimmed.len() - u.body.len()..].trim_matches([' ', '\t']);
                let glyph = u.marker.chars().next().filter(|c| !c.is_alphanumeric() && !"(（".contains(*c));
                (true, glyph, body)
            }
            _ => (false, None, trimmed),
        };
        let (size, marks, hard_marks) = counts(body);
        lines.push(Line {
            text: raw,
            line: n,
            group,
            list,
            glyph,
            body,
            size,
            marks,
            hard_marks,
            ends: ends(body),
        });
    }
    lines
}

/// Size, clause marks and sentence marks of a line.
fn counts(s: &str) -> (usize, usize, usize) {
    let (mut size, mut marks, mut hard) = (0, 0, 0);
    let mut in_word = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let han = is_han(c);
        let word = !han && is_key_char(c);
        if han {
            size += 1;
        } else if word && !in_word {
            size += 2;
        }
        in_word = word;
        match c {
            '，' | '。' | '！' | '？' | '；' => {
                marks += 1;
                hard += 1;
            }
            '、' | '：' => marks += 1,
            ',' | '.' | ';' | ':' | '!' | '?' if chars.peek().is_none_or(|n| *n == ' ') => {
                marks += 1;
                if c != ':' {
                    hard += 1;
                }
            }
            _ => {}
        }
    }
    (size, marks, hard)
}

/// How `s` ends, closing quotes and brackets aside.
fn ends(s: &str) -> Ending {
    let s = s.trim_end_matches(['」', '』', '”', '’', '"', '\'', '）', ')', '》', '】']);
    if s.ends_with(['。', '！', '？']) {
        Ending::Stop
    } else if s.ends_with(['；', '：', '…', '.', '!', '?', ';', ':']) {
        Ending::Mark
    } else {
        Ending::Open
    }
}

/// Bracketed names with at most one short Latin word around them.
fn is_placeholder(body: &str) -> bool {
    let (mut segments, mut han, mut alnum, mut words) = (0, 0, 0, 0);
    let mut residue = |part: &str| {
        for w in part.split_whitespace() {
            if w.chars().any(is_key_char) {
                words += 1;
            }
            for c in w.chars() {
                if is_han(c) {
                    han += 1;
                } else if is_key_char(c) {
                    alnum += 1;
                }
            }
        }
    };
    let mut rest = body;
    loop {
        match rest.find('[') {
            Some(i) => match rest[i..].find(']') {
                Some(j) => {
                    residue(&rest[..i]);
                    segments += 1;
                    rest = &rest[i + j + 1..];
                }
                None => {
                    residue(rest);
                    break;
                }
            },
            None => {
                residue(rest);
                break;
            }
        }
    }
    segments > 0 && han == 0 && alnum <= 12 && words <= 1
}

/// Three or more short items between link separators.
fn is_link_row(body: &str) -> bool {
    const SEPARATORS: &[char] = &['|', '｜', '¦', '>', '＞', '»', '›'];
    if !body.contains(SEPARATORS) {
        return false;
    }
    let mut items = 0;
    for item in body.split(SEPARATORS) {
        let (size, _, hard) = counts(item);
        if item.trim().is_empty() || size > ITEM_SIZE || hard > 0 {
            return false;
        }
        items += 1;
    }
    items >= 3
}

fn is_copyright(line: &Line<'_>) -> bool {
    if line.size > 60 {
        return false;
    }
    let b = line.body;
    if b.contains('©') || b.contains("版權所有") || b.contains("版权所有") {
        return true;
    }
    let lower = b.to_ascii_lowercase();
    lower.contains("copyright") || lower.contains("all rights reserved")
}

fn is_short_item(line: &Line<'_>) -> bool {
    line.hard_marks == 0 && line.size <= ITEM_SIZE
}

/// Classes before context: prose, bad (with the reason) or short.
fn classes(lines: &[Line<'_>]) -> Vec<Class> {
    let mut out: Vec<Class> = lines
        .iter()
        .map(|l| {
            if l.list && l.body.is_empty() {
                Class::Bad(Reason::EmptyItem)
            } else if is_placeholder(l.body) {
                Class::Bad(Reason::Placeholder)
            } else if is_link_row(l.body) {
                Class::Bad(Reason::LinkRow)
            } else if is_copyright(l) {
                Class::Bad(Reason::Copyright)
            } else if (l.ends == Ending::Stop && l.size >= STOP_SIZE)
                || (l.ends == Ending::Mark && l.size >= SENTENCE_SIZE)
                || (l.size >= LONG_SIZE && l.marks > l.size / MARK_EVERY)
            {
                Class::Prose
            } else {
                Class::Short
            }
        })
        .collect();
    // Nested menus: runs of list items in one group mixing bullet glyphs.
    let mut i = 0;
    while i < lines.len() {
        let mut j = i;
        while j < lines.len() && lines[j].list && lines[j].group == lines[i].group {
            j += 1;
        }
        if j == i {
            i += 1;
            continue;
        }
        let run = &lines[i..j];
        let mut glyphs: Vec<char> = run.iter().filter_map(|l| l.glyph).collect();
        glyphs.sort_unstable();
        glyphs.dedup();
        let short = run.iter().filter(|l| is_short_item(l)).count();
        if run.len() >= 3 && glyphs.len() >= 2 && short * 3 >= run.len() * 2 {
            for (k, l) in run.iter().enumerate() {
                if is_short_item(l) && !matches!(out[i + k], Class::Bad(_)) {
                    out[i + k] = Class::Bad(Reason::Menu);
                }
            }
        }
        i = j;
    }
    out
}

/// Content or boilerplate for each line, from its class and its neighbours.
fn structural(lines: &[Line<'_>], classes: &[Class]) -> Vec<Reason> {
    let n = lines.len();
    let first_prose = classes.iter().position(|c| *c == Class::Prose);
    let last_prose = classes.iter().rposition(|c| *c == Class::Prose);
    let (Some(first_prose), Some(last_prose)) = (first_prose, last_prose) else {
        return classes
            .iter()
            .map(|c| match c {
                Class::Bad(r) => *r,
                _ => Reason::NoArticle,
            })
            .collect();
    };
    let mut group_len = vec![0usize; lines.last().map_or(0, |l| l.group + 1)];
    for l in lines {
        group_len[l.group] += 1;
    }
    let by_position = |k: usize| {
        if k < first_prose {
            Reason::BeforeArticle
        } else if k > last_prose {
            Reason::AfterArticle
        } else {
            Reason::NearBoilerplate
        }
    };
    let mut out = Vec::with_capacity(n);
    let mut i = 0;
    while i < n {
        match classes[i] {
            Class::Prose => {
                out.push(Reason::Prose);
                i += 1;
            }
            Class::Bad(r) => {
                out.push(r);
                i += 1;
            }
            Class::Short => {
                let mut j = i;
                while j < n && classes[j] == Class::Short {
                    j += 1;
                }
                let prose_before = i > 0 && classes[i - 1] == Class::Prose;
                let prose_after = j < n && classes[j] == Class::Prose;
                if prose_before && prose_after {
                    out.extend(std::iter::repeat_n(Reason::BetweenProse, j - i));
                } else {
                    out.extend((i..j).map(by_position));
                    let last = &lines[j - 1];
                    if prose_after && !last.list && group_len[last.group] == 1 {
                        out[j - 1] = Reason::Heading;
                    }
                }
                i = j;
            }
        }
    }
    out
}

/// The characters a line is compared by: letters, digits and ideographs,
/// lowercased; the whole trimmed line when it has none.
fn key(text: &str) -> impl Iterator<Item = char> + '_ {
    let t = text.trim_start_matches(|c: char| c.is_whitespace() || crate::structure::is_bullet(c));
    t.chars().filter(|c| !c.is_whitespace())
}

/// Letters, digits and ideographs; ASCII and ideographs first, for speed.
#[inline]
fn is_key_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        is_han(c) || (!crate::chars::is_cjk_punct(c) && c.is_alphanumeric())
    }
}

/// For each line, the index of the earlier line it repeats, when it counts
/// as a repeated block.
fn repeats(lines: &[Line<'_>]) -> Vec<Option<usize>> {
    let mut seen: HashMap<u64, usize> = HashMap::with_capacity(lines.len());
    let mut found = Vec::with_capacity(lines.len());
    let mut long = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        let mut h = DefaultHasher::new();
        let mut len = 0usize;
        for c in key(l.text) {
            c.hash(&mut h);
            len += 1;
        }
        long.push(len >= REPEAT_SIZE);
        let first = *seen.entry(h.finish()).or_insert(i);
        // A hash collision between different keys is not a repeat.
        found.push((first != i && key(lines[first].text).eq(key(l.text))).then_some(first));
    }
    let same_group_repeat = |i: usize, j: usize| lines[j].group == lines[i].group && found[j].is_some();
    (0..lines.len())
        .map(|i| {
            let f = found[i]?;
            let block = long[i]
                || (i > 0 && same_group_repeat(i, i - 1))
                || (i + 1 < lines.len() && same_group_repeat(i, i + 1));
            block.then_some(f)
        })
        .collect()
}

/// Labels every non-blank line of `cleaned` (the output of
/// [`Cleaner::clean`](crate::Cleaner::clean)) as content, boilerplate or a
/// duplicate, with the reason; see the [module documentation](self) for the
/// rules.
///
/// ```
/// use zh_clean::content::{classify, Label, Reason};
///
/// let text = "• 首頁\n□ 產品\n☆ 聯絡\n\n香港生產力促進局今天公布研究結果。\n\n[logo]\n\n香港生產力促進局今天公布研究結果。\n";
/// let blocks = classify(text);
/// let labels: Vec<(Label, Reason)> = blocks.iter().map(|b| (b.label, b.reason)).collect();
/// assert_eq!(
///     labels,
///     [
///         (Label::Boilerplate, Reason::Menu),
///         (Label::Boilerplate, Reason::Menu),
///         (Label::Boilerplate, Reason::Menu),
///         (Label::Content, Reason::Prose),
///         (Label::Boilerplate, Reason::Placeholder),
///         (Label::Duplicate, Reason::Repeat),
///     ]
/// );
/// assert_eq!(blocks[5].first, Some(3));
/// assert_eq!((blocks[5].line, blocks[5].group), (8, 3));
/// ```
pub fn classify(cleaned: &str) -> Vec<Block<'_>> {
    let lines = measure(cleaned);
    let classes = classes(&lines);
    let reasons = structural(&lines, &classes);
    let repeats = repeats(&lines);
    // The article's own copy of a line first seen in boilerplate.
    let mut article_copy: HashMap<usize, usize> = HashMap::new();
    let mut blocks: Vec<Block<'_>> = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        let mut reason = reasons[i];
        let mut first = None;
        if let Some(f) = repeats[i] {
            if reason.label() == Label::Content && reasons[f].label() != Label::Content {
                match article_copy.get(&f) {
                    Some(&c) => first = Some(c),
                    None => {
                        article_copy.insert(f, i);
                    }
                }
            } else {
                first = Some(article_copy.get(&f).copied().unwrap_or(f));
            }
            if first.is_some() {
                reason = Reason::Repeat;
            }
        }
        blocks.push(Block {
            text: l.text,
            line: l.line,
            group: l.group,
            label: reason.label(),
            reason,
            first,
        });
    }
    blocks
}

/// Writes the kept lines with the layout of cleaned text: the lines of a
/// group consecutive, one blank line between groups, a final newline when
/// the input had one. Nothing dropped: the input itself.
fn emit<'a>(text: &'a str, blocks: &[(&'a str, usize)], dropped: usize) -> Cow<'a, str> {
    if dropped == 0 {
        return Cow::Borrowed(text);
    }
    let mut sink = crate::sink::Sink::new("");
    let mut group = None;
    for &(line, g) in blocks {
        sink.unit(group != Some(g));
        sink.push(line);
        group = Some(g);
    }
    sink.finish(text.ends_with('\n'))
}

/// The article: the lines of `cleaned` that [`classify`] labels content,
/// laid out as cleaned text (lines of a group consecutive, a blank line
/// between groups, a final newline when `cleaned` has one). When nothing is
/// dropped, `cleaned` comes back borrowed.
///
/// ```
/// use std::borrow::Cow;
/// use zh_clean::content::main_content;
///
/// let page = "[hkpc_logo]\n\n• 服務\n□ 簡體\n☆ 新型工業化\n\n標題\n\n第一段很長，說明了整件事情的來龍去脈。\n\n短段。\n\n第二段也很長，補充了研究結果的細節。\n\n[sm_fb] [sm_in]\n";
/// assert_eq!(
///     main_content(page),
///     "標題\n\n第一段很長，說明了整件事情的來龍去脈。\n\n短段。\n\n第二段也很長，補充了研究結果的細節。\n"
/// );
/// let article = "第一段很長，說明了整件事情的來龍去脈。\n\n第二段很短。\n";
/// assert!(matches!(main_content(article), Cow::Borrowed(_)));
/// ```
pub fn main_content(cleaned: &str) -> Cow<'_, str> {
    let blocks = classify(cleaned);
    let kept: Vec<(&str, usize)> =
        blocks.iter().filter(|b| b.label == Label::Content).map(|b| (b.text, b.group)).collect();
    let dropped = blocks.len() - kept.len();
    emit(cleaned, &kept, dropped)
}

/// `cleaned` without repeated blocks: every line that repeats an earlier
/// one (compared by letters, digits and ideographs; short lines only as part
/// of a repeated run or as a group of their own) is dropped, the first
/// occurrence kept. Nothing else is touched; when nothing is dropped,
/// `cleaned` comes back borrowed.
///
/// This drops every repeat, also the article's copy of a line first seen in
/// boilerplate, which [`classify`] counts as content.
///
/// ```
/// use zh_clean::content::dedupe;
///
/// let page = "• 服務\n• 社區\n\n正文第一段。\n\n☆ 服務\n☆ 社區\n\n• 是\n• 否\n\n• 是\n• 不知道\n";
/// assert_eq!(dedupe(page), "• 服務\n• 社區\n\n正文第一段。\n\n• 是\n• 否\n\n• 是\n• 不知道\n");
/// ```
pub fn dedupe(cleaned: &str) -> Cow<'_, str> {
    let lines = measure(cleaned);
    let repeats = repeats(&lines);
    let kept: Vec<(&str, usize)> =
        lines.iter().zip(&repeats).filter(|(_, r)| r.is_none()).map(|(l, _)| (l.text, l.group)).collect();
    let dropped = lines.len() - kept.len();
    emit(cleaned, &kept, dropped)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A long paragraph: prose by length and punctuation.
    const LONG1: &str = "香港生產力促進局今天公布研究的主要數據，集中研究香港人工智能產業發展的現況、海內外競爭及實際企業運用。";
    const LONG2: &str =
        "受訪的企業中，四分之一為大型企業，其餘為中小型企業，其中不少企業表示未來有意拓展其業務至其他市場。";
    const LONG3: &str =
        "研究團隊建議政府投資建立公共超算中心，並推出優惠政策吸引本地及境外企業來港進行研發。";

    fn reasons(text: &str) -> Vec<(&str, Reason)> {
        classify(text).into_iter().map(|b| (b.text, b.reason)).collect()
    }

    fn reason_of(text: &str, line: &str) -> Reason {
        let blocks = classify(text);
        blocks.iter().find(|b| b.text == line).unwrap_or_else(|| panic!("{line:?} not in {text:?}")).reason
    }

    fn page(parts: &[&str]) -> String {
        parts.join("\n\n") + "\n"
    }

    #[test]
    fn placeholders() {
        for line in [
            "[hkpc_logo]",
            "[]",
            "Search []",
            "[Search]",
            "[sm_fb_9] [sm_in] [sm_ig] [sm_youtube] [sm_w c]",
            "[menu_cont a]",
            "[編輯]",
        ] {
            assert!(is_placeholder(line), "{line:?}");
        }
        for line in [
            "[1] 王小明：《香港史》。",
            "請按[此]瀏覽全文",
            "[lang]語言",
            "[1] https://www.example.com/a/b",
            "[a",
        ] {
            assert!(!is_placeholder(line), "{line:?}");
        }
        // A numbered crumb whose body is a placeholder.
        let text = page(&["1. [home]", LONG1]);
        assert_eq!(reason_of(&text, "1. [home]"), Reason::Placeholder);
    }

    #[test]
    fn placeholders_inside_the_article_are_dropped_but_not_what_surrounds_them() {
        let text = page(&[LONG1, "[image_01]", "小標題", LONG2]);
        assert_eq!(
            reasons(&text),
            [
                (LONG1, Reason::Prose),
                ("[image_01]", Reason::Placeholder),
                ("小標題", Reason::Heading),
                (LONG2, Reason::Prose)
            ]
        );
    }

    #[test]
    fn link_rows() {
        for line in [
            "首頁 > 新聞 > 2023",
            "Home | About us | Contact",
            "私隱政策｜使用條款｜網站地圖｜聯絡我們",
            "a » b » c",
        ] {
            assert!(is_link_row(line), "{line:?}");
        }
        for line in [
            "首頁 > 新聞",
            "若 a > b，且 b > c，則 a > c。",
            "x | 一段非常非常非常長的文字說明這裡並不是一個連結而是內文的一部分 | y",
            "甲 || 乙 | 丙",
        ] {
            assert!(!is_link_row(line), "{line:?}");
        }
        let text = page(&[LONG1, "首頁 | 關於我們 | 聯絡我們", LONG2]);
        assert_eq!(reason_of(&text, "首頁 | 關於我們 | 聯絡我們"), Reason::LinkRow);
    }

    #[test]
    fn empty_list_items() {
        let text = page(&[LONG1, "•\n☆", LONG2]);
        assert_eq!(reason_of(&text, "•"), Reason::EmptyItem);
        assert_eq!(reason_of(&text, "☆"), Reason::EmptyItem);
    }

    #[test]
    fn copyright_lines() {
        for line in [
            "©香港生產力促進局版權所有，不得轉載",
            "Copyright 2024 Example Ltd.",
            "All Rights Reserved",
            "本網站版權所有",
        ] {
            let text = page(&[LONG1, line, LONG2]);
            assert_eq!(reason_of(&text, line), Reason::Copyright, "{line:?}");
        }
        // A long paragraph that mentions copyright is prose.
        let long = "法院裁定被告侵犯原告的版權，因為被告未經許可複製並發行了原告的作品，而原告一直保留所有權利，從未授權任何人使用。";
        assert_eq!(reason_of(&page(&[long]), long), Reason::Prose);
    }

    #[test]
    fn nested_menus_mix_bullet_kinds() {
        let menu = "• 服務\n□ 新型工業化\n☆ 智能生產線\n☆ 轉型升級\n• 社區";
        let text = page(&[LONG1, menu, LONG2]);
        for line in menu.lines() {
            assert_eq!(reason_of(&text, line), Reason::Menu, "{line:?}");
        }
        // One kind of bullet between prose: a real list, even of short items.
        let list = "• 蘋果\n• 香蕉\n• 牛奶\n• 麵包";
        let text = page(&[LONG1, "購物清單：", list, LONG2]);
        for line in list.lines() {
            assert_eq!(reason_of(&text, line), Reason::BetweenProse, "{line:?}");
        }
        // Mixed bullets with long, punctuated items: an outline, not a menu.
        let outline = "• 第一點：政府應投資建立公共超算中心，吸引企業。\n◦ 細節：與大學的超算資源聯網。\n• 第二點：制定數據政策，便利數據流通。";
        let text = page(&[LONG1, outline, LONG2]);
        for line in outline.lines() {
            assert_eq!(
                classify(&text).iter().find(|b| b.text == line).map(|b| b.label),
                Some(Label::Content)
            );
        }
        // Two items are not a run.
        let text = page(&[LONG1, "• 甲\n☆ 乙", LONG2]);
        assert_eq!(reason_of(&text, "• 甲"), Reason::BetweenProse);
    }

    #[test]
    fn prose_needs_sentence_punctuation_or_length_with_punctuation() {
        let c = |line: &str| classes(&measure(line))[0];
        assert_eq!(c("現任主教為朱斯廷·蘇敏德。"), Class::Prose);
        assert_eq!(c("他拒絕了。"), Class::Prose);
        assert_eq!(c("他說：「好的，我明白。」"), Class::Prose);
        assert_eq!(c("他說：「好。」"), Class::Short);
        assert_eq!(c("行業最大挑戰：算力及數據不足、難以招聘技術人才："), Class::Prose);
        assert_eq!(c("在財政概況方面："), Class::Short);
        assert_eq!(c("聯絡我們："), Class::Short);
        assert_eq!(c("好。"), Class::Short);
        assert_eq!(c(LONG1.trim_end_matches('。')), Class::Prose);
        assert_eq!(c("This is an English sentence."), Class::Prose);
        // A title: long, but without a clause mark.
        assert_eq!(
            c(
                "生產力局·新型工業化公布《香港人工智能產業發展研究》主要數據49%受訪AI企業表示有技術人才招聘困難"
            ),
            Class::Short
        );
        // Footer links glued together.
        assert_eq!(
            c("私隱聲明使用本網站表示你接受有關的使用條款職業健康及安全政策（PDF版）惡劣天氣下的服務安排"),
            Class::Short
        );
        assert_eq!(c("• 服務"), Class::Short);
    }

    #[test]
    fn size_counts_ideographs_once_and_latin_words_twice() {
        assert_eq!(counts("香港 RWTH Aachen Campus").0, 8);
        assert_eq!(counts("49%受訪AI企業").0, 8);
        assert_eq!(counts("甲，乙、丙：丁。Hello, world. x.y").1, 6);
        assert_eq!(counts("甲，乙、丙：丁。Hello, world. x.y").2, 4);
    }

    #[test]
    fn a_short_paragraph_between_long_ones_stays() {
        let text = page(&[LONG1, "短段", LONG2, "-完-", LONG3]);
        assert_eq!(
            reasons(&text),
            [
                (LONG1, Reason::Prose),
                ("短段", Reason::BetweenProse),
                (LONG2, Reason::Prose),
                ("-完-", Reason::BetweenProse),
                (LONG3, Reason::Prose),
            ]
        );
        assert!(matches!(main_content(&text), Cow::Borrowed(_)));
    }

    #[test]
    fn numbered_recommendations_inside_the_article_stay() {
        let recs = "1. 建立亞洲領先超算中心\n2. 構建國際大數據樞紐\n3. 制定監管政策及指引\n4. 普及AI教育";
        let text = page(&["九大建議", LONG1, "完善基礎設施", recs, "加快產業化", LONG2]);
        assert!(classify(&text).iter().all(|b| b.label == Label::Content), "{:?}", reasons(&text));
        assert!(matches!(main_content(&text), Cow::Borrowed(_)));
    }

    #[test]
    fn position_before_and_after_the_article() {
        let text = page(&[
            "移至主內容",
            "• 服務\n• 社區\n• 關於我們",
            "Search []",
            "新聞稿",
            "標題",
            LONG1,
            LONG2,
            "緊貼我們",
            "[sm_fb]",
            "訂閱電子報",
        ]);
        assert_eq!(
            reasons(&text),
            [
                ("移至主內容", Reason::BeforeArticle),
                ("• 服務", Reason::BeforeArticle),
                ("• 社區", Reason::BeforeArticle),
                ("• 關於我們", Reason::BeforeArticle),
                ("Search []", Reason::Placeholder),
                ("新聞稿", Reason::BeforeArticle),
                ("標題", Reason::Heading),
                (LONG1, Reason::Prose),
                (LONG2, Reason::Prose),
                ("緊貼我們", Reason::AfterArticle),
                ("[sm_fb]", Reason::Placeholder),
                ("訂閱電子報", Reason::AfterArticle),
            ]
        );
        assert_eq!(main_content(&text), page(&["標題", LONG1, LONG2]));
    }

    #[test]
    fn short_lines_next_to_boilerplate_inside_the_page() {
        // Between two articles' prose, short lines next to a placeholder.
        let text = page(&[LONG1, "相關連結", "[banner]", "廣告\n• 甲\n• 乙", LONG2]);
        assert_eq!(reason_of(&text, "相關連結"), Reason::NearBoilerplate);
        assert_eq!(reason_of(&text, "• 甲"), Reason::NearBoilerplate);
    }

    #[test]
    fn headings_are_single_lines_of_their_own() {
        // A list item just before the article is not a heading.
        let text = page(&["• 服務\n• 新聞", LONG1]);
        assert_eq!(reason_of(&text, "• 新聞"), Reason::BeforeArticle);
        // Nor is the last line of a group of several.
        let text = page(&["首頁\n新聞", LONG1]);
        assert_eq!(reason_of(&text, "新聞"), Reason::BeforeArticle);
        // The first line of a clean article is.
        let text = page(&["標題", LONG1]);
        assert_eq!(reason_of(&text, "標題"), Reason::Heading);
    }

    #[test]
    fn without_prose_nothing_is_dropped_by_position() {
        for text in ["香港生產力促進局", "標題\n\n• 甲\n• 乙\n", "購物清單\n• 蘋果\n• 香蕉"]
        {
            assert!(classify(text).iter().all(|b| b.reason == Reason::NoArticle), "{text:?}");
            assert!(matches!(main_content(text), Cow::Borrowed(_)), "{text:?}");
        }
        // Bad lines still go.
        assert_eq!(main_content("[logo]\n\n香港生產力促進局\n"), "香港生產力促進局\n");
    }

    #[test]
    fn single_paragraph_documents_pass_through() {
        for text in
            [LONG1, "現任主教為朱斯廷·蘇敏德。\n", "由節目來賓各自抽籤選定主持人當助手後分成兩隊比賽\n"]
        {
            assert!(matches!(main_content(text), Cow::Borrowed(_)), "{text:?}");
        }
    }

    #[test]
    fn repeats_are_the_same_text_but_for_spaces_and_a_leading_bullet() {
        let text = page(&[
            LONG1,
            "• 香港工業無人機技術中心",
            LONG2,
            "☆ 香港工業無人機技術中心",
            "香港工業 無人機技術中心",
            "香港工業無人機技術中心！",
        ]);
        let blocks = classify(&text);
        assert_eq!((blocks[1].label, blocks[1].reason), (Label::Content, Reason::BetweenProse));
        assert_eq!((blocks[3].reason, blocks[3].first), (Reason::Repeat, Some(1)));
        assert_eq!((blocks[4].reason, blocks[4].first), (Reason::Repeat, Some(1)));
        assert_eq!(
            dedupe(&text),
            page(&[LONG1, "• 香港工業無人機技術中心", LONG2, "香港工業無人機技術中心！"])
        );
        // A duplicate is the same text: punctuation, digits and case count.
        for distinct in [
            "價格是1,000元，比去年高。\n\n價格是1.000元，比去年高。\n",
            "他大聲地回答說：「不！」\n\n他大聲地回答說：「不？」\n",
            "Annual Report 2024\n\nANNUAL REPORT 2024\n",
            "6. 標題很長很長很長很長\n\n標題很長很長很長很長\n",
        ] {
            assert!(matches!(dedupe(distinct), Cow::Borrowed(_)), "{distinct:?}");
        }
    }

    #[test]
    fn short_repeats_count_as_blocks_only() {
        // A repeated run of short items: a repeated menu.
        let text = "• 服務\n• 社區\n\n正文。\n\n☆ 服務\n☆ 社區\n";
        assert_eq!(dedupe(text), "• 服務\n• 社區\n\n正文。\n");
        // A short line on its own repeats legitimately (a dialogue).
        assert!(matches!(dedupe("訂閱\n\n正文。\n\n訂閱\n"), Cow::Borrowed(_)));
        let dialogue = "甲：你去嗎？\n\n乙：好。\n\n甲：明天也去嗎？\n\n乙：好。\n";
        assert!(matches!(dedupe(dialogue), Cow::Borrowed(_)));
        // A short line repeated inside a group of new lines is not.
        let text = "• 是\n• 否\n\n• 是\n• 不知道\n";
        assert!(matches!(dedupe(text), Cow::Borrowed(_)));
    }

    #[test]
    fn repeated_paragraph_in_the_article() {
        let text = page(&[LONG1, LONG2, LONG1]);
        let blocks = classify(&text);
        assert_eq!((blocks[2].label, blocks[2].first), (Label::Duplicate, Some(0)));
        assert_eq!(main_content(&text), page(&[LONG1, LONG2]));
        assert_eq!(dedupe(&text), page(&[LONG1, LONG2]));
    }

    #[test]
    fn the_article_copy_of_a_header_line_is_content() {
        let title = "香港人工智能產業發展研究主要數據";
        let text = page(&[title, "[logo]", "• 服務\n• 社區", title, LONG1, title]);
        let blocks = classify(&text);
        let got: Vec<(Reason, Option<usize>)> = blocks.iter().map(|b| (b.reason, b.first)).collect();
        assert_eq!(
            got,
            [
                (Reason::BeforeArticle, None),
                (Reason::Placeholder, None),
                (Reason::BeforeArticle, None),
                (Reason::BeforeArticle, None),
                (Reason::Heading, None),
                (Reason::Prose, None),
                (Reason::Repeat, Some(4)),
            ]
        );
        assert_eq!(main_content(&text), page(&[title, LONG1]));
        // Dedupe alone keeps the first occurrence, in the header.
        assert_eq!(dedupe(&text), page(&[title, "[logo]", "• 服務\n• 社區", LONG1]));
    }

    #[test]
    fn layout_of_the_output() {
        let text = "[logo]\n甲乙丙丁。\n乙丙丁戊。\n\n[x]\n\n丙丁戊己。";
        assert_eq!(main_content(text), "甲乙丙丁。\n乙丙丁戊。\n\n丙丁戊己。");
        assert_eq!(main_content(""), "");
        assert_eq!(main_content("[logo]\n"), "");
        assert!(matches!(main_content("\n"), Cow::Borrowed("\n")));
        let blocks = classify("甲\n\n\n乙\n丙\n");
        let at: Vec<(usize, usize)> = blocks.iter().map(|b| (b.line, b.group)).collect();
        assert_eq!(at, [(0, 0), (3, 1), (4, 1)]);
    }

    #[test]
    fn labels_and_reasons_have_names() {
        assert_eq!(Label::Duplicate.to_string(), "duplicate");
        assert_eq!(Reason::BeforeArticle.to_string(), "before-article");
        assert_eq!(Reason::Repeat.label(), Label::Duplicate);
    }

    #[test]
    fn long_inputs_are_handled_in_linear_time() {
        // (Speed is shown by the benchmarks; this checks the result on a
        // long input.)
        let unit = page(&["• 服務\n□ 社區\n☆ 關於", LONG1, "[logo]", "本段落是重複出現的段落", LONG2]);
        let text = unit.repeat(20_000);
        let blocks = classify(&text);
        assert_eq!(blocks.len(), 7 * 20_000);
        assert_eq!(main_content(&text), page(&[LONG1, "本段落是重複出現的段落", LONG2]));
    }
}
