//! The run: each input opened, cleaned by the library and written to its
//! target, in parallel over files or in order to standard output.

use std::io::{self, Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use zh_clean::Cleaner;
use zh_clean::jsonl::{JsonlError, JsonlOptions, JsonlStats};
use zh_clean::stream::{StreamError, StreamOptions, clean_stream};

use crate::diff;
use crate::input::{self, OpenOptions, Refusal};
use crate::output::{self, WriteError};
use crate::plan::Target;
use crate::settings::Settings;
use crate::walk::{Input, Source};

/// What one input came to.
pub enum Outcome {
    Cleaned {
        stats: zh_clean::Stats,
        jsonl: JsonlStats,
    },
    /// `--check`: whether cleaning would change it.
    Checked(bool),
    /// A binary file found by a walk, skipped.
    Binary,
}

/// Each input's index in the plan and what it came to.
pub type Results = Vec<(usize, Result<Outcome, Failure>)>;

/// Why one input failed.
pub enum Failure {
    /// Reported on stderr; the other inputs go on.
    Input(String),
    /// Standard output is gone or failing: stop.
    Output(io::Error),
}

/// An opened input: UTF-8 text, and how many bytes of a byte-order mark
/// were dropped before it (added to the offsets of errors found in it).
struct Opened {
    reader: Box<dyn Read + Send>,
    shift: u64,
}

/// Everything a run needs, fixed before the first input is read.
pub struct Run {
    pub cleaner: Cleaner,
    pub in_place: bool,
    /// With `--jsonl`: the record settings (threads set per input).
    pub jsonl: Option<JsonlOptions>,
    pub settings: Settings,
    pub open: OpenOptions,
    pub diff_color: Option<bool>,
    pub read: Arc<AtomicU64>,
}

impl Run {
    pub fn jsonl(&self) -> bool {
        self.jsonl.is_some()
    }

    /// Opens an input from its stored bytes; `None` for a binary file
    /// found by a walk (skipped), an error for a binary file named.
    fn open(&self, input: &Input, raw: Box<dyn Read + Send>) -> Result<Option<Opened>, Failure> {
        // Files found by a walk and files to be replaced are judged binary
        // by a NUL byte near their start; text named or piped in is taken
        // as text (hygiene removes stray NULs).
        let judge_binary = input.walked || self.in_place;
        match input::open(input, judge_binary, raw, &self.open, &self.read) {
            Ok((reader, shift)) => Ok(Some(Opened { reader, shift })),
            Err(Refusal::Binary(_)) if input.walked => Ok(None),
            Err(Refusal::Binary(at)) => Err(Failure::Input(format!(
                "{}: binary data (a NUL byte at offset {at}); not cleaned",
                input.name()
            ))),
            Err(Refusal::Error(e)) => Err(Failure::Input(e)),
        }
    }

    /// Opens and cleans one input into `out`.
    pub fn process(
        &self,
        input: &Input,
        raw: Box<dyn Read + Send>,
        out: &mut dyn Write,
        threads: usize,
    ) -> Result<Outcome, Failure> {
        match self.open(input, raw)? {
            Some(opened) => self.clean(input, opened, out, threads),
            None => Ok(Outcome::Binary),
        }
    }

    /// Cleans one opened input into `out` (`threads` for pieces of it).
    fn clean(
        &self,
        input: &Input,
        opened: Opened,
        out: &mut dyn Write,
        threads: usize,
    ) -> Result<Outcome, Failure> {
        let name = input.name();
        let Opened { reader, shift } = opened;
        let s = &self.settings;
        let lossy = s.lossy == Some(true);
        let invalid = |e: &dyn std::fmt::Display| {
            Failure::Input(format!("{name}: {e}; use --lossy to replace invalid sequences (or --encoding)"))
        };
        if let Some(opts) = &self.jsonl {
            let opts = JsonlOptions { threads, ..opts.clone() };
            return match zh_clean::jsonl::clean_jsonl(
                &self.cleaner,
                io::BufReader::new(reader),
                &mut *out,
                &opts,
            ) {
                Ok(st) => Ok(Outcome::Cleaned { stats: zh_clean::Stats::default(), jsonl: st }),
                Err(JsonlError::Write(e)) => Err(Failure::Output(e)),
                Err(JsonlError::InvalidUtf8 { line, offset }) => Err(Failure::Input(format!(
                    "{name}: {}; use --lossy to replace invalid bytes or --on-error skip to pass the line through",
                    JsonlError::InvalidUtf8 { line, offset: offset + shift }
                ))),
                Err(e @ JsonlError::BadString { .. }) => {
                    Err(Failure::Input(format!("{name}: {e}; use --on-error skip to pass the line through")))
                }
                Err(e) => Err(Failure::Input(format!("{name}: {e}"))),
            };
        }
        let segment = s.segment == Some(true);
        if self.diff_color.is_some() || self.cleaner.needs_whole_text() {
            // Diffs, main-content extraction and deduplication work on the
            // whole text.
            let mut bytes = Vec::new();
            let mut reader = reader;
            reader.read_to_end(&mut bytes).map_err(|e| read_failure(&name, e))?;
            let text = zh_clean::decode::utf8(&bytes, lossy).map_err(|mut e| {
                e.offset += shift as usize;
                invalid(&e)
            })?;
            let (cleaned, stats) = if segment {
                (self.cleaner.clean_segmented(&text, &s.delimiter()), zh_clean::Stats::default())
            } else {
                self.cleaner.clean_with_stats(&text)
            };
            let output = match self.diff_color {
                Some(color) => diff::diff(&name, &text, &cleaned, color),
                None => cleaned,
            };
            out.write_all(output.as_bytes()).map_err(Failure::Output)?;
            return Ok(Outcome::Cleaned { stats, jsonl: JsonlStats::default() });
        }
        let opts = StreamOptions { lossy, threads, stats: s.stats == Some(true), ..StreamOptions::default() };
        // Segmentation streams too: each cleaned line is segmented as it
        // comes.
        let streamed = if segment {
            self.cleaner.clean_segmented_stream(reader, out, &s.delimiter(), &opts)
        } else {
            clean_stream(&self.cleaner, reader, out, &opts)
        };
        match streamed {
            Ok(stats) => Ok(Outcome::Cleaned { stats, jsonl: JsonlStats::default() }),
            Err(StreamError::Write(e)) => Err(Failure::Output(e)),
            Err(StreamError::Read(e)) => Err(read_failure(&name, e)),
            Err(StreamError::InvalidUtf8(mut e)) => {
                e.offset += shift as usize;
                Err(invalid(&e))
            }
        }
    }

    /// Cleans one input to its target; `stdin` is standard input read
    /// whole beforehand (for `--check`).
    pub fn to_target(
        &self,
        input: &Input,
        target: &Target,
        stdin: Option<&[u8]>,
    ) -> Result<Outcome, Failure> {
        let name = input.name();
        let raw = || -> Result<Box<dyn Read + Send>, Failure> {
            match (&input.source, stdin) {
                (Source::Stdin, Some(bytes)) => Ok(Box::new(io::Cursor::new(bytes.to_vec()))),
                _ => input::raw(input).map_err(Failure::Input),
            }
        };
        match target {
            Target::Stdout => {
                let mut out = io::stdout().lock();
                self.process(input, raw()?, &mut out, 1)
            }
            Target::File { path, compression, before } => {
                // Opened first: a binary file found by a walk is skipped
                // before any temporary file exists.
                let Some(reader) = self.open(input, raw()?)? else { return Ok(Outcome::Binary) };
                match output::write_atomically(path, *compression, before.as_ref(), |w| {
                    self.clean(input, reader, w, 1)
                }) {
                    Ok(o) => Ok(o),
                    Err(WriteError::Fill(Failure::Output(e))) => {
                        Err(Failure::Input(format!("{}: writing: {e}", path.display())))
                    }
                    Err(WriteError::Fill(f)) => Err(f),
                    Err(WriteError::Io(msg)) => Err(Failure::Input(msg)),
                }
            }
            Target::Check => {
                // Cleaned into a comparison with the input's own
                // (decompressed) bytes.
                let (original, _) = input::plain(&name, input.path(), raw()?, self.open.sniff_compression)
                    .map_err(Failure::Input)?;
                let mut cmp = output::Compare::new(original);
                let outcome = self.process(input, raw()?, &mut cmp, 1)?;
                if let Outcome::Binary = outcome {
                    return Ok(outcome);
                }
                let differs = cmp.finish().map_err(|e| Failure::Input(format!("{name}: {e}")))?;
                Ok(Outcome::Checked(differs))
            }
        }
    }

    /// Cleans every input to its own file (or `--check` comparison), on
    /// `threads` workers; results in input order.
    pub fn to_files(&self, planned: &[(Input, Target)], stdin: Option<&[u8]>, threads: usize) -> Results {
        let next = AtomicUsize::new(0);
        let mut results: Vec<_> = std::thread::scope(|sc| {
            let workers: Vec<_> = (0..threads.min(planned.len()).max(1))
                .map(|_| {
                    sc.spawn(|| {
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some((input, target)) = planned.get(i) else { break };
                            done.push((i, self.to_target(input, target, stdin)));
                        }
                        done
                    })
                })
                .collect();
            workers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect()
        });
        results.sort_by_key(|(i, _)| *i);
        results
    }

    /// Cleans every input to standard output, in order (`threads` for
    /// pieces of each). Stops at the first error writing standard output,
    /// which it returns beside the results so far.
    pub fn to_stdout(&self, planned: &[(Input, Target)], threads: usize) -> (Results, Option<io::Error>) {
        let mut results = Vec::new();
        let stdout = io::stdout();
        let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
        for (i, (input, _)) in planned.iter().enumerate() {
            let r = match input::raw(input) {
                Ok(raw) => self.process(input, raw, &mut out, threads),
                Err(e) => Err(Failure::Input(e)),
            };
            if let Err(Failure::Output(e)) = r {
                return (results, Some(e));
            }
            results.push((i, r));
        }
        (results, out.flush().err())
    }
}

fn read_failure(name: &str, e: io::Error) -> Failure {
    // A decoder's error carries its own offset.
    Failure::Input(format!("{name}: {e}"))
}
