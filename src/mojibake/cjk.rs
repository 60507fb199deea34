//! Double-byte mojibake: text decoded with the wrong *Chinese* codec.
//!
//! # The problem
//!
//! The most common Chinese mojibake is UTF-8 read as GBK (or GB18030, which
//! reads two-byte codes alike). `你好` is `E4 BD A0 E5 A5 BD` in UTF-8; GBK
//! reads those six bytes as three two-byte codes, `浣 犲 ソ`, and `中文`
//! becomes `涓枃`-style garbage. Big5 and GBK confuse each other the same
//! way: every two-byte code of one is a code of the other, so Big5 text read
//! as GBK (`中文` → `いゅ`) and GBK text read as Big5 (`中文` → `笢恅`) are
//! made of real characters — kana, Greek, box drawing, rare ideographs —
//! that no one writes together.
//!
//! Nothing is lost as long as each character goes back to the code it was
//! read from: writing the text in the codec that misread it gives the
//! original bytes, and reading them with the right codec gives the
//! original. One exception: UTF-8 text has an odd number of bytes as often
//! as an even one. GBK then pairs the last byte with whatever follows it —
//! an ASCII letter, which the pair keeps (nothing lost), or a line end or a
//! space, which it cannot (the decoder writes U+FFFD and the byte is gone).
//! The character that byte ended cannot be told; the repair writes one
//! U+FFFD in its place (see below).
//!
//! # What is repaired
//!
//! Three wrong readings, in this order: UTF-8 read as GBK, Big5 read as
//! GBK, GBK read as Big5. For each, a line is cut into runs of characters
//! the wrong codec writes back exactly (each character written and read
//! again gives itself; anything else — U+FFFD, a character the codec does
//! not have — ends a run). In a run:
//!
//! * UTF-8: the longest pieces whose bytes are valid UTF-8 and end on a
//!   character of the run. A piece whose bytes stop in the middle of a
//!   UTF-8 sequence right before a U+FFFD lost its last byte: its text is
//!   the decoded bytes and one U+FFFD for the character cut short.
//! * Big5 and GBK: each character gives one character of the other codec;
//!   the stretch where the right reading gains most (see below) is the
//!   piece, and what is left on each side is searched again.
//!
//! A piece is repaired only if its reading is *much* more plausible than
//! the text as it stands. Plausibility is the frequency class the decoder
//! already uses to tell Big5 from GB18030 ([`crate::decode`]): an ideograph
//! of the list of about two thousand frequent characters (Traditional and
//! Simplified) weighs 2, one of the frequent levels of Big5 or GB2312 1,
//! of their less frequent levels 0, any other ideograph −1; Chinese
//! punctuation, kana and Hangul 1; bopomofo −2 (GBK's fullwidth
//! punctuation read as Big5); private use, U+FFFD, C1 controls, box
//! drawing and the rarer ideograph blocks −2; anything else 0. The repaired
//! piece must have at least two non-ASCII characters (six read in the
//! other double-byte codec, where any character reads as something), weigh
//! at least 1.2 a character on average, and at least 1 a character more
//! than the text it replaces; and the text it replaces must be made of
//! ideographs (and private-use characters) for half of it at least —
//! punctuation and symbols alone are text. A letter of an alphabet or a
//! syllabary (bopomofo too) next to another of its script is part of a
//! word and weighs 2 (`Ελληνικά`, `lên`, `テキスト` stay). Clean Chinese weighs 1.6 to 2 a
//! character; mojibake weighs about 0, so the rule is far from both, and
//! it is the same for every reading. A piece of three characters or more
//! whose reading gains twice that (2 a character: a mis-decoded heading,
//! the head of a line) stands alone too. A piece cut short by a lost byte
//! (`鈥�` for `•`, `骞�` for `年`) needs only the rule, or to be one
//! character, and a repaired piece on its line. A wrong codec reads a run
//! whole: a Big5/GBK piece takes in up to two characters left at the ends
//! of its run that read as common ideographs (the stretch that gains most
//! may start after one that weighs more as it stands than as it reads).
//!
//! # Never damaging clean text
//!
//! Clean text passes a test in one scan (in the pipeline, inside the
//! hygiene stage's own scan, through [`Watch`]): mojibake always has rare
//! characters close together (two among three non-ASCII characters in a
//! row, from a bit table for U+3000–U+9FFF), which clean text of any
//! kind seldom has; a line without that is not looked at. The other stages
//! keep what they rewrite from making a repair appear: their oracles (a
//! space taken out, lines joined, a mark rewritten) consult this repair too
//! wherever two rare characters are close across the junction. When a clean line does have it, its
//! characters written in GBK are not valid UTF-8 for more than a character
//! or two, and read in the other codec they are no more plausible than
//! they are: the weights decide. Repaired text weighs at least 1.2 a
//! character, so it is never repaired again (that would need a reading
//! weighing over 2).
//!
//! ```
//! use zh_clean::mojibake::cjk::repair;
//! assert_eq!(repair("棣欐腐鐢熺敘鍔涗績閫插眬"), "香港生產力促進局"); // UTF-8 read as GBK
//! use encoding_rs::{BIG5, GBK};
//! let misread = |from: &'static encoding_rs::Encoding, to: &'static encoding_rs::Encoding, s: &str| {
//!     to.decode_without_bom_handling(&from.encode(s).0).0.into_owned()
//! };
//! assert_eq!(repair(&misread(BIG5, GBK, "香港生產力促進局")), "香港生產力促進局");
//! assert_eq!(repair(&misread(GBK, BIG5, "香港生产力促进局")), "香港生产力促进局");
//! assert!(matches!(repair("香港生產力促進局"), std::borrow::Cow::Borrowed(_)));
//! ```

use std::borrow::Cow;
use std::sync::OnceLock;

use encoding_rs::{BIG5, EncoderResult, Encoding, GBK, UTF_8};

/// A wrong reading: bytes `written` in one codec were `read` with another.
#[derive(Clone, Copy, Debug)]
struct Reading {
    read: &'static Encoding,
    written: &'static Encoding,
}

/// The readings repaired, in the order they are tried.
const READINGS: [Reading; 3] = [
    Reading { read: GBK, written: UTF_8 },
    Reading { read: GBK, written: BIG5 },
    Reading { read: BIG5, written: GBK },
];

/// The fewest non-ASCII characters a repaired piece has: read as UTF-8,
/// whose bytes are seldom valid by chance, and read in the other
/// double-byte codec, where any character reads as something.
const MIN_CHARS: i64 = 2;
const MIN_CHARS_DOUBLE_BYTE: i64 = 6;
/// The fewest for a reading that gains twice what the rule asks (see
/// [`verdict`]).
const MIN_CHARS_STRONG: i64 = 3;

/// `text` with its pieces mis-decoded by a Chinese codec repaired (see the
/// module docs); borrowed when there is nothing to repair.
pub fn repair(text: &str) -> Cow<'_, str> {
    repair_counted(text).0
}

/// [`repair`], also counting the pieces repaired.
pub fn repair_counted(text: &str) -> (Cow<'_, str>, usize) {
    let mut out = String::new();
    let mut copied = 0;
    let mut pieces = 0;
    let mut from = 0;
    while let Some((start, end)) = next_suspect_line(text, from) {
        if let Some((fixed, n)) = repair_line_all(&text[start..end]) {
            out.push_str(&text[copied..start]);
            out.push_str(&fixed);
            copied = end;
            pieces += n;
        }
        from = end;
    }
    if pieces == 0 {
        return (Cow::Borrowed(text), 0);
    }
    out.push_str(&text[copied..]);
    (Cow::Owned(out), pieces)
}

/// The first line of `text` from byte `from` on (a line start) that has two
/// rare characters among three non-ASCII ones in a row, which all mojibake
/// of these readings has (see the module docs): its start and end (after
/// its line end). One scan of the text in all.
fn next_suspect_line(text: &str, from: usize) -> Option<(usize, usize)> {
    let at = watch_from(text, from, &mut Watch::new())?;
    let bytes = text.as_bytes();
    let start = memchr::memrchr(b'\n', &bytes[from..at]).map_or(from, |n| from + n + 1);
    let end = memchr::memchr(b'\n', &bytes[at..]).map_or(text.len(), |n| at + n + 1);
    Some((start, end))
}

/// Whether `text` has a line [`next_suspect_line`] finds: without one,
/// [`repair`] leaves it as it is.
pub(crate) fn suspect(text: &str) -> bool {
    watch_from(text, 0, &mut Watch::new()).is_some()
}

/// Whether the text `pieces` make, one after the other, has a line
/// [`next_suspect_line`] finds. Taking out, putting in or rewriting ASCII
/// characters between them cannot make one (the test reads non-ASCII
/// characters only), so the other stages' oracles (`glue_repairs` and the
/// like) pass a junction by at once when the pieces have none.
pub(crate) fn suspect_in(pieces: &[&str]) -> bool {
    let mut watch = Watch::new();
    pieces.iter().any(|piece| watch_from(piece, 0, &mut watch).is_some())
}

/// [`Watch`] for a scan that rewrites what it reads (the hygiene stage's):
/// the test on the text as it comes (`input`), and on the text as written
/// where the two differ. A rewrite makes them differ for three non-ASCII
/// characters at most, or to the line end (the test looks no further
/// back), so the second is kept only that long: after a scan that met no
/// line to repair in its input, `output_suspect` says whether its output
/// has one.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Watches {
    input: Watch,
    /// The test on the output, while it differs from `input`.
    output: Option<Watch>,
    /// Whether the output has had a line the repair looks at.
    pub(crate) output_suspect: bool,
}

impl Watches {
    pub(crate) fn new() -> Watches {
        Watches { input: Watch::new(), output: None, output_suspect: false }
    }

    /// A character written `x y z` (a lead E3–E9), kept as it is: true when
    /// the input's line is now suspect.
    #[inline(always)]
    pub(crate) fn kept_in_table(&mut self, x: u8, y: u8, z: u8) -> bool {
        let suspect = self.input.in_table(x, y, z);
        if let Some(mut o) = self.output {
            self.output_suspect |= o.in_table(x, y, z);
            self.settle(o);
        }
        suspect
    }

    /// Any other non-ASCII character, kept as it is.
    #[inline]
    pub(crate) fn kept(&mut self, c: char) -> bool {
        let suspect = self.input.other(c);
        if let Some(mut o) = self.output {
            self.output_suspect |= o.other(c);
            self.settle(o);
        }
        suspect
    }

    /// Whether the output's test differs from the input's now: while not,
    /// [`Watches::kept_in_table_alike`] may stand for `kept_in_table`.
    #[inline(always)]
    pub(crate) fn alike(&self) -> bool {
        self.output.is_none()
    }

    /// [`Watches::kept_in_table`] while the two tests are [`Watches::alike`]
    /// (a kept character leaves them so): the input's test alone.
    #[inline(always)]
    pub(crate) fn kept_in_table_alike(&mut self, x: u8, y: u8, z: u8) -> bool {
        debug_assert!(self.alike());
        self.input.in_table(x, y, z)
    }

    /// [`Watches::kept_in_table_alike`] for two characters (see
    /// [`Watch::in_table_2`]).
    #[inline(always)]
    pub(crate) fn kept_in_table_alike_2(&mut self, a: [u8; 3], b: [u8; 3]) -> bool {
        debug_assert!(self.alike());
        self.input.in_table_2(a, b)
    }

    /// A line end kept as it is.
    #[inline(always)]
    pub(crate) fn line_end(&mut self) {
        self.input.line_end();
        self.output = None;
    }

    /// `was` (a non-ASCII character, or `None` for an ASCII one) written
    /// as `now`: true when the input's line is now suspect.
    pub(crate) fn rewritten(&mut self, was: Option<char>, now: &str) -> bool {
        let mut o = self.output.unwrap_or(self.input);
        let suspect = was.is_some_and(|c| self.input.other(c));
        for c in now.chars() {
            if c == '\n' {
                o.line_end();
            } else if !c.is_ascii() {
                self.output_suspect |= o.other(c);
            }
        }
        self.settle(o);
        suspect
    }

    /// Keeps the output's test only while it differs from the input's.
    #[inline(always)]
    fn settle(&mut self, o: Watch) {
        self.output = (!o.same_as(&self.input)).then_some(o);
    }
}

/// `text` from byte `from` on, shown to `watch`: the end of the character
/// at which the line became suspect, if one did.
fn watch_from(text: &str, from: usize, watch: &mut Watch) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while at < bytes.len() {
        // Runs of characters U+3000–U+9FFF (most of Chinese text), three
        // bytes at a time.
        for chunk in bytes[at..].chunks_exact(3) {
            let &[x @ 0xE3..=0xE9, y, z] = chunk else { break };
            at += 3;
            if watch.in_table(x, y, z) {
                return Some(at);
            }
        }
        let Some(&x) = bytes.get(at) else { break };
        if x < 0x80 {
            at += 1;
            if x == b'\n' {
                watch.line_end();
            }
            continue;
        }
        let suspect = if let [0xE3..=0xE9, y, z, ..] = bytes[at..] {
            at += 3;
            watch.in_table(x, y, z)
        } else {
            let c = crate::bytes::decode_at(text, at).0;
            at += c.len_utf8();
            watch.other(c)
        };
        if suspect {
            return Some(at);
        }
    }
    None
}

/// The test of [`next_suspect_line`], one character at a time, for a scan
/// that reads the text anyway (the hygiene stage's): whether the line
/// read so far has two rare characters among three non-ASCII ones in a
/// row. A scan that sees no such line anywhere in a text knows that
/// [`repair`] leaves the text as it is.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Watch {
    /// Whether each of the last three non-ASCII characters of the line was
    /// rare, the last in the lowest bit.
    last3: u8,
    table: &'static [u64; TABLE_WORDS],
}

impl Watch {
    pub(crate) fn new() -> Watch {
        Watch { last3: 0, table: rare_table() }
    }

    /// The character written `x y z`, a lead E3–E9 (U+3000–U+9FFF): true
    /// when the line is now suspect.
    #[inline(always)]
    pub(crate) fn in_table(&mut self, x: u8, y: u8, z: u8) -> bool {
        self.push(rare_in_table(self.table, x, y, z))
    }

    /// Two characters written `x y z` (leads E3–E9), one after the other:
    /// true when the line is now suspect. Both common (most of the time),
    /// one test.
    #[inline(always)]
    pub(crate) fn in_table_2(&mut self, a: [u8; 3], b: [u8; 3]) -> bool {
        let ra = rare_in_table(self.table, a[0], a[1], a[2]);
        let rb = rare_in_table(self.table, b[0], b[1], b[2]);
        if !(ra | rb) {
            self.last3 <<= 2;
            return false;
        }
        self.push(ra) || self.push(rb)
    }

    /// Any other non-ASCII character: true when the line is now suspect.
    #[inline]
    pub(crate) fn other(&mut self, c: char) -> bool {
        self.push(rare(c))
    }

    /// A line end (`\n`): the next line starts afresh.
    #[inline(always)]
    pub(crate) fn line_end(&mut self) {
        self.last3 = 0;
    }

    /// Whether the two decide alike from here on (the last two characters'
    /// bits are all the test looks back at).
    #[inline(always)]
    fn same_as(&self, other: &Watch) -> bool {
        (self.last3 ^ other.last3) & 0b11 == 0
    }

    #[inline(always)]
    fn push(&mut self, rare: bool) -> bool {
        self.last3 = (self.last3 << 1) | u8::from(rare);
        // This one and one of the two before it.
        rare && self.last3 & 0b110 != 0
    }
}

/// Every reading repaired on one line, in order: `None` when nothing
/// changes, otherwise the new line and the number of pieces repaired.
fn repair_line_all(line: &str) -> Option<(String, usize)> {
    let mut out: Option<String> = None;
    let mut pieces = 0;
    for reading in READINGS {
        let current = out.as_deref().unwrap_or(line);
        let found = repair_line(current, reading);
        if found.is_empty() {
            continue;
        }
        let mut next = String::with_capacity(current.len());
        let mut copied = 0;
        for (start, end, repaired) in &found {
            next.push_str(&current[copied..*start]);
            next.push_str(repaired);
            copied = *end;
        }
        next.push_str(&current[copied..]);
        pieces += found.len();
        out = Some(next);
    }
    out.map(|o| (o, pieces))
}

/// How many rare characters `pieces` have together, counting up to two:
/// text with fewer than two has nothing for the repair to act on, however
/// the pieces are put together (the other stages' oracles,
/// `glue_repairs` and the like, pass it by at once).
pub(crate) fn rare_count(pieces: &[&str]) -> usize {
    let table = rare_table();
    let mut n = 0;
    for piece in pieces {
        let bytes = piece.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            // Runs of characters U+3000–U+9FFF, three bytes at a time.
            for chunk in bytes[at..].chunks_exact(3) {
                let &[x @ 0xE3..=0xE9, y, z] = chunk else { break };
                at += 3;
                n += usize::from(rare_in_table(table, x, y, z));
                if n == 2 {
                    return n;
                }
            }
            let Some(&x) = bytes.get(at) else { break };
            if x < 0x80 {
                at += 1;
                continue;
            }
            let (rare, len) = rare_at(piece, bytes, table, at);
            n += usize::from(rare);
            if n == 2 {
                return n;
            }
            at += len;
        }
    }
    n
}

/// Whether `c` weighs 0 or less and is no letter of a Latin alphabet: what
/// mojibake of these readings is mostly made of.
#[inline]
fn rare(c: char) -> bool {
    let u = u32::from(c);
    if (TABLE_FIRST..=TABLE_LAST).contains(&u) {
        return rare_table()[(u / 64) as usize] & (1 << (u % 64)) != 0;
    }
    u >= 0x370 && weight(c) <= 0
}

/// First and last code points of the table of rare characters: the
/// characters written `E3 xx xx` to `E9 xx xx` (CJK punctuation, kana,
/// Extension A, the main ideograph block), most characters of Chinese text.
const TABLE_FIRST: u32 = 0x3000;
const TABLE_LAST: u32 = 0x9FFF;
/// One word of the table per 64 code points of the BMP, the word of a
/// character written in three bytes `x y z` being `(x & 0F) << 6 | (y &
/// 3F)` and its bit `z & 3F`, an index that needs no check (words outside
/// U+3000–U+9FFF stay 0).
const TABLE_WORDS: usize = 1024;

/// Which characters U+3000–U+9FFF are rare, one bit each; built once.
fn rare_table() -> &'static [u64; TABLE_WORDS] {
    static TABLE: OnceLock<[u64; TABLE_WORDS]> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [0u64; TABLE_WORDS];
        for u in TABLE_FIRST..=TABLE_LAST {
            let rare = char::from_u32(u).is_some_and(|c| match u {
                0x4E00..=0x9FFF => crate::decode::han_weight(c) <= 0,
                _ => weight(c) <= 0,
            });
            if rare {
                table[(u / 64) as usize] |= 1 << (u % 64);
            }
        }
        table
    })
}

/// Whether the character written `x y z` (a lead E3–E9: U+3000–U+9FFF)
/// is rare: the lead and the second byte pick a word of the table, the
/// third byte a bit. The fast path of the scans.
#[inline(always)]
fn rare_in_table(table: &[u64; TABLE_WORDS], x: u8, y: u8, z: u8) -> bool {
    let word = (usize::from(x & 0x0F) << 6) | usize::from(y & 0x3F);
    (table[word] >> (z & 0x3F)) & 1 != 0
}

/// Whether the character that starts at byte `at` of `text` (a character
/// boundary, not ASCII) is rare, and its length.
#[inline(always)]
fn rare_at(text: &str, bytes: &[u8], table: &[u64; TABLE_WORDS], at: usize) -> (bool, usize) {
    if let [x @ 0xE3..=0xE9, y, z, ..] = bytes[at..] {
        return (rare_in_table(table, x, y, z), 3);
    }
    rare_elsewhere(&text[at..])
}

/// [`rare`] of the first character of `s` (not empty), and its length.
fn rare_elsewhere(s: &str) -> (bool, usize) {
    s.chars().next().map_or((false, 1), |c| (rare(c), c.len_utf8()))
}

/// How much `c` speaks for text being Chinese (see the module docs).
fn weight(c: char) -> i32 {
    match u32::from(c) {
        0x4E00..=0x9FFF => crate::decode::han_weight(c),
        // Chinese punctuation, fullwidth forms, general punctuation.
        0x3000..=0x303F | 0xFF01..=0xFF60 | 0xFE30..=0xFE4F | 0x2010..=0x2027 => 1,
        // Kana and Hangul: Japanese and Korean mis-decoded come back too.
        0x3040..=0x30FF | 0xAC00..=0xD7AF => 1,
        // Bopomofo alone among other characters: what GBK's fullwidth
        // punctuation reads as in Big5 (`（，` as `ㄗㄛ`); a word of it
        // (a reading annotation) weighs as words do.
        0x3100..=0x312F | 0x31A0..=0x31BF => -2,
        0x80..=0x9F | 0x2500..=0x259F | 0x3400..=0x4DBF | 0xE000..=0xFAFF | 0xFFFD | 0x20000.. => -2,
        _ => 0,
    }
}

/// The script of a letter of an alphabet or a syllabary (Latin, Greek,
/// Cyrillic, kana, Hangul), if `c` is one.
fn script(c: char) -> Option<u8> {
    match u32::from(c) {
        0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F => Some(0),
        0x370..=0x3FF => Some(1),
        0x400..=0x4FF => Some(2),
        0x3041..=0x30FF => Some(3),
        0xAC00..=0xD7AF => Some(4),
        0x3100..=0x312F | 0x31A0..=0x31BF => Some(5),
        _ => None,
    }
}

/// The weight of each character of `chars` in its context: a letter of an
/// alphabet or a syllabary next to another of its script is part of a word
/// and weighs as much as a frequent ideograph (`Ελληνικά`, `lên`,
/// `テキスト` are text); alone among characters of other scripts, it
/// weighs what [`weight`] says (mojibake mixes scripts at every
/// character).
fn weights(chars: &[char], alphabets: bool) -> Vec<i32> {
    (0..chars.len())
        .map(|i| {
            let c = chars[i];
            if !alphabets && script(c).is_some_and(|s| s < 3) {
                return weight(c);
            }
            let same = |j: Option<usize>| {
                j.and_then(|j| chars.get(j)).is_some_and(|&d| script(d).is_some() && script(d) == script(c))
            };
            if script(c).is_some() && (same(i.checked_sub(1)) || same(Some(i + 1))) { 2 } else { weight(c) }
        })
        .collect()
}

/// The sum of the weights in context of the non-ASCII characters of `s`
/// (U+FFFD aside), and how many there are; words of Latin, Greek and
/// Cyrillic letters count as words only with `alphabets` (in the text as
/// it stands, not in a reading: these readings give Chinese, Japanese or
/// Korean, and random bytes read as UTF-8 give Latin letters).
fn weigh(s: &str, alphabets: bool) -> (i64, i64) {
    let chars: Vec<char> = s.chars().collect();
    chars
        .iter()
        .zip(weights(&chars, alphabets))
        .filter(|(c, _)| !c.is_ascii() && **c != '\u{FFFD}')
        .fold((0, 0), |(w, n), (_, x)| (w + i64::from(x), n + 1))
}

/// How far `reading` may replace `text`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Verdict {
    /// Not at all.
    No,
    /// On its own: the rule of the module docs.
    Plausible,
    /// Only next to a plausible piece of the same line, and only for UTF-8
    /// read as GBK: the rule but for the number of characters (a piece cut short by a lost byte: `鈥�`
    /// for `•`), or, with nothing but U+FFFD and ASCII left to read, when
    /// the text weighs 0 or less a character.
    Supported,
}

/// How far `reading` may replace `text` (see [`Verdict`]), a piece of
/// `min` non-ASCII characters or more being plausible on its own.
fn verdict(text: &str, reading: &str, min: i64) -> Verdict {
    let (w, n) = weigh(reading, false);
    let (w0, n0) = weigh(text, true);
    if n0 == 0 {
        return Verdict::No;
    }
    // w / n >= 1.2 and w / n - w0 / n0 >= 1, in integers.
    let rule = 5 * w >= 6 * n && w * n0 - w0 * n >= n * n0;
    // A piece shorter than `min` still stands on its own from three
    // characters on when its reading gains twice as much (2 a character:
    // private-use and rare characters read as common ones, as a
    // mis-decoded heading or the head of a line does).
    let min = if w * n0 - w0 * n >= 2 * n * n0 { min.min(MIN_CHARS_STRONG) } else { min };
    // Mojibake of these readings is made of ideographs (and private-use
    // characters) mostly: punctuation and symbols alone are text.
    // And the piece itself has rare characters close together, so that
    // the decision is the piece's own, whatever the rest of its line.
    let made_of_ideographs = {
        let k = ideographs(text);
        k >= 2 && 2 * k >= n0 && next_suspect_line(text, 0).is_some()
    };
    match n {
        // Nothing but U+FFFD and ASCII left to read: a character cut short
        // (`骞�` for `年`, its last byte lost), next to a plausible piece.
        0 if w0 <= 0 || n0 == 1 => Verdict::Supported,
        0 => Verdict::No,
        _ if !rule => Verdict::No,
        _ if n >= min && made_of_ideographs => Verdict::Plausible,
        _ if n >= min => Verdict::No,
        _ => Verdict::Supported,
    }
}

/// How many ideographs and private-use characters `s` has.
fn ideographs(s: &str) -> i64 {
    s.chars()
        .filter(|&c| matches!(u32::from(c), 0x3400..=0x9FFF | 0xE000..=0xFAFF | 0x20000..=0x3FFFF))
        .count() as i64
}

/// Whether `reading` may replace `text` on its own.
#[cfg(test)]
fn plausible(text: &str, reading: &str) -> bool {
    verdict(text, reading, MIN_CHARS) == Verdict::Plausible
}

/// A run of characters the wrong codec writes back exactly: their bytes,
/// and for each character its offset in the line and where its bytes
/// start (one more entry for the ends).
struct Run {
    bytes: Vec<u8>,
    offsets: Vec<(usize, usize)>,
}

impl Run {
    fn len(&self) -> usize {
        self.offsets.len() - 1
    }
}

/// The pieces of `line` repaired for `reading`, in order: each one's start
/// and end in the line and its text.
fn repair_line(line: &str, reading: Reading) -> Vec<(usize, usize, String)> {
    let mut found = Vec::new();
    for run in runs(line, reading.read) {
        if reading.written == UTF_8 {
            utf8_pieces(line, &run, &mut found);
        } else {
            let chars = read_pairs(&run, reading.written);
            let gains = gains(line, &run, &chars);
            best_pieces(line, &run, &chars, &gains, (0, run.len()), &mut found);
        }
    }
    if !found.iter().any(|p| p.3 == Verdict::Plausible) {
        return Vec::new();
    }
    found.into_iter().map(|(start, end, text, _)| (start, end, text)).collect()
}

/// A piece found: its start and end in the line, its reading, and how far
/// the reading may replace it.
type Piece = (usize, usize, String, Verdict);

/// The runs of `line` that `codec` writes back exactly, each character on
/// its own (these codecs keep no state between characters).
fn runs(line: &str, codec: &'static Encoding) -> Vec<Run> {
    let mut encoder = codec.new_encoder();
    let mut runs = Vec::new();
    let mut run = Run { bytes: Vec::new(), offsets: Vec::new() };
    let mut buf = [0u8; 8];
    let close = |run: &mut Run, at: usize, runs: &mut Vec<Run>| {
        if run.offsets.iter().any(|&(o, _)| !line.as_bytes()[o].is_ascii()) {
            run.offsets.push((at, run.bytes.len()));
            runs.push(std::mem::replace(run, Run { bytes: Vec::new(), offsets: Vec::new() }));
        } else {
            *run = Run { bytes: Vec::new(), offsets: Vec::new() };
        }
    };
    for (i, c) in line.char_indices() {
        let s = &line[i..i + c.len_utf8()];
        let (mut result, _, mut written) = encoder.encode_from_utf8_without_replacement(s, &mut buf, false);
        if codec == BIG5
            && result != EncoderResult::InputEmpty
            && let Some(&code) = hkscs_codes().get(&c)
        {
            (result, written) = (EncoderResult::InputEmpty, 2);
            buf[..2].copy_from_slice(&code);
        }
        let exact = result == EncoderResult::InputEmpty
            && c != '\u{FFFD}'
            && !c.is_ascii_control()
            && codec.decode_without_bom_handling_and_without_replacement(&buf[..written]).as_deref()
                == Some(s);
        if exact {
            run.offsets.push((i, run.bytes.len()));
            run.bytes.extend_from_slice(&buf[..written]);
        } else if codec == BIG5 && c == '\u{FFFD}' {
            // A code Big5 has no character for: a character lost, which
            // the run goes on over (no bytes, read as U+FFFD).
            run.offsets.push((i, run.bytes.len()));
        } else {
            close(&mut run, i, &mut runs);
        }
    }
    close(&mut run, line.len(), &mut runs);
    runs
}

/// The Big5 codes with a lead byte 87–A0 (Hong Kong additions) that the
/// decoder reads and the encoder does not write (the Encoding Standard
/// leaves them out of Big5 output), by the character they are read as: a
/// run of GBK read as Big5 has them wherever GBK's own additions stood.
fn hkscs_codes() -> &'static std::collections::HashMap<char, [u8; 2]> {
    static CODES: OnceLock<std::collections::HashMap<char, [u8; 2]>> = OnceLock::new();
    CODES.get_or_init(|| {
        let mut codes = std::collections::HashMap::new();
        for lead in 0x87..=0xA0u8 {
            for trail in (0x40..=0x7Eu8).chain(0xA1..=0xFE) {
                let code = [lead, trail];
                let Some(s) = BIG5.decode_without_bom_handling_and_without_replacement(&code) else {
                    continue;
                };
                let mut chars = s.chars();
                if let (Some(c), None) = (chars.next(), chars.next()) {
                    codes.entry(c).or_insert(code);
                }
            }
        }
        codes
    })
}

/// The pieces of a run read as UTF-8 (see the module docs), added to
/// `found` when plausible.
fn utf8_pieces(line: &str, run: &Run, found: &mut Vec<Piece>) {
    let mut p = 0;
    while p < run.len() {
        let from = run.offsets[p].1;
        let (valid, cut_short) = match std::str::from_utf8(&run.bytes[from..]) {
            Ok(s) => (s, false),
            Err(e) => {
                let s = std::str::from_utf8(&run.bytes[from..from + e.valid_up_to()]).unwrap_or_default();
                (s, e.error_len().is_none())
            }
        };
        let end_byte = from + valid.len();
        // The last character of the run whose bytes end at a character of
        // the reading.
        let q = (p + 1..=run.len())
            .rev()
            .find(|&q| run.offsets[q].1 <= end_byte && valid.is_char_boundary(run.offsets[q].1 - from))
            .unwrap_or(p);
        let text_end = run.offsets[run.len()].0;
        // The bytes stop inside a sequence at the end of the run, right
        // before a U+FFFD: the byte lost there ended the last character.
        if cut_short && line[text_end..].starts_with('\u{FFFD}') {
            let start = run.offsets[p].0;
            let reading = format!("{valid}\u{FFFD}");
            let end = text_end + '\u{FFFD}'.len_utf8();
            let v = verdict(&line[start..end], &reading, MIN_CHARS);
            if v != Verdict::No {
                found.push((start, end, reading, v));
                return;
            }
        }
        if q > p {
            let (start, end) = (run.offsets[p].0, run.offsets[q].0);
            let reading = &valid[..run.offsets[q].1 - from];
            let v = verdict(&line[start..end], reading, MIN_CHARS);
            if v != Verdict::No {
                found.push((start, end, reading.to_owned(), v));
            }
            p = q;
        } else {
            p += 1;
        }
    }
}

/// Each character of a run of a double-byte codec read as `codec`: one
/// character, or `None` where `codec` has none.
fn read_pairs(run: &Run, codec: &'static Encoding) -> Vec<Option<char>> {
    run.offsets
        .windows(2)
        .map(|w| {
            if w[0].1 == w[1].1 {
                return Some('\u{FFFD}');
            }
            let s = codec.decode_without_bom_handling_and_without_replacement(&run.bytes[w[0].1..w[1].1])?;
            let mut chars = s.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if c != '\u{FFFD}' => Some(c),
                _ => None,
            }
        })
        .collect()
}

/// What reading each character of a run in the other double-byte codec
/// gains: the weight in context of what it reads as, less that of the
/// character as it stands (0 for ASCII); `None` where the other codec has
/// no character.
fn gains(line: &str, run: &Run, chars: &[Option<char>]) -> Vec<Option<i64>> {
    let text: Vec<char> = line[run.offsets[0].0..run.offsets[run.len()].0].chars().collect();
    let read: Vec<char> = chars.iter().map(|c| c.unwrap_or('\u{FFFD}')).collect();
    let (old, new) = (weights(&text, true), weights(&read, false));
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| c.map(|c| if c.is_ascii() { 0 } else { i64::from(new[i] - old[i]) }))
        .collect()
}

/// The pieces of `run[lo..hi]` read in the other double-byte codec: the
/// stretch where the reading gains most over the text as it stands, if
/// plausible, then the same on each side of it. Characters the other codec
/// has none for end a stretch.
fn best_pieces(
    line: &str,
    run: &Run,
    chars: &[Option<char>],
    gains: &[Option<i64>],
    (lo, hi): (usize, usize),
    found: &mut Vec<Piece>,
) {
    let Some((a, b)) = best_stretch(gains, lo, hi) else {
        return;
    };
    let (start, end) = (run.offsets[a].0, run.offsets[b].0);
    let reading = reading_of(&chars[a..b]);
    // (Alone: a single character that gains is no evidence, however
    // much the line around it is mis-decoded.)
    let v = verdict(&line[start..end], &reading, MIN_CHARS_DOUBLE_BYTE);
    // A wrong codec reads a run whole: a plausible piece takes in the
    // characters left at the ends of its range, two at most, that read as
    // common ideographs (`綜觀` read as GBK is `侯芠`, and `侯` weighs more
    // than `綜`: the stretch that gains most starts after it).
    let (a, b) = if v == Verdict::Plausible { take_in_ends(chars, (lo, hi), (a, b)) } else { (a, b) };
    let (start, end) = (run.offsets[a].0, run.offsets[b].0);
    let reading = reading_of(&chars[a..b]);
    best_pieces(line, run, chars, gains, (lo, a), found);
    if v == Verdict::Plausible {
        found.push((start, end, reading, v));
    }
    best_pieces(line, run, chars, gains, (b, hi), found);
}

/// The text of a piece's reading in the other double-byte codec. A lost
/// character (U+FFFD, Big5 having no character for a GBK code) followed by
/// one ASCII character `@`–`~` standing alone before a non-ASCII one is one
/// character: Big5 keeps a second byte in the ASCII range as a letter
/// (`並` read as Big5 is `�K`), and the letter goes with the U+FFFD.
fn reading_of(chars: &[Option<char>]) -> String {
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        let Some(c) = *c else { continue };
        let lost_before = i > 0 && chars[i - 1] == Some('\u{FFFD}');
        let non_ascii_after = chars.get(i + 1).is_some_and(|n| n.is_some_and(|n| !n.is_ascii()));
        if lost_before && ('@'..='~').contains(&c) && non_ascii_after {
            continue;
        }
        out.push(c);
    }
    out
}

/// The stretch `(a, b)` of `chars[lo..hi]`, grown to the first and to the
/// last non-ASCII character of the range where no more than
/// [`ENDS_TAKEN_IN`] of them lie beyond it, each reading as an ideograph
/// that weighs 1 or more (see [`best_pieces`]); ASCII reads as itself, and
/// a character lost (U+FFFD) is taken in without counting.
fn take_in_ends(chars: &[Option<char>], (lo, hi): (usize, usize), (a, b): (usize, usize)) -> (usize, usize) {
    let common = |c: &Option<char>| {
        c.is_some_and(|c| c.is_ascii() || c == '\u{FFFD}' || (ideographs_in(c) && weight(c) >= 1))
    };
    let counted = |c: &&Option<char>| c.is_some_and(|c| !c.is_ascii() && c != '\u{FFFD}');
    let taken =
        |r: &[Option<char>]| r.iter().all(common) && r.iter().filter(counted).count() <= ENDS_TAKEN_IN;
    let non_ascii = |i: &usize| chars[*i].is_some_and(|c| !c.is_ascii());
    let a = match (lo..a).find(non_ascii) {
        Some(first) if taken(&chars[lo..a]) => first,
        _ => a,
    };
    let b = match (b..hi).rev().find(non_ascii) {
        Some(last) if taken(&chars[b..hi]) => last + 1,
        _ => b,
    };
    (a, b)
}

/// How many characters at most [`take_in_ends`] takes in at each end.
const ENDS_TAKEN_IN: usize = 2;

/// Whether `c` is an ideograph of the main block or Extension A.
fn ideographs_in(c: char) -> bool {
    matches!(u32::from(c), 0x3400..=0x4DBF | 0x4E00..=0x9FFF)
}

/// The stretch of `gains[lo..hi]` with the largest sum (Kadane's way), as
/// character indices; `None` when no stretch gains.
fn best_stretch(gains: &[Option<i64>], lo: usize, hi: usize) -> Option<(usize, usize)> {
    let mut best: Option<(i64, usize, usize)> = None;
    let (mut sum, mut from) = (0i64, lo);
    for (i, gain) in gains.iter().enumerate().take(hi).skip(lo) {
        let Some(gain) = *gain else {
            (sum, from) = (0, i + 1);
            continue;
        };
        if sum <= 0 {
            (sum, from) = (0, i);
        }
        sum += gain;
        if sum > 0 && best.is_none_or(|(s, _, _)| sum > s) {
            best = Some((sum, from, i + 1));
        }
    }
    best.map(|(_, a, b)| (a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_piece_takes_in_the_ends_of_its_run() {
        let c = |s: &str| s.chars().map(Some).collect::<Vec<_>>();
        // Up to two common ideographs at each end, ASCII crossed.
        assert_eq!(take_in_ends(&c("政府帶頭"), (0, 4), (1, 4)), (0, 4));
        assert_eq!(take_in_ends(&c("5. 政府帶頭"), (0, 7), (4, 7)), (3, 7));
        assert_eq!(take_in_ends(&c("香港政府帶頭"), (0, 6), (2, 5)), (0, 6));
        // Three are too many; a rare reading or none is not taken in.
        assert_eq!(take_in_ends(&c("香港人政府"), (0, 5), (3, 5)), (3, 5));
        assert_eq!(take_in_ends(&c("ㄅ政府"), (0, 3), (1, 3)), (1, 3));
        assert_eq!(take_in_ends(&[None, Some('政'), Some('府')], (0, 3), (1, 3)), (1, 3));
    }

    #[test]
    fn a_run_goes_on_over_characters_big5_has_none_for() {
        // `並` and `國` (and others) written in GBK have no Big5
        // character: read as Big5 they are U+FFFD, `並` with its second
        // byte kept as `K`.
        let text = "政府並推動國際合作，發展數據產業";
        let bad = gbk_as_big5(text);
        assert!(bad.contains("\u{FFFD}K"), "{bad}");
        let lost = |c: char| gbk_as_big5(&c.to_string()).contains('\u{FFFD}');
        assert!(lost('並') && lost('國') && !lost('政'));
        let want: String = text.chars().map(|c| if lost(c) { '\u{FFFD}' } else { c }).collect();
        assert_eq!(repair(&bad), want);
        // The letter goes with the U+FFFD only between it and a non-ASCII
        // character: `AI` after a lost character stays.
        let c = |s: &str| s.chars().map(Some).collect::<Vec<_>>();
        assert_eq!(reading_of(&c("推\u{FFFD}K香港")), "推\u{FFFD}香港");
        assert_eq!(reading_of(&c("推\u{FFFD}AI香港")), "推\u{FFFD}AI香港");
        assert_eq!(reading_of(&c("推\u{FFFD}K")), "推\u{FFFD}K");
    }

    #[test]
    fn bopomofo_weighs_as_a_word_only() {
        let w = |s: &str| weights(&s.chars().collect::<Vec<_>>(), true);
        assert_eq!(w("ㄗ眅"), vec![-2, weight('眅')]);
        assert_eq!(w("ㄅㄆ"), vec![2, 2]);
        // A reading annotation stays, and so does a lone bopomofo of
        // Taiwanese online writing (`ㄉ` for `的`).
        for clean in ["注音符號ㄅㄆㄇㄈ，第一課", "我ㄉ天啊，真的好ㄅ", "這是我ㄉ新書ㄛ"]
        {
            assert!(matches!(repair(clean), Cow::Borrowed(_)), "{clean}");
        }
        // GBK's `（香港，` read as Big5, before clean text.
        let head = gbk_as_big5("（香港，");
        assert_eq!(head, "ㄗ眅誠ㄛ");
        assert_eq!(repair(&format!("{head}2023年11月10日")), "（香港，2023年11月10日");
    }

    #[test]
    fn short_pieces_that_gain_twice_the_rule() {
        // The head of a line, three or four characters, read back alone.
        let head = big5_as_gbk("（香港，");
        assert!(head.chars().count() < MIN_CHARS_DOUBLE_BYTE as usize);
        assert_eq!(repair(&format!("{head}2023年11月10日")), "（香港，2023年11月10日");
        // Clean short lines of rare characters are not.
        for clean in ["䶮䶯䶰", "囧囧囧", "㗎㗎嘢"] {
            assert!(matches!(repair(clean), Cow::Borrowed(_)), "{clean}");
        }
    }

    fn utf8_as_gbk(s: &str) -> String {
        GBK.decode_without_bom_handling(s.as_bytes()).0.into_owned()
    }

    fn big5_as_gbk(s: &str) -> String {
        GBK.decode_without_bom_handling(&BIG5.encode(s).0).0.into_owned()
    }

    fn gbk_as_big5(s: &str) -> String {
        BIG5.decode_without_bom_handling(&GBK.encode(s).0).0.into_owned()
    }

    #[test]
    fn the_corruptions() {
        assert_eq!(utf8_as_gbk("你好"), "浣犲ソ");
        assert_eq!(big5_as_gbk("中文"), "いゅ");
        assert_eq!(gbk_as_big5("中文"), "笢恅");
    }

    #[test]
    fn utf8_read_as_gbk() {
        assert_eq!(repair("浣犲ソ"), "你好");
        assert_eq!(repair("棣欐腐鐢熺敘鍔涗績閫插眬"), "香港生產力促進局");
        // ASCII inside the piece, on a byte boundary of the reading.
        let s = "香港2023年的AI產業發展";
        assert_eq!(repair(&utf8_as_gbk(s)), s);
    }

    #[test]
    fn a_mis_decoded_title_over_a_clean_body() {
        let title = "香港人工智能產業發展研究";
        let body = "生產力局今天公布研究結果。";
        let text = format!("{}\n{body}\n", utf8_as_gbk(title));
        assert_eq!(repair(&text), format!("{title}\n{body}\n"));
        assert_eq!(repair_counted(&text).1, 1);
        // On one line: the garbled head (an even number of bytes) before
        // clean text.
        let head = "生產力局今天公布了，";
        let line = format!("{}{body}", utf8_as_gbk(head));
        assert_eq!(repair(&line), format!("{head}{body}"));
        // An odd number: the last byte, alone at the end of the garbled
        // head, was lost with the `，` it ended.
        let line = format!("{}{body}", utf8_as_gbk("生產力局今天公布，"));
        assert_eq!(repair(&line), format!("生產力局今天公布\u{FFFD}{body}"));
    }

    #[test]
    fn a_lost_byte_becomes_one_replacement_character() {
        // Nine bytes: the last one, paired with the line end, is lost.
        let bad = utf8_as_gbk("生產力\n");
        assert_eq!(bad, "鐢熺敘鍔\u{FFFD}\n");
        assert_eq!(repair(&bad), "生產\u{FFFD}\n");
        // Paired with an ASCII letter, the byte is kept: nothing lost.
        let bad = utf8_as_gbk("生產力A");
        assert_eq!(repair(&bad), "生產力A");
    }

    #[test]
    fn big5_read_as_gbk() {
        let s = "香港生產力促進局今天公布研究結果";
        assert_eq!(repair(&big5_as_gbk(s)), s);
        // Only the first sentence garbled.
        let (head, tail) = ("香港生產力促進局，", "今天公布研究結果。");
        assert_eq!(repair(&format!("{}{tail}", big5_as_gbk(head))), format!("{head}{tail}"));
    }

    #[test]
    fn gbk_read_as_big5() {
        let s = "香港生产力促进局今天公布研究结果";
        assert_eq!(repair(&gbk_as_big5(s)), s);
        let (head, tail) = ("香港生产力促进局，", "今天公布研究结果。");
        assert_eq!(repair(&format!("{}{tail}", gbk_as_big5(head))), format!("{head}{tail}"));
    }

    #[test]
    fn clean_text_is_borrowed() {
        for clean in [
            "香港生產力促進局（生產力局）今天公布研究結果。",
            "香港生产力促进局今天公布研究结果。",
            "佢哋聽日會去旺角食嘢，你嚟唔嚟呀？阮兜佇台南，逐工攏愛食一碗擔仔麵。",
            "日本語のテキストも混ざっています。カタカナ、ひらがな。한국어 문장도 함께 있습니다.",
            "Dündar、Benoît 與 François 在 São Paulo 見面。€100 ± 5 °C，½ × ¼ ≤ π",
            "魑魅魍魎，饕餮，龘靐齉爩。┌─┐ ①②③ αβγ абв",
            "",
        ] {
            assert!(matches!(repair(clean), Cow::Borrowed(_)), "{clean:?} -> {:?}", repair(clean));
        }
    }

    #[test]
    fn the_weights_and_the_rule() {
        assert_eq!(weight('的'), 2);
        assert_eq!(weight('ソ'), 1);
        assert_eq!(weight('\u{E000}'), -2);
        assert!(rare('浣') && !rare('你') && !rare('é'));
        assert!(plausible("浣犲ソ", "你好"));
        assert!(!plausible("你好", "浣犲ソ"));
        // One character is too little.
        assert!(!plausible("浣犲", "你"));
        assert!(suspect("浣犲ソ") && !suspect("你好，世界"));
    }

    #[test]
    fn any_text_no_panic() {
        for s in ["\u{FFFD}", "浣\u{FFFD}", "\u{FFFD}浣犲", "浣犲\n\u{FFFD}", "€€€浣犲", "ソソソ"]
        {
            let _ = repair(s);
        }
    }
}
