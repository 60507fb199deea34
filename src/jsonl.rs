//! JSON Lines: clean chosen string fields of each record, and nothing else.
//!
//! Scraping pipelines carry records, not bare text:
//! `{"url": "…", "title": "…", "meta": {"body": "…"}}`, one per line. This
//! module cleans the string values named by *field paths* and leaves every
//! other byte of the line as it was.
//!
//! # Why byte-exact
//!
//! Parsing a record into a map and serializing it again is not neutral:
//! numbers are re-formatted (`1.50` becomes `1.5`), escapes re-written
//! (`\u00e9` becomes `é`), whitespace dropped, duplicate keys merged into
//! one, escaped key names decoded. Tools further down the pipeline that
//! diff, hash or deduplicate records would see changes nobody asked for.
//! So a line is never re-serialized. It is validated by `serde_json`, then a
//! small scanner walks its objects and arrays along the field paths and
//! notes the byte span of each string value they address. Each such string
//! is decoded, cleaned and, only if the cleaner changed it, replaced by its
//! JSON encoding; all other bytes are copied verbatim. A record whose fields
//! need no change comes out byte for byte as it went in.
//!
//! # Field paths
//!
//! A [`FieldPath`] names the values to clean, starting at the top-level
//! object of each record:
//!
//! * `text`: the field `text`;
//! * `meta.body`: the field `body` of the object in the field `meta`;
//! * `items[].text`: the field `text` of every object in the array `items`;
//! * `tags[]`: every element of the array `tags` (the strings are cleaned).
//!
//! `[]` may repeat for arrays of arrays (`grid[][]`); field names cannot
//! contain `.`, `[` or `]`. Keys are compared by their decoded value, as JSON
//! defines them: `"te\u0078t"` *is* the key `text`, so its value is cleaned,
//! while the key keeps its bytes. When an object holds a key more than once,
//! the value of every occurrence is cleaned. A path that leads to nothing,
//! or to a value that is not a string, is counted in [`JsonlStats`], never
//! an error.
//!
//! # Lines
//!
//! Each line is decoded from bytes on its own. Invalid UTF-8 is an error
//! naming the line and the byte offset in the input; with
//! [`JsonlOptions::lossy`] the bad bytes become U+FFFD instead. A UTF-8 byte
//! order mark at the start of the input is kept, as are the line ends
//! (`\n`, `\r\n`, or none after the last line). Lines holding only
//! whitespace pass through unchanged.
//!
//! A line that is not a JSON object is an error naming its line number. So
//! is a string in a field to clean that cannot be decoded, such as one with
//! a lone surrogate escape (`"\ud800"`): it is reported, never silently left
//! as it was. Strings in other fields are not decoded and pass through
//! whatever they hold. In [`OnError::Skip`] mode such a line is written as
//! it was read and counted instead.
//!
//! # Words and threads
//!
//! With the `segment` feature, the words of a cleaned field can be written
//! into a new top-level field ([`JsonlOptions::segment_field`]). With
//! [`JsonlOptions::threads`] above one, batches of lines are cleaned in
//! parallel and written in input order: output, statistics and errors are
//! the same for every number of threads.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, BufRead, Write};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, mpsc};

use serde_json::value::RawValue;

use crate::Cleaner;

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A path to the string values to clean in each record: `text`,
/// `meta.body`, `items[].text`, `tags[]` (see the
/// [module documentation](self)).
///
/// ```
/// use zh_clean::jsonl::FieldPath;
/// let path: FieldPath = "items[].text".parse().unwrap();
/// assert_eq!(path.as_str(), "items[].text");
/// let err = "a..b".parse::<FieldPath>().unwrap_err();
/// assert_eq!(err.to_string(), "invalid field path `a..b`: empty field name (two dots, or a dot at an end)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldPath {
    text: String,
    steps: Vec<Step>,
}

/// One step of a [`FieldPath`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Step {
    /// The value of this key in an object.
    Key(String),
    /// Every element of an array.
    Each,
}

impl FieldPath {
    /// Parses a path; see the [module documentation](self) for the syntax.
    pub fn parse(path: &str) -> Result<FieldPath, PathError> {
        let err = |reason| Err(PathError { path: path.to_owned(), reason });
        if path.is_empty() {
            return err("the path is empty");
        }
        let mut steps = Vec::new();
        for segment in path.split('.') {
            if segment.is_empty() {
                return err("empty field name (two dots, or a dot at an end)");
            }
            let (key, mut rest) = segment.split_at(segment.find('[').unwrap_or(segment.len()));
            if key.is_empty() {
                return err("`[]` must follow a field name");
            }
            if key.contains(']') {
                return err("`]` without `[`");
            }
            steps.push(Step::Key(key.to_owned()));
            while !rest.is_empty() {
                match rest.strip_prefix("[]") {
                    Some(after) => {
                        steps.push(Step::Each);
                        rest = after;
                    }
                    None if rest.starts_with('[') && rest.contains(']') => {
                        return err("only `[]` (every element) may stand in brackets");
                    }
                    None if rest.starts_with('[') => return err("`[` without `]`"),
                    None => return err("unexpected text after `[]`"),
                }
            }
        }
        Ok(FieldPath { text: path.to_owned(), steps })
    }

    /// The path as it was written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The path `text`.
    fn text_field() -> FieldPath {
        FieldPath { text: "text".to_owned(), steps: vec![Step::Key("text".to_owned())] }
    }
}

impl FromStr for FieldPath {
    type Err = PathError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        FieldPath::parse(s)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Why a [`FieldPath`] could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    path: String,
    reason: &'static str,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid field path `{}`: {}", self.path, self.reason)
    }
}

impl std::error::Error for PathError {}

/// What to do with a line that cannot be cleaned: not a JSON object,
/// invalid UTF-8 (without [`JsonlOptions::lossy`]), or a string to clean
/// that cannot be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum OnError {
    /// Stop with an error naming the line.
    #[default]
    Fail,
    /// Write the line as it was read, count it, go on.
    Skip,
}

/// Settings of [`clean_jsonl`] and [`clean_record`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonlOptions {
    /// The string values to clean (default: `text`).
    pub fields: Vec<FieldPath>,
    /// Lines that cannot be cleaned: fail or pass through.
    pub on_error: OnError,
    /// Replace invalid UTF-8 by U+FFFD instead of failing on it.
    pub lossy: bool,
    /// With the `segment` feature: write the words of the first string that
    /// the first path of [`fields`](Self::fields) cleaned, as an array of
    /// strings, into this top-level field. It is appended at the end of the
    /// record; if the record already has the field, its value is replaced.
    /// Records where the first path reaches no string get no such field.
    pub segment_field: Option<String>,
    /// With [`segment_field`](Self::segment_field): leave out punctuation
    /// tokens, keeping only words.
    pub words_only: bool,
    /// Worker threads for [`clean_jsonl`]; 0 or 1 cleans on the calling
    /// thread.
    pub threads: usize,
}

impl Default for JsonlOptions {
    fn default() -> Self {
        JsonlOptions {
            fields: vec![FieldPath::text_field()],
            on_error: OnError::Fail,
            lossy: false,
            segment_field: None,
            words_only: false,
            threads: 0,
        }
    }
}

/// What [`clean_jsonl`] or [`clean_record`] did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JsonlStats {
    /// Records cleaned (lines holding a JSON object).
    pub records: usize,
    /// String values passed through the cleaner.
    pub fields_cleaned: usize,
    /// String values the cleaner changed.
    pub fields_changed: usize,
    /// Dead ends: a path step found no such key, or found a value of the
    /// wrong kind to step into (an array where an object was needed, …).
    pub fields_missing: usize,
    /// Values reached by a path that are not strings (left as they were).
    pub fields_not_string: usize,
    /// Lines passed through unchanged in [`OnError::Skip`] mode.
    pub skipped: usize,
    /// For each path of [`JsonlOptions::fields`], in order: how many values
    /// (strings or not) it reached.
    pub field_hits: Vec<usize>,
}

impl JsonlStats {
    /// Zero counts for `n` paths.
    fn for_fields(n: usize) -> JsonlStats {
        JsonlStats { field_hits: vec![0; n], ..JsonlStats::default() }
    }

    /// Adds the counts of `other` to these.
    pub fn add(&mut self, other: &JsonlStats) {
        self.records += other.records;
        self.fields_cleaned += other.fields_cleaned;
        self.fields_changed += other.fields_changed;
        self.fields_missing += other.fields_missing;
        self.fields_not_string += other.fields_not_string;
        self.skipped += other.skipped;
        if self.field_hits.len() < other.field_hits.len() {
            self.field_hits.resize(other.field_hits.len(), 0);
        }
        for (mine, theirs) in self.field_hits.iter_mut().zip(&other.field_hits) {
            *mine += theirs;
        }
    }

    /// The paths of `opts.fields` that reached no value at all: probably
    /// misspelt.
    ///
    /// ```
    /// use zh_clean::Cleaner;
    /// use zh_clean::jsonl::{clean_jsonl, JsonlOptions};
    /// let opts = JsonlOptions { fields: vec!["text".parse().unwrap(), "titel".parse().unwrap()], ..JsonlOptions::default() };
    /// let input = "{\"text\":\"香 港\",\"title\":\"九 龍\"}\n";
    /// let stats = clean_jsonl(&Cleaner::default(), input.as_bytes(), Vec::new(), &opts).unwrap();
    /// assert_eq!(stats.absent_fields(&opts), ["titel"]);
    /// ```
    pub fn absent_fields<'o>(&self, opts: &'o JsonlOptions) -> Vec<&'o str> {
        opts.fields
            .iter()
            .enumerate()
            .filter(|&(i, _)| self.field_hits.get(i).copied().unwrap_or(0) == 0)
            .map(|(_, path)| path.as_str())
            .collect()
    }
}

/// Why one record could not be cleaned (see [`clean_record`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordError {
    /// Not valid JSON, or not an object; the message says which.
    Malformed(String),
    /// A string value to clean cannot be decoded (a lone surrogate escape).
    BadString {
        /// The path that reached it.
        field: String,
        /// What is wrong, and where in the record.
        message: String,
    },
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordError::Malformed(message) => f.write_str(message),
            RecordError::BadString { field, message } => write!(f, "field `{field}`: {message}"),
        }
    }
}

impl std::error::Error for RecordError {}

/// Why JSON Lines could not be cleaned.
#[derive(Debug)]
pub enum JsonlError {
    /// Line `line` is not valid JSON, or not an object.
    Malformed {
        /// The 1-based line number.
        line: usize,
        /// What is wrong, and at which column.
        message: String,
    },
    /// Line `line` is not valid UTF-8.
    InvalidUtf8 {
        /// The 1-based line number.
        line: usize,
        /// Byte offset of the first invalid byte, from the start of the
        /// input.
        offset: u64,
    },
    /// A string value to clean on line `line` cannot be decoded (a lone
    /// surrogate escape).
    BadString {
        /// The 1-based line number.
        line: usize,
        /// The path that reached the string.
        field: String,
        /// What is wrong, and at which column.
        message: String,
    },
    /// Reading the input failed.
    Read(io::Error),
    /// Writing the output failed.
    Write(io::Error),
}

impl JsonlError {
    fn at_line(line: usize, e: RecordError) -> JsonlError {
        match e {
            RecordError::Malformed(message) => JsonlError::Malformed { line, message },
            RecordError::BadString { field, message } => JsonlError::BadString { line, field, message },
        }
    }
}

impl fmt::Display for JsonlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonlError::Malformed { line, message } => write!(f, "line {line}: {message}"),
            JsonlError::InvalidUtf8 { line, offset } => {
                write!(f, "line {line}: invalid UTF-8 at byte offset {offset} of the input")
            }
            JsonlError::BadString { line, field, message } => {
                write!(f, "line {line}: field `{field}`: {message}")
            }
            JsonlError::Read(e) => write!(f, "reading the input: {e}"),
            JsonlError::Write(e) => write!(f, "writing the output: {e}"),
        }
    }
}

impl std::error::Error for JsonlError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            JsonlError::Read(e) | JsonlError::Write(e) => Some(e),
            _ => None,
        }
    }
}

/// One record, cleaned; see [`clean_record`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanedRecord {
    /// The record's JSON text with its fields cleaned.
    pub text: String,
    /// What was done (`records` is 1).
    pub stats: JsonlStats,
}

/// Cleans the fields of one record, a JSON object without its line end.
///
/// ```
/// use zh_clean::Cleaner;
/// use zh_clean::jsonl::{clean_record, JsonlOptions};
/// let opts = JsonlOptions {
///     fields: vec!["text".parse().unwrap(), "meta.title".parse().unwrap()],
///     ..JsonlOptions::default()
/// };
/// // Numbers, spacing, escapes and the duplicate key are kept as they were.
/// let line = r#"{"id":1.50, "text":"香港 生產 力 局","meta":{"title":"AI 產業 ， 研究","n":"\u00e9"},"text":"九 龍"}"#;
/// let rec = clean_record(&Cleaner::default(), line, &opts).unwrap();
/// assert_eq!(rec.text, r#"{"id":1.50, "text":"香港生產力局","meta":{"title":"AI產業，研究","n":"\u00e9"},"text":"九龍"}"#);
/// assert_eq!((rec.stats.fields_cleaned, rec.stats.fields_changed), (3, 3));
/// assert_eq!(rec.stats.field_hits, [2, 1]);
/// ```
pub fn clean_record(
    cleaner: &Cleaner,
    record: &str,
    opts: &JsonlOptions,
) -> Result<CleanedRecord, RecordError> {
    let mut out = Vec::with_capacity(record.len());
    let mut stats = JsonlStats::for_fields(opts.fields.len());
    record_into(cleaner, record, opts, &mut out, &mut stats)?;
    let text = String::from_utf8(out).map_err(|e| RecordError::Malformed(e.to_string()))?;
    Ok(CleanedRecord { text, stats })
}

/// Cleans `src`, one record, appending the result to `out` and adding the
/// counts to `stats` on success. On error `out` may hold a partial record.
fn record_into(
    cleaner: &Cleaner,
    src: &str,
    opts: &JsonlOptions,
    out: &mut Vec<u8>,
    stats: &mut JsonlStats,
) -> Result<(), RecordError> {
    let raw: &RawValue = serde_json::from_str(src).map_err(|e| {
        RecordError::Malformed(format!("malformed JSON: {} at column {}", without_position(&e), e.column()))
    })?;
    let s = src.as_bytes();
    let open = skip_ws(s, 0);
    if s.get(open) != Some(&b'{') {
        let kind = match raw.get().as_bytes().first() {
            Some(b'[') => "an array",
            Some(b'"') => "a string",
            Some(b't' | b'f') => "a boolean",
            Some(b'n') => "null",
            _ => "a number",
        };
        return Err(RecordError::Malformed(format!("not a JSON object but {kind}")));
    }
    let mut walker = Walker {
        src,
        cleaner,
        paths: &opts.fields,
        want_first: cfg!(feature = "segment") && opts.segment_field.is_some(),
        first: None,
        edits: Vec::new(),
        stats: JsonlStats::for_fields(opts.fields.len()),
    };
    walker.stats.records = 1;
    let cursors: Vec<Cursor> = (0..opts.fields.len()).map(|p| (p, 0)).collect();
    walker.value(open, &cursors)?;
    #[cfg(feature = "segment")]
    walker.segment_field(open, opts)?;

    let Walker { mut edits, stats: record_stats, .. } = walker;
    // Outer spans first; a span inside one already replaced is dropped.
    edits.sort_by_key(|e| (e.start, Reverse(e.end), !e.outer));
    let mut cursor = 0;
    for edit in &edits {
        if edit.start < cursor {
            continue;
        }
        out.extend_from_slice(&s[cursor..edit.start]);
        out.extend_from_slice(edit.text.as_bytes());
        cursor = edit.end;
    }
    out.extend_from_slice(&s[cursor..]);
    stats.add(&record_stats);
    Ok(())
}

/// A serde_json message without its " at line 1 column 7" suffix.
fn without_position(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message,
    }
}

/// A path being followed: (index in the paths, index of its next step).
type Cursor = (usize, usize);

/// A replacement of `start..end` of the record by `text`.
struct Edit {
    start: usize,
    end: usize,
    text: String,
    /// Wins over edits inside its span (the segment field).
    outer: bool,
}

/// Follows the field paths through one validated record.
struct Walker<'s, 'o> {
    src: &'s str,
    cleaner: &'o Cleaner,
    paths: &'o [FieldPath],
    /// Whether to keep the first string cleaned by the first path.
    want_first: bool,
    first: Option<String>,
    edits: Vec<Edit>,
    stats: JsonlStats,
}

impl Walker<'_, '_> {
    fn is_done(&self, &(path, step): &Cursor) -> bool {
        step >= self.paths[path].steps.len()
    }

    fn step(&self, &(path, step): &Cursor) -> Option<&Step> {
        self.paths[path].steps.get(step)
    }

    /// Handles the value starting at `i`, where `cursors` have arrived;
    /// returns the offset after it.
    fn value(&mut self, i: usize, cursors: &[Cursor]) -> Result<usize, RecordError> {
        let s = self.src.as_bytes();
        let first = byte(s, i)?;
        let paths = self.paths;
        let is_done = |&(path, step): &Cursor| step >= paths[path].steps.len();
        let done = cursors.iter().filter(|c| is_done(c)).count();
        let mut end = None;
        if done > 0 {
            for &(path, _) in cursors.iter().filter(|c| is_done(c)) {
                self.stats.field_hits[path] += 1;
            }
            if first == b'"' {
                end = Some(self.string(i, cursors)?);
            } else {
                self.stats.fields_not_string += 1;
            }
        }
        if done == cursors.len() {
            return match end {
                Some(end) => Ok(end),
                None => value_end(s, i),
            };
        }
        let going_on: Vec<Cursor> = cursors.iter().filter(|c| !is_done(c)).copied().collect();
        match first {
            b'{' => self.object(i, &going_on),
            b'[' => self.array(i, &going_on),
            _ => {
                self.stats.fields_missing += going_on.len();
                match end {
                    Some(end) => Ok(end),
                    None => value_end(s, i),
                }
            }
        }
    }

    /// The object at `i`, where `cursors` each want a key or every element.
    fn object(&mut self, i: usize, cursors: &[Cursor]) -> Result<usize, RecordError> {
        let s = self.src.as_bytes();
        let src = self.src;
        let mut seen = vec![false; cursors.len()];
        let want_keys = cursors.iter().any(|c| matches!(self.step(c), Some(Step::Key(_))));
        let mut j = skip_ws(s, i + 1);
        let end = if byte(s, j)? == b'}' {
            j + 1
        } else {
            loop {
                expect(s, j, b'"')?;
                let key_end = string_end(s, j)?;
                let mut matched = Vec::new();
                if want_keys && let Some(key) = decode_key(&src[j..key_end]) {
                    for (n, c) in cursors.iter().enumerate() {
                        if let Some(Step::Key(k)) = self.step(c)
                            && *k == key
                        {
                            seen[n] = true;
                            matched.push((c.0, c.1 + 1));
                        }
                    }
                }
                j = skip_ws(s, key_end);
                expect(s, j, b':')?;
                j = skip_ws(s, j + 1);
                let value_end = if matched.is_empty() { value_end(s, j)? } else { self.value(j, &matched)? };
                j = skip_ws(s, value_end);
                match byte(s, j)? {
                    b',' => j = skip_ws(s, j + 1),
                    b'}' => break j + 1,
                    _ => return Err(broken(j)),
                }
            }
        };
        self.stats.fields_missing += seen.iter().filter(|&&seen| !seen).count();
        Ok(end)
    }

    /// The array at `i`, where `cursors` each want a key or every element.
    fn array(&mut self, i: usize, cursors: &[Cursor]) -> Result<usize, RecordError> {
        let s = self.src.as_bytes();
        let each: Vec<Cursor> =
            cursors.iter().filter(|c| self.step(c) == Some(&Step::Each)).map(|&(p, k)| (p, k + 1)).collect();
        self.stats.fields_missing += cursors.len() - each.len();
        let mut j = skip_ws(s, i + 1);
        if byte(s, j)? == b']' {
            return Ok(j + 1);
        }
        loop {
            let end = if each.is_empty() { value_end(s, j)? } else { self.value(j, &each)? };
            j = skip_ws(s, end);
            match byte(s, j)? {
                b',' => j = skip_ws(s, j + 1),
                b']' => return Ok(j + 1),
                _ => return Err(broken(j)),
            }
        }
    }

    /// Cleans the string at `i`, reached by the finished ones of `cursors`.
    fn string(&mut self, i: usize, cursors: &[Cursor]) -> Result<usize, RecordError> {
        let src = self.src;
        let end = string_end(src.as_bytes(), i)?;
        let raw = &src[i..end];
        let inner = &raw[1..raw.len() - 1];
        let decoded: Cow<'_, str> = if inner.contains('\\') {
            match serde_json::from_str::<String>(raw) {
                Ok(text) => Cow::Owned(text),
                Err(e) => {
                    let path = cursors.iter().find(|c| self.is_done(c)).map_or(0, |c| c.0);
                    let message = match lone_surrogate(inner) {
                        Some(at) => format!(
                            "lone surrogate escape `{}` at column {}",
                            inner.get(at..at + 6).unwrap_or_default(),
                            i + 2 + at
                        ),
                        None => {
                            format!("cannot decode the string at column {}: {}", i + 1, without_position(&e))
                        }
                    };
                    return Err(RecordError::BadString { field: self.paths[path].text.clone(), message });
                }
            }
        } else {
            Cow::Borrowed(inner)
        };
        let cleaned = self.cleaner.clean_cow(&decoded);
        self.stats.fields_cleaned += 1;
        if cleaned != decoded {
            self.stats.fields_changed += 1;
            let text =
                serde_json::to_string(cleaned.as_ref()).map_err(|e| RecordError::Malformed(e.to_string()))?;
            self.edits.push(Edit { start: i, end, text, outer: false });
        }
        if self.want_first && self.first.is_none() && cursors.iter().any(|c| c.0 == 0 && self.is_done(c)) {
            self.first = Some(cleaned.into_owned());
        }
        Ok(end)
    }

    /// Adds or replaces the segment field of the top-level object at `open`.
    #[cfg(feature = "segment")]
    fn segment_field(&mut self, open: usize, opts: &JsonlOptions) -> Result<(), RecordError> {
        let (Some(name), Some(text)) = (&opts.segment_field, self.first.take()) else { return Ok(()) };
        let mut words = self.cleaner.segment_words(&text);
        if opts.words_only {
            words.retain(|w| !is_punctuation(w));
        }
        let value = serde_json::to_string(&words).map_err(|e| RecordError::Malformed(e.to_string()))?;
        let (s, src) = (self.src.as_bytes(), self.src);
        let mut replaced = false;
        let mut last_end = None;
        let mut j = skip_ws(s, open + 1);
        if byte(s, j)? != b'}' {
            loop {
                expect(s, j, b'"')?;
                let key_end = string_end(s, j)?;
                let is_name = decode_key(&src[j..key_end]).is_some_and(|k| k == name.as_str());
                j = skip_ws(s, key_end);
                expect(s, j, b':')?;
                j = skip_ws(s, j + 1);
                let end = value_end(s, j)?;
                if is_name {
                    self.edits.push(Edit { start: j, end, text: value.clone(), outer: true });
                    replaced = true;
                }
                last_end = Some(end);
                j = skip_ws(s, end);
                match byte(s, j)? {
                    b',' => j = skip_ws(s, j + 1),
                    b'}' => break,
                    _ => return Err(broken(j)),
                }
            }
        }
        if !replaced {
            let key = serde_json::to_string(name).map_err(|e| RecordError::Malformed(e.to_string()))?;
            let (at, text) = match last_end {
                Some(end) => (end, format!(",{key}:{value}")),
                None => (open + 1, format!("{key}:{value}")),
            };
            self.edits.push(Edit { start: at, end: at, text, outer: true });
        }
        Ok(())
    }
}

/// Whether a token is punctuation only (the segmenter's punctuation kind).
#[cfg(feature = "segment")]
fn is_punctuation(token: &str) -> bool {
    use crate::chars::{Class, class};
    token.chars().all(|c| matches!(class(c), Class::CjkPunct | Class::AsciiPunct | Class::AmbiguousPunct))
}

/// The offset of the first `\uXXXX` escape in the JSON string body `inner`
/// that is a surrogate not part of a high-low pair.
fn lone_surrogate(inner: &str) -> Option<usize> {
    let s = inner.as_bytes();
    let unit = |at: usize| {
        let hex = s.get(at..at + 6)?.strip_prefix(b"\\u")?;
        u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
    };
    let mut i = 0;
    while let Some(k) = memchr::memchr(b'\\', s.get(i..)?) {
        i += k;
        match unit(i) {
            Some(0xD800..=0xDBFF) if matches!(unit(i + 6), Some(0xDC00..=0xDFFF)) => i += 12,
            Some(0xD800..=0xDFFF) => return Some(i),
            Some(_) => i += 6,
            None => i += 2,
        }
    }
    None
}

/// The decoded text of a JSON string (quotes included); `None` when it
/// cannot be decoded, so it equals no key of a path.
fn decode_key(raw: &str) -> Option<Cow<'_, str>> {
    let inner = raw.get(1..raw.len().saturating_sub(1))?;
    if inner.contains('\\') {
        serde_json::from_str::<String>(raw).ok().map(Cow::Owned)
    } else {
        Some(Cow::Borrowed(inner))
    }
}

/// The scanner met something validated JSON cannot hold.
fn broken(at: usize) -> RecordError {
    RecordError::Malformed(format!("unexpected input at column {}", at + 1))
}

fn byte(s: &[u8], i: usize) -> Result<u8, RecordError> {
    s.get(i).copied().ok_or_else(|| broken(i))
}

fn expect(s: &[u8], i: usize, want: u8) -> Result<(), RecordError> {
    if byte(s, i)? == want { Ok(()) } else { Err(broken(i)) }
}

/// The offset of the first non-whitespace byte at or after `i`.
fn skip_ws(s: &[u8], mut i: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = s.get(i) {
        i += 1;
    }
    i
}

/// The offset after the string whose opening quote is at `i`.
fn string_end(s: &[u8], i: usize) -> Result<usize, RecordError> {
    let mut j = i + 1;
    loop {
        let rest = s.get(j..).ok_or_else(|| broken(i))?;
        j += memchr::memchr2(b'"', b'\\', rest).ok_or_else(|| broken(i))?;
        if s[j] == b'\\' {
            j += 2;
        } else {
            return Ok(j + 1);
        }
    }
}

/// The offset after the value starting at `i`, without recursion.
fn value_end(s: &[u8], i: usize) -> Result<usize, RecordError> {
    match byte(s, i)? {
        b'"' => string_end(s, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match byte(s, j)? {
                    b'"' => {
                        j = string_end(s, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.checked_sub(1).ok_or_else(|| broken(j))?;
                        if depth == 0 {
                            return Ok(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        _ => {
            let mut j = i;
            while let Some(b) = s.get(j) {
                if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                    break;
                }
                j += 1;
            }
            if j == i { Err(broken(i)) } else { Ok(j) }
        }
    }
}

/// Cleans one input line `raw` (with its line end, if any) into `out`.
/// `line` is its 1-based number, `offset` the input offset of its first
/// byte.
fn clean_line(
    cleaner: &Cleaner,
    opts: &JsonlOptions,
    raw: &[u8],
    line: usize,
    offset: u64,
    out: &mut Vec<u8>,
    stats: &mut JsonlStats,
) -> Result<(), JsonlError> {
    let (body, eol) = raw.split_at(raw.len() - usize::from(raw.last() == Some(&b'\n')));
    let bom = if offset == 0 && body.starts_with(BOM) { BOM.len() } else { 0 };
    let (bom_bytes, body) = body.split_at(bom);
    if body.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r')) {
        out.extend_from_slice(raw);
        return Ok(());
    }
    let text = match std::str::from_utf8(body) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) if opts.lossy => String::from_utf8_lossy(body),
        Err(e) => {
            let offset = offset + (bom + e.valid_up_to()) as u64;
            return pass_through(opts, raw, out, stats, JsonlError::InvalidUtf8 { line, offset });
        }
    };
    let mark = out.len();
    out.extend_from_slice(bom_bytes);
    match record_into(cleaner, &text, opts, out, stats) {
        Ok(()) => {
            out.extend_from_slice(eol);
            Ok(())
        }
        Err(e) => {
            out.truncate(mark);
            pass_through(opts, raw, out, stats, JsonlError::at_line(line, e))
        }
    }
}

/// In [`OnError::Skip`] mode writes `raw` and counts it; else returns `err`.
fn pass_through(
    opts: &JsonlOptions,
    raw: &[u8],
    out: &mut Vec<u8>,
    stats: &mut JsonlStats,
    err: JsonlError,
) -> Result<(), JsonlError> {
    match opts.on_error {
        OnError::Fail => Err(err),
        OnError::Skip => {
            stats.skipped += 1;
            out.extend_from_slice(raw);
            Ok(())
        }
    }
}

/// How much input a batch for the worker threads holds, at most.
#[derive(Debug, Clone, Copy)]
struct Limits {
    lines: usize,
    bytes: usize,
}

const BATCH: Limits = Limits { lines: 2048, bytes: 1 << 20 };

/// Whole lines of input, for a worker thread.
struct Batch {
    data: Vec<u8>,
    /// The 1-based number of its first line.
    line: usize,
    /// The input offset of its first byte.
    offset: u64,
}

/// A cleaned batch: everything before the first error, and the error.
struct Done {
    out: Vec<u8>,
    stats: JsonlStats,
    error: Option<JsonlError>,
}

/// Reads whole lines up to `limits`; a read error ends the batch after the
/// last complete line.
fn read_batch<R: BufRead>(
    reader: &mut R,
    limits: Limits,
    line: &mut usize,
    offset: &mut u64,
) -> (Batch, Option<io::Error>) {
    let mut batch = Batch { data: Vec::new(), line: *line, offset: *offset };
    let mut error = None;
    let mut lines = 0;
    while lines < limits.lines && batch.data.len() < limits.bytes {
        let before = batch.data.len();
        match reader.read_until(b'\n', &mut batch.data) {
            Ok(0) => break,
            Ok(n) => {
                lines += 1;
                *offset += n as u64;
            }
            Err(e) => {
                batch.data.truncate(before);
                error = Some(e);
                break;
            }
        }
    }
    *line += lines;
    (batch, error)
}

fn clean_batch(cleaner: &Cleaner, opts: &JsonlOptions, batch: &Batch) -> Done {
    let mut out = Vec::with_capacity(batch.data.len() + batch.data.len() / 8);
    let mut stats = JsonlStats::for_fields(opts.fields.len());
    let (mut line, mut offset) = (batch.line, batch.offset);
    for raw in batch.data.split_inclusive(|&b| b == b'\n') {
        if let Err(e) = clean_line(cleaner, opts, raw, line, offset, &mut out, &mut stats) {
            return Done { out, stats, error: Some(e) };
        }
        line += 1;
        offset += raw.len() as u64;
    }
    Done { out, stats, error: None }
}

/// Cleans JSON Lines from `reader` into `writer`, record by record, in
/// order, on [`JsonlOptions::threads`] threads.
///
/// When a line cannot be cleaned in [`OnError::Fail`] mode, everything
/// before it has been written (and flushed) and nothing after it, and the
/// error names that line, whatever the number of threads. A read error
/// likewise comes after everything read before it.
///
/// ```
/// use zh_clean::Cleaner;
/// use zh_clean::jsonl::{clean_jsonl, JsonlOptions, OnError};
/// let input = "{\"text\":\"生 產 力 局\"}\r\nnot json\n{\"text\":\"九 龍\", \"n\":1.0}";
/// let opts = JsonlOptions { on_error: OnError::Skip, threads: 2, ..JsonlOptions::default() };
/// let mut out = Vec::new();
/// let stats = clean_jsonl(&Cleaner::default(), input.as_bytes(), &mut out, &opts).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(), "{\"text\":\"生產力局\"}\r\nnot json\n{\"text\":\"九龍\", \"n\":1.0}");
/// assert_eq!((stats.records, stats.fields_changed, stats.skipped), (2, 2, 1));
/// ```
pub fn clean_jsonl<R: BufRead, W: Write>(
    cleaner: &Cleaner,
    reader: R,
    writer: W,
    opts: &JsonlOptions,
) -> Result<JsonlStats, JsonlError> {
    if opts.threads > 1 {
        parallel(cleaner, reader, writer, opts, BATCH)
    } else {
        serial(cleaner, reader, writer, opts)
    }
}

/// [`clean_jsonl`] on the calling thread, line by line.
fn serial<R: BufRead, W: Write>(
    cleaner: &Cleaner,
    mut reader: R,
    mut writer: W,
    opts: &JsonlOptions,
) -> Result<JsonlStats, JsonlError> {
    let mut stats = JsonlStats::for_fields(opts.fields.len());
    let (mut raw, mut out) = (Vec::new(), Vec::new());
    let (mut line, mut offset) = (1, 0u64);
    loop {
        raw.clear();
        out.clear();
        let n = match reader.read_until(b'\n', &mut raw) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                writer.flush().map_err(JsonlError::Write)?;
                return Err(JsonlError::Read(e));
            }
        };
        let result = clean_line(cleaner, opts, &raw, line, offset, &mut out, &mut stats);
        writer.write_all(&out).map_err(JsonlError::Write)?;
        if let Err(e) = result {
            writer.flush().map_err(JsonlError::Write)?;
            return Err(e);
        }
        line += 1;
        offset += n as u64;
    }
    writer.flush().map_err(JsonlError::Write)?;
    Ok(stats)
}

/// [`clean_jsonl`] with batches cleaned on `opts.threads` worker threads;
/// the calling thread reads, and writes in input order. At most two
/// batches per thread are read and not yet written.
fn parallel<R: BufRead, W: Write>(
    cleaner: &Cleaner,
    mut reader: R,
    mut writer: W,
    opts: &JsonlOptions,
    limits: Limits,
) -> Result<JsonlStats, JsonlError> {
    let threads = opts.threads.max(1);
    let in_flight_max = 2 * threads;
    let stop = AtomicBool::new(false);
    let (work_tx, work_rx) = mpsc::sync_channel::<(usize, Batch)>(threads);
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::channel::<Finished>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (done_tx, work_rx, stop) = (done_tx.clone(), &work_rx, &stop);
            scope.spawn(move || {
                loop {
                    let job = match work_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => break,
                    };
                    let Ok((index, batch)) = job else { break };
                    if stop.load(Ordering::Relaxed) {
                        continue;
                    }
                    let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        clean_batch(cleaner, opts, &batch)
                    }));
                    if done_tx.send((index, done)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        let mut stats = JsonlStats::for_fields(opts.fields.len());
        let result =
            coordinate(&mut reader, &mut writer, limits, in_flight_max, work_tx, &done_rx, &mut stats);
        stop.store(true, Ordering::Relaxed);
        result.map(|()| stats)
    })
}

/// A cleaned batch from a worker, or its panic.
type Finished = (usize, std::thread::Result<Done>);

/// The calling thread's part of [`parallel`]: reads batches and hands them
/// to the workers, and writes their results in input order. Dropping
/// `work_tx` on return lets the workers end.
fn coordinate<R: BufRead, W: Write>(
    reader: &mut R,
    writer: &mut W,
    limits: Limits,
    in_flight_max: usize,
    work_tx: mpsc::SyncSender<(usize, Batch)>,
    done_rx: &mpsc::Receiver<Finished>,
    stats: &mut JsonlStats,
) -> Result<(), JsonlError> {
    let mut pending = BTreeMap::new();
    let (mut next_read, mut next_write) = (0usize, 0usize);
    let (mut line, mut offset) = (1usize, 0u64);
    let mut eof = false;
    let mut read_error = None;
    loop {
        if !eof && next_read - next_write < in_flight_max {
            let (batch, error) = read_batch(reader, limits, &mut line, &mut offset);
            if error.is_some() || batch.data.is_empty() {
                eof = true;
                read_error = error;
            }
            if !batch.data.is_empty() {
                // The workers only stop once the sender is gone.
                if work_tx.send((next_read, batch)).is_err() {
                    return Err(JsonlError::Read(io::Error::other("the worker threads stopped")));
                }
                next_read += 1;
            }
            continue;
        }
        if next_write == next_read {
            break;
        }
        let Ok((index, done)) = done_rx.recv() else {
            return Err(JsonlError::Read(io::Error::other("the worker threads stopped")));
        };
        match done {
            Ok(done) => pending.insert(index, done),
            Err(panic) => std::panic::resume_unwind(panic),
        };
        while let Some(done) = pending.remove(&next_write) {
            next_write += 1;
            writer.write_all(&done.out).map_err(JsonlError::Write)?;
            stats.add(&done.stats);
            if let Some(e) = done.error {
                writer.flush().map_err(JsonlError::Write)?;
                return Err(e);
            }
        }
    }
    writer.flush().map_err(JsonlError::Write)?;
    match read_error {
        Some(e) => Err(JsonlError::Read(e)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(fields: &[&str]) -> JsonlOptions {
        JsonlOptions {
            fields: fields.iter().map(|f| f.parse().unwrap()).collect(),
            ..JsonlOptions::default()
        }
    }

    fn run_bytes(input: &[u8], opts: &JsonlOptions) -> Result<(Vec<u8>, JsonlStats), JsonlError> {
        let mut out = Vec::new();
        let stats = clean_jsonl(&Cleaner::default(), input, &mut out, opts)?;
        Ok((out, stats))
    }

    fn run(input: &str, opts: &JsonlOptions) -> Result<(String, JsonlStats), JsonlError> {
        let (out, stats) = run_bytes(input.as_bytes(), opts)?;
        Ok((String::from_utf8(out).unwrap(), stats))
    }

    fn stats(
        records: usize,
        [cleaned, changed, missing, not_string, skipped]: [usize; 5],
        field_hits: &[usize],
    ) -> JsonlStats {
        JsonlStats {
            records,
            fields_cleaned: cleaned,
            fields_changed: changed,
            fields_missing: missing,
            fields_not_string: not_string,
            skipped,
            field_hits: field_hits.to_vec(),
        }
    }

    #[test]
    fn everything_else_keeps_its_bytes() {
        let line = r#"{ "z" : 1e5,"text":"生 產 力 局" ,"a":"香 港","s":"\u00e9\n\/","n":null, "f":-0.10 }"#;
        let (out, st) = run(&format!("{line}\n"), &JsonlOptions::default()).unwrap();
        assert_eq!(
            out,
            "{ \"z\" : 1e5,\"text\":\"生產力局\" ,\"a\":\"香 港\",\"s\":\"\\u00e9\\n\\/\",\"n\":null, \"f\":-0.10 }\n"
        );
        assert_eq!(st, stats(1, [1, 1, 0, 0, 0], &[1]));
    }

    #[test]
    fn unchanged_strings_keep_their_escapes() {
        let line = "{\"text\":\"\\u9999\\u6e2f\\/\"}\n";
        let (out, st) = run(line, &JsonlOptions::default()).unwrap();
        assert_eq!(out, line);
        assert_eq!(st, stats(1, [1, 0, 0, 0, 0], &[1]));
    }

    #[test]
    fn changed_strings_are_re_encoded() {
        let (out, _) = run("{\"text\":\"\\u9999 \\u6e2f\\\"\\\\\\/\"}\n", &JsonlOptions::default()).unwrap();
        assert_eq!(out, "{\"text\":\"香港\\\"\\\\/\"}\n");
    }

    #[test]
    fn duplicate_keys_are_kept_and_every_value_cleaned() {
        let (out, st) = run("{\"a\":1,\"text\":\"香 港\",\"a\":2}\n", &JsonlOptions::default()).unwrap();
        assert_eq!(out, "{\"a\":1,\"text\":\"香港\",\"a\":2}\n");
        assert_eq!(st, stats(1, [1, 1, 0, 0, 0], &[1]));
        let (out, st) =
            run("{\"text\":\"香 港\",\"x\":0,\"text\":\"九 龍\"}\n", &JsonlOptions::default()).unwrap();
        assert_eq!(out, "{\"text\":\"香港\",\"x\":0,\"text\":\"九龍\"}\n");
        assert_eq!(st, stats(1, [2, 2, 0, 0, 0], &[2]));
    }

    #[test]
    fn escaped_key_names_match_and_keep_their_bytes() {
        let (out, st) =
            run("{\"te\\u0078t\":\"香 港\",\"\\ud800\":\"九 龍\"}\n", &JsonlOptions::default()).unwrap();
        assert_eq!(out, "{\"te\\u0078t\":\"香港\",\"\\ud800\":\"九 龍\"}\n");
        assert_eq!(st, stats(1, [1, 1, 0, 0, 0], &[1]));
    }

    #[test]
    fn nested_paths_and_missing_or_non_string_fields() {
        let o = opts(&["meta.body", "missing", "num", "num.x", "meta.x", "meta"]);
        let (out, st) = run("{\"num\":3,\"meta\":{\"x\":[1, 2],\"body\":\"九 龍 。\"}}\n", &o).unwrap();
        assert_eq!(out, "{\"num\":3,\"meta\":{\"x\":[1, 2],\"body\":\"九龍。\"}}\n");
        // missing: `missing`, `num.x` (a number has no fields);
        // not strings: `num`, `meta.x`, `meta`.
        assert_eq!(st, stats(1, [1, 1, 2, 3, 0], &[1, 0, 1, 0, 1, 1]));
        assert_eq!(st.absent_fields(&o), ["missing", "num.x"]);
    }

    #[test]
    fn array_paths() {
        let o = opts(&["items[].text", "tags[]", "grid[][]", "text[]"]);
        let line = r#"{"items":[{"text":"香 港"},{"x":1},{"text":2},"s"],"tags":["九 龍",3,"新界"],"grid":[["九 龍"],[]],"text":"香 港"}"#;
        let (out, st) = run(&format!("{line}\n"), &o).unwrap();
        assert_eq!(
            out,
            r#"{"items":[{"text":"香港"},{"x":1},{"text":2},"s"],"tags":["九龍",3,"新界"],"grid":[["九龍"],[]],"text":"香 港"}"#
                .to_owned()
                + "\n"
        );
        // missing: items[1].text, items[3] (a string has no fields), `text[]`
        // (a string is no array); not strings: items[2].text, tags[1].
        assert_eq!(st, stats(1, [4, 3, 3, 2, 0], &[2, 3, 1, 0]));
    }

    #[test]
    fn field_path_syntax() {
        let steps = |p: &str| p.parse::<FieldPath>().map(|p| p.steps.len());
        assert_eq!(steps("text"), Ok(1));
        assert_eq!(steps("meta.body"), Ok(2));
        assert_eq!(steps("items[].text"), Ok(3));
        assert_eq!(steps("grid[][]"), Ok(3));
        for (bad, reason) in [
            ("", "the path is empty"),
            ("a..b", "empty field name (two dots, or a dot at an end)"),
            (".a", "empty field name (two dots, or a dot at an end)"),
            ("a.", "empty field name (two dots, or a dot at an end)"),
            ("[]", "`[]` must follow a field name"),
            ("a.[]", "`[]` must follow a field name"),
            ("a[", "`[` without `]`"),
            ("a]", "`]` without `[`"),
            ("a[0]", "only `[]` (every element) may stand in brackets"),
            ("a[]b", "unexpected text after `[]`"),
        ] {
            let err = bad.parse::<FieldPath>().unwrap_err();
            assert_eq!(err.to_string(), format!("invalid field path `{bad}`: {reason}"));
        }
        assert_eq!(FieldPath::parse("items[].text").unwrap().to_string(), "items[].text");
    }

    #[test]
    fn malformed_line_fails_with_its_number_and_nothing_after() {
        let input = "{\"text\":\"香 港\"}\n{\"text\": \n{\"text\":\"九 龍\"}\n";
        let mut out = Vec::new();
        let err = clean_jsonl(&Cleaner::default(), input.as_bytes(), &mut out, &JsonlOptions::default())
            .unwrap_err();
        assert_eq!(err.to_string(), "line 2: malformed JSON: EOF while parsing a value at column 9");
        assert_eq!(String::from_utf8(out).unwrap(), "{\"text\":\"香港\"}\n");
        let err = run("[1,2]\n", &JsonlOptions::default()).unwrap_err();
        assert_eq!(err.to_string(), "line 1: not a JSON object but an array");
    }

    #[test]
    fn skip_passes_bad_lines_through() {
        let o = JsonlOptions { on_error: OnError::Skip, ..JsonlOptions::default() };
        let (out, st) = run("[1,2]\n\n{\"text\":\"香 港\"}\nnull\n", &o).unwrap();
        assert_eq!(out, "[1,2]\n\n{\"text\":\"香港\"}\nnull\n");
        assert_eq!(st, stats(1, [1, 1, 0, 0, 2], &[1]));
    }

    #[test]
    fn invalid_utf8_names_line_and_offset() {
        let input = b"{\"text\":\"\xe9\xa6\x99 \xe6\xb8\xaf\"}\n{\"text\":\"a\xffb\",\"n\":1}\n{\"text\":\"\xe4\xb9\x9d \xe9\xbe\x8d\"}\n";
        let mut out = Vec::new();
        let err =
            clean_jsonl(&Cleaner::default(), &input[..], &mut out, &JsonlOptions::default()).unwrap_err();
        assert!(matches!(err, JsonlError::InvalidUtf8 { line: 2, offset: 29 }), "{err:?}");
        assert_eq!(err.to_string(), "line 2: invalid UTF-8 at byte offset 29 of the input");
        assert_eq!(out, "{\"text\":\"香港\"}\n".as_bytes());

        let lossy = JsonlOptions { lossy: true, ..JsonlOptions::default() };
        let (out, st) = run_bytes(input, &lossy).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"text\":\"香港\"}\n{\"text\":\"a\u{FFFD}b\",\"n\":1}\n{\"text\":\"九龍\"}\n"
        );
        assert_eq!(st.records, 3);

        let skip = JsonlOptions { on_error: OnError::Skip, ..JsonlOptions::default() };
        let (out, st) = run_bytes(input, &skip).unwrap();
        let mut want = "{\"text\":\"香港\"}\n".as_bytes().to_vec();
        want.extend_from_slice(b"{\"text\":\"a\xffb\",\"n\":1}\n");
        want.extend_from_slice("{\"text\":\"九龍\"}\n".as_bytes());
        assert_eq!(out, want);
        assert_eq!(st, stats(2, [2, 2, 0, 0, 1], &[2]));
    }

    #[test]
    fn bom_and_line_ends_are_kept() {
        let input = "\u{FEFF}{\"text\":\"香 港\"}\r\n{\"text\":\"九 龍\"}\n \r\n{\"text\":\"新 界\"}";
        let (out, st) = run(input, &JsonlOptions::default()).unwrap();
        assert_eq!(out, "\u{FEFF}{\"text\":\"香港\"}\r\n{\"text\":\"九龍\"}\n \r\n{\"text\":\"新界\"}");
        assert_eq!(st.records, 3);
        // A BOM is only accepted at the start of the input; a BOM-only line is blank.
        assert!(matches!(
            run("\n\u{FEFF}{}\n", &JsonlOptions::default()),
            Err(JsonlError::Malformed { line: 2, .. })
        ));
        assert_eq!(run("\u{FEFF}\n{}", &JsonlOptions::default()).unwrap().0, "\u{FEFF}\n{}");
        // The invalid-UTF-8 offset counts the BOM.
        let err = run_bytes(b"\xEF\xBB\xBF{\"text\":\"\xff\"}", &JsonlOptions::default()).unwrap_err();
        assert!(matches!(err, JsonlError::InvalidUtf8 { line: 1, offset: 12 }), "{err:?}");
    }

    #[test]
    fn lone_surrogate_in_a_field_to_clean_is_reported() {
        let input = "{\"text\":\"香 港\"}\n{\"n\":1,\"text\":\"a\\ud800b\"}\n";
        let err = run(input, &JsonlOptions::default()).unwrap_err();
        assert!(matches!(&err, JsonlError::BadString { line: 2, field, .. } if field == "text"), "{err:?}");
        assert_eq!(err.to_string(), "line 2: field `text`: lone surrogate escape `\\ud800` at column 17");
        let skip = JsonlOptions { on_error: OnError::Skip, ..JsonlOptions::default() };
        let (out, st) = run(input, &skip).unwrap();
        assert_eq!(out, "{\"text\":\"香港\"}\n{\"n\":1,\"text\":\"a\\ud800b\"}\n");
        assert_eq!(st, stats(1, [1, 1, 0, 0, 1], &[1]));
        // Elsewhere a lone surrogate is not looked at.
        let (out, _) = run("{\"other\":\"\\udc00\",\"text\":\"香 港\"}", &JsonlOptions::default()).unwrap();
        assert_eq!(out, "{\"other\":\"\\udc00\",\"text\":\"香港\"}");
    }

    #[test]
    fn hostile_lines_never_panic() {
        let deep = format!("{{\"a\":{}1{},\"text\":\"香 港\"}}", "[".repeat(100_000), "]".repeat(100_000));
        let (out, _) = run(&deep, &opts(&["text", "a[][]"])).unwrap();
        assert!(out.ends_with(",\"text\":\"香港\"}"));
        let deep_objects = format!("{}1{}", "{\"a\":".repeat(50_000), "}".repeat(50_000));
        let (out, st) = run(&deep_objects, &opts(&["a.a.a", "a.a.b"])).unwrap();
        assert_eq!(out, deep_objects);
        assert_eq!((st.fields_not_string, st.fields_missing), (1, 1));
        let huge = format!("{{\"text\":\"{}\"}}", "香 港 ".repeat(50_000));
        let (out, _) = run(&huge, &JsonlOptions::default()).unwrap();
        assert_eq!(out.len(), "{\"text\":\"\"}".len() + "香港".len() * 50_000);

        let skip = JsonlOptions { on_error: OnError::Skip, ..opts(&["text", "a[].b", "x[]"]) };
        let lines = [
            "{}",
            "[]",
            "\"str\"",
            "12",
            "-0.5e3",
            "true",
            "null",
            " \t ",
            "",
            "\r",
            "{",
            "}",
            "{\"text\":",
            "{\"a\":1}}",
            "{\"a\":1} x",
            "{\"text\":\"a\u{1}\"}",
            "{\"text\":\"\\x\"}",
            "{\"text\":\"\\u12\"}",
            "\u{3000}",
            "\u{FEFF}",
            "{\"a\":[{\"b\":\"\\udfff\"}]}",
            "{\"x\":[\"\\ud83d\\ude00 九 龍\"]}",
            &"[".repeat(10_000),
            &format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
        ];
        let input = lines.join("\n") + "\n";
        let (out, st) = run(&input, &skip).unwrap();
        let want = input.replace("\"\\ud83d\\ude00 九 龍\"", "\"😀九龍\"");
        assert_eq!(out, want);
        assert_eq!(st.records, 2);
        assert_eq!(st.skipped, lines.len() - 2 - 3);
        for line in lines {
            let _ = clean_record(&Cleaner::default(), line, &skip);
            let _ = run(line, &JsonlOptions::default());
        }
    }

    fn generated(n: usize) -> String {
        let mut s = String::new();
        for i in 0..n {
            match i % 101 {
                7 => s.push_str("not json\n"),
                13 => s.push('\n'),
                29 => s.push_str("{\"text\":\"\\udc00\"}\r\n"),
                _ => s.push_str(&format!(
                    "{{\"id\":{i}, \"text\":\"香港 第 {i} 號 ， 九 龍\",\"meta\":{{\"t\":[\"新 界 {}\"]}}}}\n",
                    i % 7
                )),
            }
        }
        s
    }

    #[test]
    fn any_number_of_threads_gives_the_same_output_and_stats() {
        let input = generated(3000);
        let o = JsonlOptions { on_error: OnError::Skip, ..opts(&["text", "meta.t[]", "nope"]) };
        let (want, want_stats) = run(&input, &o).unwrap();
        assert_eq!(want_stats.records, 3000 - 3 * 30);
        assert_eq!(want_stats.skipped, 60);
        assert_eq!(want_stats.field_hits, [2910, 2910, 0]);
        assert!(want.contains("{\"id\":1, \"text\":\"香港第1號，九龍\",\"meta\":{\"t\":[\"新界1\"]}}\n"));
        for threads in [1, 2, 4] {
            let o = JsonlOptions { threads, ..o.clone() };
            assert_eq!(run(&input, &o).unwrap(), (want.clone(), want_stats.clone()), "{threads} threads");
            for limits in [Limits { lines: 7, bytes: 1 << 20 }, Limits { lines: 10_000, bytes: 300 }] {
                let mut out = Vec::new();
                let st = parallel(&Cleaner::default(), input.as_bytes(), &mut out, &o, limits).unwrap();
                assert_eq!((String::from_utf8(out).unwrap(), st), (want.clone(), want_stats.clone()));
            }
        }
    }

    #[test]
    fn an_error_stops_at_the_first_bad_line_with_any_number_of_threads() {
        let input = generated(3000);
        let first_bad = input.lines().position(|l| l == "not json").unwrap();
        let o = opts(&["text"]);
        let (before, _) = run(&input.lines().take(first_bad).collect::<Vec<_>>().join("\n"), &o).unwrap();
        for threads in [1, 2, 4] {
            for limits in [BATCH, Limits { lines: 3, bytes: 1 << 20 }] {
                let o = JsonlOptions { threads, ..o.clone() };
                let mut out = Vec::new();
                let err = if threads > 1 {
                    parallel(&Cleaner::default(), input.as_bytes(), &mut out, &o, limits).unwrap_err()
                } else {
                    clean_jsonl(&Cleaner::default(), input.as_bytes(), &mut out, &o).unwrap_err()
                };
                assert!(matches!(err, JsonlError::Malformed { line, .. } if line == first_bad + 1), "{err}");
                assert_eq!(String::from_utf8(out).unwrap(), before.clone() + "\n");
            }
        }
    }

    /// Gives `good` then fails.
    struct Failing<'a>(&'a [u8]);

    impl io::Read for Failing<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() {
                return Err(io::Error::other("disk on fire"));
            }
            let n = self.0.len().min(buf.len()).min(5);
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn read_errors_come_after_the_lines_before_them() {
        let input = "{\"text\":\"香 港\"}\n{\"text\":\"九 龍\"}\n{\"te";
        for threads in [1, 3] {
            let o = JsonlOptions { threads, ..JsonlOptions::default() };
            let mut out = Vec::new();
            let reader = io::BufReader::with_capacity(4, Failing(input.as_bytes()));
            let err = clean_jsonl(&Cleaner::default(), reader, &mut out, &o).unwrap_err();
            assert_eq!(err.to_string(), "reading the input: disk on fire");
            assert_eq!(String::from_utf8(out).unwrap(), "{\"text\":\"香港\"}\n{\"text\":\"九龍\"}\n");
        }
    }

    #[test]
    fn stats_add_and_absent_fields() {
        let mut a = stats(1, [1, 2, 3, 4, 5], &[1, 0]);
        a.add(&stats(2, [1, 1, 1, 1, 1], &[0, 0, 4]));
        assert_eq!(a, stats(3, [2, 3, 4, 5, 6], &[1, 0, 4]));
        assert_eq!(a.absent_fields(&opts(&["x", "y", "z", "w"])), ["y", "w"]);
    }

    #[cfg(feature = "segment")]
    #[test]
    fn segment_field() {
        let o = JsonlOptions { segment_field: Some("words".into()), ..JsonlOptions::default() };
        let (out, _) = run("{\"text\":\"香港 生產 力促 進局 。\" }\n{\"n\":1}\n", &o).unwrap();
        assert_eq!(
            out,
            "{\"text\":\"香港生產力促進局。\",\"words\":[\"香港\",\"生產力\",\"促進\",\"局\",\"。\"] }\n{\"n\":1}\n"
        );
        // An existing field is replaced, not repeated.
        let (out, _) = run("{\"words\":[1],\"text\":\"香港 。\",\"words\":null}", &o).unwrap();
        assert_eq!(out, "{\"words\":[\"香港\",\"。\"],\"text\":\"香港。\",\"words\":[\"香港\",\"。\"]}");
        // Words of the first path's first string, even if unchanged.
        let o = JsonlOptions { fields: o.fields.clone(), words_only: true, ..o };
        let (out, _) = run("{\"text\":\"香港，九龍。\",\"text\":\"新 界\"}", &o).unwrap();
        assert_eq!(out, "{\"text\":\"香港，九龍。\",\"text\":\"新界\",\"words\":[\"香港\",\"九龍\"]}");
    }
}
