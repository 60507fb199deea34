//! Opening an input: the file (or standard input), its decompression, a
//! look at its first bytes to refuse binary data, and its decoding to
//! UTF-8.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use zh_clean::decode::EncodingChoice;

use crate::walk::{Input, Source};

/// A compression format, from a file name or the first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    /// From the name: `*.gz`, `*.zst`.
    pub fn of_name(path: &Path) -> Compression {
        match path.extension().and_then(|e| e.to_str()) {
            Some("gz") => Compression::Gzip,
            Some("zst") => Compression::Zstd,
            _ => Compression::None,
        }
    }

    /// From the magic bytes.
    pub fn of_bytes(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }
}

/// Counts the bytes read, for the progress bar.
struct Tally<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Tally<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// How to open inputs.
pub struct OpenOptions {
    pub encoding: EncodingChoice,
    pub lossy: bool,
    /// Recognise compression by its first bytes too.
    pub sniff_compression: bool,
}

/// Why an input is not cleaned.
pub enum Refusal {
    /// Binary data: skipped silently when found by a walk, an error when
    /// named.
    Binary(u64),
    Error(String),
}

/// Reads up to `n` bytes (fewer only at the end of the input).
fn head(r: &mut dyn Read, n: usize) -> io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(n);
    r.take(n as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

/// `head` put back in front of `rest`. When `head` is shorter than asked,
/// the end of the input was reached and `rest` is not read again: a
/// terminal gives its end-of-file once.
fn put_back(head: Vec<u8>, asked: usize, rest: Box<dyn Read + Send>) -> Box<dyn Read + Send> {
    if head.len() < asked {
        Box::new(io::Cursor::new(head))
    } else {
        Box::new(io::Cursor::new(head).chain(rest))
    }
}

/// The bytes of `input` as stored: the file, or standard input.
pub fn raw(input: &Input) -> Result<Box<dyn Read + Send>, String> {
    let name = input.name();
    match &input.source {
        Source::File(p) => {
            let f = File::open(p).map_err(|e| format!("{name}: {e}"))?;
            let meta = f.metadata().map_err(|e| format!("{name}: {e}"))?;
            if meta.is_dir() {
                return Err(format!("{name}: is a directory (use -r to clean the files in it)"));
            }
            Ok(Box::new(f))
        }
        Source::Stdin => Ok(Box::new(io::stdin())),
    }
}

/// The compression of a file: as its name says, or (with `sniff`) as its
/// first bytes say.
pub fn compression_of(path: &Path, sniff: bool) -> Compression {
    match Compression::of_name(path) {
        Compression::None if sniff => {
            let mut start = [0u8; 4];
            let n = File::open(path).and_then(|mut f| f.read(&mut start)).unwrap_or(0);
            Compression::of_bytes(&start[..n])
        }
        c => c,
    }
}

/// `raw` decompressed: as the name says, or (with `sniff`) as the first
/// bytes say.
pub fn plain(
    name: &str,
    path: Option<&Path>,
    mut raw: Box<dyn Read + Send>,
    sniff: bool,
) -> Result<(Box<dyn Read + Send>, Compression), String> {
    let err = |e: &dyn std::fmt::Display| format!("{name}: {e}");
    let by_name = path.map_or(Compression::None, Compression::of_name);
    let start = head(&mut raw, 4).map_err(|e| err(&e))?;
    let by_bytes = Compression::of_bytes(&start);
    let compression = match (by_name, sniff) {
        (Compression::None, true) => by_bytes,
        (c, _) => c,
    };
    if compression != Compression::None && by_bytes != compression {
        let what = if compression == Compression::Gzip { "gzip" } else { "zstd" };
        return Err(err(&format!("is not {what} data")));
    }
    let raw = put_back(start, 4, raw);
    let plain: Box<dyn Read + Send> = match compression {
        Compression::None => raw,
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(raw)),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::new(raw).map_err(|e| err(&e))?),
    };
    Ok((plain, compression))
}

/// Opens an input for cleaning from its stored bytes `raw`: decompressed,
/// checked not to be binary (with `judge_binary`), decoded to UTF-8. Returns the reader and how
/// many bytes of a byte-order mark it dropped before UTF-8 that is passed
/// through unchecked (to add to later error offsets).
pub fn open(
    input: &Input,
    judge_binary: bool,
    raw: Box<dyn Read + Send>,
    opts: &OpenOptions,
    progress: &Arc<AtomicU64>,
) -> Result<(Box<dyn Read + Send>, u64), Refusal> {
    let name = input.name();
    let raw: Box<dyn Read + Send> = Box::new(Tally { inner: raw, read: progress.clone() });
    let (mut plain, _) =
        self::plain(&name, input.path(), raw, opts.sniff_compression).map_err(Refusal::Error)?;
    // Binary data has NUL bytes near its start (as git and ripgrep judge);
    // UTF-16 text has them too, and is recognised by its byte-order mark
    // or an explicit encoding.
    let first = head(&mut plain, 8 * 1024).map_err(|e| Refusal::Error(format!("{name}: {e}")))?;
    let utf16 = matches!(opts.encoding, EncodingChoice::Utf16Le | EncodingChoice::Utf16Be)
        || first.starts_with(&[0xff, 0xfe])
        || first.starts_with(&[0xfe, 0xff]);
    if judge_binary
        && !utf16
        && let Some(at) = memchr::memchr(0, &first)
    {
        return Err(Refusal::Binary(at as u64));
    }
    let plain = put_back(first, 8 * 1024, plain);
    decoding(plain, opts, &name).map_err(|e| Refusal::Error(format!("{name}: {e}")))
}

/// Wraps `input` so that it yields UTF-8, decoding from the chosen or
/// detected encoding; a guess that is not sure is reported.
/// Also returns the length of a UTF-8 byte-order mark the decoder consumed:
/// offsets of invalid UTF-8 found later are that much short.
fn decoding(
    input: Box<dyn Read + Send>,
    opts: &OpenOptions,
    name: &str,
) -> io::Result<(Box<dyn Read + Send>, u64)> {
    use zh_clean::decode::DecodeReader;
    if opts.encoding == EncodingChoice::Utf8 {
        return Ok((input, 0));
    }
    let reader = DecodeReader::new(input, opts.encoding, opts.lossy)?;
    if let Some(warning) = reader.detection().and_then(|d| d.warning()) {
        eprintln!("zh-clean: {name}: {warning}; use --encoding to choose");
    }
    let shift =
        reader.detection().filter(|d| d.encoding == encoding_rs::UTF_8).map_or(0, |d| d.bom_len as u64);
    Ok((Box::new(reader), shift))
}
