//! Streaming: clean a `Read` into a `Write` in bounded memory.
//!
//! A scraped corpus can be gigabytes in one file. [`clean_stream`] reads it
//! block by block, and its output is *identical* to cleaning the whole text
//! at once, because the two make the same decisions:
//!
//! 1. **Document-level decisions** (spaced or clean, wrap width, script —
//!    [`DocParams`]) are always made from the first
//!    [`ANALYSIS_WINDOW`](crate::ANALYSIS_WINDOW) bytes of the document, for
//!    whole texts too ([`Cleaner::clean_cow`]). The stream reads that far
//!    ahead first: that is its bounded lookahead.
//! 2. **Hygiene** is local to lines, so pieces cut after a `\n` clean alike
//!    (a `\r\n` pair is never split).
//! 3. **Structure** never joins across a blank line, so pieces cut at blank
//!    lines are cleaned independently and written with a blank line between
//!    them, as the whole text would be.
//!
//! One exception keeps memory bounded: a run of more than
//! [`StreamOptions::piece`] bytes without a blank line is cut at a line end
//! (or, for a single longer line, at a space), and wrapped lines are not
//! re-joined across that cut.
//!
//! With [`StreamOptions::threads`] above one, batches of pieces are cleaned
//! in parallel and written in order.

use std::io::{self, Read, Write};

use crate::decode::InvalidUtf8;
use crate::{Cleaner, DocParams, Stats, analysis_window, hygiene};

/// Settings of [`clean_stream`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamOptions {
    /// How many bytes are read at a time.
    pub read: usize,
    /// The largest piece cleaned at once when no blank line comes sooner.
    pub piece: usize,
    /// Replace invalid UTF-8 with U+FFFD instead of failing.
    pub lossy: bool,
    /// Pieces cleaned in parallel (1: on the calling thread).
    pub threads: usize,
    /// Count what each stage did (returned by [`clean_stream`]).
    pub stats: bool,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions { read: 64 * 1024, piece: 1 << 20, lossy: false, threads: 1, stats: false }
    }
}

/// Why a stream could not be cleaned.
#[derive(Debug)]
pub enum StreamError {
    /// Reading the input failed.
    Read(io::Error),
    /// Writing the output failed.
    Write(io::Error),
    /// The input is not valid UTF-8 (and `lossy` was off). Everything before
    /// the offending piece has been written.
    InvalidUtf8(InvalidUtf8),
}

impl std::fmt::Display for StreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StreamError::Read(e) => write!(f, "reading: {e}"),
            StreamError::Write(e) => write!(f, "writing: {e}"),
            StreamError::InvalidUtf8(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for StreamError {}

/// Incremental UTF-8 decoding with absolute error offsets.
struct Decoder<R> {
    reader: R,
    carry: Vec<u8>,
    offset: usize,
    lossy: bool,
    block: usize,
    eof: bool,
}

impl<R: Read> Decoder<R> {
    /// Appends the next decoded block to `out`; false at the end of input.
    fn fill(&mut self, out: &mut String) -> Result<bool, StreamError> {
        if self.eof {
            return Ok(false);
        }
        let start = self.carry.len();
        self.carry.resize(start + self.block, 0);
        let n = loop {
            match self.reader.read(&mut self.carry[start..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(StreamError::Read(e)),
            }
        };
        self.carry.truncate(start + n);
        self.eof = n == 0;
        let mut pos = 0;
        // Validation with SIMD; its errors say what std's do.
        while pos < self.carry.len() {
            match simdutf8::compat::from_utf8(&self.carry[pos..]) {
                Ok(s) => {
                    out.push_str(s);
                    pos = self.carry.len();
                    break;
                }
                Err(e) => {
                    let valid = pos + e.valid_up_to();
                    out.push_str(simdutf8::basic::from_utf8(&self.carry[pos..valid]).unwrap_or_default());
                    pos = valid;
                    match e.error_len() {
                        // An incomplete sequence at the end: wait for more,
                        // unless the input ends here.
                        None if !self.eof => break,
                        bad => {
                            let len = bad.unwrap_or(self.carry.len() - pos);
                            if !self.lossy {
                                return Err(StreamError::InvalidUtf8(InvalidUtf8 {
                                    offset: self.offset + pos,
                                    bytes: self.carry[pos..].iter().take(4).copied().collect(),
                                }));
                            }
                            out.push('\u{FFFD}');
                            pos += len;
                        }
                    }
                }
            }
        }
        self.offset += pos;
        self.carry.drain(..pos);
        Ok(!self.eof || !out.is_empty())
    }
}

/// Where to cut `text` (hygienic text that does not reach the end of the
/// input): after its last blank line; or, when it has none and is longer
/// than `max`, after its last line end, or at its last space. Without the
/// structure stage every line end will do. Returns the cut and whether it
/// fell after a blank line.
fn cut(text: &str, max: usize, structure: bool) -> Option<(usize, bool)> {
    if let Some(at) = natural_cut(text, structure) {
        return Some(at);
    }
    if text.len() <= max {
        return None;
    }
    if let Some(nl) = text.rfind('\n') {
        return Some((nl + 1, false));
    }
    // One line longer than a piece: cut after a space, and let the writer
    // join the two halves of the line again.
    let mut at = text.rfind([' ', '\t']).map_or(text.len(), |i| i + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    (at > 0).then_some((at, false))
}

/// What joins the cleaned halves of a line cut inside it: nothing between
/// CJK text, a space between anything else (the spacing stage's rule for a
/// spaced document; the two halves are cleaned apart).
fn rejoin(before: &str, after: &str) -> &'static str {
    let (a, b) = (before.chars().next_back(), after.chars().next());
    match (a, b) {
        (Some(a), Some(b)) if crate::chars::is_cjk(a) || crate::chars::is_cjk(b) => "",
        (Some(_), Some(_)) => " ",
        _ => "",
    }
}

/// The last place in `text` where the whole text would be cut the same:
/// after a blank line with the structure stage, after any line end without.
fn natural_cut(text: &str, structure: bool) -> Option<(usize, bool)> {
    if !structure {
        return text.rfind('\n').map(|nl| (nl + 1, false));
    }
    let mut end = text.rfind('\n');
    while let Some(e) = end {
        let start_nl = text[..e].rfind('\n');
        let line = &text[start_nl.map_or(0, |s| s + 1)..e];
        if line.trim_matches([' ', '\t']).is_empty() {
            return Some((e + 1, true));
        }
        end = start_nl;
    }
    None
}

/// Cleans `reader` into `writer`; see the [module documentation](self).
///
/// ```
/// use zh_clean::Cleaner;
/// use zh_clean::stream::{clean_stream, StreamOptions};
/// let input = "香港 生產 力促 進局 。\n\n九 龍 。\n";
/// let mut out = Vec::new();
/// let tiny = StreamOptions { read: 5, piece: 8, ..StreamOptions::default() };
/// clean_stream(&Cleaner::default(), input.as_bytes(), &mut out, &tiny).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(), Cleaner::default().clean(input));
/// ```
pub fn clean_stream<R: Read, W: Write>(
    cleaner: &Cleaner,
    reader: R,
    writer: W,
    opts: &StreamOptions,
) -> Result<Stats, StreamError> {
    let mut writer = Counting { inner: writer, bytes: 0, newlines: 0, last: None };
    let mut stats = Stats::default();
    let mut pieces = Pieces {
        cleaner,
        decoder: Decoder {
            reader,
            carry: Vec::new(),
            offset: 0,
            lossy: opts.lossy,
            block: opts.read.max(1),
            eof: false,
        },
        raw: String::new(),
        text: String::new(),
        more: true,
        params: None,
        piece: opts.piece.max(1),
        stats: Stats::default(),
    };
    let mut w = Writer {
        structure: cleaner.options().structure,
        wrote: false,
        pieces: 0,
        sep: "\n\n",
        ends_with_newline: false,
        mid_line: None,
    };
    if opts.threads <= 1 {
        while let Some((piece, blank)) = pieces.next()? {
            let Some(p) = pieces.params else { break };
            let mut out = String::with_capacity(piece.len());
            cleaner.render_piece(&piece, &p, &mut out, opts.stats.then_some(&mut stats));
            w.write(&mut writer, piece.ends_with('\n'), blank, &out).map_err(StreamError::Write)?;
        }
    } else {
        stats.add(&parallel(cleaner, &mut pieces, &mut writer, &mut w, opts)?);
    }
    if w.wrote && w.ends_with_newline {
        writer.write_all(b"\n").map_err(StreamError::Write)?;
    }
    writer.flush().map_err(StreamError::Write)?;
    stats.add(&pieces.stats);
    stats.bytes_out = writer.bytes;
    stats.lines_out = writer.newlines + usize::from(writer.last.is_some_and(|b| b != b'\n'));
    Ok(stats)
}

/// Counts what goes through it.
struct Counting<W> {
    inner: W,
    bytes: usize,
    newlines: usize,
    last: Option<u8>,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n;
        self.newlines += memchr::memchr_iter(b'\n', &buf[..n]).count();
        if n > 0 {
            self.last = Some(buf[n - 1]);
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Cleans pieces on `threads` worker threads while this thread reads, cuts
/// and writes: results are written in input order as they arrive.
fn parallel<R: Read, W: Write>(
    cleaner: &Cleaner,
    pieces: &mut Pieces<'_, R>,
    writer: &mut W,
    w: &mut Writer,
    opts: &StreamOptions,
) -> Result<Stats, StreamError> {
    let threads = opts.threads;
    let count = opts.stats;
    use std::collections::BTreeMap;
    use std::sync::{Mutex, mpsc};
    let (job_tx, job_rx) = mpsc::sync_channel::<(usize, String, DocParams)>(threads * 2);
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<(usize, String, Stats)>();
    std::thread::scope(|s| {
        for _ in 0..threads {
            let done_tx = done_tx.clone();
            let job_rx = &job_rx;
            s.spawn(move || {
                loop {
                    let job = job_rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    let Ok((i, piece, p)) = job else { break };
                    let mut out = String::with_capacity(piece.len());
                    let mut st = Stats::default();
                    cleaner.render_piece(&piece, &p, &mut out, count.then_some(&mut st));
                    if done_tx.send((i, out, st)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        // Pieces sent and not yet written: (ends with a newline, blank cut).
        let mut meta: BTreeMap<usize, (bool, bool)> = BTreeMap::new();
        let mut ready: BTreeMap<usize, String> = BTreeMap::new();
        let mut next_write = 0usize;
        let mut sent = 0usize;
        let mut total = Stats::default();
        let mut flush = |ready: &mut BTreeMap<usize, String>,
                         meta: &mut BTreeMap<usize, (bool, bool)>,
                         next_write: &mut usize|
         -> Result<(), StreamError> {
            while let Some(out) = ready.remove(next_write) {
                let (nl, blank) = meta.remove(next_write).unwrap_or((false, false));
                w.write(writer, nl, blank, &out).map_err(StreamError::Write)?;
                *next_write += 1;
            }
            Ok(())
        };
        let result = (|| {
            while let Some((piece, blank)) = pieces.next()? {
                let Some(p) = pieces.params else { break };
                meta.insert(sent, (piece.ends_with('\n'), blank));
                if job_tx.send((sent, piece, p)).is_err() {
                    break;
                }
                sent += 1;
                while let Ok((i, out, st)) = done_rx.try_recv() {
                    ready.insert(i, out);
                    total.add(&st);
                }
                flush(&mut ready, &mut meta, &mut next_write)?;
                // Keep the pieces in flight bounded: wait for the oldest.
                while sent - next_write > threads * 4 {
                    match done_rx.recv() {
                        Ok((i, out, st)) => {
                            ready.insert(i, out);
                            total.add(&st);
                        }
                        Err(_) => break,
                    }
                    flush(&mut ready, &mut meta, &mut next_write)?;
                }
            }
            Ok(())
        })();
        drop(job_tx);
        result?;
        // Results already received are written before waiting for more.
        flush(&mut ready, &mut meta, &mut next_write)?;
        while next_write < sent {
            match done_rx.recv() {
                Ok((i, out, st)) => {
                    ready.insert(i, out);
                    total.add(&st);
                }
                Err(_) => break,
            }
            flush(&mut ready, &mut meta, &mut next_write)?;
        }
        Ok(total)
    })
}

/// Reads, decodes, applies hygiene and cuts the input into pieces that can
/// be cleaned independently.
struct Pieces<'c, R> {
    cleaner: &'c Cleaner,
    decoder: Decoder<R>,
    /// Decoded text not yet through hygiene.
    raw: String,
    /// Hygienic text not yet cut.
    text: String,
    more: bool,
    params: Option<DocParams>,
    piece: usize,
    /// Input bytes and lines, hygiene changes.
    stats: Stats,
}

impl<R: Read> Pieces<'_, R> {
    fn hygienic(&mut self, s: &str) -> String {
        self.stats.bytes_in += s.len();
        self.stats.lines_in += memchr::memchr_iter(b'\n', s.as_bytes()).count();
        if !self.cleaner.options().hygiene {
            return s.to_owned();
        }
        let (clean, n) = hygiene::clean_counted(s);
        self.stats.hygiene_changes += n;
        clean.into_owned()
    }

    /// The next piece and whether it was cut after a blank line.
    fn next(&mut self) -> Result<Option<(String, bool)>, StreamError> {
        let structure = self.cleaner.options().structure;
        loop {
            // Enough text to decide and to cut a whole piece, or the end.
            if self.more && (self.params.is_none() || self.text.len() < self.piece) {
                self.more = self.decoder.fill(&mut self.raw)?;
                // Hygiene on whole lines only (a `\r\n` pair is never split).
                let end = if self.more { self.raw.rfind('\n').map_or(0, |i| i + 1) } else { self.raw.len() };
                let end = if end == 0 && self.raw.len() > self.piece {
                    // One enormous line: up to a character boundary.
                    self.raw.trim_end_matches('\r').len()
                } else {
                    end
                };
                if end > 0 {
                    let raw: String = self.raw[..end].to_owned();
                    let clean = self.hygienic(&raw);
                    self.text.push_str(&clean);
                    self.raw.drain(..end);
                }
                if self.params.is_none() && (self.text.len() >= crate::ANALYSIS_WINDOW || !self.more) {
                    self.params = Some(self.cleaner.params(analysis_window(&self.text)));
                }
                continue;
            }
            if self.text.is_empty() {
                return Ok(None);
            }
            let rest = &self.text;
            let mut end = self.piece.min(rest.len());
            while !rest.is_char_boundary(end) {
                end -= 1;
            }
            // A blank line within the piece size; else, at the end of the
            // input, everything; else the next cut at all.
            let at = natural_cut(&rest[..end], structure).or_else(|| {
                if self.more { cut(rest, self.piece, structure) } else { Some((rest.len(), true)) }
            });
            match at.filter(|&(at, _)| at > 0) {
                Some((at, blank)) => {
                    let piece = self.text[..at].to_owned();
                    self.text.drain(..at);
                    return Ok(Some((piece, blank)));
                }
                None if self.more => {
                    // No place to cut yet: read on (the piece grows).
                    self.piece = self.piece.saturating_mul(2);
                }
                None => return Ok(Some((std::mem::take(&mut self.text), true))),
            }
        }
    }
}

/// Joins the cleaned pieces as the whole text would have been written.
struct Writer {
    structure: bool,
    wrote: bool,
    pieces: usize,
    /// What goes before the next non-empty piece (with structure).
    sep: &'static str,
    ends_with_newline: bool,
    /// The last character written, when the last piece ended inside a line.
    mid_line: Option<char>,
}

impl Writer {
    fn write<W: Write>(&mut self, writer: &mut W, newline: bool, blank: bool, out: &str) -> io::Result<()> {
        self.ends_with_newline = newline;
        let continues_line = self.mid_line.take();
        if let Some(last) = continues_line {
            // The rest of a line cut inside it.
            let mut buf = [0u8; 4];
            writer.write_all(rejoin(last.encode_utf8(&mut buf), out).as_bytes())?;
            writer.write_all(out.as_bytes())?;
            self.wrote |= !out.is_empty();
        } else if self.structure {
            // Groups are separated by one blank line; pieces of blank lines
            // vanish, as blank lines do.
            if !out.is_empty() {
                if self.wrote {
                    writer.write_all(self.sep.as_bytes())?;
                }
                writer.write_all(out.as_bytes())?;
                self.wrote = true;
            }
        } else {
            // Every line is kept: pieces are joined by the line end they
            // were cut after.
            if self.pieces > 0 {
                writer.write_all(b"\n")?;
                self.wrote = true;
            }
            writer.write_all(out.as_bytes())?;
            self.wrote |= !out.is_empty();
        }
        if !newline && !out.is_empty() {
            self.mid_line = out.chars().next_back();
        }
        self.sep = if blank || out.is_empty() { "\n\n" } else { "\n" };
        self.pieces += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn streamed(text: &str, read: usize, piece: usize) -> String {
        let mut out = Vec::new();
        let opts = StreamOptions { read, piece, lossy: true, threads: 1, stats: false };
        clean_stream(&Cleaner::default(), text.as_bytes(), &mut out, &opts).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn same_as_whole_for_any_buffer() {
        let texts = [
            "香港 生產 力促 進局 。\n\n九 龍 。\n",
            "\n\n• 甲\n• 乙\n\n\n段落 一\r\n\r\n段落 二",
            "一二三四五六七八九十\n甲乙丙丁 Gam\ne Informer\n\n",
            "",
            "\n",
            "   \n \n",
        ];
        for t in texts {
            let whole = Cleaner::default().clean(t);
            for (read, piece) in [(1, 1), (2, 3), (5, 8), (64, 16), (4096, 1 << 20)] {
                assert_eq!(streamed(t, read, piece), whole, "{t:?} read {read} piece {piece}");
            }
        }
    }

    #[test]
    fn invalid_utf8_offset_is_absolute() {
        let mut bytes = "香港\n\n".repeat(10).into_bytes();
        bytes.push(0xFF);
        let opts = StreamOptions { read: 7, piece: 4, lossy: false, threads: 1, stats: false };
        let err = clean_stream(&Cleaner::default(), &bytes[..], Vec::new(), &opts).unwrap_err();
        match err {
            StreamError::InvalidUtf8(e) => assert_eq!(e.offset, 80),
            e => panic!("{e}"),
        }
    }

    #[test]
    fn lossy_matches_from_utf8_lossy() {
        let bytes = b"\xe9\xa6\x99 \xe6\xb8\xaf\xff\xfe\n\n\xe9\xa6";
        let whole = Cleaner::default().clean(&String::from_utf8_lossy(bytes));
        for read in [1, 2, 3, 100] {
            let mut out = Vec::new();
            let opts = StreamOptions { read, piece: 4, lossy: true, threads: 1, stats: false };
            clean_stream(&Cleaner::default(), &bytes[..], &mut out, &opts).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), whole, "read {read}");
        }
    }

    #[test]
    fn parallel_output_is_ordered() {
        let text = (0..200).map(|i| format!("第 {i} 段 文字 。\n\n")).collect::<String>();
        let whole = Cleaner::default().clean(&text);
        for threads in [2, 3, 8] {
            let mut out = Vec::new();
            let opts = StreamOptions { read: 100, piece: 50, lossy: false, threads, stats: false };
            clean_stream(&Cleaner::default(), text.as_bytes(), &mut out, &opts).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), whole, "{threads}");
        }
    }
}
