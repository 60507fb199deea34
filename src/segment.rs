//! Stage 7 (on request): re-segmentation into words, with jieba.
//!
//! Search indexing, keyword extraction and most NLP want words. jieba, the
//! standard Chinese segmenter, ships a dictionary of *Simplified* words, so
//! on Traditional text it does badly — it is what produced the seed page's
//! `香港 生產 力促 進局`.
//!
//! This stage segments a **shadow** of the text instead: every Traditional
//! character replaced by its Simplified counterpart, one for one (the first
//! candidate of OpenCC's `TSCharacters`; characters without one stay). The
//! shadow has exactly as many characters as the text, so the word boundaries
//! jieba finds in it project back onto the original characters unchanged.
//! The tokens are byte ranges into the original text; nothing is converted
//! in the output.
//!
//! User dictionaries (jieba's format: `word [frequency] [tag]` per line)
//! may be written in Traditional or Simplified: their words go through the
//! same shadow mapping before jieba sees them.
//!
//! jieba's words are coarser than those of the Universal Dependencies
//! treebanks (`一個`, `成為`, `博物館` where the treebanks have `一 個`,
//! `成 為`, `博物 館`). [`Segmenter::fine`] cuts them to the treebank
//! granularity with three rules on jieba's own dictionary, stated in
//! `src/segment/granularity.rs`; it is off by default, so the default words stay
//! jieba's. Words added by the user are never cut.
//!
//! `cargo run --release --example seg_eval -- ../shared/corpora/ud_zh_gsd/test`
//! measures word precision, recall and F1 against a gold segmentation, for
//! jieba on the Traditional text directly, for the shadow, and for the
//! shadow at treebank granularity.

use std::borrow::Cow;
use std::io::BufRead;
use std::sync::LazyLock;

use jieba_rs::Jieba;

use crate::chars::{Class, class};
use crate::opencc::Dict;

mod granularity;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum TokenKind {
    /// A word (ideographs, letters, digits, symbols).
    Word,
    /// Punctuation only.
    Punct,
    /// Whitespace only.
    Space,
}

/// A token: a byte range of the segmented text and its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Token {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset after the last byte.
    pub end: usize,
    /// Word, punctuation or whitespace.
    pub kind: TokenKind,
}

impl Token {
    /// The token's text in `text`, the string it was cut from.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
}

/// The shadow mapping: Traditional character → Simplified character, from
/// the first single-character candidate of `TSCharacters`.
static SHADOW: LazyLock<ShadowTable> = LazyLock::new(|| {
    let mut t = ShadowTable { bmp: vec![0; 0x10000], other: std::collections::HashMap::new() };
    for (key, values) in Dict::TSCharacters.entries() {
        let mut k = key.chars();
        let (Some(from), None) = (k.next(), k.next()) else { continue };
        let Some(to) = values.iter().find_map(|v| {
            let mut it = v.chars();
            match (it.next(), it.next()) {
                (Some(c), None) => Some(c),
                _ => None,
            }
        }) else {
            continue;
        };
        if (from as u32) < 0x10000 {
            t.bmp[from as usize] = to as u32;
        } else {
            t.other.insert(from, to);
        }
    }
    t
});

struct ShadowTable {
    /// `bmp[c]`: the replacement of `c`, or 0.
    bmp: Vec<u32>,
    other: std::collections::HashMap<char, char>,
}

impl ShadowTable {
    #[inline]
    fn get(&self, c: char) -> Option<char> {
        let u = c as u32;
        if u < 0x80 {
            None
        } else if u < 0x10000 {
            match self.bmp[u as usize] {
                0 => None,
                v => char::from_u32(v),
            }
        } else {
            self.other.get(&c).copied()
        }
    }
}

/// The shadow of `text`: each Traditional character replaced by its
/// Simplified counterpart, one character for one.
///
/// ```
/// assert_eq!(zh_clean::segment::shadow("香港生產力促進局"), "香港生产力促进局");
/// assert_eq!(zh_clean::segment::shadow("AI 產業").chars().count(), "AI 產業".chars().count());
/// ```
pub fn shadow(text: &str) -> Cow<'_, str> {
    let table = &*SHADOW;
    let Some(first) = text.char_indices().find(|&(_, c)| table.get(c).is_some()).map(|(i, _)| i) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..first]);
    out.extend(text[first..].chars().map(|c| table.get(c).unwrap_or(c)));
    Cow::Owned(out)
}

/// A word segmenter for Traditional (and Simplified) Chinese.
pub struct Segmenter {
    jieba: Jieba,
    shadow: bool,
    hmm: bool,
    /// Whether jieba's words are cut to the treebank granularity.
    fine: bool,
    /// The words added by the user (in the form jieba sees), never cut.
    user_words: std::collections::HashSet<String>,
    /// The cuts of the dictionary words met so far.
    memo: granularity::Memo,
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segmenter")
            .field("shadow", &self.shadow)
            .field("hmm", &self.hmm)
            .field("fine", &self.fine)
            .finish()
    }
}

impl Default for Segmenter {
    fn default() -> Self {
        Segmenter::new()
    }
}

impl Segmenter {
    /// A segmenter with jieba's dictionary that segments the shadow of the
    /// text (see the [module documentation](self)).
    pub fn new() -> Segmenter {
        Segmenter {
            jieba: Jieba::new(),
            shadow: true,
            hmm: true,
            fine: false,
            user_words: Default::default(),
            memo: Default::default(),
        }
    }

    /// jieba on the text as it is, without the shadow: the baseline the
    /// evaluation compares against.
    pub fn direct() -> Segmenter {
        Segmenter {
            jieba: Jieba::new(),
            shadow: false,
            hmm: true,
            fine: false,
            user_words: Default::default(),
            memo: Default::default(),
        }
    }

    /// Turns jieba's HMM for unknown words on or off (on by default).
    pub fn hmm(mut self, on: bool) -> Segmenter {
        self.hmm = on;
        self
    }

    /// Cuts jieba's dictionary words further, to the granularity of the
    /// Universal Dependencies treebanks (off by default; see the [module
    /// documentation](self)). Words added by the user are never cut.
    ///
    /// ```
    /// use zh_clean::segment::Segmenter;
    /// assert_eq!(Segmenter::new().words("一個博物館位於香港"), ["一個", "博物館", "位於", "香港"]);
    /// assert_eq!(Segmenter::new().fine(true).words("一個博物館位於香港"), ["一", "個", "博物", "館", "位", "於", "香港"]);
    /// ```
    pub fn fine(mut self, on: bool) -> Segmenter {
        self.fine = on;
        self
    }

    /// Adds one word, in Traditional or Simplified form; it is never cut.
    ///
    /// ```
    /// let mut s = zh_clean::segment::Segmenter::new();
    /// s.add_word("生產力局", Some(100_000), None);
    /// assert_eq!(s.words("香港生產力局今天公布"), ["香港", "生產力局", "今天", "公布"]);
    /// ```
    pub fn add_word(&mut self, word: &str, freq: Option<usize>, tag: Option<&str>) {
        let w = if self.shadow { shadow(word) } else { Cow::Borrowed(word) };
        self.jieba.add_word(&w, freq, tag);
        self.user_words.insert(w.into_owned());
        // The new word may change the cut of the words remembered.
        self.memo.clear();
    }

    /// Loads a user dictionary in jieba's format (`word [freq] [tag]` per
    /// line; blank lines and lines starting with `#` are skipped). Returns
    /// the number of words added.
    pub fn load_user_dict<R: BufRead>(&mut self, reader: R) -> std::io::Result<usize> {
        let mut n = 0;
        for (i, line) in reader.lines().enumerate() {
            let line = line?;
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut parts = line.split_whitespace();
            let word = parts.next().unwrap_or_default();
            let freq = match parts.next() {
                None => None,
                Some(f) => Some(f.parse::<usize>().map_err(|_| {
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("line {}: frequency {f:?} is not a number", i + 1),
                    )
                })?),
            };
            self.add_word(word, freq, parts.next());
            n += 1;
        }
        Ok(n)
    }

    /// Cuts `text` into tokens covering it completely, in order.
    ///
    /// ```
    /// use zh_clean::segment::{Segmenter, TokenKind};
    /// let text = "香港生產力促進局公布研究，RWTH Aachen";
    /// let s = Segmenter::new();
    /// let tokens = s.segment(text);
    /// let words: Vec<&str> =
    ///     tokens.iter().filter(|t| t.kind == TokenKind::Word).map(|t| t.text(text)).collect();
    /// assert_eq!(words, ["香港", "生產力", "促進", "局", "公布", "研究", "RWTH", "Aachen"]);
    /// ```
    pub fn segment(&self, text: &str) -> Vec<Token> {
        let spans = atomic_spans(text);
        let tokens = self.cut(text);
        if spans.is_empty() {
            return join_clusters(text, tokens);
        }
        // jieba's tokens that overlap an atomic token are merged into one.
        let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
        let mut si = 0;
        // The end of the atomic token being merged.
        let mut merging = 0;
        for t in tokens {
            if t.start < merging
                && let Some(last) = out.last_mut()
            {
                last.end = t.end;
                continue;
            }
            while si < spans.len() && spans[si].1 <= t.start {
                si += 1;
            }
            if si < spans.len() && spans[si].0 < t.end {
                merging = spans[si].1;
                out.push(Token { kind: TokenKind::Word, ..t });
            } else {
                out.push(t);
            }
        }
        join_clusters(text, out)
    }

    /// jieba on `text` (through the shadow), as tokens of `text`.
    fn cut(&self, text: &str) -> Vec<Token> {
        let shadowed = if self.shadow { shadow(text) } else { Cow::Borrowed(text) };
        let cut = self.jieba.cut(&shadowed, self.hmm);
        // Character index → byte offset in the original text.
        let same_bytes = shadowed.len() == text.len();
        let offsets: Vec<usize> = if same_bytes {
            Vec::new()
        } else {
            text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect()
        };
        // Room for the parts of the words cut further, without growing.
        let mut out = Vec::with_capacity(if self.fine { cut.len() + cut.len() / 2 } else { cut.len() });
        for t in &cut {
            let (start, end) =
                if same_bytes { (t.byte_start, t.byte_end) } else { (offsets[t.start], offsets[t.end]) };
            match self.parts(t.word) {
                Some(parts) => push_parts(text, start, parts.as_slice(), &mut out),
                None => out.push(Token { start, end, kind: kind_of(&text[start..end]) }),
            }
        }
        out
    }

    /// The parts a word jieba found is cut into (see [`granularity`]).
    fn parts(&self, word: &str) -> Option<granularity::Parts> {
        if !self.fine || (!self.user_words.is_empty() && self.user_words.contains(word)) {
            return None;
        }
        granularity::parts(&self.jieba, &self.memo, word)
    }

    /// The words and punctuation of `text`, without whitespace tokens.
    pub fn words<'a>(&self, text: &'a str) -> Vec<&'a str> {
        self.segment(text).into_iter().filter(|t| t.kind != TokenKind::Space).map(|t| t.text(text)).collect()
    }

    /// `text` with its words and punctuation separated by `delimiter`;
    /// whitespace tokens are dropped.
    ///
    /// ```
    /// let s = zh_clean::segment::Segmenter::new();
    /// assert_eq!(s.join("香港生產力促進局公布研究。", " "), "香港 生產力 促進 局 公布 研究 。");
    /// ```
    pub fn join(&self, text: &str, delimiter: &str) -> String {
        self.words(text).join(delimiter)
    }
}

/// A writer that segments the text written to it, line by line: each
/// complete line goes out as its words joined by a delimiter (whitespace
/// tokens dropped), so that cleaned text streamed into it comes out as
/// [`Cleaner::clean_segmented`](crate::Cleaner::clean_segmented) would
/// write it, holding no more than one line. [`finish`](Self::finish)
/// writes the last line when it has no newline.
///
/// ```
/// use std::io::Write;
/// let seg = zh_clean::segment::Segmenter::new();
/// let mut w = zh_clean::segment::SegmentingWriter::new(Vec::new(), &seg, " ");
/// w.write_all("香港生產力促進局\n今天公".as_bytes()).unwrap();
/// w.write_all("布研究。".as_bytes()).unwrap();
/// assert_eq!(String::from_utf8(w.finish().unwrap()).unwrap(), "香港 生產力 促進 局\n今天 公布 研究 。");
/// ```
pub struct SegmentingWriter<'s, W: std::io::Write> {
    inner: W,
    segmenter: &'s Segmenter,
    delimiter: String,
    /// Bytes of the current line, not yet segmented.
    pending: Vec<u8>,
}

impl<'s, W: std::io::Write> SegmentingWriter<'s, W> {
    /// Segments into `inner` with `segmenter`, words separated by
    /// `delimiter`.
    pub fn new(inner: W, segmenter: &'s Segmenter, delimiter: &str) -> Self {
        SegmentingWriter { inner, segmenter, delimiter: delimiter.to_owned(), pending: Vec::new() }
    }

    fn line(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        let line = std::str::from_utf8(bytes)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        self.inner.write_all(self.segmenter.join(line, &self.delimiter).as_bytes())
    }

    /// Writes the last line (one without a newline) and returns the inner
    /// writer.
    pub fn finish(mut self) -> std::io::Result<W> {
        let rest = std::mem::take(&mut self.pending);
        if !rest.is_empty() {
            self.line(&rest)?;
        }
        self.inner.flush()?;
        Ok(self.inner)
    }
}

impl<W: std::io::Write> std::io::Write for SegmentingWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        while let Some(nl) = memchr::memchr(b'\n', rest) {
            if self.pending.is_empty() {
                self.line(&rest[..nl])?;
            } else {
                self.pending.extend_from_slice(&rest[..nl]);
                let line = std::mem::take(&mut self.pending);
                self.line(&line)?;
            }
            self.inner.write_all(b"\n")?;
            rest = &rest[nl + 1..];
        }
        self.pending.extend_from_slice(rest);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Pushes the tokens of a word of `text` starting at byte `start`, cut
/// into parts of the given numbers of characters.
fn push_parts(text: &str, start: usize, parts: &[u8], out: &mut Vec<Token>) {
    let mut chars = text[start..].char_indices();
    let mut at = start;
    for &n in parts {
        let end = chars.nth(usize::from(n) - 1).map_or(text.len(), |(i, c)| start + i + c.len_utf8());
        out.push(Token { start: at, end, kind: kind_of(&text[at..end]) });
        at = end;
    }
}

/// Whether `c` belongs to the grapheme cluster of the character before it:
/// a combining mark, a variation selector, a zero-width joiner, an emoji
/// skin-tone modifier, the keycap mark, a tag character.
fn extends_cluster(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
        || matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}' | '\u{200D}' | '\u{20E3}'
            | '\u{1F3FB}'..='\u{1F3FF}' | '\u{E0020}'..='\u{E007F}')
}

/// `tokens` with no grapheme cluster cut: a token that starts with a
/// character extending a cluster joins the one before it, and a token
/// ending with a joiner joins the one after it (`👨‍👩‍👧`, `1️⃣`, `葛󠄀`).
fn join_clusters(text: &str, tokens: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    for t in tokens {
        let starts_extended = text[t.start..t.end].chars().next().is_some_and(extends_cluster);
        match out.last_mut() {
            Some(last) if starts_extended || text[last.start..last.end].ends_with('\u{200D}') => {
                last.end = t.end;
                last.kind = kind_of(&text[last.start..last.end]);
            }
            _ => out.push(t),
        }
    }
    out
}

/// The atomic tokens of `text`, as byte ranges in order.
fn atomic_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut i = 0;
    while i < text.len() {
        match atomic_at(text, i) {
            Some(end) => {
                spans.push((i, end));
                i = end;
            }
            None => i += text[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
    spans
}

/// The end of the atomic token that starts at byte `i` of `text`, if one
/// does: a token no segmenter may cut (see [`Segmenter::segment`]).
///
/// In order: a URL (`http://`, `https://`, `www.`) up to a space or a CJK
/// character, without trailing punctuation; an e-mail address; an
/// `@handle` or `#hashtag`; a number with its currency prefix (`NT$`,
/// `US$`, `$`, `€`, `£`, `¥`), separators between digits (`36,900`,
/// `3.5`, `2.3.1`, `v2.3.1`) and unit (`%`, `‰`, `°C`, `°F`); a Latin word
/// with its diacritics and combining marks, hyphenated parts and code
/// shape (`Dündar`, `tsa̍p-gōo`, `snake_case`, `CamelCase`, `a.b()`); an
/// ellipsis or a dash pair (`……`, `...`, `——`).
fn atomic_at(text: &str, i: usize) -> Option<usize> {
    let rest = &text[i..];
    let first = rest.chars().next()?;
    // Ideographs, kana, Hangul and CJK punctuation never start one.
    if first as u32 >= 0x2E80 && first != '￥' {
        return None;
    }
    let prev = text[..i].chars().next_back();
    // Only at the start of a word: `ab@c.de` starts at `a`, not at `b`.
    let word_char = |c: char| c.is_alphanumeric() || c == '_';
    if prev.is_some_and(|p| word_char(p) && !crate::chars::is_cjk(p))
        && word_char(first)
        && !crate::chars::is_cjk(first)
    {
        return None;
    }
    let end = if rest.starts_with("http://") || rest.starts_with("https://") || rest.starts_with("www.") {
        url_end(rest)
    } else if let Some(end) = email_end(rest, first) {
        Some(end)
    } else if matches!(first, '@' | '#') {
        // An @handle or a #hashtag.
        let end = span(rest, 1, &|c: char| c.is_alphanumeric() && !crate::chars::is_cjk(c) || c == '_');
        (end > 1).then_some(end)
    } else if let Some(end) = number_end(rest, first) {
        Some(end)
    } else if is_latin_letter(first) && !unicode_normalization::char::is_combining_mark(first) {
        Some(latin_word_end(rest))
    } else {
        mark_run_end(rest)
    };
    end.map(|end| i + end)
}

/// How far a run of characters satisfying `f` reaches from byte `from` of
/// `rest`.
fn span(rest: &str, from: usize, f: &dyn Fn(char) -> bool) -> usize {
    rest[from..].char_indices().find(|&(_, c)| !f(c)).map_or(rest.len(), |(k, _)| from + k)
}

/// `end`, less the sentence punctuation and closing brackets a URL or an
/// address does not end with.
fn trim_trailing(rest: &str, end: usize) -> usize {
    rest[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '\'', '"']).len()
}

/// A URL: up to whitespace, CJK text or a control character.
fn url_end(rest: &str) -> Option<usize> {
    let end = span(rest, 0, &|c: char| !c.is_whitespace() && !crate::chars::is_cjk(c) && !c.is_control());
    let end = trim_trailing(rest, end);
    (end > 7).then_some(end)
}

/// An e-mail address.
fn email_end(rest: &str, first: char) -> Option<usize> {
    if !first.is_ascii_alphanumeric() {
        return None;
    }
    let ascii_word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '%' | '+' | '-');
    let local = span(rest, 0, &ascii_word);
    if rest.as_bytes().get(local) != Some(&b'@') {
        return None;
    }
    let domain = span(rest, local + 1, &|c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'));
    let end = trim_trailing(rest, domain);
    (rest[local + 1..end].contains('.') && end > local + 3).then_some(end)
}

/// A number, with its currency, separators and unit (`NT$36,900`, `3.5%`,
/// `25°C`, `v2.3.1`); not digits glued to letters (`3D` is a word,
/// `2023年` is not).
fn number_end(rest: &str, first: char) -> Option<usize> {
    let bytes = rest.as_bytes();
    let currency = ["NT$", "HK$", "US$", "$", "€", "£", "¥", "￥"]
        .iter()
        .find(|c| rest.starts_with(**c))
        .map_or(0, |c| c.len());
    let vstart = usize::from(
        currency == 0 && matches!(first, 'v' | 'V') && bytes.get(1).is_some_and(u8::is_ascii_digit),
    );
    let at = currency + vstart;
    if !bytes.get(at).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let mut end = at;
    loop {
        end += bytes[end..].iter().take_while(|b| b.is_ascii_digit()).count();
        // A separator counts between two digits only.
        if matches!(bytes.get(end), Some(b'.' | b',' | b':'))
            && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)
        {
            end += 1;
        } else {
            break;
        }
    }
    if let Some(unit) = ["%", "‰", "°C", "°F", "℃"].iter().find(|u| rest[end..].starts_with(**u)) {
        end += unit.len();
    }
    let glued = rest[end..].chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    (!glued).then_some(end)
}

/// A letter of a Latin word: not CJK; diacritics and combining marks
/// included.
fn is_latin_letter(c: char) -> bool {
    (c.is_alphanumeric() && !crate::chars::is_cjk(c))
        || c == '_'
        || unicode_normalization::char::is_combining_mark(c)
}

/// A Latin word, with diacritics, combining marks, hyphens and the shape
/// of code.
fn latin_word_end(rest: &str) -> usize {
    let mut end = span(rest, 0, &is_latin_letter);
    loop {
        let next = rest[end..].chars().next();
        let after = rest[end..].chars().nth(1);
        match next {
            // `tsa̍p-gōo`, `a.b`: a hyphen or a dot between two parts.
            Some('-' | '.')
                if after.is_some_and(|c| {
                    is_latin_letter(c) && !unicode_normalization::char::is_combining_mark(c)
                }) =>
            {
                end = span(rest, end + 1, &is_latin_letter);
            }
            // `a.b()`: a call.
            Some('(') if rest[end..].starts_with("()") && rest[..end].contains(['.', '_']) => {
                return end + 2;
            }
            _ => return end,
        }
    }
}

/// Ellipses and dash pairs.
fn mark_run_end(rest: &str) -> Option<usize> {
    ["…", "—", "."].into_iter().find(|run| rest.starts_with(run)).and_then(|run| {
        let end = span(rest, 0, &|c: char| run.starts_with(c));
        ((run != "." && end >= 2 * run.len()) || end >= 3).then_some(end)
    })
}

fn kind_of(token: &str) -> TokenKind {
    if token.chars().all(char::is_whitespace) {
        TokenKind::Space
    } else if token
        .chars()
        .all(|c| matches!(class(c), Class::CjkPunct | Class::AsciiPunct | Class::AmbiguousPunct))
    {
        TokenKind::Punct
    } else {
        TokenKind::Word
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shadow_keeps_the_character_count() {
        for s in ["香港生產力促進局", "頭髮與發展", "AI 產業 2023", "𠀀𡈽", ""] {
            assert_eq!(shadow(s).chars().count(), s.chars().count(), "{s}");
        }
        assert!(matches!(shadow("ASCII only"), Cow::Borrowed(_)));
        assert!(matches!(shadow("香港"), Cow::Borrowed(_)));
    }

    #[test]
    fn tokens_cover_the_text() {
        let s = Segmenter::new();
        for text in ["香港生產力促進局（生產力局）今天公布", "RWTH Aachen Campus 與 U.S. News", ""]
        {
            let tokens = s.segment(text);
            let joined: String = tokens.iter().map(|t| t.text(text)).collect();
            assert_eq!(joined, text);
            assert!(tokens.windows(2).all(|w| w[0].end == w[1].start));
        }
    }

    #[test]
    fn shadow_segments_traditional_text_better_than_direct() {
        let text = "香港生產力促進局今天公布研究";
        assert_eq!(Segmenter::new().words(text), ["香港", "生產力", "促進", "局", "今天", "公布", "研究"]);
        assert_ne!(Segmenter::direct().words(text), Segmenter::new().words(text));
    }

    #[test]
    fn kinds() {
        let text = "研究，AI 2023。";
        let kinds: Vec<(&str, TokenKind)> =
            Segmenter::new().segment(text).iter().map(|t| (t.text(text), t.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("研究", TokenKind::Word),
                ("，", TokenKind::Punct),
                ("AI", TokenKind::Word),
                (" ", TokenKind::Space),
                ("2023", TokenKind::Word),
                ("。", TokenKind::Punct)
            ]
        );
    }

    #[test]
    fn atomic_tokens_stay_whole() {
        let s = Segmenter::new();
        let cases: &[(&str, &str)] = &[
            ("https://example.com/a?x=1", "url"),
            ("www.hkpc.org/zh-HK", "url"),
            ("foo.bar@example.com", "e-mail"),
            ("@hkpc_official", "handle"),
            ("#AI2023", "hashtag"),
            ("NT$36,900", "currency"),
            ("US$1,000.50", "currency"),
            ("3.5%", "percentage"),
            ("25°C", "unit"),
            ("v2.3.1", "version"),
            ("2.3.1", "version"),
            ("12:30", "time"),
            ("Dündar", "diacritics"),
            ("Benoît", "diacritics"),
            ("tsa̍p-gōo", "combining marks"),
            ("snake_case", "identifier"),
            ("CamelCase", "identifier"),
            ("os.path.join()", "call"),
            ("……", "ellipsis"),
            ("...", "ellipsis"),
            ("——", "dash pair"),
            ("葛\u{E0100}", "variation selector"),
            ("👨\u{200D}👩\u{200D}👧", "emoji sequence"),
            ("1\u{FE0F}\u{20E3}", "keycap"),
            ("👍🏽", "skin tone"),
        ];
        for (token, what) in cases {
            for text in [
                format!("香港{token}研究"),
                format!("香港 {token} 研究"),
                format!("（{token}）"),
                token.to_string(),
            ] {
                let words = s.words(&text);
                assert!(words.contains(token), "{what}: {token:?} cut in {text:?}: {words:?}");
            }
        }
    }

    #[test]
    fn atomic_tokens_end_where_they_should() {
        let s = Segmenter::new();
        assert_eq!(s.words("網址https://a.com/x。"), ["網址", "https://a.com/x", "。"]);
        assert_eq!(s.words("見 https://a.com/x)."), ["見", "https://a.com/x", ")", "."]);
        assert_eq!(s.words("2023年11月"), ["2023", "年", "11", "月"]);
        assert_eq!(s.words("3D打印"), ["3D", "打印"]);
        assert_eq!(s.words("a,b"), ["a", ",", "b"]);
        assert_eq!(s.words("1,2"), ["1,2"]);
    }

    #[test]
    fn a_word_added_after_a_fine_cut_is_never_cut() {
        let mut s = Segmenter::new().fine(true);
        assert_eq!(s.words("博物館位於香港"), ["博物", "館", "位", "於", "香港"]);
        s.add_word("博物館", None, None);
        s.add_word("位於", None, None);
        assert_eq!(s.words("博物館位於香港"), ["博物館", "位於", "香港"]);
    }

    #[test]
    fn user_dictionary_in_either_script() {
        let text = "新型工業化人才培訓";
        let mut s = Segmenter::new();
        let n = s.load_user_dict("# comment\n\n新型工業化 100000 n\n人才培训 100000\n".as_bytes()).unwrap();
        assert_eq!(n, 2);
        assert_eq!(s.words(text), ["新型工業化", "人才培訓"]);
        assert!(s.load_user_dict("詞 x\n".as_bytes()).is_err());
    }
}
