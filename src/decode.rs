//! Decoding bytes into text.
//!
//! # The problem
//!
//! Chinese text on the web comes as UTF-8, as Big5 (Taiwan and Hong Kong,
//! here always Big5-HKSCS), as GBK/GB18030 (the mainland), now and then as
//! UTF-16, and it is rarely labelled. Getting the encoding wrong does not
//! fail loudly: it produces fluent-looking garbage that every later stage
//! cleans with care. Decoding therefore follows four rules.
//!
//! 1. **A byte-order mark decides.** `EF BB BF`, `FF FE` and `FE FF` are
//!    declarations, not guesses, and UTF-16 text, where every other byte is
//!    often zero, means nothing to a byte-oriented detector. The mark is
//!    consumed.
//! 2. **UTF-8 first.** UTF-8 is so strictly structured that text of any
//!    length in another encoding practically never validates as UTF-8, so
//!    valid UTF-8 is UTF-8. Only the first [`SNIFF_LEN`] bytes are looked
//!    at, and a character cut at the end of that window does not count
//!    against it. Only a few bytes can be valid by chance: `医院` in GBK is
//!    `ҽԺ` in UTF-8. Such input is still taken as UTF-8, but not
//!    confidently when it reads as Chinese in GBK.
//! 3. **Short Chinese is hard; judge the decoded text, not the bytes.** Big5
//!    and GBK are both two-byte encodings whose byte ranges overlap, and so
//!    do Shift_JIS and EUC-JP. `中文` in Big5 is `A4 A4 A4 E5`; in GBK or
//!    EUC-JP the same bytes are two kana, `いゅ`. A general statistical
//!    detector needs more than two characters of evidence and often guesses
//!    Japanese. Here each candidate (Big5, GB18030 and the general detector's
//!    guess) decodes the head *without replacement*; a candidate that meets a
//!    malformed sequence is out, and the rest are ranked by how plausible
//!    their text is as Chinese. Frequent Han characters (a built-in list of
//!    about a thousand, in Traditional and Simplified forms) count most, then
//!    the frequent levels of Big5 and GB2312, and Chinese punctuation;
//!    ideographs that neither Big5 nor GB2312 has count against, and so do
//!    kana, hangul, extension ideographs, private-use characters, C1
//!    controls, box drawing and Latin-1 symbols. Only Big5 or GB18030 can be
//!    a confident answer: this is a tool for Chinese, and the general
//!    detector's guess (Japanese, Korean, a single-byte encoding) is only
//!    the fallback when neither fits.
//! 4. **Never silent garbage.** When no candidate decodes the head cleanly
//!    (mixed encodings, a binary file), when the best one does not look like
//!    Chinese, or when two candidates are about as plausible, the
//!    [`Detection`] says it is *not confident*, so that the caller can warn or
//!    refuse. And invalid bytes in any encoding, given or detected, are an
//!    error naming their byte offset in the input ([`DecodeError`]), unless
//!    decoding is *lossy*, when each malformed sequence becomes U+FFFD.
//!
//! # The API
//!
//! * [`decode`] decodes a whole buffer, borrowing it when it is UTF-8.
//! * [`DecodeReader`] decodes a stream into UTF-8 bytes in bounded memory;
//!   [`DecodeReader::detection`] tells what was detected.
//! * [`detect`] only detects, from the head of the input.
//! * [`EncodingChoice`] is what the caller asks for (`auto`, `big5`, …);
//!   [`Detection`] and [`Reason`] are the answer.
//! * [`utf8`] validates UTF-8 alone, with [`InvalidUtf8`] as its error.
//!
//! ```
//! use std::io::Read;
//! use zh_clean::decode::{DecodeReader, EncodingChoice, decode};
//!
//! // 中文 in Big5: two characters are enough.
//! let big5 = [0xA4, 0xA4, 0xA4, 0xE5];
//! let (text, detection) = decode(&big5, EncodingChoice::Auto, false).unwrap();
//! assert_eq!(text, "中文");
//! assert_eq!(detection.encoding, encoding_rs::BIG5);
//! assert!(detection.confident);
//!
//! // The same, as a stream.
//! let mut reader = DecodeReader::new(&big5[..], EncodingChoice::Auto, false).unwrap();
//! assert_eq!(reader.detection().unwrap().encoding, encoding_rs::BIG5);
//! let mut text = String::new();
//! reader.read_to_string(&mut text).unwrap();
//! assert_eq!(text, "中文");
//!
//! // Invalid bytes are an error naming their offset, unless lossy.
//! let bad = [0xA4, 0xA4, 0xA4, 0xFF];
//! let big5_choice: EncodingChoice = "big5".parse().unwrap();
//! let err = decode(&bad, big5_choice, false).unwrap_err();
//! assert_eq!(err.to_string(), "invalid Big5 at byte offset 2 (bytes a4 ff)");
//! assert_eq!(decode(&bad, big5_choice, true).unwrap().0, "中\u{FFFD}");
//!
//! // Big5 followed by UTF-8: no candidate is sure.
//! let mut mixed = encoding_rs::BIG5.encode("香港的天氣很好。").0.into_owned();
//! mixed.extend_from_slice("今天下雨。".as_bytes());
//! let (_, detection) = decode(&mixed, EncodingChoice::Auto, true).unwrap();
//! assert!(!detection.confident);
//! ```

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Read};
use std::str::FromStr;
use std::sync::OnceLock;

use encoding_rs::{BIG5, Decoder, DecoderResult, Encoding, GB18030, GBK, UTF_8};

/// How many bytes at the start of the input detection looks at.
pub const SNIFF_LEN: usize = 64 * 1024;

/// Input that is not valid UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidUtf8 {
    /// Byte offset of the first invalid byte.
    pub offset: usize,
    /// Up to four bytes from that offset.
    pub bytes: Vec<u8>,
}

impl fmt::Display for InvalidUtf8 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid UTF-8 at byte offset {} (bytes", self.offset)?;
        for b in &self.bytes {
            write!(f, " {b:02x}")?;
        }
        write!(f, ")")
    }
}

impl std::error::Error for InvalidUtf8 {}

/// Decodes `bytes` as UTF-8. With `lossy`, invalid sequences become
/// U+FFFD; without, the first one is an error naming its offset.
///
/// ```
/// use zh_clean::decode::utf8;
/// assert_eq!(utf8("香港".as_bytes(), false).unwrap(), "香港");
/// let err = utf8(b"ab\xffcd", false).unwrap_err();
/// assert_eq!(err.offset, 2);
/// assert_eq!(utf8(b"ab\xffcd", true).unwrap(), "ab\u{FFFD}cd");
/// ```
pub fn utf8(bytes: &[u8], lossy: bool) -> Result<Cow<'_, str>, InvalidUtf8> {
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return Ok(Cow::Borrowed(s));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(_) if lossy => Ok(String::from_utf8_lossy(bytes)),
        Err(e) => {
            let offset = e.valid_up_to();
            Err(InvalidUtf8 { offset, bytes: bytes[offset..].iter().take(4).copied().collect() })
        }
    }
}

/// Input that is not valid in its encoding.
///
/// ```
/// use zh_clean::decode::{DecodeError, EncodingChoice, decode};
/// let err = decode(b"ab\xA4\xFF", EncodingChoice::Big5, false).unwrap_err();
/// assert_eq!(err, DecodeError { encoding: "Big5", offset: 2, bytes: vec![0xA4, 0xFF] });
/// assert_eq!(err.to_string(), "invalid Big5 at byte offset 2 (bytes a4 ff)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// The name of the encoding (`"UTF-8"`, `"Big5"`, `"GB18030"`, …).
    pub encoding: &'static str,
    /// Byte offset, in the whole input, of the first byte of the malformed
    /// sequence.
    pub offset: usize,
    /// The malformed sequence (for UTF-8, up to four bytes from `offset`).
    pub bytes: Vec<u8>,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} at byte offset {} (bytes", self.encoding, self.offset)?;
        for b in &self.bytes {
            write!(f, " {b:02x}")?;
        }
        write!(f, ")")
    }
}

impl std::error::Error for DecodeError {}

impl From<InvalidUtf8> for DecodeError {
    fn from(e: InvalidUtf8) -> DecodeError {
        DecodeError { encoding: "UTF-8", offset: e.offset, bytes: e.bytes }
    }
}

impl From<DecodeError> for io::Error {
    /// An error of kind [`io::ErrorKind::InvalidData`] wrapping the
    /// [`DecodeError`].
    fn from(e: DecodeError) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, e)
    }
}

/// The display name of an encoding: its WHATWG name, with GB18030 and GBK
/// in capitals.
///
/// ```
/// use zh_clean::decode::encoding_name;
/// assert_eq!(encoding_name(encoding_rs::BIG5), "Big5");
/// assert_eq!(encoding_name(encoding_rs::GB18030), "GB18030");
/// ```
pub fn encoding_name(encoding: &'static Encoding) -> &'static str {
    if encoding == GB18030 {
        "GB18030"
    } else if encoding == GBK {
        "GBK"
    } else {
        encoding.name()
    }
}

/// The encoding asked for: detect it, or a given one.
///
/// Parses from `auto`, `utf-8` (`utf8`), `big5`, `gb18030` (`gbk`),
/// `utf-16le` (`utf16le`), `utf-16be` (`utf16be`), and any other WHATWG
/// encoding label (`shift_jis`, `windows-1252`, …), case-insensitively.
///
/// ```
/// use zh_clean::decode::EncodingChoice;
/// assert_eq!("auto".parse(), Ok(EncodingChoice::Auto));
/// assert_eq!("UTF8".parse(), Ok(EncodingChoice::Utf8));
/// assert_eq!("gbk".parse(), Ok(EncodingChoice::Gb18030));
/// assert_eq!("utf-16be".parse(), Ok(EncodingChoice::Utf16Be));
/// assert_eq!("shift_jis".parse(), Ok(EncodingChoice::Other(encoding_rs::SHIFT_JIS)));
/// assert!("klingon".parse::<EncodingChoice>().is_err());
/// assert_eq!(EncodingChoice::Big5.to_string(), "big5");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EncodingChoice {
    /// Detect: byte-order mark, then UTF-8, then the most plausible Chinese
    /// decoding (see [`detect`]).
    #[default]
    Auto,
    /// UTF-8.
    Utf8,
    /// Big5 (as Big5-HKSCS, which extends it).
    Big5,
    /// GB18030, which extends GBK and GB2312.
    Gb18030,
    /// UTF-16, little-endian.
    Utf16Le,
    /// UTF-16, big-endian.
    Utf16Be,
    /// Any other encoding of the WHATWG Encoding Standard.
    Other(&'static Encoding),
}

impl EncodingChoice {
    /// The encoding chosen, or `None` for [`EncodingChoice::Auto`].
    pub fn encoding(self) -> Option<&'static Encoding> {
        match self {
            EncodingChoice::Auto => None,
            EncodingChoice::Utf8 => Some(UTF_8),
            EncodingChoice::Big5 => Some(BIG5),
            EncodingChoice::Gb18030 => Some(GB18030),
            EncodingChoice::Utf16Le => Some(encoding_rs::UTF_16LE),
            EncodingChoice::Utf16Be => Some(encoding_rs::UTF_16BE),
            EncodingChoice::Other(encoding) => Some(encoding),
        }
    }

    /// The choice of a given encoding, as a named variant when there is one
    /// (GBK is decoded as GB18030, its superset).
    pub fn from_encoding(encoding: &'static Encoding) -> EncodingChoice {
        if encoding == UTF_8 {
            EncodingChoice::Utf8
        } else if encoding == BIG5 {
            EncodingChoice::Big5
        } else if encoding == GB18030 || encoding == GBK {
            EncodingChoice::Gb18030
        } else if encoding == encoding_rs::UTF_16LE {
            EncodingChoice::Utf16Le
        } else if encoding == encoding_rs::UTF_16BE {
            EncodingChoice::Utf16Be
        } else {
            EncodingChoice::Other(encoding)
        }
    }
}

impl fmt::Display for EncodingChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EncodingChoice::Auto => "auto",
            EncodingChoice::Utf8 => "utf-8",
            EncodingChoice::Big5 => "big5",
            EncodingChoice::Gb18030 => "gb18030",
            EncodingChoice::Utf16Le => "utf-16le",
            EncodingChoice::Utf16Be => "utf-16be",
            EncodingChoice::Other(encoding) => encoding.name(),
        })
    }
}

/// An encoding label that [`EncodingChoice`] does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEncoding(pub String);

impl fmt::Display for UnknownEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown encoding `{}` (expected auto, utf-8, big5, gb18030, utf-16le, utf-16be \
             or another WHATWG encoding label)",
            self.0
        )
    }
}

impl std::error::Error for UnknownEncoding {}

impl FromStr for EncodingChoice {
    type Err = UnknownEncoding;

    fn from_str(s: &str) -> Result<EncodingChoice, UnknownEncoding> {
        let label = s.trim().to_ascii_lowercase();
        let label = match label.as_str() {
            "auto" => return Ok(EncodingChoice::Auto),
            "utf16le" => "utf-16le",
            "utf16be" => "utf-16be",
            other => other,
        };
        match Encoding::for_label_no_replacement(label.as_bytes()) {
            Some(encoding) => Ok(EncodingChoice::from_encoding(encoding)),
            None => Err(UnknownEncoding(s.to_owned())),
        }
    }
}

/// Written as its name (`utf-8`, `big5`, `shift_jis`), read as
/// [`FromStr`] reads it.
#[cfg(feature = "serde")]
impl serde::Serialize for EncodingChoice {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for EncodingChoice {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<EncodingChoice, D::Error> {
        let label = String::deserialize(deserializer)?;
        label.parse().map_err(serde::de::Error::custom)
    }
}

/// The encoding detected (or given), and how sure that is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detection {
    /// The encoding the input is decoded with.
    pub encoding: &'static Encoding,
    /// Length of the byte-order mark that was consumed (0 when none).
    pub bom_len: usize,
    /// False when the input may well be in another encoding, or mixes
    /// encodings: the caller should warn, or refuse.
    pub confident: bool,
    /// Why this encoding.
    pub reason: Reason,
}

impl Detection {
    /// The display name of the encoding (see [`encoding_name`]).
    pub fn name(&self) -> &'static str {
        encoding_name(self.encoding)
    }

    /// A warning for the user when the detection is not confident, such as
    /// `encoding guessed as Big5, not sure (GB18030 is about as plausible)`.
    ///
    /// ```
    /// use zh_clean::decode::{EncodingChoice, decode};
    /// let (_, detection) = decode(&[0xA4, 0xA4, 0xA4, 0xE5], EncodingChoice::Auto, false).unwrap();
    /// assert_eq!(detection.warning(), None);
    /// let (_, detection) = decode(b"caf\xE9 \xA4\xA4\xFF!", EncodingChoice::Auto, true).unwrap();
    /// assert!(detection.warning().unwrap().starts_with("encoding guessed as "));
    /// ```
    pub fn warning(&self) -> Option<String> {
        if self.confident {
            None
        } else {
            Some(format!("encoding guessed as {}, not sure ({})", self.name(), self.reason))
        }
    }
}

/// Why [`Detection::encoding`] was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// The caller gave the encoding.
    Explicit,
    /// A byte-order mark.
    Bom,
    /// The head is valid UTF-8 (or ASCII, or empty).
    Utf8,
    /// The head is valid UTF-8, but does not look like Chinese, while a
    /// Chinese encoding decodes it cleanly into mostly frequent Chinese
    /// characters (not confident): short GBK input can be valid UTF-8.
    Utf8Doubtful {
        /// The Chinese encoding.
        rival: &'static Encoding,
    },
    /// The only Chinese encoding (Big5 or GB18030) that decodes the head
    /// cleanly into plausible Chinese text, or clearly the most plausible
    /// one.
    Plausible,
    /// The other Chinese encoding decodes the head cleanly into text about
    /// as plausible (not confident).
    Ambiguous {
        /// The other candidate.
        runner_up: &'static Encoding,
    },
    /// Candidates decode the head cleanly, but none into plausible Chinese
    /// text (not confident).
    Implausible,
    /// No candidate decodes the head cleanly into plausible Chinese text;
    /// this one, with malformed sequences, is the most plausible (not
    /// confident).
    Malformed {
        /// Offset of its first malformed sequence.
        offset: usize,
    },
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Explicit => f.write_str("given"),
            Reason::Bom => f.write_str("byte-order mark"),
            Reason::Utf8 => f.write_str("valid UTF-8"),
            Reason::Utf8Doubtful { rival } => {
                write!(f, "valid UTF-8, but it reads better as Chinese in {}", encoding_name(rival))
            }
            Reason::Plausible => f.write_str("the most plausible decoding as Chinese"),
            Reason::Ambiguous { runner_up } => {
                write!(f, "{} is about as plausible", encoding_name(runner_up))
            }
            Reason::Implausible => f.write_str("no candidate decodes into plausible Chinese text"),
            Reason::Malformed { offset } => {
                write!(f, "no candidate decodes cleanly; invalid bytes at offset {offset}")
            }
        }
    }
}

/// The lowest plausibility (from -1 to 1) for a confident detection.
const MIN_PLAUSIBILITY: f64 = 0.25;
/// How much more plausible than the runner-up a confident detection is.
const MARGIN: f64 = 0.3;
/// How plausible a Chinese decoding of valid UTF-8 that does not look like
/// Chinese must be to cast doubt on it: mostly frequent characters (Latin
/// letters in UTF-8 read as GBK give rarer ones).
const UTF8_RIVAL_PLAUSIBILITY: f64 = 0.75;

/// Detects the encoding of an input from its `head` (at most [`SNIFF_LEN`]
/// bytes are used); `complete` says that the head is the whole input.
///
/// In order: a byte-order mark; valid UTF-8 (a character cut at the end of
/// an incomplete head counts as valid; not confident when the text does
/// not look like Chinese but reads as frequent Chinese characters in GBK or
/// Big5); otherwise Big5, GB18030 and the guess of a general-purpose
/// detector decode the head without replacement, and the clean ones are
/// ranked by plausibility as Chinese text (see the [module](self)
/// documentation).
///
/// ```
/// use zh_clean::decode::{Reason, detect};
/// let gbk = encoding_rs::GBK.encode("中国").0;
/// let detection = detect(&gbk, true);
/// assert_eq!(detection.encoding, encoding_rs::GB18030);
/// assert_eq!(detection.reason, Reason::Plausible);
/// assert_eq!(detect(b"\xFF\xFE-\x4E", true).encoding, encoding_rs::UTF_16LE);
/// assert_eq!(detect("中文".as_bytes(), true).reason, Reason::Utf8);
/// ```
pub fn detect(head: &[u8], complete: bool) -> Detection {
    let head = &head[..head.len().min(SNIFF_LEN)];
    if let Some((encoding, bom_len)) = Encoding::for_bom(head) {
        return Detection { encoding, bom_len, confident: true, reason: Reason::Bom };
    }
    if looks_utf8(head, complete) {
        return utf8_detection(head, complete);
    }
    decide(&candidates(head, complete))
}

/// UTF-8, but not confident when the text is unlike Chinese and a Chinese
/// encoding reads it as frequent characters, as happens to short GBK
/// input: `医院` in GBK, `D2 BD D4 BA`, is also valid UTF-8, `ҽԺ`.
fn utf8_detection(head: &[u8], complete: bool) -> Detection {
    let sure = Detection { encoding: UTF_8, bom_len: 0, confident: true, reason: Reason::Utf8 };
    if head.is_ascii() {
        return sure;
    }
    let utf8 = score(UTF_8, head, complete).plausibility();
    if utf8 >= MIN_PLAUSIBILITY {
        return sure;
    }
    let rival =
        candidates(head, complete).into_iter().find(|c| c.first_error.is_none() && is_chinese(c.encoding));
    match rival {
        Some(rival) if rival.plausibility() >= UTF8_RIVAL_PLAUSIBILITY => {
            Detection { confident: false, reason: Reason::Utf8Doubtful { rival: rival.encoding }, ..sure }
        }
        _ => sure,
    }
}

/// Big5 or GB18030: the encodings a confident guess can be.
fn is_chinese(encoding: &'static Encoding) -> bool {
    encoding == BIG5 || encoding == GB18030
}

/// Valid UTF-8, or valid but for a character cut at the end of an
/// incomplete head.
fn looks_utf8(head: &[u8], complete: bool) -> bool {
    simdutf8::basic::from_utf8(head).is_ok()
        || (!complete && std::str::from_utf8(head).is_err_and(|e| e.error_len().is_none()))
}

/// One decoding of the head.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    encoding: &'static Encoding,
    /// Offset of the first malformed sequence.
    first_error: Option<usize>,
    /// Sum of character weights (see [`weight`]).
    sum: i64,
    /// Non-ASCII characters.
    count: usize,
}

impl Candidate {
    /// Plausibility, from -1 (nothing like Chinese) to 1.
    fn plausibility(&self) -> f64 {
        if self.count == 0 { 0.0 } else { self.sum as f64 / (GOOD as f64 * self.count as f64) }
    }
}

/// Big5, GB18030, the general detector's guess and UTF-8, each decoding
/// the head lossily and scored, most plausible first (ties in that order).
fn candidates(head: &[u8], complete: bool) -> Vec<Candidate> {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(head, complete);
    let mut guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    if guess == GBK {
        guess = GB18030;
    }
    let mut encodings = vec![BIG5, GB18030];
    if !encodings.contains(&guess) && guess != UTF_8 {
        encodings.push(guess);
    }
    encodings.push(UTF_8);
    let mut candidates: Vec<Candidate> = encodings.into_iter().map(|e| score(e, head, complete)).collect();
    candidates.sort_by(|a, b| b.plausibility().total_cmp(&a.plausibility()));
    candidates
}

/// Decodes the head with `encoding`, U+FFFD for malformed sequences, and
/// scores the text.
fn score(encoding: &'static Encoding, head: &[u8], complete: bool) -> Candidate {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(
        decoder.max_utf8_buffer_length_without_replacement(head.len()).unwrap_or(0).min(4 * SNIFF_LEN),
    );
    let mut first_error = None;
    let mut read = 0;
    loop {
        let (result, n) = decoder.decode_to_string_without_replacement(&head[read..], &mut text, complete);
        read += n;
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => text.reserve(head.len() - read + 16),
            DecoderResult::Malformed(bad, after) => {
                first_error = first_error.or(Some((read - after as usize).saturating_sub(bad as usize)));
                text.reserve(3 + 16);
                text.push('\u{FFFD}');
            }
        }
    }
    let mut candidate = Candidate { encoding, first_error, sum: 0, count: 0 };
    let mut prev = ' ';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if !c.is_ascii() {
            let mut w = weight(c);
            // Next to an ASCII letter, a Han character is more likely an
            // accented letter of UTF-8 misread as GBK (`café`) than Chinese.
            if prev.is_ascii_alphabetic() || chars.peek().is_some_and(char::is_ascii_alphabetic) {
                w = w.min(0);
            }
            candidate.count += 1;
            candidate.sum += i64::from(w);
        }
        prev = c;
    }
    candidate
}

/// The detection from scored candidates, most plausible first.
fn decide(candidates: &[Candidate]) -> Detection {
    let detection = |encoding, confident, reason| Detection { encoding, bom_len: 0, confident, reason };
    let mut clean = candidates.iter().filter(|c| c.first_error.is_none() && is_chinese(c.encoding));
    if let Some(best) = clean.next().filter(|c| c.plausibility() >= MIN_PLAUSIBILITY) {
        return match clean.next() {
            Some(second) if best.plausibility() - second.plausibility() < MARGIN => {
                detection(best.encoding, false, Reason::Ambiguous { runner_up: second.encoding })
            }
            _ => detection(best.encoding, true, Reason::Plausible),
        };
    }
    match candidates.first() {
        Some(best) => match best.first_error {
            None => detection(best.encoding, false, Reason::Implausible),
            Some(offset) => detection(best.encoding, false, Reason::Malformed { offset }),
        },
        None => detection(UTF_8, false, Reason::Implausible),
    }
}

/// Weight of a frequent Han character or of a U+FFFD.
const GOOD: i32 = 2;
/// Weight of Chinese punctuation.
const PUNCT: i32 = 1;
/// Weight of what Chinese text rarely contains and mis-decoded bytes often
/// do.
const BAD: i32 = -2;

/// How much a non-ASCII character speaks for the text being Chinese.
fn weight(c: char) -> i32 {
    match u32::from(c) {
        0x4E00..=0x9FFF => han_weight(c),
        // Ideographic and CJK punctuation, fullwidth forms, vertical forms,
        // general punctuation (quotes, dashes, ellipsis).
        0x3000..=0x303F | 0xFF01..=0xFF60 | 0xFE30..=0xFE4F | 0x2010..=0x2027 => PUNCT,
        0xB7 => 0,
        // C1 controls; Latin-1 symbols, ×, ÷: single-byte mojibake.
        0x80..=0x9F | 0xA1..=0xBF | 0xD7 | 0xF7 => BAD,
        // Box drawing and block elements.
        0x2500..=0x259F => BAD,
        // Kana, halfwidth kana, hangul.
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF61..=0xFF9F => BAD,
        0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => BAD,
        // Extension A, compatibility ideographs, private use, U+FFFD,
        // and beyond the multilingual planes (extensions B and later,
        // supplementary private use).
        0x3400..=0x4DBF | 0xF900..=0xFAFF | 0xE000..=0xF8FF | 0xFFFD | 0x20000.. => BAD,
        _ => 0,
    }
}

/// About a thousand frequent characters in Traditional forms (with Hong Kong
/// and Taiwan usage).
const COMMON_TRADITIONAL: &str = concat!(
    "的一是不了在人有我他這個們中來上大為和國地到以說時要就出會可也你對生能而子那得",
    "於著下自之年過發後作裡裏用道行所然家種事成方多經麼去法學如都同現當沒動面起看定天",
    "分還進好小部其些主樣理心她本前開但因只從想實日軍者意無力它與長把機十民第公此已工",
    "使情明性知全三又關點正業外將兩高間由問很最重並物手應戰向頭文體政美相見被利什二等",
    "產或新己製制身果加西斯月話合回特代內信表化老給世位次度門任常先海通教兒原東聲提立",
    "及比員解水名真論處走義各入幾口認條平系係氣題活爾更別打女變四神總何電數安少報才結",
    "反受目太量再感建務做接必場件計管期市直德資命山金指克許統區保至隊形社便空決治展馬",
    "科司五基眼書非則聽白卻界達光放強即像難且權思王象完設式色路記南品住告類求據程北邊",
    "死張該交規萬取拉格望覺術領共確傳師觀清今切院讓識候帶導爭運笑飛風步改收根乾幹造言",
    "聯持組每濟車親極林服快辦議往元英士證近失轉夫令準布始怎呢存未遠叫台臺單影具羅字愛",
    "擊流備兵連調深商算質團集百需價花黨華城石級整府離況亞請技際約示復複病息究線綫似官",
    "火斷精滿支視消越器容照須九增研寫稱企八功嗎包片史委乎查輕易早曾除農找裝廣顯吧阿李",
    "標談吃圖念六引歷首醫局突專費號盡另周週較注語僅考落青隨選列武紅響雖推勢參希古眾衆",
    "構房半節土投某案黑維革劃敵致陳律足態護七興派孩驗責營星夠章音跟志底站嚴巴例防族供",
    "效續施留講型料終答緊黃絕奇察母京段依批群項故按河米圍江織害鬥雙境客紀採舉殺攻父蘇",
    "密低朝友訴止細願千值仍男錢破網熱助倒育屬坐村職室臉讀樹藥詩床洗樓跑睡飯菜茶酒街店",
    "買賣鐘課校試班漢詞句唱歌畫腦銀港灣澳省縣鎮鄉雲雨雪雷鳥魚蟲牛羊豬狗貓雞龍虎藍綠灰",
    "紫零億塊貿股票融險稅籌紙筆警軟件絡博客頻遊戲玩啊哦嗯呀哪誰晚午夜春夏秋冬昨左右舊",
    "壞冷短假錯爸媽爺奶哥姐弟妹療康疫聞播雜誌範狀樂球籃賽園寶貝靜默忙累餓渴痛苦甜酸辣",
    "鹹穿衣鞋帽澡刷牙待謝歡迎喜繼敗努堅棄擇慮討銷售潤董裁招聘薪福退休旅航鐵罪判偵策措",
    "苗毒染診亡患症檢測罩環創互智戶牌括擴減降超促援協競優挑危壓困衛負忘懷疑擔怕厭租幣",
    "盤末宣佈披露透顧址頁訪瀏覽登錄帳碼士物術您啦剛概挺敢肯歲啟衞峯爲",
    "嘅咗喺冇佢啲嘢唔咁嗰乜哋睇搵俾嚟咩啱嘛妳麗",
);

/// About a thousand frequent characters in Simplified forms.
const COMMON_SIMPLIFIED: &str = concat!(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得",
    "于着下自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分",
    "还进好小部其些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使",
    "情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产",
    "或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比",
    "员解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目",
    "太量再感建务做接必场件计管期市直德资命山金指克许统区保至队形社便空决治展马科司五",
    "基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告类求据程北边死张该",
    "交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每",
    "济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连",
    "调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消",
    "越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引",
    "历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案黑",
    "维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终答",
    "紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千",
    "值仍男钱破网热助倒育属坐村职室脸读树药诗床洗楼跑睡饭菜茶酒街店买卖钟课校试班汉词",
    "句唱歌画脑银港湾澳省县镇乡云雨雪雷鸟鱼虫牛羊猪狗猫鸡龙虎蓝绿灰紫零亿块贸股票融险",
    "税筹纸笔警软件络博客频游戏玩啊哦嗯呀哪谁晚午夜春夏秋冬昨左右旧坏冷短假错爸妈爷奶",
    "哥姐弟妹疗康疫闻播杂志范状乐球篮赛园宝贝静默忙累饿渴痛苦甜酸辣咸穿衣鞋帽澡刷牙待",
    "谢欢迎喜继败努坚弃择虑讨销售润董裁招聘薪福退休旅航铁罪判侦策措苗毒染诊亡患症检测",
    "罩环创互智户牌括扩减降超促援协竞优挑危压困卫负忘怀疑担怕厌租币盘末宣披露透顾址页",
    "访览登录账码您啦刚概挺敢肯岁启丽",
);

/// First and last code points of the CJK Unified Ideographs block.
const HAN_FIRST: u32 = 0x4E00;
const HAN_LAST: u32 = 0x9FFF;

/// A set of characters of the CJK Unified Ideographs block.
struct HanSet(Vec<u64>);

impl HanSet {
    fn new() -> HanSet {
        HanSet(vec![0; ((HAN_LAST - HAN_FIRST + 1) / 64) as usize])
    }

    fn insert_all(&mut self, text: &str) {
        for c in text.chars() {
            let u = u32::from(c);
            if (HAN_FIRST..=HAN_LAST).contains(&u) {
                let i = (u - HAN_FIRST) as usize;
                self.0[i / 64] |= 1 << (i % 64);
            }
        }
    }

    /// Inserts what `encoding` decodes the two-byte codes from `first` to
    /// `last` to, trail bytes in `trails`.
    fn insert_codes(&mut self, encoding: &'static Encoding, first: u16, last: u16, trails: &[(u8, u8)]) {
        let mut bytes = Vec::new();
        for code in first..=last {
            let [lead, trail] = code.to_be_bytes();
            if trails.iter().any(|&(from, to)| (from..=to).contains(&trail)) {
                bytes.extend([lead, trail]);
            }
        }
        self.insert_all(&encoding.decode_without_bom_handling(&bytes).0);
    }

    fn contains(&self, c: char) -> bool {
        let u = u32::from(c);
        if !(HAN_FIRST..=HAN_LAST).contains(&u) {
            return false;
        }
        let i = (u - HAN_FIRST) as usize;
        self.0[i / 64] & (1 << (i % 64)) != 0
    }
}

/// How frequent Han characters are: the list above; the frequent levels of
/// Big5 and GB2312 (which their makers ranked by frequency); their less
/// frequent levels.
struct HanClasses {
    common: HanSet,
    level1: HanSet,
    level2: HanSet,
}

fn han_classes() -> &'static HanClasses {
    static CLASSES: OnceLock<HanClasses> = OnceLock::new();
    CLASSES.get_or_init(|| {
        let mut common = HanSet::new();
        common.insert_all(COMMON_TRADITIONAL);
        common.insert_all(COMMON_SIMPLIFIED);
        let big5_trails = [(0x40, 0x7E), (0xA1, 0xFE)];
        let gb2312_trails = [(0xA1, 0xFE)];
        let mut level1 = HanSet::new();
        level1.insert_codes(BIG5, 0xA440, 0xC67E, &big5_trails);
        level1.insert_codes(GBK, 0xB0A1, 0xD7F9, &gb2312_trails);
        let mut level2 = HanSet::new();
        level2.insert_codes(BIG5, 0xC940, 0xF9D5, &big5_trails);
        level2.insert_codes(GBK, 0xD8A1, 0xF7FE, &gb2312_trails);
        HanClasses { common, level1, level2 }
    })
}

/// The weight of a character of the CJK Unified Ideographs block: frequent
/// ones speak for the text (2 for the list above, 1 for the frequent levels
/// of Big5 and GB2312), the less frequent levels are neutral (0), ones that
/// neither Big5 nor GB2312 has speak against it (-1). The encoding repair
/// judges text mis-decoded with a Chinese codec by the same classes
/// ([`crate::mojibake::cjk`]).
pub(crate) fn han_weight(c: char) -> i32 {
    let classes = han_classes();
    if classes.common.contains(c) {
        GOOD
    } else if classes.level1.contains(c) {
        GOOD / 2
    } else if classes.level2.contains(c) {
        0
    } else {
        BAD / 2
    }
}

/// Whether `c` is one of the frequent Han characters of the list.
#[cfg(test)]
fn is_common_han(c: char) -> bool {
    han_classes().common.contains(c)
}

/// The detection for an encoding the caller gave: a byte-order mark of that
/// very encoding (UTF-16) is removed.
fn given(encoding: &'static Encoding, bytes: &[u8]) -> Detection {
    let bom_len = match Encoding::for_bom(bytes) {
        Some((bom, len)) if bom == encoding && bom != UTF_8 => len,
        _ => 0,
    };
    Detection { encoding, bom_len, confident: true, reason: Reason::Explicit }
}

/// Decodes a whole buffer, returning the text and how its encoding was
/// found.
///
/// With [`EncodingChoice::Auto`], the encoding is detected from the first
/// [`SNIFF_LEN`] bytes (see [`detect`]), exactly as [`DecodeReader`] does. A
/// given UTF-16 encoding drops its own byte-order mark; given UTF-8 is
/// taken as is (a byte-order mark stays, as U+FEFF). UTF-8, and ASCII in an
/// ASCII-compatible encoding, is borrowed.
///
/// Without `lossy`, the first malformed sequence is an error naming its
/// offset in `bytes`; with it, each becomes U+FFFD. The caller decides what
/// to do with an unsure [`Detection`].
///
/// ```
/// use std::borrow::Cow;
/// use zh_clean::decode::{EncodingChoice, Reason, decode};
/// let (text, detection) = decode("香港".as_bytes(), EncodingChoice::Auto, false).unwrap();
/// assert!(matches!(text, Cow::Borrowed("香港")));
/// assert_eq!(detection.reason, Reason::Utf8);
///
/// let (text, detection) = decode(b"\xFE\xFF\x99\x99\x6E\x2F", EncodingChoice::Auto, false).unwrap();
/// assert_eq!(text, "香港");
/// assert_eq!((detection.reason, detection.bom_len), (Reason::Bom, 2));
/// ```
pub fn decode(
    bytes: &[u8],
    choice: EncodingChoice,
    lossy: bool,
) -> Result<(Cow<'_, str>, Detection), DecodeError> {
    let detection = match choice.encoding() {
        None => detect(bytes, bytes.len() < SNIFF_LEN),
        Some(encoding) => given(encoding, bytes),
    };
    let start = detection.bom_len.min(bytes.len());
    let body = &bytes[start..];
    let encoding = detection.encoding;
    if encoding == UTF_8 {
        return match utf8(body, lossy) {
            Ok(text) => Ok((text, detection)),
            Err(e) => Err(DecodeError { encoding: "UTF-8", offset: start + e.offset, bytes: e.bytes }),
        };
    }
    if encoding.is_ascii_compatible()
        && body.is_ascii()
        && let Ok(text) = std::str::from_utf8(body)
    {
        return Ok((Cow::Borrowed(text), detection));
    }
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = Vec::new();
    if let Err((read, bad, after)) = decode_piece(&mut decoder, body, true, lossy, &mut out) {
        return Err(malformed(encoding, body, start, read, bad, after));
    }
    let text = String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Ok((Cow::Owned(text), detection))
}

/// Decodes all of `src` and appends the UTF-8 to `out`; `last` says that
/// the input ends with `src`. Without `lossy`, stops at the first malformed
/// sequence, returning how many bytes of `src` were read then and the
/// decoder's (malformed length, bytes read past it).
fn decode_piece(
    decoder: &mut Decoder,
    src: &[u8],
    last: bool,
    lossy: bool,
    out: &mut Vec<u8>,
) -> Result<(), (usize, usize, usize)> {
    let mut read = 0;
    loop {
        let room = decoder.max_utf8_buffer_length_without_replacement(src.len() - read).unwrap_or(0);
        let start = out.len();
        out.resize(start + room.clamp(16, 1 << 20), 0);
        let (result, n, written) =
            decoder.decode_to_utf8_without_replacement(&src[read..], &mut out[start..], last);
        out.truncate(start + written);
        read += n;
        match result {
            DecoderResult::InputEmpty => return Ok(()),
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(_, _) if lossy => out.extend_from_slice("\u{FFFD}".as_bytes()),
            DecoderResult::Malformed(bad, after) => return Err((read, bad.into(), after.into())),
        }
    }
}

/// The error for a malformed sequence reported after reading `buf[..end]`,
/// where `buf` starts at offset `base` of the input.
fn malformed(
    encoding: &'static Encoding,
    buf: &[u8],
    base: usize,
    end: usize,
    bad: usize,
    after: usize,
) -> DecodeError {
    let end_bad = end.saturating_sub(after);
    let from = end_bad.saturating_sub(bad);
    DecodeError {
        encoding: encoding_name(encoding),
        offset: (base + end_bad).saturating_sub(bad),
        bytes: buf[from..end_bad.min(buf.len())].to_vec(),
    }
}

/// How many bytes [`DecodeReader`] reads at a time after the head.
const CHUNK: usize = 16 * 1024;
/// Bytes kept from the previous read, which a malformed sequence may start
/// in.
const HISTORY: usize = 8;

/// A reader of UTF-8 decoded from another reader.
///
/// With [`EncodingChoice::Auto`], construction reads the first
/// [`SNIFF_LEN`] bytes to [`detect`] the encoding; see
/// [`DecodeReader::detection`]. A detected byte-order mark is consumed.
///
/// UTF-8 (given, or detected) is passed through unchanged, unchecked: the
/// consumer validates it (after a consumed byte-order mark, its offsets
/// are [`Detection::bom_len`] bytes short). Any other encoding is decoded
/// incrementally in bounded memory; a malformed sequence is, after all the
/// text before it, an error of kind [`io::ErrorKind::InvalidData`] whose
/// inner error is a [`DecodeError`] with the offset in the whole input
/// (with `lossy`, U+FFFD instead). The output does not depend on how the
/// inner reader or the caller cut the bytes.
///
/// ```
/// use std::io::Read;
/// use zh_clean::decode::{DecodeError, DecodeReader, EncodingChoice};
///
/// let bytes = encoding_rs::GBK.encode("我们在北京开会，讨论经济发展。").0.into_owned();
/// let mut reader = DecodeReader::new(&bytes[..], EncodingChoice::Auto, false).unwrap();
/// assert_eq!(reader.detection().unwrap().encoding, encoding_rs::GB18030);
/// let mut text = String::new();
/// reader.read_to_string(&mut text).unwrap();
/// assert_eq!(text, "我们在北京开会，讨论经济发展。");
///
/// let mut reader = DecodeReader::new(&b"\xFF\xFEa\x00\x00"[..], EncodingChoice::Auto, false).unwrap();
/// let err = reader.read_to_end(&mut Vec::new()).unwrap_err();
/// let inner = err.get_ref().unwrap().downcast_ref::<DecodeError>().unwrap();
/// assert_eq!((inner.encoding, inner.offset), ("UTF-16LE", 4));
/// ```
pub struct DecodeReader<R> {
    inner: R,
    detection: Option<Detection>,
    encoding: &'static Encoding,
    /// `None`: UTF-8, passed through.
    decoder: Option<Decoder>,
    lossy: bool,
    /// Input: `buf[..pos]` is consumed (a few bytes kept as history),
    /// `buf[pos..end]` is not yet; `buf[end..]` is room.
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    /// Offset of `buf[0]` in the input.
    base: usize,
    /// The inner reader is exhausted.
    eof: bool,
    /// Decoded output not yet returned: `out[out_pos..]`.
    out: Vec<u8>,
    out_pos: usize,
    /// The decoder has been flushed at the end of the input.
    done: bool,
    /// A malformed sequence was met; returned after the text before it.
    error: Option<DecodeError>,
}

impl<R> fmt::Debug for DecodeReader<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeReader")
            .field("encoding", &self.encoding)
            .field("detection", &self.detection)
            .field("lossy", &self.lossy)
            .finish_non_exhaustive()
    }
}

impl<R: Read> DecodeReader<R> {
    /// A reader decoding `inner` as `choice` says. For
    /// [`EncodingChoice::Auto`], reads the head of `inner` (hence the
    /// [`io::Result`]) and detects its encoding.
    pub fn new(mut inner: R, choice: EncodingChoice, lossy: bool) -> io::Result<DecodeReader<R>> {
        let mut buf = Vec::new();
        let mut eof = false;
        let (detection, encoding, decoder, pos) = match choice.encoding() {
            None => {
                eof = read_head(&mut inner, &mut buf)?;
                let detection = detect(&buf, eof);
                let encoding = detection.encoding;
                let decoder = (encoding != UTF_8).then(|| encoding.new_decoder_without_bom_handling());
                (Some(detection), encoding, decoder, detection.bom_len.min(buf.len()))
            }
            Some(encoding) => {
                (None, encoding, (encoding != UTF_8).then(|| encoding.new_decoder_with_bom_removal()), 0)
            }
        };
        Ok(DecodeReader {
            inner,
            detection,
            encoding,
            decoder,
            lossy,
            end: buf.len(),
            buf,
            pos,
            base: 0,
            eof,
            out: Vec::new(),
            out_pos: 0,
            done: false,
            error: None,
        })
    }

    /// What [`EncodingChoice::Auto`] detected; `None` when the encoding was
    /// given.
    pub fn detection(&self) -> Option<&Detection> {
        self.detection.as_ref()
    }

    /// The encoding the input is decoded with.
    pub fn encoding(&self) -> &'static Encoding {
        self.encoding
    }

    /// Reads more input once all of it is consumed, keeping a little
    /// history.
    fn refill(&mut self) -> io::Result<()> {
        let keep = self.pos.min(HISTORY);
        let drop = self.pos - keep;
        self.buf.copy_within(drop..self.pos, 0);
        self.base += drop;
        self.pos = keep;
        self.end = keep;
        if self.buf.len() < keep + CHUNK {
            self.buf.resize(keep + CHUNK, 0);
        }
        let n = self.inner.read(&mut self.buf[keep..])?;
        self.end = keep + n.min(self.buf.len() - keep);
        self.eof = n == 0;
        Ok(())
    }
}

/// Reads up to [`SNIFF_LEN`] bytes into `buf`; true when the input ended.
fn read_head(inner: &mut impl Read, buf: &mut Vec<u8>) -> io::Result<bool> {
    buf.resize(SNIFF_LEN, 0);
    let mut len = 0;
    while len < SNIFF_LEN {
        match inner.read(&mut buf[len..]) {
            Ok(0) => {
                buf.truncate(len);
                return Ok(true);
            }
            Ok(n) => len += n.min(SNIFF_LEN - len),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                buf.truncate(len);
                return Err(e);
            }
        }
    }
    Ok(false)
}

impl<R: Read> Read for DecodeReader<R> {
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        if dst.is_empty() {
            return Ok(0);
        }
        loop {
            if self.out_pos < self.out.len() {
                let n = dst.len().min(self.out.len() - self.out_pos);
                dst[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
                self.out_pos += n;
                return Ok(n);
            }
            if let Some(e) = &self.error {
                return Err(e.clone().into());
            }
            if self.decoder.is_none() {
                // UTF-8: the rest of the head, then the inner reader.
                if self.pos < self.end {
                    let n = dst.len().min(self.end - self.pos);
                    dst[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
                    self.pos += n;
                    if self.pos == self.end {
                        self.buf = Vec::new();
                        (self.pos, self.end) = (0, 0);
                    }
                    return Ok(n);
                }
                return if self.eof { Ok(0) } else { self.inner.read(dst) };
            }
            if self.done {
                return Ok(0);
            }
            if self.pos == self.end && !self.eof {
                self.refill()?;
            }
            let Some(decoder) = self.decoder.as_mut() else { continue };
            self.out.clear();
            self.out_pos = 0;
            let start = self.pos;
            match decode_piece(decoder, &self.buf[start..self.end], self.eof, self.lossy, &mut self.out) {
                Ok(()) => {
                    self.pos = self.end;
                    self.done = self.eof;
                }
                Err((read, bad, after)) => {
                    self.pos = start + read;
                    let buf = &self.buf[..self.end];
                    self.error = Some(malformed(self.encoding, buf, self.base, self.pos, bad, after));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{UTF_16BE, UTF_16LE};

    fn encode(encoding: &'static Encoding, s: &str) -> Vec<u8> {
        let missing: String = s.chars().filter(|c| encoding.encode(&c.to_string()).2).collect();
        assert!(missing.is_empty(), "not in {}: {missing}", encoding.name());
        encoding.encode(s).0.into_owned()
    }

    fn big5(s: &str) -> Vec<u8> {
        encode(BIG5, s)
    }

    fn gbk(s: &str) -> Vec<u8> {
        encode(GBK, s)
    }

    fn utf16(s: &str, big_endian: bool) -> Vec<u8> {
        let mut out = Vec::new();
        for unit in s.encode_utf16() {
            out.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
        }
        out
    }

    fn auto(bytes: &[u8]) -> (String, Detection) {
        let (text, detection) = decode(bytes, EncodingChoice::Auto, true).unwrap();
        (text.into_owned(), detection)
    }

    /// A reader that yields at most `step` bytes a call.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(dst.len()).min(self.data.len());
            dst[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    /// Reads everything through a [`DecodeReader`] fed `step` bytes at a
    /// time, into buffers of the sizes cycled from `sizes`.
    fn read_chunked(
        data: &[u8],
        choice: EncodingChoice,
        lossy: bool,
        step: usize,
        sizes: &[usize],
    ) -> (Vec<u8>, Option<DecodeError>, Option<Detection>) {
        let mut reader = DecodeReader::new(Trickle { data, step }, choice, lossy).unwrap();
        let detection = reader.detection().copied();
        let mut out = Vec::new();
        let mut buf = [0u8; 64];
        for &size in sizes.iter().cycle() {
            match reader.read(&mut buf[..size]) {
                Ok(0) => return (out, None, detection),
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) => {
                    assert_eq!(e.kind(), io::ErrorKind::InvalidData);
                    let inner = e.into_inner().unwrap().downcast::<DecodeError>().unwrap();
                    return (out, Some(*inner), detection);
                }
            }
        }
        unreachable!()
    }

    #[test]
    fn decode_bom_decides_and_is_consumed() {
        let text = "香港的天氣";
        let mut le = vec![0xFF, 0xFE];
        le.extend(utf16(text, false));
        let mut be = vec![0xFE, 0xFF];
        be.extend(utf16(text, true));
        let mut u8bom = vec![0xEF, 0xBB, 0xBF];
        u8bom.extend(text.as_bytes());
        for (bytes, encoding, bom_len) in [(&le, UTF_16LE, 2), (&be, UTF_16BE, 2), (&u8bom, UTF_8, 3)] {
            let (decoded, detection) = auto(bytes);
            assert_eq!(decoded, text);
            assert_eq!(detection, Detection { encoding, bom_len, confident: true, reason: Reason::Bom });
            let (out, err, streamed) = read_chunked(bytes, EncodingChoice::Auto, false, 1, &[3]);
            assert_eq!(
                (String::from_utf8(out).unwrap(), err, streamed),
                (text.to_owned(), None, Some(detection))
            );
        }
        // The mark wins over bytes that look like something else.
        let (decoded, _) = auto(&[0xFF, 0xFE, 0xA4, 0xA4, 0xA4, 0xE5]);
        assert_eq!(decoded, "\u{A4A4}\u{E5A4}");
    }

    #[test]
    fn decode_given_utf16_drops_its_own_bom_only() {
        let mut le = vec![0xFF, 0xFE];
        le.extend(utf16("中文", false));
        let (text, detection) = decode(&le, EncodingChoice::Utf16Le, false).unwrap();
        assert_eq!((text.as_ref(), detection.bom_len, detection.reason), ("中文", 2, Reason::Explicit));
        let (text, _) = decode(&le, EncodingChoice::Utf16Be, true).unwrap();
        assert!(text.starts_with('\u{FFFE}'));
        let (out, err, detection) = read_chunked(&le, EncodingChoice::Utf16Le, false, 1, &[1]);
        assert_eq!((String::from_utf8(out).unwrap().as_str(), err, detection), ("中文", None, None));
        // Given UTF-8 is passed through, mark and all.
        let (text, _) = decode(b"\xEF\xBB\xBFab", EncodingChoice::Utf8, false).unwrap();
        assert_eq!(text, "\u{FEFF}ab");
    }

    #[test]
    fn decode_prefers_valid_utf8() {
        let sure = Detection { encoding: UTF_8, bom_len: 0, confident: true, reason: Reason::Utf8 };
        for s in ["", "plain ASCII", "中文", "香港天氣", "café crème brûlée", "いろはにほへと", "€ 5"]
        {
            let (text, detection) = decode(s.as_bytes(), EncodingChoice::Auto, false).unwrap();
            assert!(matches!(text, Cow::Borrowed(t) if t == s));
            assert_eq!(detection, sure, "{s}");
        }
        // 医院 in GBK is valid UTF-8 too: UTF-8 it is, but not confidently.
        let (text, detection) = decode(&[0xD2, 0xBD, 0xD4, 0xBA], EncodingChoice::Auto, false).unwrap();
        assert_eq!(text, "ҽԺ");
        assert_eq!(
            detection,
            Detection { confident: false, reason: Reason::Utf8Doubtful { rival: GB18030 }, ..sure }
        );
        assert_eq!(
            detection.warning().unwrap(),
            "encoding guessed as UTF-8, not sure (valid UTF-8, but it reads better as Chinese in GB18030)"
        );
    }

    #[test]
    fn detect_utf8_cut_at_window_end_counts_as_valid() {
        let mut bytes = "香".repeat(SNIFF_LEN / 3).into_bytes();
        bytes.extend("港".as_bytes());
        assert_eq!(bytes.len(), SNIFF_LEN + 2);
        assert_eq!(detect(&bytes[..SNIFF_LEN], false).reason, Reason::Utf8);
        let (text, detection) = decode(&bytes, EncodingChoice::Auto, false).unwrap();
        assert_eq!((text.chars().count(), detection.reason), (SNIFF_LEN / 3 + 1, Reason::Utf8));
        let (out, err, _) = read_chunked(&bytes, EncodingChoice::Auto, false, 1000, &[7]);
        assert_eq!((out, err), (bytes.clone(), None));
        // A character cut at the very end of the input is not valid UTF-8:
        // UTF-8 still reads best, but not confidently, and the cut is an error.
        let cut = &"香港的天氣很好".as_bytes()[..20];
        let detection = detect(cut, true);
        let reason = Reason::Malformed { offset: 18 };
        assert_eq!((detection.encoding, detection.confident, detection.reason), (UTF_8, false, reason));
        let err = decode(cut, EncodingChoice::Auto, false).unwrap_err();
        assert_eq!(err, DecodeError { encoding: "UTF-8", offset: 18, bytes: vec![0xE5, 0xA5] });
    }

    #[test]
    fn detect_short_big5() {
        let bytes = [0xA4, 0xA4, 0xA4, 0xE5];
        assert_eq!(big5("中文"), bytes);
        let (text, detection) = auto(&bytes);
        assert_eq!(text, "中文");
        assert_eq!(
            detection,
            Detection { encoding: BIG5, bom_len: 0, confident: true, reason: Reason::Plausible }
        );
    }

    const TRADITIONAL_WORDS: &[&str] = &[
        "中文", "香港", "台灣", "臺北", "學生", "老師", "電腦", "手機", "時間", "問題", "經濟", "政府",
        "醫院", "銀行", "朋友", "家庭", "工作", "學校", "新聞", "天氣", "顏色", "音樂", "電影", "飲食",
        "旅遊", "歷史", "文化", "藝術", "體育", "運動", "健康", "環境", "交通", "汽車", "飛機", "火車",
        "地鐵", "公園", "圖書", "報紙", "雜誌", "網路", "軟體", "資料", "數據", "系統", "科學", "技術",
        "研究", "發展", "社會", "國家", "世界", "城市", "鄉村", "農業", "工業", "商業", "市場", "價格",
        "颱風", "蘋果", "餅乾", "鑰匙", "葡萄", "螃蟹", "蝴蝶", "麒麟", "鸚鵡", "瀑布", "廚房", "襪子",
        "眼鏡", "雨傘", "冰箱", "謝謝", "再見", "你好", "早安", "晚安",
    ];

    const SIMPLIFIED_WORDS: &[&str] = &[
        "中文", "中国", "北京", "上海", "学生", "老师", "电脑", "手机", "时间", "问题", "经济", "政府",
        "医院", "银行", "朋友", "家庭", "工作", "学校", "新闻", "天气", "颜色", "音乐", "电影", "饮食",
        "旅游", "历史", "文化", "艺术", "体育", "运动", "健康", "环境", "交通", "汽车", "飞机", "火车",
        "地铁", "公园", "图书", "报纸", "杂志", "网络", "软件", "资料", "数据", "系统", "科学", "技术",
        "研究", "发展", "社会", "国家", "世界", "城市", "农村", "农业", "工业", "商业", "市场", "价格",
        "台风", "苹果", "饼干", "钥匙", "葡萄", "螃蟹", "蝴蝶", "麒麟", "鹦鹉", "瀑布", "厨房", "袜子",
        "眼镜", "雨伞", "冰箱", "谢谢", "再见", "你好", "早安", "晚安",
    ];

    const TRADITIONAL_PHRASES: &[&str] = &[
        "香港特區",
        "台灣大學",
        "一路順風",
        "馬到成功",
        "新年快樂",
        "身體健康",
        "請稍候",
        "謝謝你",
        "下載檔案",
        "登入帳號",
        "最新消息",
        "聯絡我們",
        "版權所有",
        "隱私政策",
        "網站地圖",
        "返回頁首",
        "立法會選舉",
        "天文台預報",
        "港鐵車站",
        "使用iPhone手機拍照",
        "AI人工智能",
        "第3季業績",
        "颱風警告信號",
        "臺北市政府",
        "醫療保險",
        "公共圖書館",
        "中華民國",
        "電子郵件地址",
    ];

    const SIMPLIFIED_PHRASES: &[&str] = &[
        "北京大学",
        "一路顺风",
        "马到成功",
        "新年快乐",
        "身体健康",
        "请稍候",
        "谢谢你",
        "下载文件",
        "登录账号",
        "最新消息",
        "联系我们",
        "版权所有",
        "隐私政策",
        "网站地图",
        "返回顶部",
        "人民代表大会",
        "天气预报",
        "地铁站",
        "使用iPhone手机拍照",
        "AI人工智能",
        "第3季度业绩",
        "台风预警信号",
        "上海市政府",
        "医疗保险",
        "公共图书馆",
        "中华人民共和国",
        "电子邮件地址",
        "微信公众号",
    ];

    const TRADITIONAL_TEXTS: &[&str] = &[
        "香港生產力促進局今天公布研究結果。",
        "我們明天要去台北參加會議，討論經濟發展的問題。",
        "颱風來襲，天文台發出八號烈風或暴風信號，學校停課。",
        "這家餐廳的點心很好吃，價錢也不貴，週末常常要排隊。",
        "政府宣佈新的防疫措施，市民進入餐廳須出示疫苗接種紀錄。",
        "佢話聽日唔使返工，因為有颱風。",
        "本公司誠聘銷售經理，薪酬福利優厚，有意者請將履歷寄至人事部。",
        "《紅樓夢》是中國古典小說的巔峰之作，描寫賈府的興衰。",
        "電腦、手機、網路已經成為現代人生活中不可缺少的一部分。",
        "台灣的夜市有很多小吃，像是蚵仔煎、臭豆腐和珍珠奶茶。",
        "天氣報告：明日大致天晴，最高氣溫約三十二度。",
        "請問去機場應該坐哪一路巴士？",
    ];

    const SIMPLIFIED_TEXTS: &[&str] = &[
        "香港生产力促进局今天公布研究结果。",
        "我们明天要去北京参加会议，讨论经济发展的问题。",
        "台风来袭，气象台发出橙色预警，学校停课。",
        "这家餐厅的点心很好吃，价钱也不贵，周末常常要排队。",
        "政府宣布新的防疫措施，市民进入餐厅须出示疫苗接种记录。",
        "本公司诚聘销售经理，薪酬福利优厚，有意者请将简历寄至人事部。",
        "《红楼梦》是中国古典小说的巅峰之作，描写贾府的兴衰。",
        "电脑、手机、网络已经成为现代人生活中不可缺少的一部分。",
        "天气预报：明日大致晴朗，最高气温约三十二度。",
        "请问去机场应该坐哪一路公交车？",
        "人工智能产业发展研究报告显示，百分之四十九的企业正在使用相关技术。",
        "上海证券交易所今日收盘，股票指数小幅上涨。",
    ];

    /// Decodes each sample, counting right answers, confident right
    /// answers and confident wrong ones.
    fn accuracy(samples: &[Vec<u8>], expected: &'static Encoding) -> (usize, usize, usize) {
        let (mut right, mut sure, mut wrong) = (0, 0, 0);
        for bytes in samples {
            let detection = detect(bytes, true);
            if detection.encoding == expected {
                right += 1;
                sure += usize::from(detection.confident);
            } else if detection.confident {
                wrong += 1;
            }
            if detection.encoding != expected || !detection.confident {
                let text = decode(bytes, EncodingChoice::from_encoding(detection.encoding), true).unwrap().0;
                let truth = expected.decode_without_bom_handling(bytes).0;
                println!("  {truth} {bytes:02x?} as {}: {text} ({})", detection.name(), detection.reason);
            }
        }
        (right, sure, wrong)
    }

    #[test]
    fn detect_accuracy_on_chinese_samples() {
        let words_big5: Vec<_> = TRADITIONAL_WORDS.iter().map(|w| big5(w)).collect();
        let words_gbk: Vec<_> = SIMPLIFIED_WORDS.iter().map(|w| gbk(w)).collect();
        let words_trad_gbk: Vec<_> = TRADITIONAL_WORDS.iter().map(|w| gbk(w)).collect();
        let texts_big5: Vec<_> =
            TRADITIONAL_TEXTS.iter().filter(|t| !BIG5.encode(t).2).map(|t| big5(t)).collect();
        let texts_gbk: Vec<_> = SIMPLIFIED_TEXTS.iter().map(|t| gbk(t)).collect();
        let texts_trad_gbk: Vec<_> = TRADITIONAL_TEXTS.iter().map(|t| gbk(t)).collect();
        let phrases_big5: Vec<_> = TRADITIONAL_PHRASES.iter().map(|t| big5(t)).collect();
        let phrases_gbk: Vec<_> = SIMPLIFIED_PHRASES.iter().map(|t| gbk(t)).collect();
        let long_big5 = vec![big5(&TRADITIONAL_TEXTS.concat()).repeat(3)];
        let long_gbk = vec![gbk(&SIMPLIFIED_TEXTS.concat()).repeat(3)];
        let sets = [
            ("2-char Traditional, Big5", &words_big5, BIG5),
            ("2-char Simplified, GBK", &words_gbk, GB18030),
            ("2-char Traditional, GBK", &words_trad_gbk, GB18030),
            ("phrases Traditional, Big5", &phrases_big5, BIG5),
            ("phrases Simplified, GBK", &phrases_gbk, GB18030),
            ("sentences Traditional, Big5", &texts_big5, BIG5),
            ("sentences Simplified, GBK", &texts_gbk, GB18030),
            ("sentences Traditional, GBK", &texts_trad_gbk, GB18030),
            ("long Traditional, Big5", &long_big5, BIG5),
            ("long Simplified, GBK", &long_gbk, GB18030),
        ];
        for (name, samples, expected) in sets {
            let (right, sure, wrong) = accuracy(samples, expected);
            println!("{name}: {right}/{} right ({sure} confident), {wrong} confidently wrong", samples.len());
            assert_eq!(wrong, 0, "{name}");
            assert!(right * 100 >= samples.len() * 85, "{name}: {right}/{}", samples.len());
        }
    }

    #[test]
    fn detect_mixed_big5_and_utf8_is_unsure() {
        let mut bytes = big5("香港的天氣很好，我們去公園散步。");
        bytes.extend("今天下雨了，我们在家看电影。".as_bytes());
        let detection = detect(&bytes, true);
        assert!(!detection.confident, "{detection:?}");
        assert!(detection.warning().unwrap().starts_with("encoding guessed as "));
        // UTF-8 then Big5 (beyond the first character) is unsure too.
        let mut bytes = "今天下雨了，我们在家看电影。".as_bytes().to_vec();
        bytes.extend(big5("香港的天氣很好，我們去公園散步。"));
        let detection = detect(&bytes, true);
        assert!(!detection.confident, "{detection:?}");
    }

    #[test]
    fn detect_latin1_is_unsure() {
        let detection = detect(b"caf\xE9 cr\xE8me br\xFBl\xE9e", true);
        assert!(!detection.confident);
        assert!(matches!(detection.reason, Reason::Implausible | Reason::Malformed { .. }), "{detection:?}");
    }

    #[test]
    fn decide_ambiguous_candidates() {
        let candidate = |encoding, sum, first_error| Candidate { encoding, first_error, sum, count: 4 };
        let detection = decide(&[candidate(BIG5, 8, None), candidate(GB18030, 7, None)]);
        assert_eq!(detection.reason, Reason::Ambiguous { runner_up: GB18030 });
        assert!(!detection.confident);
        assert_eq!(
            detection.warning().unwrap(),
            "encoding guessed as Big5, not sure (GB18030 is about as plausible)"
        );
        let detection = decide(&[candidate(GB18030, 8, None), candidate(BIG5, 0, None)]);
        assert_eq!(
            (detection.encoding, detection.confident, detection.reason),
            (GB18030, true, Reason::Plausible)
        );
        let detection = decide(&[candidate(BIG5, 8, Some(3)), candidate(GB18030, 0, None)]);
        assert_eq!((detection.encoding, detection.reason), (BIG5, Reason::Malformed { offset: 3 }));
        let detection = decide(&[candidate(GB18030, 0, None), candidate(BIG5, -1, Some(0))]);
        assert_eq!((detection.encoding, detection.reason), (GB18030, Reason::Implausible));
    }

    #[test]
    fn decode_given_legacy_invalid_is_error_with_offset() {
        let mut bytes = big5("中文");
        bytes.extend([0xA4, 0xFF, b'x']);
        let err = decode(&bytes, EncodingChoice::Big5, false).unwrap_err();
        assert_eq!(err, DecodeError { encoding: "Big5", offset: 4, bytes: vec![0xA4, 0xFF] });
        assert_eq!(err.to_string(), "invalid Big5 at byte offset 4 (bytes a4 ff)");
        assert_eq!(decode(&bytes, EncodingChoice::Big5, true).unwrap().0, "中文\u{FFFD}x");
        // A lead byte before ASCII: the ASCII byte is kept.
        let err = decode(b"ab\xA4 c", EncodingChoice::Big5, false).unwrap_err();
        assert_eq!((err.offset, err.bytes), (2, vec![0xA4]));
        assert_eq!(decode(b"ab\xA4 c", EncodingChoice::Big5, true).unwrap().0, "ab\u{FFFD} c");
        // GB18030: a bad four-byte sequence.
        let mut bytes = gbk("中国");
        bytes.extend([0x81, 0x30, 0xFF, 0x30]);
        let err = decode(&bytes, EncodingChoice::Gb18030, false).unwrap_err();
        assert_eq!(err.to_string(), "invalid GB18030 at byte offset 4 (bytes 81)");
        // Truncated at the end.
        let err = decode(&big5("中文")[..3], EncodingChoice::Big5, false).unwrap_err();
        assert_eq!((err.offset, err.bytes), (2, vec![0xA4]));
        // Given UTF-8.
        let err = decode(b"ab\xFFcd", EncodingChoice::Utf8, false).unwrap_err();
        assert_eq!(err.to_string(), "invalid UTF-8 at byte offset 2 (bytes ff 63 64)");
    }

    #[test]
    fn decode_detected_legacy_invalid_is_error_with_absolute_offset() {
        let mut bytes = big5(&TRADITIONAL_TEXTS.concat().repeat(200));
        assert!(bytes.len() > SNIFF_LEN + CHUNK);
        let at = bytes.len() - 10;
        bytes[at] = 0xA4;
        bytes[at + 1] = 0x20;
        let err = decode(&bytes, EncodingChoice::Auto, false).unwrap_err();
        assert_eq!(err, DecodeError { encoding: "Big5", offset: at, bytes: vec![0xA4] });
        for (step, sizes) in [(1, &[1, 2, 3, 4, 5, 6, 7][..]), (4096, &[64]), (100_000, &[5])] {
            let (out, streamed, detection) = read_chunked(&bytes, EncodingChoice::Auto, false, step, sizes);
            assert_eq!(streamed.as_ref(), Some(&err));
            assert_eq!(detection.unwrap().encoding, BIG5);
            let text = decode(&bytes[..at], EncodingChoice::Big5, false).unwrap().0;
            assert_eq!(out, text.as_bytes());
        }
    }

    #[test]
    fn from_str_labels() {
        for (label, choice) in [
            ("auto", EncodingChoice::Auto),
            ("utf-8", EncodingChoice::Utf8),
            ("utf8", EncodingChoice::Utf8),
            ("big5", EncodingChoice::Big5),
            ("Big5-HKSCS", EncodingChoice::Big5),
            ("gb18030", EncodingChoice::Gb18030),
            ("GB2312", EncodingChoice::Gb18030),
            ("utf-16le", EncodingChoice::Utf16Le),
            ("utf16le", EncodingChoice::Utf16Le),
            ("utf-16be", EncodingChoice::Utf16Be),
            ("utf16be", EncodingChoice::Utf16Be),
            ("euc-jp", EncodingChoice::Other(encoding_rs::EUC_JP)),
        ] {
            assert_eq!(label.parse::<EncodingChoice>(), Ok(choice), "{label}");
            assert_eq!(choice.to_string().parse::<EncodingChoice>(), Ok(choice));
        }
        assert!("iso-2022-kr".parse::<EncodingChoice>().is_err());
        assert_eq!(
            "x".parse::<EncodingChoice>().unwrap_err().to_string(),
            "unknown encoding `x` (expected auto, utf-8, big5, gb18030, utf-16le, utf-16be \
             or another WHATWG encoding label)"
        );
    }

    /// Inputs for the chunking tests: every encoding, valid and not.
    fn chunking_inputs() -> Vec<(Vec<u8>, EncodingChoice)> {
        let trad = TRADITIONAL_TEXTS.concat();
        let simp = SIMPLIFIED_TEXTS.concat();
        let mut le = vec![0xFF, 0xFE];
        le.extend(utf16(&trad, false));
        let mut be = vec![0xFE, 0xFF];
        be.extend(utf16(&simp, true));
        let mut mixed = big5(&trad);
        mixed.extend(simp.as_bytes());
        let mut bad_big5 = big5(&trad);
        bad_big5.splice(10..10, [0xA4, 0xFF, 0x81]);
        let mut bad_gbk = gbk(&simp);
        bad_gbk.extend([0x81, 0x30, 0x81]);
        let mut odd_le = le.clone();
        odd_le.push(0x41);
        let mut big5_bom = vec![0xEF, 0xBB, 0xBF];
        big5_bom.extend(big5(&trad));
        vec![
            (big5(&trad), EncodingChoice::Auto),
            (big5(&trad), EncodingChoice::Big5),
            (gbk(&simp), EncodingChoice::Auto),
            (gbk(&trad), EncodingChoice::Gb18030),
            (le.clone(), EncodingChoice::Auto),
            (le, EncodingChoice::Utf16Le),
            (be.clone(), EncodingChoice::Auto),
            (be, EncodingChoice::Utf16Be),
            (mixed.clone(), EncodingChoice::Auto),
            (mixed, EncodingChoice::Big5),
            (bad_big5.clone(), EncodingChoice::Auto),
            (bad_big5, EncodingChoice::Big5),
            (bad_gbk, EncodingChoice::Gb18030),
            (odd_le, EncodingChoice::Utf16Le),
            (big5_bom, EncodingChoice::Auto),
            (trad.clone().into_bytes(), EncodingChoice::Auto),
        ]
    }

    /// What the reader must produce: the text, or the text before the first
    /// malformed sequence and the error.
    fn expected(bytes: &[u8], choice: EncodingChoice, lossy: bool) -> (Vec<u8>, Option<DecodeError>) {
        let detection = decode(bytes, choice, true).unwrap().1;
        if detection.encoding == UTF_8 {
            // Passed through unchecked.
            return (bytes[detection.bom_len..].to_vec(), None);
        }
        match decode(bytes, choice, lossy) {
            Ok((text, _)) => (text.into_owned().into_bytes(), None),
            Err(err) => {
                let encoding = decode(bytes, choice, true).unwrap().1.encoding;
                let prefix = &bytes[..err.offset];
                let before = decode(prefix, EncodingChoice::from_encoding(encoding), false).unwrap().0;
                (before.into_owned().into_bytes(), Some(err))
            }
        }
    }

    #[test]
    fn reader_matches_whole_buffer_decoding_at_any_chunking() {
        for (bytes, choice) in chunking_inputs() {
            for lossy in [false, true] {
                let want = expected(&bytes, choice, lossy);
                let detection = decode(&bytes, choice, true).unwrap().1;
                for step in [1, 2, 3, 7, 4096] {
                    for sizes in [&[1][..], &[1, 2, 3, 4, 5, 6, 7], &[7, 3], &[64]] {
                        let (out, err, detected) = read_chunked(&bytes, choice, lossy, step, sizes);
                        assert_eq!(
                            (&out, &err),
                            (&want.0, &want.1),
                            "{choice} lossy={lossy} step={step} {sizes:?}"
                        );
                        if choice == EncodingChoice::Auto {
                            assert_eq!(detected, Some(detection));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn reader_long_big5_across_head_and_chunks() {
        let text = TRADITIONAL_TEXTS.concat().repeat(250);
        let bytes = big5(&text);
        assert!(bytes.len() > SNIFF_LEN + 2 * CHUNK);
        for (step, sizes) in [(1, &[1, 2, 3, 4, 5, 6, 7][..]), (5000, &[7]), (1 << 20, &[64])] {
            let (out, err, detection) = read_chunked(&bytes, EncodingChoice::Auto, false, step, sizes);
            assert_eq!(err, None);
            assert_eq!(detection.map(|d| (d.encoding, d.confident)), Some((BIG5, true)));
            assert!(out == text.as_bytes(), "step {step}");
        }
    }

    #[test]
    fn reader_error_is_sticky_and_after_the_text_before_it() {
        let mut bytes = big5("中文");
        bytes.extend([0xA4, 0xFF]);
        bytes.extend(big5("香港"));
        let mut reader = DecodeReader::new(&bytes[..], EncodingChoice::Big5, false).unwrap();
        let mut buf = [0u8; 64];
        assert_eq!(reader.read(&mut buf).unwrap(), 6);
        assert_eq!(&buf[..6], "中文".as_bytes());
        for _ in 0..2 {
            let err = reader.read(&mut buf).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidData);
            assert_eq!(err.to_string(), "invalid Big5 at byte offset 4 (bytes a4 ff)");
        }
    }

    /// A reader that fails with `Interrupted` before every read.
    struct Interrupting<'a> {
        data: &'a [u8],
        ready: bool,
    }

    impl Read for Interrupting<'_> {
        fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
            self.ready = !self.ready;
            if !self.ready {
                return Err(io::ErrorKind::Interrupted.into());
            }
            let n = dst.len().min(self.data.len()).min(5);
            dst[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    #[test]
    fn reader_survives_interrupted_reads() {
        let text = TRADITIONAL_TEXTS.concat();
        let bytes = big5(&text);
        for choice in [EncodingChoice::Auto, EncodingChoice::Big5] {
            let mut reader =
                DecodeReader::new(Interrupting { data: &bytes, ready: false }, choice, false).unwrap();
            let mut out = String::new();
            reader.read_to_string(&mut out).unwrap();
            assert_eq!(out, text);
        }
    }

    /// A xorshift generator.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn random_bytes_never_panic_and_valid_utf8_survives() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let choices = [
            EncodingChoice::Auto,
            EncodingChoice::Utf8,
            EncodingChoice::Big5,
            EncodingChoice::Gb18030,
            EncodingChoice::Utf16Le,
            EncodingChoice::Utf16Be,
            EncodingChoice::Other(encoding_rs::SHIFT_JIS),
        ];
        for _ in 0..400 {
            let len = rng.below(64);
            let bytes: Vec<u8> = (0..len)
                .map(|_| match rng.below(3) {
                    0 => rng.next() as u8,
                    1 => 0x80 | rng.next() as u8,
                    _ => [0xA4, 0xE5, 0x81, 0x30, 0xFF, 0xFE, 0xEF, 0xBB, 0xBF, b'a'][rng.below(10)],
                })
                .collect();
            let choice = choices[rng.below(choices.len())];
            let lossy = rng.below(2) == 0;
            let want = expected(&bytes, choice, lossy);
            let step = 1 + rng.below(5);
            let sizes = [1 + rng.below(7), 1 + rng.below(7)];
            let (out, err, _) = read_chunked(&bytes, choice, lossy, step, &sizes);
            assert_eq!((out, err), want, "{bytes:02x?} {choice} lossy={lossy}");
        }
        for _ in 0..300 {
            let text: String = (0..rng.below(40))
                .map(|_| {
                    let c = match rng.below(4) {
                        0 => rng.below(0x80) as u32,
                        1 => 0x4E00 + rng.below(0x5200) as u32,
                        2 => rng.below(0x11_0000) as u32,
                        _ => 0x80 + rng.below(0x780) as u32,
                    };
                    char::from_u32(c).filter(|&c| c != '\u{FEFF}').unwrap_or('?')
                })
                .collect();
            for choice in [EncodingChoice::Auto, EncodingChoice::Utf8] {
                let (decoded, detection) = decode(text.as_bytes(), choice, true).unwrap();
                assert_eq!((decoded.as_ref(), detection.encoding), (text.as_str(), UTF_8));
                let (out, err, _) = read_chunked(text.as_bytes(), choice, true, 1 + rng.below(4), &[3, 1]);
                assert_eq!((out, err), (text.clone().into_bytes(), None));
            }
        }
    }

    #[test]
    fn common_han_lists() {
        for list in [COMMON_TRADITIONAL, COMMON_SIMPLIFIED] {
            assert!(list.chars().all(|c| (HAN_FIRST..=HAN_LAST).contains(&u32::from(c))));
            let mut distinct: Vec<char> = list.chars().collect();
            distinct.sort_unstable();
            distinct.dedup();
            assert!(distinct.len() >= 700, "{}", distinct.len());
        }
        assert!(is_common_han('的') && is_common_han('這') && is_common_han('这'));
        assert!(!is_common_han('鑫') && !is_common_han('a') && !is_common_han('い'));
        assert_eq!(weight('い'), BAD);
        assert_eq!(weight('，'), PUNCT);
    }
}
