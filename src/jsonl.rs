//! JSON Lines: clean chosen string fields of each record.
//!
//! Scraping pipelines carry records, not bare text:
//! `{"url": "…", "title": "…", "meta": {"body": "…"}}`, one per line. This
//! module cleans the named string fields (dotted paths reach into nested
//! objects: `meta.body`) and leaves everything else as it was: the other
//! fields keep their exact JSON text (numbers are not re-formatted, escapes
//! not re-written) and every object keeps its key order. Optionally the
//! cleaned text of a field is also segmented into a new array field.
//!
//! A line that is not a JSON object is an error naming its line number; in
//! [`OnError::Skip`] mode it is passed through unchanged and counted.

use std::io::{BufRead, Write};

use indexmap::IndexMap;
use serde_json::value::RawValue;

use crate::Cleaner;

/// An object whose values are kept as raw JSON text, in key order.
type RawObject = IndexMap<String, Box<RawValue>>;

/// What to do with a line that is not a JSON object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnError {
    /// Stop with an error naming the line.
    #[default]
    Fail,
    /// Write the line unchanged, count it, go on.
    Skip,
}

/// Settings of [`clean_jsonl`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonlOptions {
    /// Dotted paths of the string fields to clean (`text`, `meta.body`).
    pub fields: Vec<String>,
    /// Malformed lines: fail or skip.
    pub on_error: OnError,
    /// With the `segment` feature: also write the words of the first field,
    /// cleaned, as an array of strings into this new top-level field.
    pub segment_field: Option<String>,
}

impl Default for JsonlOptions {
    fn default() -> Self {
        JsonlOptions { fields: vec!["text".to_owned()], on_error: OnError::Fail, segment_field: None }
    }
}

/// What [`clean_jsonl`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct JsonlStats {
    /// Records read.
    pub records: usize,
    /// String fields cleaned.
    pub fields_cleaned: usize,
    /// Malformed lines passed through ([`OnError::Skip`]).
    pub skipped: usize,
}

/// Why JSON Lines could not be cleaned.
#[derive(Debug)]
pub enum JsonlError {
    /// Line `line` (1-based) is not a JSON object.
    Malformed {
        /// The 1-based line number.
        line: usize,
        /// What the parser said.
        message: String,
    },
    /// Reading the input failed.
    Read(std::io::Error),
    /// Writing the output failed.
    Write(std::io::Error),
}

impl std::fmt::Display for JsonlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JsonlError::Malformed { line, message } => write!(f, "line {line}: not a JSON object: {message}"),
            JsonlError::Read(e) => write!(f, "reading: {e}"),
            JsonlError::Write(e) => write!(f, "writing: {e}"),
        }
    }
}

impl std::error::Error for JsonlError {}

/// Cleans one record; `Err` carries the parser's message.
///
/// ```
/// use zh_clean::Cleaner;
/// use zh_clean::jsonl::{clean_record, JsonlOptions};
/// let opts = JsonlOptions { fields: vec!["text".into(), "meta.title".into()], ..JsonlOptions::default() };
/// let line = r#"{"id":1.50,"text":"香港 生產 力 局","meta":{"title":"AI 產業 發展 ， 研究","n":2}}"#;
/// let (out, n) = clean_record(&Cleaner::default(), line, &opts).unwrap();
/// assert_eq!(out, r#"{"id":1.50,"text":"香港生產力局","meta":{"title":"AI產業發展，研究","n":2}}"#);
/// assert_eq!(n, 2);
/// ```
pub fn clean_record(cleaner: &Cleaner, line: &str, opts: &JsonlOptions) -> Result<(String, usize), String> {
    let mut record: RawObject = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let mut cleaned = 0;
    let mut first_text: Option<String> = None;
    for field in &opts.fields {
        let path: Vec<&str> = field.split('.').collect();
        if let Some(text) = clean_path(cleaner, &mut record, &path)? {
            cleaned += 1;
            first_text.get_or_insert(text);
        }
    }
    #[cfg(feature = "segment")]
    if let (Some(name), Some(text)) = (&opts.segment_field, &first_text) {
        let words = cleaner.segment_words(text);
        let raw = serde_json::to_string(&words).map_err(|e| e.to_string())?;
        record.insert(name.clone(), RawValue::from_string(raw).map_err(|e| e.to_string())?);
    }
    let _ = first_text;
    Ok((serde_json::to_string(&record).map_err(|e| e.to_string())?, cleaned))
}

/// Cleans the string at `path` in `object`; returns the cleaned text when
/// the path led to a string.
fn clean_path(cleaner: &Cleaner, object: &mut RawObject, path: &[&str]) -> Result<Option<String>, String> {
    let Some((key, rest)) = path.split_first() else { return Ok(None) };
    let Some(value) = object.get_mut(*key) else { return Ok(None) };
    if rest.is_empty() {
        let Ok(text) = serde_json::from_str::<String>(value.get()) else { return Ok(None) };
        let clean = cleaner.clean(&text);
        if clean != text {
            let raw = serde_json::to_string(&clean).map_err(|e| e.to_string())?;
            *value = RawValue::from_string(raw).map_err(|e| e.to_string())?;
        }
        return Ok(Some(clean));
    }
    let Ok(mut inner) = serde_json::from_str::<RawObject>(value.get()) else { return Ok(None) };
    let result = clean_path(cleaner, &mut inner, rest)?;
    if result.is_some() {
        let raw = serde_json::to_string(&inner).map_err(|e| e.to_string())?;
        *value = RawValue::from_string(raw).map_err(|e| e.to_string())?;
    }
    Ok(result)
}

/// Cleans JSON Lines from `reader` into `writer`, record by record, in
/// order. On a malformed line in [`OnError::Fail`] mode everything before it
/// has been written and nothing after it.
///
/// ```
/// use zh_clean::Cleaner;
/// use zh_clean::jsonl::{clean_jsonl, JsonlOptions, OnError};
/// let input = "{\"text\":\"生 產 力 局\"}\nnot json\n{\"text\":\"九 龍\"}\n";
/// let opts = JsonlOptions { on_error: OnError::Skip, ..JsonlOptions::default() };
/// let mut out = Vec::new();
/// let stats = clean_jsonl(&Cleaner::default(), input.as_bytes(), &mut out, &opts).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(), "{\"text\":\"生產力局\"}\nnot json\n{\"text\":\"九龍\"}\n");
/// assert_eq!((stats.records, stats.skipped), (2, 1));
/// ```
pub fn clean_jsonl<R: BufRead, W: Write>(
    cleaner: &Cleaner,
    reader: R,
    mut writer: W,
    opts: &JsonlOptions,
) -> Result<JsonlStats, JsonlError> {
    let mut stats = JsonlStats::default();
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(JsonlError::Read)?;
        let content = line.trim_end_matches('\r');
        if content.trim().is_empty() {
            writer
                .write_all(line.as_bytes())
                .and_then(|_| writer.write_all(b"\n"))
                .map_err(JsonlError::Write)?;
            continue;
        }
        match clean_record(cleaner, content, opts) {
            Ok((out, n)) => {
                stats.records += 1;
                stats.fields_cleaned += n;
                writer.write_all(out.as_bytes()).map_err(JsonlError::Write)?;
            }
            Err(message) => match opts.on_error {
                OnError::Fail => {
                    writer.flush().map_err(JsonlError::Write)?;
                    return Err(JsonlError::Malformed { line: i + 1, message });
                }
                OnError::Skip => {
                    stats.skipped += 1;
                    writer.write_all(line.as_bytes()).map_err(JsonlError::Write)?;
                }
            },
        }
        writer.write_all(b"\n").map_err(JsonlError::Write)?;
    }
    writer.flush().map_err(JsonlError::Write)?;
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(input: &str, opts: &JsonlOptions) -> Result<(String, JsonlStats), JsonlError> {
        let mut out = Vec::new();
        let stats = clean_jsonl(&Cleaner::default(), input.as_bytes(), &mut out, opts)?;
        Ok((String::from_utf8(out).unwrap(), stats))
    }

    #[test]
    fn other_fields_and_key_order_are_untouched() {
        let line = r#"{"z":1e5,"text":"生 產 力 局","a":"香 港","s":"\u00e9\n","n":null}"#;
        let (out, stats) = run(&format!("{line}\n"), &JsonlOptions::default()).unwrap();
        assert_eq!(
            out,
            "{\"z\":1e5,\"text\":\"生產力局\",\"a\":\"香 港\",\"s\":\"\\u00e9\\n\",\"n\":null}\n"
        );
        assert_eq!(stats, JsonlStats { records: 1, fields_cleaned: 1, skipped: 0 });
    }

    #[test]
    fn nested_paths_and_missing_or_non_string_fields() {
        let opts = JsonlOptions {
            fields: vec!["meta.body".into(), "missing".into(), "num".into()],
            ..JsonlOptions::default()
        };
        let (out, stats) = run("{\"num\":3,\"meta\":{\"x\":[1, 2],\"body\":\"九 龍 。\"}}\n", &opts).unwrap();
        assert_eq!(out, "{\"num\":3,\"meta\":{\"x\":[1, 2],\"body\":\"九龍。\"}}\n");
        assert_eq!(stats.fields_cleaned, 1);
    }

    #[test]
    fn malformed_line_fails_with_its_number_and_nothing_after() {
        let input = "{\"text\":\"香 港\"}\n{\"text\": \n{\"text\":\"九 龍\"}\n";
        let mut out = Vec::new();
        let err = clean_jsonl(&Cleaner::default(), input.as_bytes(), &mut out, &JsonlOptions::default())
            .unwrap_err();
        assert!(matches!(err, JsonlError::Malformed { line: 2, .. }), "{err}");
        assert_eq!(String::from_utf8(out).unwrap(), "{\"text\":\"香港\"}\n");
    }

    #[test]
    fn skip_passes_malformed_lines_through() {
        let opts = JsonlOptions { on_error: OnError::Skip, ..JsonlOptions::default() };
        let (out, stats) = run("[1,2]\n\n{\"text\":\"香 港\"}\n", &opts).unwrap();
        assert_eq!(out, "[1,2]\n\n{\"text\":\"香港\"}\n");
        assert_eq!(stats.skipped, 1);
    }

    #[cfg(feature = "segment")]
    #[test]
    fn segment_field() {
        let opts = JsonlOptions { segment_field: Some("words".into()), ..JsonlOptions::default() };
        let (out, _) = run("{\"text\":\"香港 生產 力促 進局 。\"}\n", &opts).unwrap();
        assert_eq!(
            out,
            "{\"text\":\"香港生產力促進局。\",\"words\":[\"香港\",\"生產力\",\"促進\",\"局\",\"。\"]}\n"
        );
    }
}
