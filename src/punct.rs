//! Stage 4: punctuation (on each unit, before spacing).
//!
//! Scraped Chinese mixes ASCII and fullwidth punctuation, several middle
//! dots, curly and corner quotes, and fullwidth Latin letters. This stage
//! normalises them, conservatively — a mark changes only where its context
//! is unambiguous, so clean text and Western text pass through unchanged:
//!
//! * Fullwidth ASCII letters and digits become halfwidth: `ＡＩ２０２３` →
//!   `AI2023`.
//! * A lone ASCII `, . : ; ! ?` between CJK text (an ideograph or CJK
//!   closing mark before it, CJK text or the end of the line after it,
//!   spaces aside) becomes `，。：；！？`. Runs such as `..` or `?!`, numbers
//!   (`3.5`) and Latin text are never touched.
//! * ASCII parentheses convert *as a pair*, and only when what they enclose
//!   contains CJK: `( PDF版 )` → `（ PDF版 ）` but `(St. Rastislav)` stays;
//!   never a call in code (`println!("你好")`: attached to an identifier and
//!   not opening on CJK text).
//! * Typographic quotes follow the profile: corner brackets `「」『』` for
//!   Hong Kong and Taiwan, curly `“”‘’` for the mainland; pairs convert only
//!   when their content contains CJK. Straight ASCII quotes `"` `'` are never
//!   changed: they are as often code, string literals, inches or the
//!   author's deliberate choice as they are quotation marks.
//! * `...`, `. . .` and `。。。` in CJK context become `……`. An ellipsis
//!   character keeps its count: `…` stays `…`, and `… …` becomes `……` only
//!   by the spacing stage removing the space.
//! * Middle dots `·` `‧` `･` (and `・` or `•` between ideographs) become the
//!   profile's middle dot.
//! * `――` and `──` used as a dash become `——`.
//!
//! Spaces next to fullwidth punctuation are the spacing stage's job, which
//! runs after this one.

use std::borrow::Cow;

use crate::chars::{Class, class, is_han};
use crate::edit::Edit;

/// Which quotation marks CJK text should use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum QuoteStyle {
    /// `「」` and `『』` (Hong Kong, Taiwan).
    #[default]
    Corner,
    /// `“”` and `‘’` (mainland China).
    Curly,
    /// Leave quotation marks as they are.
    Keep,
}

/// Settings of the punctuation stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PunctOptions {
    /// Quotation marks for CJK text.
    pub quotes: QuoteStyle,
    /// The middle dot every variant is unified to (`·` U+00B7 for Hong Kong
    /// and the mainland, `‧` U+2027 for Taiwan).
    pub middle_dot: char,
}

impl Default for PunctOptions {
    fn default() -> Self {
        PunctOptions { quotes: QuoteStyle::Corner, middle_dot: '\u{00B7}' }
    }
}

/// How far a pair may reach: this many letters, ideographs and digits
/// between its marks. They are what every stage keeps and a second
/// cleaning sees again, so a pair is judged alike both times; bytes or
/// characters are not (`２` becomes `2`, `...` becomes `……`, spaces come
/// and go).
const PAIR_LETTERS: usize = 256;
/// How many openers of one kind may wait for their closing marks: an
/// opener with more of its kind open after it is given up (this bounds the
/// memory on a line of openers; the marks of one kind are never added or
/// removed, so a second cleaning gives up the same ones).
const MAX_OPEN: usize = 1024;

/// Normalises the punctuation of one line; see the [module docs](self).
///
/// ```
/// use zh_clean::punct::{normalize, PunctOptions};
/// let o = PunctOptions::default();
/// assert_eq!(normalize("職業健康 ( PDF版 ) ， 見 “ 附件 ”", &o), "職業健康 （ PDF版 ） ， 見 「 附件 」");
/// assert_eq!(normalize("ＡＩ２０２３ (St. Rastislav)", &o), "AI2023 (St. Rastislav)");
/// ```
pub fn normalize<'a>(line: &'a str, o: &PunctOptions) -> Cow<'a, str> {
    // Pairs and context-free marks first, then the marks whose fate depends
    // on their neighbours, so that they see the final form of a quote or a
    // bracket next to them (idempotence). A quick scan tells which passes
    // can change anything.
    let (pairs, context) = work(line, o);
    let first = if pairs { pass(line, o, Phase::Pairs) } else { Cow::Borrowed(line) };
    if !context {
        return first;
    }
    match first {
        Cow::Borrowed(b) => pass(b, o, Phase::Context),
        Cow::Owned(s) => Cow::Owned(pass(&s, o, Phase::Context).into_owned()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Brackets, quotes, fullwidth letters, middle dots, dashes.
    Pairs,
    /// `, . : ; ! ?`, ellipses.
    Context,
}

/// One phase over a line: visit each mark the phase may change (and the
/// closing marks already paired), ask the phase's rule for it, apply what
/// the rule says.
///
/// ```text
/// at = 0
/// while i = next mark or paired closing mark at or after at:
///     skip links and inline code
///     if i is a paired closing mark: write its replacement
///     else if a rule rewrites [i, until): write it, remember its closing mark
///     at = until (or after the mark)
/// ```
fn pass<'a>(line: &'a str, o: &PunctOptions, phase: Phase) -> Cow<'a, str> {
    let mut edit = Edit::new(line);
    // Byte offsets of closing marks already paired with an opening one, with
    // their replacement.
    let mut pending: Vec<(usize, &'static str)> = Vec::new();
    let mut at = 0;
    // Where the last closing mark this pass replaced ends: the mark that
    // follows reads it as the fullwidth form it became.
    let mut closed_at: Option<usize> = None;
    let pairs = LazyPairs { line, pairs: std::cell::OnceCell::new() };
    // Links and inline code are copied as they are (see `crate::links`).
    let links = crate::links::verbatim_spans(line);
    let mut next_link = 0;
    // Only a line with a character a mis-decoded run starts with, or with
    // two rare characters, can have one for a rewrite to complete (no rule
    // writes such a character); asked at the first rewrite.
    let mut may_repair: Option<bool> = None;
    loop {
        let next_pending = pending.iter().map(|&(p, _)| p).min();
        let Some(i) = [next_candidate(line, at, phase), next_pending].into_iter().flatten().min() else {
            break;
        };
        while links.get(next_link).is_some_and(|&(_, e)| e <= i) {
            next_link += 1;
        }
        if let Some(&(s, e)) = links.get(next_link)
            && s <= i
            && !pending.iter().any(|&(p, _)| p == i)
        {
            at = e;
            continue;
        }
        let m = Mark::at(line, i);
        at = m.end;
        if let Some(pos) = pending.iter().position(|&(p, _)| p == i) {
            let (_, with) = pending.swap_remove(pos);
            edit.replace(i, m.end, with);
            closed_at = Some(m.end);
            continue;
        }
        let rewrite = match phase {
            Phase::Pairs => pairs_rule(&m, o, &pairs, closed_at),
            Phase::Context => context_rule(&m),
        };
        // No rewrite completes a mis-decoded run the repair left alone.
        let rewrite = rewrite.filter(|r| {
            r.with.is_none()
                || !*may_repair.get_or_insert_with(|| crate::mojibake::may_repair_any(line))
                || r.with.as_ref().is_none_or(|with| {
                    !crate::mojibake::rewrite_changes_repair(
                        edit.before(i),
                        &line[i..r.until],
                        with,
                        &line[r.until..],
                    )
                })
        });
        if let Some(Rewrite { with, until, close }) = rewrite {
            if let Some(with) = with {
                edit.replace(i, until, &with);
            }
            pending.extend(close);
            at = until;
        }
    }
    edit.finish()
}

/// A mark a rule looks at, and its surroundings in the line as it was.
struct Mark<'l> {
    line: &'l str,
    /// Its byte offset, and where it ends.
    at: usize,
    end: usize,
    c: char,
    /// The last character before it other than a space or tab (the marks
    /// a phase replaces never decide its other cases).
    prev_nonspace: Option<char>,
}

impl<'l> Mark<'l> {
    fn at(line: &'l str, at: usize) -> Mark<'l> {
        let c = crate::bytes::decode_at(line, at).0;
        let prev_nonspace = line[..at].trim_end_matches([' ', '\t']).chars().next_back();
        Mark { line, at, end: at + c.len_utf8(), c, prev_nonspace }
    }

    /// The character just before it.
    fn before(&self) -> Option<char> {
        self.line[..self.at].chars().next_back()
    }

    /// The first character after it other than a space or tab.
    fn next_nonspace(&self) -> Option<char> {
        self.line[self.end..].chars().find(|&c| c != ' ' && c != '\t')
    }
}

/// What a rule does with a mark: `with` replaces the text up to `until`
/// (`None`: the text stays, and the rule is done with it up to `until`);
/// an opening mark says what its closing mark becomes.
struct Rewrite {
    with: Option<Cow<'static, str>>,
    until: usize,
    close: Option<(usize, &'static str)>,
}

impl Rewrite {
    fn to(with: impl Into<Cow<'static, str>>, until: usize) -> Option<Rewrite> {
        Some(Rewrite { with: Some(with.into()), until, close: None })
    }
}

/// [`Pairs`] of a line, found when the first opener asks.
struct LazyPairs<'l> {
    line: &'l str,
    pairs: std::cell::OnceCell<Pairs>,
}

impl LazyPairs<'_> {
    fn close(&self, from: usize) -> Option<usize> {
        self.pairs.get_or_init(|| Pairs::of(self.line)).close(from)
    }
}

/// The rules of the pairs phase: brackets, quotes, fullwidth letters and
/// digits, middle dots, bullets, dashes.
fn pairs_rule(
    m: &Mark<'_>,
    o: &PunctOptions,
    pairs: &LazyPairs<'_>,
    closed_at: Option<usize>,
) -> Option<Rewrite> {
    match m.c {
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => fullwidth_letter(m),
        '(' => bracket(m, pairs, closed_at),
        '“' | '‘' | '「' | '『' if o.quotes != QuoteStyle::Keep => quote(m, o, pairs),
        '·' | '‧' | '･' => middle_dot(m, o),
        '・' | '•' => bullet_between_ideographs(m, o),
        '―' | '─' => doubled_dash(m),
        _ => None,
    }
}

/// The rules of the context phase: ASCII marks between CJK text, runs of
/// stops.
fn context_rule(m: &Mark<'_>) -> Option<Rewrite> {
    match m.c {
        ',' | ':' | ';' | '!' | '?' | '.' => ascii_mark(m),
        '。' => ideographic_stops(m),
        _ => None,
    }
}

/// `Ａ２` → `A2`; not before a combining mark: the halfwidth letter would
/// compose with it, and the text would no longer be NFC.
fn fullwidth_letter(m: &Mark<'_>) -> Option<Rewrite> {
    if m.line[m.end..].chars().next().is_some_and(unicode_normalization::char::is_combining_mark) {
        return None;
    }
    let half = char::from_u32(m.c as u32 - 0xFEE0).unwrap_or(m.c);
    Rewrite::to(half.to_string(), m.end)
}

/// `, : ; ! ? .` between CJK text become fullwidth; three or more dots
/// next to CJK text an ellipsis.
fn ascii_mark(m: &Mark<'_>) -> Option<Rewrite> {
    let (line, i, c) = (m.line, m.at, m.c);
    let ell = dots(line, i);
    if c == '.' && ell.0 >= 3 {
        // Converted or not, the run is done with: none of its dots stands
        // alone (and rescanning it from each dot would be quadratic).
        if cjk_context(m.prev_nonspace, line[ell.1..].chars().find(|&c| c != ' ' && c != '\t')) {
            // One ellipsis for the whole run of stops, `。` after the dots
            // included (`... 。...`).
            return Rewrite::to("……", stop_run(line, i).1);
        }
        return Some(Rewrite { with: None, until: ell.1, close: None });
    }
    if !(lone_ascii_punct(line, i, c) && cjk_before(m.prev_nonspace) && cjk_after(m.next_nonspace())) {
        return None;
    }
    // A stop that runs into `。` (`.。。`) makes one ellipsis with it, as
    // the `。` it becomes would.
    let (n, run_end) = stop_run(line, i);
    if c == '.' && n >= 3 {
        return Rewrite::to("……", run_end);
    }
    let full = match c {
        ',' => "，",
        ':' => "：",
        ';' => "；",
        '!' => "！",
        '?' => "？",
        _ => "。",
    };
    Rewrite::to(full, m.end)
}

/// Three or more `。` are an ellipsis. Spaces inside the run count as the
/// spacing stage will remove them (`。 。。` is an ellipsis already); so do
/// stops in it that become `。` (`。。.`, not `。。.NET`).
fn ideographic_stops(m: &Mark<'_>) -> Option<Rewrite> {
    let (mut n, mut run_end) = stop_run(m.line, m.at);
    // Before a letter or digit, one or two dots that end the run may start
    // a token (`.NET`, `.5`): the run is its `。` alone. Not three or more,
    // an ellipsis that the run takes in as the dots' own rule does, and not
    // a run that ends in `。` (`。.。...0`, `。.。...。0` are one run
    // whichever mark is read first).
    if m.line[run_end..].starts_with(|c: char| c.is_ascii_alphanumeric())
        && (1..3).contains(&trailing_dots(&m.line[m.at..run_end]))
    {
        (n, run_end) = run_with_gaps(m.line, m.at, '。');
    }
    let with = (n >= 3).then_some(Cow::Borrowed("……"));
    Some(Rewrite { with, until: run_end, close: None })
}

/// `(` … `)` around CJK text becomes `（` … `）`, but not a call or an
/// index in code (`println!("你好")`, `f(x, 香港)`): attached to an
/// identifier and not opening on CJK text. Not after a `)` this pass made
/// `）` (`(香)(RWTH香)`). A `(` after it that this pass makes `（` opens on
/// CJK text too (`RWTH((香))`).
fn bracket(m: &Mark<'_>, pairs: &LazyPairs<'_>, closed_at: Option<usize>) -> Option<Rewrite> {
    let line = m.line;
    let rest = line[m.end..].trim_start_matches([' ', '\t']);
    let inner = line.len() - rest.len() + 1;
    let opens_on_cjk = m.next_nonspace().is_some_and(crate::chars::is_cjk)
        || (rest.starts_with('(') && pairs.close(inner).is_some_and(|c| contains_cjk(&line[inner..c])));
    let call = closed_at != Some(m.at)
        && m.before().is_some_and(|p| p.is_ascii_alphanumeric() || matches!(p, '_' | '!' | ']' | ')' | '>'))
        && !opens_on_cjk;
    let close = pairs.close(m.end).filter(|&close| !call && contains_cjk(&line[m.end..close]))?;
    Some(Rewrite { with: Some(Cow::Borrowed("（")), until: m.end, close: Some((close, "）")) })
}

/// Quotes around CJK text take the style's form, as a pair; not where the
/// opening quote would read as mis-decoded after the character before it
/// (`Ä“` is how `ē` reads).
fn quote(m: &Mark<'_>, o: &PunctOptions, pairs: &LazyPairs<'_>) -> Option<Rewrite> {
    let double = matches!(m.c, '“' | '「');
    let (open, shut) = match (o.quotes, double) {
        (QuoteStyle::Corner, true) => ("「", "」"),
        (QuoteStyle::Corner, false) => ("『", "』"),
        (_, true) => ("“", "”"),
        (_, false) => ("‘", "’"),
    };
    let reads_mis_decoded = |at: usize, q: &str| {
        m.line[..at]
            .chars()
            .next_back()
            .zip(q.chars().next())
            .is_some_and(|(p, q)| crate::mojibake::reads_mis_decoded(p, q))
    };
    if open.starts_with(m.c) || reads_mis_decoded(m.at, open) {
        return None;
    }
    let close = pairs
        .close(m.end)
        .filter(|&close| contains_cjk(&m.line[m.end..close]) && !reads_mis_decoded(close, shut))?;
    Some(Rewrite { with: Some(Cow::Borrowed(open)), until: m.end, close: Some((close, shut)) })
}

/// Middle dots take the profile's form; not after `Â`–`ß` (the bytes
/// C2–DF read as Latin-1) when it writes `·` (B7): `Â·` is how `·` reads
/// mis-decoded, `Ø·` how `ط` does, and the encoding repair would take them
/// for that on a second cleaning.
fn middle_dot(m: &Mark<'_>, o: &PunctOptions) -> Option<Rewrite> {
    if m.c == o.middle_dot || m.before().is_some_and(|p| crate::mojibake::reads_mis_decoded(p, o.middle_dot))
    {
        return None;
    }
    Rewrite::to(o.middle_dot.to_string(), m.end)
}

/// `・` or `•` between ideographs is a middle dot.
fn bullet_between_ideographs(m: &Mark<'_>, o: &PunctOptions) -> Option<Rewrite> {
    let between = m.prev_nonspace.is_some_and(is_ideograph) && m.next_nonspace().is_some_and(is_ideograph);
    if !between {
        return None;
    }
    Rewrite::to(o.middle_dot.to_string(), m.end)
}

/// Two box-drawing or horizontal bars (`――`, `─ ─`) are a dash `——`.
fn doubled_dash(m: &Mark<'_>) -> Option<Rewrite> {
    let after = &m.line[m.end..];
    let trimmed = after.trim_start_matches(' ');
    if !trimmed.starts_with(m.c) {
        return None;
    }
    let gap = after.len() - trimmed.len();
    Rewrite::to("——", m.end + gap + m.c.len_utf8())
}

/// The next character at or after byte `from` that `phase` may change.
fn next_candidate(line: &str, from: usize, phase: Phase) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if is_mark(b as char, phase) {
                return Some(i);
            }
            i += 1;
            continue;
        }
        let past = crate::bytes::skip_ideographs(bytes, i);
        if past > i {
            i = past;
            continue;
        }
        let (c, len) = crate::bytes::decode_at(line, i);
        if is_mark(c, phase) {
            return Some(i);
        }
        i += len;
    }
    None
}

/// The characters a phase may change (the pairs phase also the marks it
/// only changes under some options). The one list both the quick scan and
/// the passes use.
#[inline]
fn is_mark(c: char, phase: Phase) -> bool {
    match phase {
        Phase::Pairs => matches!(c,
            '('
            | '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}'
            | '“' | '‘' | '「' | '『' | '·' | '‧' | '･' | '・' | '•' | '―' | '─'),
        Phase::Context => matches!(c, ',' | ':' | ';' | '!' | '?' | '.' | '。'),
    }
}

/// A quick scan: could the pairs pass, and the context pass, change
/// anything in `line`? Ideographs are skipped three bytes at a time.
fn work(line: &str, o: &PunctOptions) -> (bool, bool) {
    let bytes = line.as_bytes();
    let (mut pairs, mut context) = (false, false);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            let c = b as char;
            context |= is_mark(c, Phase::Context);
            pairs |= is_mark(c, Phase::Pairs);
            i += 1;
            continue;
        }
        let past = crate::bytes::skip_ideographs(bytes, i);
        if past > i {
            i = past;
            continue;
        }
        let (c, len) = crate::bytes::decode_at(line, i);
        if is_mark(c, Phase::Context) {
            // `。` matters only as the start of `。。。`, spaced or not.
            context |= c != '。' || line[i + len..].trim_start_matches([' ', '\t']).starts_with('。');
        } else if is_mark(c, Phase::Pairs) {
            pairs |= match c {
                '「' | '『' => o.quotes == QuoteStyle::Curly,
                '·' | '‧' | '･' => c != o.middle_dot,
                _ => true,
            };
        }
        if pairs && context {
            break;
        }
        i += len;
    }
    (pairs, context)
}

/// Ideographs, without kana and bopomofo.
#[inline]
fn is_ideograph(c: char) -> bool {
    is_han(c) && !matches!(c as u32, 0x3040..=0x30FF | 0x3100..=0x31FF | 0xFF66..=0xFF9F)
}

#[inline]
fn cjk_before(c: Option<char>) -> bool {
    c.is_some_and(|c| is_han(c) || matches!(c, '」' | '』' | '）' | '》' | '〉' | '】' | '”'))
}

/// CJK text, an opening curly quote (which the mainland profile keeps, and
/// which opens CJK text as `「` does) or the end of the line.
#[inline]
fn cjk_after(c: Option<char>) -> bool {
    match c {
        None => true,
        Some('“' | '‘') => true,
        Some(c) => matches!(class(c), Class::Han | Class::CjkPunct),
    }
}

#[inline]
fn cjk_context(before: Option<char>, after: Option<char>) -> bool {
    before.is_some_and(crate::chars::is_cjk) || after.is_some_and(crate::chars::is_cjk)
}

/// A lone ASCII mark: not next to another ASCII mark, a digit or a letter
/// (`3.5`, `a.b`, `..`, `?!`).
fn lone_ascii_punct(line: &str, i: usize, c: char) -> bool {
    let before = line[..i].chars().next_back();
    let after = line[i + c.len_utf8()..].chars().next();
    let bad = |x: Option<char>| x.is_some_and(|x| x.is_ascii_punctuation() || x.is_ascii_alphanumeric());
    !bad(before) && !bad(after)
}

/// Counts the `mark`s of a run starting at `i`, with any spaces between
/// them (not after the last). Returns the count and the end offset.
fn run_with_gaps(line: &str, i: usize, mark: char) -> (usize, usize) {
    let len = mark.len_utf8();
    let mut n = 0;
    let mut j = i;
    let mut end = i;
    while line[j..].starts_with(mark) {
        n += 1;
        j += len;
        end = j;
        let gap = line.as_bytes()[j..].iter().take_while(|&&c| c == b' ' || c == b'\t').count();
        if gap > 0 && line[j + gap..].starts_with(mark) {
            j += gap;
        }
    }
    (n, end)
}

/// Counts the full stops, `。` and `.` mixed, of a run starting at `i`,
/// with any spaces between them. Returns the count and the end offset.
fn stop_run(line: &str, i: usize) -> (usize, usize) {
    let b = line.as_bytes();
    let stop_at = |j: usize| match b.get(j) {
        Some(b'.') => 1,
        Some(0xE3) if b[j..].starts_with("。".as_bytes()) => 3,
        _ => 0,
    };
    let (mut n, mut j, mut end) = (0, i, i);
    loop {
        let len = stop_at(j);
        if len == 0 {
            break;
        }
        n += 1;
        j += len;
        end = j;
        let gap = b[j..].iter().take_while(|&&c| c == b' ' || c == b'\t').count();
        if gap > 0 && stop_at(j + gap) > 0 {
            j += gap;
        }
    }
    (n, end)
}

/// How many `.` end `run`, spaces and tabs between them skipped.
fn trailing_dots(run: &str) -> usize {
    run.bytes().rev().filter(|&b| b != b' ' && b != b'\t').take_while(|&b| b == b'.').count()
}

/// Counts the dots of an ellipsis starting at `i`: `...`, `. . .` or any
/// spaces between them (the spacing stage would close them up later).
/// Returns the count and the end offset.
fn dots(line: &str, i: usize) -> (usize, usize) {
    let b = line.as_bytes();
    let mut n = 0;
    let mut j = i;
    let mut end = i;
    while j < b.len() && b[j] == b'.' {
        n += 1;
        j += 1;
        end = j;
        let gap = b[j..].iter().take_while(|&&c| c == b' ' || c == b'\t').count();
        if gap > 0 && b.get(j + gap) == Some(&b'.') {
            j += gap;
        }
    }
    (n, end)
}

/// The pairs of a line: where the mark closing each opening bracket or
/// quote is, when it encloses at most [`PAIR_LETTERS`] letters, ideographs
/// and digits.
///
/// One forward pass with a stack per kind of mark: a closing mark closes
/// the latest opener of its kind still open, so `( ( )` leaves the first
/// `(` open, as reading on from each opener and counting its kind's depth
/// would. An opener met again later asks [`Pairs::close`], a binary search;
/// the pass over the line is made once, when the first opener asks.
struct Pairs {
    /// (end of the opening mark, start of its closing mark), by opener.
    closes: Vec<(usize, usize)>,
}

impl Pairs {
    const OPEN: [char; 5] = ['(', '“', '‘', '「', '『'];
    const CLOSE: [char; 5] = [')', '”', '’', '」', '』'];

    fn of(line: &str) -> Pairs {
        // Per kind: the openers still open, as (end, letters before it).
        let mut open: [std::collections::VecDeque<(usize, usize)>; 5] = Default::default();
        let mut letters = 0usize;
        let mut closes = Vec::new();
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // A run of ideographs is a run of letters, three bytes each.
            let past = crate::bytes::skip_ideographs(bytes, i);
            if past > i {
                letters += (past - i) / 3;
                i = past;
                continue;
            }
            let (c, len) = crate::bytes::decode_at(line, i);
            let at = i;
            i += len;
            if c.is_alphanumeric() {
                letters += 1;
            } else if let Some(k) = Pairs::OPEN.iter().position(|&o| o == c) {
                if open[k].len() == MAX_OPEN {
                    open[k].pop_front();
                }
                open[k].push_back((i, letters));
            } else if let Some(k) = Pairs::CLOSE.iter().position(|&o| o == c)
                && let Some((end, before)) = open[k].pop_back()
                && letters - before <= PAIR_LETTERS
            {
                closes.push((end, at));
            }
        }
        closes.sort_unstable();
        Pairs { closes }
    }

    /// The byte offset of the mark closing the pair whose opener ends at
    /// `from`.
    fn close(&self, from: usize) -> Option<usize> {
        self.closes.binary_search_by_key(&from, |&(o, _)| o).ok().map(|k| self.closes[k].1)
    }
}

/// The naive reading of [`Pairs`], kept as its test oracle: from the
/// opener ending at `from`, read on, counting the depth of its kind, to
/// the first closing mark at depth 0 within the window.
#[cfg(test)]
fn find_close_naive(line: &str, from: usize, open: char, close: char) -> Option<usize> {
    let (mut depth, mut letters) = (0usize, 0usize);
    for (j, c) in line[from..].char_indices() {
        letters += usize::from(c.is_alphanumeric());
        if c == open {
            depth += 1;
        } else if c == close {
            if depth == 0 {
                return (letters <= PAIR_LETTERS).then_some(from + j);
            }
            depth -= 1;
        }
    }
    None
}

fn contains_cjk(s: &str) -> bool {
    !s.is_ascii() && s.chars().any(is_han)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hk(s: &str) -> String {
        normalize(s, &PunctOptions::default()).into_owned()
    }

    fn cn(s: &str) -> String {
        normalize(s, &PunctOptions { quotes: QuoteStyle::Curly, middle_dot: '·' }).into_owned()
    }

    #[test]
    fn fullwidth_alnum_to_halfwidth() {
        assert_eq!(hk("ＡＩ２０２３ｘ"), "AI2023x");
        assert_eq!(hk("ＡＩ，"), "AI，");
    }

    #[test]
    fn spaced_runs_are_judged_as_the_spacing_stage_will_leave_them() {
        assert_eq!(hk("好 。 。。"), "好 ……");
        assert_eq!(hk("好。。"), "好。。");
        // Ellipsis characters are left to the spacing stage, counted.
        assert_eq!(hk("好… …然後"), "好… …然後");
        assert_eq!(hk("好……然後"), "好……然後");
        assert_eq!(hk("好…然後"), "好…然後");
        // A pair's window counts letters, ideographs and digits.
        let inner = "字 ".repeat(256);
        assert_eq!(hk(&format!("({inner})")), format!("（{inner}）"));
        let inner = "字 ".repeat(257);
        assert_eq!(hk(&format!("({inner})")), format!("({inner})"));
        // ... which no conversion changes: fullwidth digits become ASCII
        // and ellipses grow, and the pair is judged alike after them.
        for filler in ["...", "……", "、", " ", "}"] {
            let inner = format!("{}{}", "字".repeat(256), filler.repeat(40));
            let out = cn(&format!("「{inner}」"));
            assert!(out.starts_with('“') && out.ends_with('”'), "{filler}: {out}");
        }
        for digit in ["２", "2"] {
            let inner = format!("{}{digit}", "字".repeat(255));
            assert!(cn(&format!("「{inner}」")).starts_with('“'));
            let inner = format!("{}{digit}", "字".repeat(256));
            assert!(cn(&format!("「{inner}」")).starts_with('「'));
        }
        // However many marks lie between.
        let marks = "}".repeat(5000);
        assert!(cn(&format!("「字{marks}字」")).starts_with('“'));
    }

    #[test]
    fn pairs_agree_with_reading_on_from_each_opener() {
        // Lines made of marks of every kind, letters and other characters,
        // from a fixed generator; long enough to cross the window.
        let alphabet: Vec<char> = "()“”‘’「」『』字a2 ,}".chars().collect();
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        for len in (1..400).step_by(7) {
            for _ in 0..20 {
                let line: String = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        // Mostly letters, so that pairs reach the window.
                        let k = (state % 40) as usize;
                        if k < alphabet.len() { alphabet[k] } else { '字' }
                    })
                    .collect();
                let pairs = Pairs::of(&line);
                for (i, c) in line.char_indices() {
                    if let Some(k) = Pairs::OPEN.iter().position(|&o| o == c) {
                        let end = i + c.len_utf8();
                        assert_eq!(
                            pairs.close(end),
                            find_close_naive(&line, end, c, Pairs::CLOSE[k]),
                            "{line:?} at {i}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn inline_code_is_not_converted() {
        assert_eq!(hk("呼叫`println!(\"你好\")`。"), "呼叫`println!(\"你好\")`。");
        assert_eq!(hk("用`甲,乙`分隔"), "用`甲,乙`分隔");
        // Spaced apart by a segmenter, it is text.
        assert_eq!(hk("用 ` 甲 , 乙 ` 分隔"), "用 ` 甲 ， 乙 ` 分隔");
    }

    #[test]
    fn ascii_punct_in_cjk_context() {
        assert_eq!(hk("香港,九龍"), "香港，九龍");
        assert_eq!(
            hk("香港 , 九龍 . 新界 : 離島 ; 是嗎 ? 是 !"),
            "香港 ， 九龍 。 新界 ： 離島 ； 是嗎 ？ 是 ！"
        );
        assert_eq!(hk("完結."), "完結。");
        assert_eq!(hk("「引文」,然後"), "「引文」，然後");
        // An opening curly quote after the mark opens CJK text, whatever the
        // quote style: the mark before it is a CJK mark.
        assert_eq!(cn("他說:“你好”"), "他說：“你好”");
        assert_eq!(cn("他說:‘你好’"), "他說：‘你好’");
        assert_eq!(hk("他說:“你好”"), "他說：「你好」");
        assert_eq!(cn("He said:“hi”"), "He said:“hi”");
    }

    #[test]
    fn ascii_punct_left_alone() {
        for s in [
            "1,000人",
            "3.5米",
            "0:00 AM",
            "基地..另外",
            "真的?!",
            "Hello, world.",
            "U.S. News",
            "AI,人才",
            "香港.com",
            "(St. Rastislav)",
            "(Navy's Pier)",
            "職位, Jobs",
        ] {
            assert_eq!(hk(s), s, "{s:?}");
        }
    }

    #[test]
    fn brackets_convert_as_a_pair_when_cjk_inside() {
        assert_eq!(hk("政策 ( PDF版 ) 下"), "政策 （ PDF版 ） 下");
        assert_eq!(hk("(A (甲) B)"), "（A （甲） B）");
        assert_eq!(hk("( CAx )"), "( CAx )");
        assert_eq!(hk("(未關閉"), "(未關閉");
    }

    #[test]
    fn nothing_inside_a_link_converts() {
        assert_eq!(
            hk("見 https://zh.wikipedia.org/wiki/香港_(城市) 頁面"),
            "見 https://zh.wikipedia.org/wiki/香港_(城市) 頁面"
        );
        assert_eq!(hk("見https://a.b/c?x=1,y=2，然後(香港)"), "見https://a.b/c?x=1,y=2，然後（香港）");
        assert_eq!(hk("（網址 www.hkpc.org/香港;a 在此）"), "（網址 www.hkpc.org/香港;a 在此）");
        // The link ends at whitespace or CJK punctuation; what follows converts.
        assert_eq!(hk("見 http://x.y/z 香港, 九龍"), "見 http://x.y/z 香港， 九龍");
        assert_eq!(hk("香港ＡＩ https://ｘ.y 香港"), "香港AI https://ｘ.y 香港");
    }

    #[test]
    fn quotes_by_profile() {
        assert_eq!(hk("“ 越來越 ” 與 ‘ 單 ’"), "「 越來越 」 與 『 單 』");
        // Straight quotes stay: code, inches, or the author's choice.
        assert_eq!(hk("他說\"你好\"。"), "他說\"你好\"。");
        assert_eq!(hk("\"a\" 與 \"乙\" 和 \"c\""), "\"a\" 與 \"乙\" 和 \"c\"");
        assert_eq!(hk("println!(\"你好\")"), "println!(\"你好\")");
        assert_eq!(hk("呼叫 f(x, 香港) 後"), "呼叫 f(x, 香港) 後");
        assert_eq!(hk("Python(程式語言)"), "Python（程式語言）");
        assert_eq!(hk("“Hello” world"), "“Hello” world");
        assert_eq!(cn("「越來越」與『單』"), "“越來越”與‘單’");
        assert_eq!(hk("Navy’s 碼頭"), "Navy’s 碼頭");
    }

    #[test]
    fn ellipses() {
        assert_eq!(hk("然後...結束"), "然後……結束");
        assert_eq!(hk("然後 . . . 結束"), "然後 …… 結束");
        assert_eq!(hk("香 香.  .."), "香 香……");
        assert_eq!(hk("然後。。。結束"), "然後……結束");
        // Stops mixed: one run, one ellipsis.
        assert_eq!(hk("然後.。。結束"), "然後……結束");
        assert_eq!(hk("然後。。.結束"), "然後……結束");
        assert_eq!(hk("然後。 . 。結束"), "然後……結束");
        // Spaced `。` only: the quick scan does not pass them by.
        assert_eq!(hk("然後。 。 。結束"), "然後……結束");
        assert_eq!(hk("。  。\t。"), "……");
        assert_eq!(hk("用。。.NET"), "用。。.NET");
        // One run of stops, one ellipsis.
        assert_eq!(hk("然後.......... 。..........結束"), "然後……結束");
        assert_eq!(hk("然後...。"), "然後……");
        assert_eq!(hk("然後…結束"), "然後…結束");
        assert_eq!(hk("然後⋯⋯結束"), "然後⋯⋯結束");
        assert_eq!(hk("然後……結束"), "然後……結束");
        assert_eq!(hk("wait... what"), "wait... what");
    }

    #[test]
    fn a_run_of_stops_ending_in_an_ellipsis_is_one_before_a_digit() {
        // Read from its first `。` or from its dots, the run is one ellipsis.
        assert_eq!(hk("。.。...0"), "……0");
        assert_eq!(hk("。.。……0"), "…………0");
        assert_eq!(hk("香。. . .5"), "香……5");
        assert_eq!(hk("。.。...。0"), "……0");
        // A dot that may start a token still ends the run.
        assert_eq!(hk("香。。.NET"), "香。。.NET");
        assert_eq!(hk("香。。。.5"), "香…….5");
    }

    #[test]
    fn no_rewrite_completes_a_mis_decoded_run() {
        // `Ø•` is too weak a run to repair before `é · `; written `‧`, the
        // dot would end the run at `é`, and the next cleaning would repair
        // `Ø•` alone. The dot stays.
        let tw = PunctOptions { quotes: QuoteStyle::Corner, middle_dot: '‧' };
        assert_eq!(normalize("CØ•é · 香", &tw), "CØ•é · 香");
        assert_eq!(normalize("香港 · 九龍", &tw), "香港 ‧ 九龍");
        let c = crate::Cleaner::new(crate::Options::new(crate::Profile::Tw));
        let once = c.clean("CØ•é · 香\n");
        assert_eq!(once, "CØ•é ·香\n");
        assert_eq!(c.clean(&once), once);
    }

    #[test]
    fn middle_dots() {
        assert_eq!(hk("威廉‧陸斯佛・米高"), "威廉·陸斯佛·米高");
        assert_eq!(hk("威廉 • 陸斯佛"), "威廉 · 陸斯佛");
        let tw = PunctOptions { quotes: QuoteStyle::Corner, middle_dot: '‧' };
        assert_eq!(normalize("威廉·陸斯佛", &tw), "威廉‧陸斯佛");
        // Bullets and katakana dots stay.
        assert_eq!(hk("x • y"), "x • y");
        assert_eq!(hk("カタ・カナ"), "カタ・カナ");
    }

    #[test]
    fn dashes() {
        assert_eq!(hk("戲劇――傳奇──完"), "戲劇——傳奇——完");
        assert_eq!(hk("戲劇― ―傳奇"), "戲劇——傳奇");
        assert_eq!(hk("行業–算力"), "行業–算力");
    }

    #[test]
    fn clean_text_is_borrowed() {
        for s in ["香港，九龍。", "RWTH Aachen Campus", "「引文」『AIR@InnoHK』（FLAIR）", "U.S. News 2023"]
        {
            assert!(matches!(normalize(s, &PunctOptions::default()), Cow::Borrowed(_)), "{s:?}");
        }
    }
}
