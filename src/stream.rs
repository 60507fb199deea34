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
//! 4. **Long blocks** are cut by one rule that whole texts follow too: a
//!    block (the text between blank lines) longer than [`MAX_BLOCK`] bytes
//!    is cut at its last line end within each [`MAX_BLOCK`] bytes (wrapped
//!    lines are not re-joined across such a cut); a single line longer than
//!    that is cut at a *cut point* (`line_cut`) — after a CJK sentence end
//!    followed by an ideograph, or inside a long run of ASCII letters and
//!    digits — where cleaning the two halves apart and concatenating them
//!    gives what cleaning the line would. [`Cleaner::clean_cow`] sends a
//!    document with such a block through this module, so the two agree by
//!    construction, and memory stays bounded by [`MAX_BLOCK`] plus the
//!    longest stretch of a line without a cut point.
//!
//! 5. **Further passes** (see [`crate::MAX_PASSES`]): when the output of a
//!    pass would be cleaned under other decisions than those that made it,
//!    a whole document is cleaned again. The stream decides it as the whole
//!    text does, from the first [`ANALYSIS_WINDOW`](crate::ANALYSIS_WINDOW)
//!    bytes of its output, which it holds back until then; a further pass
//!    runs on a thread of its own, reading the output of the one before as
//!    a stream (only such rare documents pay for it).
//!
//! With [`StreamOptions::threads`] above one, batches of pieces are cleaned
//! in parallel and written in order.

use std::io::{self, Read, Write};

use crate::decode::InvalidUtf8;
use crate::sink::{GROUP, UNIT};
use crate::{Cleaner, DocParams, Stats, analysis_window};

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

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StreamError::Read(e) | StreamError::Write(e) => Some(e),
            StreamError::InvalidUtf8(e) => Some(e),
        }
    }
}

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

/// The longest block (text between blank lines) cleaned at once; see the
/// [module documentation](self).
#[cfg(not(test))]
pub const MAX_BLOCK: usize = 1 << 20;
/// The longest block cleaned at once (small in unit tests, to exercise the
/// cuts).
#[cfg(test)]
pub const MAX_BLOCK: usize = 4096;

/// ASCII letters and digits needed on each side of a cut inside a run of
/// them: more than any rule of the later stages looks at.
const RUN_MARGIN: usize = 64;

/// What ends a block: where the whole text's structure stage never joins
/// across, so that a piece may end there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Blocks {
    /// Without the structure stage: every line end.
    Lines,
    /// A blank line.
    Blank,
    /// Two blank lines in a row: in a document written double-spaced
    /// ([`crate::structure::Layout::double_spaced`]) a single blank line
    /// does not end a paragraph.
    TwoBlank,
}

impl Blocks {
    /// The blocks of a document cleaned with or without the structure
    /// stage, under `layout`.
    pub(crate) fn of(structure: bool, layout: &crate::structure::Layout) -> Blocks {
        match (structure, layout.double_spaced) {
            (false, _) => Blocks::Lines,
            (true, false) => Blocks::Blank,
            (true, true) => Blocks::TwoBlank,
        }
    }
}

fn is_blank(line: &str) -> bool {
    line.trim_matches([' ', '\t']).is_empty()
}

/// The end of the first block of `text` (see [`Blocks`]); `None` when the
/// block reaches the end of `text`. A blank line inside a fenced code block
/// ends no block: the structure stage keeps the block whole.
fn block_end(text: &str, blocks: Blocks) -> Option<usize> {
    let mut line_start = 0;
    let mut after_blank = false;
    let mut fences = crate::structure::Fences::default();
    for nl in memchr::memchr_iter(b'\n', text.as_bytes()) {
        if blocks != Blocks::Lines && fences.step(&text[line_start..nl]) {
            after_blank = false;
            line_start = nl + 1;
            continue;
        }
        let blank = is_blank(&text[line_start..nl]);
        let ends = match blocks {
            Blocks::Lines => true,
            Blocks::Blank => blank,
            Blocks::TwoBlank => blank && after_blank,
        };
        if ends {
            return Some(nl + 1);
        }
        after_blank = blank;
        line_start = nl + 1;
    }
    None
}

/// Whether `text` (after hygiene) has a block longer than [`MAX_BLOCK`]:
/// then it is cleaned through this module, with the cuts that keep memory
/// bounded.
pub(crate) fn has_long_block(text: &str, blocks: Blocks) -> bool {
    if text.len() <= MAX_BLOCK {
        return false;
    }
    let mut start = 0;
    while start < text.len() {
        match block_end(&text[start..], blocks) {
            Some(e) if e <= MAX_BLOCK => start += e,
            Some(_) => return true,
            None => return text.len() - start > MAX_BLOCK,
        }
    }
    false
}

/// Where a block that starts `rest` and is longer than [`MAX_BLOCK`] is
/// cut: after its last line end within [`MAX_BLOCK`] bytes, or, when its
/// first line is longer than that, at a cut point of that line
/// ([`line_cut`]). `None` when more text is needed to find the cut (and
/// `eof` is false).
fn forced_cut(rest: &str, eof: bool) -> Option<usize> {
    let lim = floor_boundary(rest, MAX_BLOCK);
    if let Some(nl) = rest[..lim].rfind('\n') {
        return Some(nl + 1);
    }
    line_cut(rest, lim, eof)
}

/// A cut point in the first line of `text`: the last one before `lim`, else
/// the first one after it (or the line's end). A cut point is a place where
/// the line can be cleaned as two halves: after `。`, `！` or `？` (and the
/// spaces after it, which the spacing stage removes there) before an
/// ideograph that does not start a list marker (sentences are what the
/// variants stage decides on), or inside a run of ASCII
/// letters and digits with [`RUN_MARGIN`] of them on each side. `None` when
/// there is none in the text read so far (and `eof` is false); at the end
/// of the input, the end of the text.
pub(crate) fn line_cut(text: &str, lim: usize, eof: bool) -> Option<usize> {
    let b = text.as_bytes();
    let line_end = memchr::memchr(b'\n', b).map_or(text.len(), |nl| nl + 1);
    // One forward scan: the last cut point at or before `lim` wins, the
    // first one after it otherwise.
    let mut last: Option<usize> = None;
    let take = |p: usize, last: &mut Option<usize>| -> Option<usize> {
        if p == 0 || p >= line_end {
            return None;
        }
        if p <= lim {
            *last = Some(p);
            None
        } else {
            Some(last.unwrap_or(p))
        }
    };
    let mut run_start = 0;
    let mut i = 0;
    while i < line_end {
        if i > lim && last.is_some() {
            return last;
        }
        let c = b[i];
        if c.is_ascii_alphanumeric() {
            // Inside a run of them: a cut point once RUN_MARGIN lie on each
            // side of it.
            if i + 1 - run_start >= 2 * RUN_MARGIN
                && let Some(p) = take(i + 1 - RUN_MARGIN, &mut last)
            {
                return Some(p);
            }
            i += 1;
            continue;
        }
        let len = crate::bytes::utf8_len(c);
        run_start = i + len;
        if len == 3 && matches!(&text[i..i + 3], "。" | "！" | "？") {
            let q = i + 3 + b[i + 3..line_end].iter().take_while(|&&x| x == b' ' || x == b'\t').count();
            if q < line_end
                && text[q..].chars().next().is_some_and(crate::chars::is_han)
                && !crate::structure::starts_with_marker(&text[q..])
                && let Some(p) = take(q, &mut last)
            {
                return Some(p);
            }
        }
        i += len;
    }
    if last.is_some() {
        return last;
    }
    if line_end < text.len() || eof {
        return Some(line_end);
    }
    None
}

/// Whether the [`REPAIR_REACH`] bytes on each side of `at` in `s` (there
/// must be that many after it) hold no character that may belong to a
/// mis-decoded run ([`crate::mojibake::may_belong`]): no run is near, so
/// that a cut at `at` leaves the repair's decisions as they are on the
/// whole text.
fn plain_around(s: &str, at: usize) -> bool {
    let from = floor_boundary(s, at.saturating_sub(REPAIR_REACH));
    let to = at + REPAIR_REACH;
    to <= s.len() && !s[from..floor_boundary(s, to)].chars().any(crate::mojibake::may_belong)
}

/// How far the encoding repair looks around a run, with a margin.
const REPAIR_REACH: usize = 64;

/// The largest character boundary of `s` at or below `i`.
fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The last place in `text` (which starts a block) where the whole text
/// would be cut the same: the last block end (see [`Blocks`]), found
/// forwards, since whether a blank line is inside a fenced code block
/// depends on the lines before it.
fn natural_cut(text: &str, blocks: Blocks) -> Option<(usize, bool)> {
    if blocks == Blocks::Lines {
        return text.rfind('\n').map(|nl| (nl + 1, false));
    }
    let mut last = None;
    let mut start = 0;
    while let Some(e) = block_end(&text[start..], blocks) {
        start += e;
        last = Some((start, true));
    }
    last
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
    let mut stats = settle(cleaner, reader, &mut writer, opts, crate::MAX_PASSES)?;
    writer.flush().map_err(StreamError::Write)?;
    stats.bytes_out = writer.bytes;
    stats.lines_out = writer.newlines + usize::from(writer.last.is_some_and(|b| b != b'\n'));
    Ok(stats)
}

/// Up to `passes` passes over a stream: the first one through a [`Gate`],
/// which holds its output back until it can tell whether a further pass is
/// needed, as [`Cleaner::clean_cow`] tells it for a whole text.
fn settle<R: Read, W: Write>(
    cleaner: &Cleaner,
    reader: R,
    writer: &mut W,
    opts: &StreamOptions,
    passes: usize,
) -> Result<Stats, StreamError> {
    if passes <= 1 {
        return clean_stream_once(cleaner, reader, writer, opts);
    }
    std::thread::scope(|scope| {
        let mut gate = Gate {
            scope,
            cleaner,
            opts: *opts,
            passes: passes - 1,
            writer,
            state: GateState::Holding(Vec::new()),
        };
        let mut stats = clean_stream_once(cleaner, reader, &mut gate, opts)?;
        if let Some(later) = gate.finish()? {
            stats.then(&later);
        }
        Ok(stats)
    })
}

/// One pass over a stream.
pub(crate) fn clean_stream_once<R: Read, W: Write>(
    cleaner: &Cleaner,
    reader: R,
    mut writer: W,
    opts: &StreamOptions,
) -> Result<Stats, StreamError> {
    let mut stats = Stats::default();
    let mut pieces = Pieces::new(cleaner, reader, opts);
    let mut w = Writer {
        structure: cleaner.options().structure,
        wrote: false,
        pieces: 0,
        sep: GROUP,
        ends_with_newline: false,
        mid_line: None,
    };
    if opts.threads <= 1 {
        while let Some((piece, blank)) = pieces.next()? {
            let Some(p) = pieces.params.clone() else { break };
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
    Ok(stats)
}

/// The writer of a pass that may need another one. It holds the output
/// back until it has more than [`ANALYSIS_WINDOW`](crate::ANALYSIS_WINDOW)
/// bytes (or all of it), then asks [`Cleaner::settled`] of that window. A
/// settled output goes on to the writer as it comes; otherwise a further
/// pass ([`settle`], on a thread of its own) reads it, and what that pass
/// writes is copied to the writer whenever this one is written to.
struct Gate<'scope, 'env, W> {
    scope: &'scope std::thread::Scope<'scope, 'env>,
    cleaner: &'env Cleaner,
    opts: StreamOptions,
    /// Passes left after this one.
    passes: usize,
    writer: &'scope mut W,
    state: GateState<'scope>,
}

enum GateState<'scope> {
    /// The output so far, not yet enough to decide.
    Holding(Vec<u8>),
    /// Settled: written as it comes.
    Through,
    /// Another pass reads the output (`to`) and writes its own (`from`).
    Again {
        to: std::sync::mpsc::SyncSender<Vec<u8>>,
        from: std::sync::mpsc::Receiver<Vec<u8>>,
        pass: std::thread::ScopedJoinHandle<'scope, Result<Stats, StreamError>>,
    },
}

impl<'scope, 'env, W: Write> Gate<'scope, 'env, W> {
    /// Decides on what is held: more than the window, or the whole output.
    fn decide(&mut self) -> io::Result<()> {
        let GateState::Holding(held) = &mut self.state else { return Ok(()) };
        let held = std::mem::take(held);
        // (Pieces of UTF-8 are written, so what is held is UTF-8.)
        let settled =
            std::str::from_utf8(&held).map_or(true, |text| self.cleaner.settled(analysis_window(text)));
        if settled {
            self.writer.write_all(&held)?;
            self.state = GateState::Through;
            return Ok(());
        }
        let (to, input) = std::sync::mpsc::sync_channel::<Vec<u8>>(16);
        let (output, from) = std::sync::mpsc::channel::<Vec<u8>>();
        let (cleaner, passes) = (self.cleaner, self.passes);
        let opts = StreamOptions { lossy: true, ..self.opts };
        let pass = self.scope.spawn(move || {
            let reader = ChannelReader { input, chunk: Vec::new(), at: 0 };
            let mut writer = ChannelWriter(output);
            settle(cleaner, reader, &mut writer, &opts, passes)
        });
        to.send(held).map_err(|_| io::Error::other("a further pass stopped"))?;
        self.state = GateState::Again { to, from, pass };
        Ok(())
    }

    /// Ends the pass: decides if not decided yet, waits for a further pass
    /// and returns what it counted.
    fn finish(mut self) -> Result<Option<Stats>, StreamError> {
        self.decide().map_err(StreamError::Write)?;
        match std::mem::replace(&mut self.state, GateState::Through) {
            GateState::Again { to, from, pass } => {
                drop(to);
                for chunk in from.iter() {
                    self.writer.write_all(&chunk).map_err(StreamError::Write)?;
                }
                let stats = pass.join().unwrap_or_else(|_| {
                    Err(StreamError::Write(io::Error::other("a further pass stopped")))
                })?;
                Ok(Some(stats))
            }
            _ => Ok(None),
        }
    }
}

impl<W: Write> Write for Gate<'_, '_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.state {
            GateState::Holding(held) => {
                held.extend_from_slice(buf);
                if held.len() > crate::ANALYSIS_WINDOW {
                    self.decide()?;
                }
            }
            GateState::Through => self.writer.write_all(buf)?,
            GateState::Again { to, from, .. } => {
                // The further pass never waits on its output (an unbounded
                // channel), so sending to it cannot wait forever.
                to.send(buf.to_vec()).map_err(|_| io::Error::other("a further pass stopped"))?;
                while let Ok(chunk) = from.try_recv() {
                    self.writer.write_all(&chunk)?;
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        // What is held back stays held until the end of the pass.
        match self.state {
            GateState::Through => self.writer.flush(),
            _ => Ok(()),
        }
    }
}

/// Reads what a channel brings, chunk after chunk, until it is closed.
struct ChannelReader {
    input: std::sync::mpsc::Receiver<Vec<u8>>,
    chunk: Vec<u8>,
    at: usize,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.chunk.len() {
            match self.input.recv() {
                Ok(chunk) => {
                    self.chunk = chunk;
                    self.at = 0;
                }
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len() - self.at);
        buf[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Sends what is written to it down a channel.
struct ChannelWriter(std::sync::mpsc::Sender<Vec<u8>>);

impl Write for ChannelWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .send(buf.to_vec())
            .map_err(|_| io::Error::other("the output of a further pass was dropped"))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
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
    use std::sync::{Mutex, mpsc};
    let threads = opts.threads;
    let (job_tx, job_rx) = mpsc::sync_channel::<Job>(threads * 2);
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<Done>();
    std::thread::scope(|s| {
        for _ in 0..threads {
            let done_tx = done_tx.clone();
            let job_rx = &job_rx;
            s.spawn(move || work(cleaner, job_rx, &done_tx, opts.stats));
        }
        drop(done_tx);
        let mut order = InOrder::default();
        let mut out = |order: &mut InOrder| order.write(writer, w);
        let result = (|| {
            while let Some((piece, blank)) = pieces.next()? {
                let Some(p) = pieces.params.clone() else { break };
                let i = order.send(piece.ends_with('\n'), blank);
                if job_tx.send((i, piece, p)).is_err() {
                    break;
                }
                while let Ok(done) = done_rx.try_recv() {
                    order.receive(done);
                }
                out(&mut order)?;
                // Keep the pieces in flight bounded: wait for the oldest.
                while order.in_flight() > threads * 4 {
                    let Ok(done) = done_rx.recv() else { break };
                    order.receive(done);
                    out(&mut order)?;
                }
            }
            Ok(())
        })();
        drop(job_tx);
        result?;
        // Results already received are written before waiting for more.
        out(&mut order)?;
        while order.in_flight() > 0 {
            let Ok(done) = done_rx.recv() else { break };
            order.receive(done);
            out(&mut order)?;
        }
        Ok(order.total)
    })
}

/// A piece to clean: its number, its text and the document's decisions.
type Job = (usize, String, DocParams);
/// A cleaned piece: its number, its output and its counts.
type Done = (usize, String, Stats);

/// A worker thread: cleans the pieces it receives until the channel closes
/// or the results are no longer wanted.
fn work(
    cleaner: &Cleaner,
    jobs: &std::sync::Mutex<std::sync::mpsc::Receiver<Job>>,
    done: &std::sync::mpsc::Sender<Done>,
    count: bool,
) {
    loop {
        let job = jobs.lock().unwrap_or_else(|e| e.into_inner()).recv();
        let Ok((i, piece, p)) = job else { break };
        let mut out = String::with_capacity(piece.len());
        let mut st = Stats::default();
        cleaner.render_piece(&piece, &p, &mut out, count.then_some(&mut st));
        if done.send((i, out, st)).is_err() {
            break;
        }
    }
}

/// Puts pieces cleaned out of order back in input order.
#[derive(Default)]
struct InOrder {
    /// Pieces sent and not yet written: (ends with a newline, blank cut).
    meta: std::collections::BTreeMap<usize, (bool, bool)>,
    /// Pieces cleaned and not yet written.
    ready: std::collections::BTreeMap<usize, String>,
    next_write: usize,
    sent: usize,
    total: Stats,
}

impl InOrder {
    /// Numbers the next piece sent.
    fn send(&mut self, newline: bool, blank: bool) -> usize {
        self.meta.insert(self.sent, (newline, blank));
        self.sent += 1;
        self.sent - 1
    }

    fn receive(&mut self, (i, out, st): Done) {
        self.ready.insert(i, out);
        self.total.add(&st);
    }

    fn in_flight(&self) -> usize {
        self.sent - self.next_write
    }

    /// Writes every piece whose predecessors are all written.
    fn write<W: Write>(&mut self, writer: &mut W, w: &mut Writer) -> Result<(), StreamError> {
        while let Some(out) = self.ready.remove(&self.next_write) {
            let (nl, blank) = self.meta.remove(&self.next_write).unwrap_or((false, false));
            w.write(writer, nl, blank, &out).map_err(StreamError::Write)?;
            self.next_write += 1;
        }
        Ok(())
    }
}

/// Reads, decodes, applies hygiene and cuts the input into pieces that can
/// be cleaned independently.
struct Pieces<'c, R> {
    cleaner: &'c Cleaner,
    decoder: Decoder<R>,
    /// Decoded text not yet through hygiene.
    raw: String,
    /// How much of `raw` is known to hold no place to cut it for hygiene.
    raw_scanned: usize,
    /// Hygienic text not yet cut.
    text: String,
    more: bool,
    params: Option<DocParams>,
    piece: usize,
    /// How much hygienic text to hold before looking for a cut.
    want: usize,
    /// Input bytes and lines, hygiene changes.
    stats: Stats,
}

impl<'c, R: Read> Pieces<'c, R> {
    fn new(cleaner: &'c Cleaner, reader: R, opts: &StreamOptions) -> Self {
        Pieces {
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
            raw_scanned: 0,
            text: String::new(),
            more: true,
            params: None,
            piece: opts.piece.max(1),
            want: opts.piece.max(1),
            stats: Stats::default(),
        }
    }

    fn hygienic(&mut self, s: &str) -> String {
        self.stats.bytes_in += s.len();
        self.stats.lines_in += memchr::memchr_iter(b'\n', s.as_bytes()).count();
        let (clean, spans, n) = self.cleaner.prepare(s);
        self.stats.encoding_repairs += spans;
        self.stats.hygiene_changes += n;
        clean.into_owned()
    }

    /// The next piece and whether it was cut after a blank line.
    fn next(&mut self) -> Result<Option<(String, bool)>, StreamError> {
        loop {
            // Enough text to decide and to cut a whole piece, or the end.
            if self.more && (self.params.is_none() || self.text.len() <= self.want) {
                self.read_more()?;
                continue;
            }
            if self.text.is_empty() {
                return Ok(None);
            }
            match self.cut().filter(|&(at, _)| at > 0) {
                Some((at, blank)) => {
                    let piece = self.text[..at].to_owned();
                    self.text.drain(..at);
                    self.want = self.piece;
                    return Ok(Some((piece, blank)));
                }
                None if self.more => {
                    // No cut yet: read on.
                    self.want = self.text.len().saturating_mul(2).max(self.piece);
                }
                None => return Ok(Some((std::mem::take(&mut self.text), true))),
            }
        }
    }

    /// Reads a block, puts what can be judged of it through hygiene, and
    /// decides the document once enough text (or all of it) is in.
    fn read_more(&mut self) -> Result<(), StreamError> {
        let old_len = self.raw.len();
        self.more = self.decoder.fill(&mut self.raw)?;
        // Hygiene on whole lines only (a `\r\n` pair is never split). What
        // was read before holds no line end (the text is always taken up to
        // its last one), so only the new part is searched: a line of any
        // length costs linear time.
        let end = if self.more {
            self.raw[old_len..].rfind('\n').map_or(0, |i| old_len + i + 1)
        } else {
            self.raw.len()
        };
        let end = if end == 0 && self.raw.len() > self.piece { self.long_line_end() } else { end };
        if end > 0 {
            let raw: String = self.raw[..end].to_owned();
            let clean = self.hygienic(&raw);
            self.text.push_str(&clean);
            self.raw.drain(..end);
            self.raw_scanned = 0;
        }
        if self.params.is_none() && (self.text.len() >= crate::ANALYSIS_WINDOW || !self.more) {
            self.params = Some(self.cleaner.params(analysis_window(&self.text)));
        }
        Ok(())
    }

    /// Where hygiene may stop inside one enormous line, or 0: the last
    /// character that starts a grapheme cluster, composes with nothing
    /// before it and is no space (an ASCII letter or digit, or an
    /// ideograph) after no joiner, so that hygiene sees the same clusters,
    /// joiners and line starts as on the whole. The part already searched
    /// is not searched again.
    fn long_line_end(&mut self) -> usize {
        let from = self.raw_scanned;
        let found = self.raw[from..]
            .char_indices()
            .rev()
            .find(|&(i, c)| {
                (c.is_ascii_alphanumeric() || crate::chars::is_han(c))
                    // A joiner before it is judged by it.
                    && self.raw[..from + i]
                        .chars()
                        .next_back()
                        .is_some_and(|p| !matches!(p, '\u{200C}' | '\u{200D}'))
                    // The encoding repair looks a little way around a
                    // mis-decoded run: none is near.
                    && plain_around(&self.raw, from + i)
            })
            .map(|(i, _)| from + i);
        if found.is_none() {
            self.raw_scanned = self.raw.len();
        }
        found.unwrap_or(0)
    }

    /// Where to cut the hygienic text, and whether after a blank line.
    fn cut(&self) -> Option<(usize, bool)> {
        let rest = &self.text;
        let layout = self.params.as_ref().map_or(crate::structure::Layout::UNWRAPPED, |p| p.layout);
        let blocks = Blocks::of(self.cleaner.options().structure, &layout);
        match block_end(rest, blocks) {
            // A short first block: cut after the last blank line within the
            // piece size (never beyond MAX_BLOCK, so that a piece never
            // holds a long block whole).
            Some(e) if e <= MAX_BLOCK => {
                let lim = floor_boundary(rest, self.piece.min(MAX_BLOCK)).max(e);
                natural_cut(&rest[..lim], blocks)
            }
            // A long block: its forced cut.
            Some(_) => forced_cut(rest, !self.more).map(|at| (at, false)),
            None if rest.len() > MAX_BLOCK => forced_cut(rest, !self.more).map(|at| (at, false)),
            None if !self.more => Some((rest.len(), true)),
            None => None,
        }
    }
}

/// Joins the cleaned pieces as the whole text would have been written: a
/// piece cut at a blank line starts a new group, one cut at a line end a new
/// unit, one cut inside a line goes on it (the separators are
/// [`crate::sink`]'s).
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
        if continues_line.is_some() {
            // The rest of a line cut at a cut point: the halves meet as
            // they are.
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
                writer.write_all(UNIT.as_bytes())?;
                self.wrote = true;
            }
            writer.write_all(out.as_bytes())?;
            self.wrote |= !out.is_empty();
        }
        if !newline && !out.is_empty() {
            self.mid_line = out.chars().next_back();
        }
        self.sep = if blank || out.is_empty() { GROUP } else { UNIT };
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
            // Blank lines inside a fenced code block end no piece.
            "說明 如下 ：\n```\nx = 1  # 註釋\n\n\nprint( \"你好\" )\n```\n\n完成 。\n",
            "```\n\n\n甲 乙\n",
        ];
        for t in texts {
            let whole = Cleaner::default().clean(t);
            for (read, piece) in [(1, 1), (2, 3), (5, 8), (64, 16), (4096, 1 << 20)] {
                assert_eq!(streamed(t, read, piece), whole, "{t:?} read {read} piece {piece}");
            }
        }
    }

    /// Documents whose first pass leaves text that reads as wrapped (a list
    /// item's lines, 38 columns wide, then 23 characters) or as spaced
    /// (`sqlite3` + `.Connectio` joined reads as tokenizer debris): the
    /// stream makes the further passes the whole text makes, also when the
    /// output's first window is long and the decision comes mid-stream.
    #[test]
    fn errors_name_their_source() {
        use std::error::Error;
        let e = StreamError::Read(io::Error::other("disk"));
        assert_eq!(e.source().map(|s| s.to_string()).as_deref(), Some("disk"));
        let mut out = Vec::new();
        let e = clean_stream(&Cleaner::default(), &b"ok\n\xff"[..], &mut out, &StreamOptions::default())
            .expect_err("invalid UTF-8");
        assert!(e.source().is_some_and(|s| s.is::<InvalidUtf8>()), "{e}");
    }

    #[test]
    fn further_passes_are_streamed_as_whole_text_makes_them() {
        let wraps = "10. a香香—   ,香，，香，a（\n香香香，，香，a香香RWTH（1） a香香香1)\r\nRWTH\n";
        let debris = "n  原始 碼發行 版中的 Mic/SpecialBuilds .txt。\n\n請見 sqlite3 模組的 sqlite3.Connec3 \
                      模組的 sqlite3\n.Connectio n.enable_load。_extension() 方法。\n。_extension(ǅ) 方法。\n";
        let long = format!("{wraps}\n").repeat(crate::ANALYSIS_WINDOW / wraps.len() * 5 / 4);
        let c = Cleaner::default();
        assert!(c.clean(&long).len() > crate::ANALYSIS_WINDOW, "the output outgrows the window");
        for text in [wraps, debris, &long] {
            let whole = c.clean(text);
            assert_eq!(c.clean(&whole), whole);
            let mut once = Vec::new();
            clean_stream_once(&c, text.as_bytes(), &mut once, &StreamOptions::default()).unwrap();
            // (`debris` settles in one pass since a lone long line over
            // short ones is no evidence of wrapping; it stays a case of
            // stream against whole text.)
            if text != debris {
                assert_ne!(
                    String::from_utf8(once).unwrap(),
                    whole,
                    "one pass is not enough for {:.40?}",
                    text
                );
            }
            let sizes: &[(usize, usize)] =
                if text.len() < 1000 { &[(1, 1), (7, 20), (4096, 1 << 20)] } else { &[(4096, 65536)] };
            for &(read, piece) in sizes {
                for threads in [1, 2] {
                    let mut out = Vec::new();
                    let opts = StreamOptions { read, piece, lossy: false, threads, stats: true };
                    let stats = clean_stream(&c, text.as_bytes(), &mut out, &opts).unwrap();
                    assert!(out == whole.as_bytes(), "read {read} piece {piece} threads {threads}");
                    assert_eq!(stats.bytes_out, whole.len());
                }
            }
        }
    }

    #[test]
    fn double_spaced_documents_are_cut_only_at_two_blank_lines() {
        let line = "一二三四五六七八九十一二三四五六七八九十";
        let para = format!("{line}\n\n{line}\n\n{line}\n\n短句。\n\n");
        let text = format!("標題\n\n{}\n\n{}", para.repeat(3), para.repeat(2));
        let whole = Cleaner::default().clean(&text);
        assert!(whole.contains(&format!("{line}{line}{line}短句。")), "{whole}");
        for (read, piece) in [(1, 1), (7, 20), (64, 100), (4096, 1 << 20)] {
            assert_eq!(streamed(&text, read, piece), whole, "read {read} piece {piece}");
        }
        assert_eq!(natural_cut("a\n\nb\n\n", Blocks::TwoBlank), None);
        assert_eq!(natural_cut("a\n\n\nb\n\n", Blocks::TwoBlank), Some((4, true)));
        assert_eq!(block_end("a\n\nb\n\n\nc", Blocks::TwoBlank), Some(7));
    }

    /// Every piece `clean_stream` would clean, with the given buffers.
    fn pieces(text: &str, read: usize, piece: usize) -> Vec<(String, bool)> {
        let cleaner = Cleaner::default();
        let opts = StreamOptions { read, piece, lossy: true, threads: 1, stats: false };
        let mut p = Pieces::new(&cleaner, text.as_bytes(), &opts);
        let mut out = Vec::new();
        while let Some(x) = p.next().unwrap() {
            out.push(x);
        }
        out
    }

    fn check_long(text: &str, bound: usize) {
        let whole = Cleaner::default().clean(text);
        for (read, piece) in [(7, 5), (100, 333), (4096, 1 << 20)] {
            assert_eq!(streamed(text, read, piece), whole, "read {read} piece {piece}");
            let ps = pieces(text, read, piece);
            let longest = ps.iter().map(|(p, _)| p.len()).max().unwrap_or(0);
            assert!(longest <= bound, "a piece of {longest} bytes (read {read} piece {piece})");
            let joined: String = ps.iter().map(|(p, _)| p.as_str()).collect();
            assert_eq!(joined, zh_hygiene(text), "pieces lose or add text");
        }
        for threads in [2, 3] {
            let mut out = Vec::new();
            let opts = StreamOptions { read: 64, piece: 100, lossy: true, threads, stats: false };
            clean_stream(&Cleaner::default(), text.as_bytes(), &mut out, &opts).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), whole, "threads {threads}");
        }
    }

    fn zh_hygiene(text: &str) -> String {
        crate::hygiene::clean(text).into_owned()
    }

    #[test]
    fn a_long_line_is_cut_invisibly() {
        // No space is ever inserted at a cut.
        let a = "a".repeat(5 * MAX_BLOCK);
        assert_eq!(Cleaner::default().clean(&a), a);
        check_long(&a, MAX_BLOCK + 2 * RUN_MARGIN);
        let a_nl = format!("{a}\n");
        assert_eq!(Cleaner::default().clean(&a_nl), a_nl);
        // A line of sentences is cut after sentence ends.
        let sentences = "香港 生產 力 促進 局 今天 公布 研究 。 ".repeat(MAX_BLOCK / 20);
        check_long(&sentences, MAX_BLOCK + 64);
        let want = "香港生產力促進局今天公布研究。".repeat(MAX_BLOCK / 20);
        assert_eq!(Cleaner::default().clean(sentences.trim_end()), want);
        let clean = "香港生產力促進局今天公布研究。".repeat(MAX_BLOCK / 10);
        assert_eq!(Cleaner::default().clean(&clean), clean);
        check_long(&clean, MAX_BLOCK + 64);
        // Without any cut point the line is cleaned whole.
        let spaced = "香港 生產 ".repeat(MAX_BLOCK / 4);
        check_long(&spaced, spaced.len());
        assert_eq!(Cleaner::default().clean(&spaced), "香港生產".repeat(MAX_BLOCK / 4));
    }

    #[test]
    fn a_long_block_is_cut_at_line_ends() {
        // Many short lines without a blank line.
        let xs = "x\n".repeat(3 * MAX_BLOCK);
        check_long(&xs, MAX_BLOCK);
        let cjk = "香港生產力\n".repeat(MAX_BLOCK / 3);
        check_long(&cjk, MAX_BLOCK);
        // A hard-wrapped paragraph longer than a block.
        let page =
            "香港生產力促進局今天公布研究報告，集中研究香港人工智能產業發展的現況。".repeat(MAX_BLOCK / 50);
        let wrapped: String = page
            .chars()
            .collect::<Vec<_>>()
            .chunks(20)
            .map(|c| c.iter().collect::<String>() + "\n")
            .collect();
        check_long(&wrapped, MAX_BLOCK);
        // Blocks around a long one.
        let mixed = format!("段落 一 。\n\n{wrapped}\n段落 二 。\n\n{xs}");
        check_long(&mixed, MAX_BLOCK);
    }

    #[test]
    fn hygiene_chunks_of_a_long_line_keep_joiners_and_compose_marks() {
        // Found by fuzzing: a line cut for hygiene right after a joiner, or
        // a chunk with joiners and a decomposed letter.
        let line = "香港👨\u{200D}i 豈 e\u{301} AI2 👨\u{200D}👩 ".repeat(20);
        let whole = Cleaner::default().clean(&line);
        for (read, piece) in [(2, 60), (3, 7), (1, 1), (5, 33)] {
            assert_eq!(streamed(&line, read, piece), whole, "read {read} piece {piece}");
        }
        assert!(whole.contains("👨\u{200D}i") && whole.contains('é'), "{whole:?}");
    }

    #[test]
    fn long_block_detection() {
        assert!(!has_long_block("x\n\n".repeat(MAX_BLOCK).as_str(), Blocks::Blank));
        assert!(has_long_block("x\n".repeat(MAX_BLOCK).as_str(), Blocks::Blank));
        assert!(!has_long_block("x\n".repeat(MAX_BLOCK).as_str(), Blocks::Lines));
        assert!(has_long_block(&"x".repeat(MAX_BLOCK + 1), Blocks::Lines));
        // Double-spaced: single blank lines do not end a block, two do.
        assert!(has_long_block("x\n\n".repeat(MAX_BLOCK).as_str(), Blocks::TwoBlank));
        assert!(!has_long_block("x\n\n\n".repeat(MAX_BLOCK).as_str(), Blocks::TwoBlank));
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
