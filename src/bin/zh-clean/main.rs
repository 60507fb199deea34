//! The `zh-clean` command: a thin layer of arguments, I/O and error
//! messages over the `zh_clean` library.
//!
//! - `args`: the flags and the combinations refused;
//! - `settings`: the command line and a `--config` file, merged;
//! - `walk`: which files a command line names;
//! - `input`: opening, decompressing and decoding an input;
//! - `output`: atomic writes, `--in-place` safety, `--check` comparison;
//! - `diff`, `progress`: `--diff` output and the progress bar;
//! - this file: the plan (where each input goes), the run and the report.

mod args;
mod diff;
mod input;
mod output;
mod progress;
mod settings;
mod walk;

use std::collections::HashMap;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use clap::{CommandFactory, FromArgMatches};
use zh_clean::Cleaner;
use zh_clean::decode::EncodingChoice;
use zh_clean::jsonl::{FieldPath, JsonlError, JsonlOptions, JsonlStats};
use zh_clean::stream::{StreamError, StreamOptions, clean_stream};

use args::{Args, Generate, StatsFormat};
use input::{Compression, OpenOptions, Refusal};
use output::{Snapshot, WriteError};
use settings::Settings;
use walk::{Input, Source};

/// A usage error: exit status 2.
fn usage(msg: &str) -> ExitCode {
    eprintln!("zh-clean: {msg}");
    ExitCode::from(2)
}

/// Where the cleaned text of one input goes.
enum Target {
    Stdout,
    File {
        path: PathBuf,
        compression: Compression,
        before: Option<Snapshot>,
    },
    /// `--check`: compared with the input, never written.
    Check,
}

/// What one input came to.
enum Outcome {
    Cleaned {
        stats: zh_clean::Stats,
        jsonl: JsonlStats,
    },
    /// `--check`: whether cleaning would change it.
    Checked(bool),
    /// A binary file found by a walk, skipped.
    Binary,
}

/// Why one input failed.
enum Failure {
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
struct Run {
    cleaner: Cleaner,
    in_place: bool,
    /// With `--jsonl`: the record settings (threads set per input).
    jsonl: Option<JsonlOptions>,
    settings: Settings,
    open: OpenOptions,
    diff_color: Option<bool>,
    read: Arc<AtomicU64>,
}

impl Run {
    fn jsonl(&self) -> bool {
        self.jsonl.is_some()
    }

    /// Cleans one input into `out` (`threads` for pieces of it).
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
    fn process(
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
    fn to_target(&self, input: &Input, target: &Target, stdin: Option<&[u8]>) -> Result<Outcome, Failure> {
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
}

fn read_failure(name: &str, e: io::Error) -> Failure {
    // A decoder's error carries its own offset.
    Failure::Input(format!("{name}: {e}"))
}

/// `--generate`: a man page or shell completions.
fn generate(what: Generate) -> ExitCode {
    let mut out = io::stdout();
    let shell = match what {
        Generate::Man => {
            return match clap_mangen::Man::new(Args::command()).render(&mut out) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => write_error(&e),
            };
        }
        Generate::Bash => clap_complete::Shell::Bash,
        Generate::Zsh => clap_complete::Shell::Zsh,
        Generate::Fish => clap_complete::Shell::Fish,
        Generate::Elvish => clap_complete::Shell::Elvish,
        Generate::Powershell => clap_complete::Shell::PowerShell,
    };
    clap_complete::generate(shell, &mut Args::command(), "zh-clean", &mut out);
    ExitCode::SUCCESS
}

/// Where the cleaned form of `input` goes under `dir`: the same relative
/// path (root and `..` components dropped).
fn output_path(dir: &Path, input: &Path) -> PathBuf {
    use std::path::Component;
    let rel: PathBuf = input.components().filter(|c| matches!(c, Component::Normal(_))).collect();
    dir.join(rel)
}

/// A path made absolute and free of `.`/`..` without touching the file
/// system beyond the current directory, to compare planned outputs.
fn normalized(p: &Path) -> PathBuf {
    use std::path::Component;
    let abs =
        if p.is_absolute() { p.to_path_buf() } else { std::env::current_dir().unwrap_or_default().join(p) };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    // Resolve what exists (symbolic links in the directories).
    match (out.parent().and_then(|d| d.canonicalize().ok()), out.file_name()) {
        (Some(dir), Some(name)) => dir.join(name),
        _ => out,
    }
}

/// Each input's target, or the reason nothing at all may be written.
/// Errors for single inputs go to `errors` and the input is dropped.
fn plan(
    args: &Args,
    s: &Settings,
    inputs: Vec<Input>,
    errors: &mut Vec<String>,
) -> Result<Vec<(Input, Target)>, String> {
    let jsonl = s.jsonl == Some(true);
    let sniff = s.decompress == Some(true);
    let mut planned = Vec::new();
    let mut outputs: HashMap<PathBuf, String> = HashMap::new();
    let sources: HashMap<PathBuf, String> = inputs
        .iter()
        .filter_map(|i| i.path().and_then(|p| p.canonicalize().ok()).map(|c| (c, i.name())))
        .collect();
    for input in inputs {
        if let Some(p) = input.path()
            && !jsonl
            && walk::is_jsonl_name(p)
        {
            errors.push(format!(
                "{}: JSON Lines; cleaned as plain text its records would no longer be JSON: use --jsonl",
                input.name()
            ));
            continue;
        }
        let target = if args.check {
            Target::Check
        } else if args.in_place {
            let Some(p) = input.path() else {
                return Err("--in-place needs files, not standard input".into());
            };
            match output::in_place_target(p) {
                Ok((real, before)) => Target::File {
                    compression: input::compression_of(p, sniff),
                    path: real,
                    before: Some(before),
                },
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            }
        } else if let Some(dir) = &args.output_dir {
            let path = match input.path() {
                Some(p) => output_path(dir, p),
                None => dir.join("stdin.txt"),
            };
            let key = normalized(&path);
            if let Some(other) =
                sources.get(&key).or_else(|| path.canonicalize().ok().and_then(|c| sources.get(&c)))
            {
                return Err(format!("{}: the output of {} would overwrite this input", other, input.name()));
            }
            if let Some(other) = outputs.insert(key, input.name()) {
                return Err(format!(
                    "{} and {} would both be written to {}; nothing was written",
                    other,
                    input.name(),
                    path.display()
                ));
            }
            let compression = input.path().map_or(Compression::None, |p| input::compression_of(p, sniff));
            Target::File { path, compression, before: None }
        } else {
            Target::Stdout
        };
        planned.push((input, target));
    }
    Ok(planned)
}

fn main() -> ExitCode {
    let matches = Args::command().get_matches();
    let args = match Args::from_arg_matches(&matches) {
        Ok(a) => a,
        Err(e) => e.exit(),
    };
    if let Some(what) = args.generate {
        return generate(what);
    }
    if let Some(msg) = args.refused_combination() {
        return usage(&msg);
    }
    let from_file = match &args.config {
        Some(path) => match Settings::from_file(path) {
            Ok(s) => s,
            Err(e) => return usage(&e),
        },
        None => Settings::default(),
    };
    let s = Settings::from_args(&args).over(from_file);
    let options = match s.options() {
        Ok(o) => o,
        Err(e) => return usage(&e),
    };
    if args.print_config {
        return match s.effective().and_then(|e| toml::to_string(&e).map_err(|e| e.to_string())) {
            Ok(t) => {
                print!("{t}");
                ExitCode::SUCCESS
            }
            Err(e) => usage(&e),
        };
    }
    let mut cleaner = match Cleaner::try_new(options) {
        Ok(c) => c,
        Err(e) => return usage(&e),
    };
    if let Some(dicts) = &s.user_dict {
        let mut segmenter = zh_clean::segment::Segmenter::new();
        for path in dicts {
            let loaded =
                std::fs::File::open(path).and_then(|f| segmenter.load_user_dict(io::BufReader::new(f)));
            if let Err(e) = loaded {
                return usage(&format!("user dictionary {}: {e}", path.display()));
            }
        }
        cleaner = cleaner.with_segmenter(segmenter);
    }
    let quiet = s.quiet == Some(true);
    let jsonl = if s.jsonl == Some(true) {
        let mut fields = Vec::new();
        for f in s.fields() {
            match f.parse::<FieldPath>() {
                Ok(p) => fields.push(p),
                Err(e) => return usage(&format!("--field {f}: {e}")),
            }
        }
        Some(JsonlOptions {
            fields,
            on_error: s.on_error.unwrap_or_default(),
            segment_field: s.segment_field.clone(),
            words_only: s.words_only == Some(true),
            lossy: s.lossy == Some(true),
            threads: 1,
        })
    } else {
        None
    };
    let walk_opts = walk::WalkOptions {
        recursive: args.recursive,
        follow: args.follow,
        hidden: args.hidden,
        no_ignore: args.no_ignore,
        types: &args.types,
        globs: &args.globs,
        jsonl: s.jsonl == Some(true),
        exclude: args.output_dir.as_deref(),
    };
    let (inputs, mut errors) = match walk::inputs(&args.files, &walk_opts) {
        Ok(x) => x,
        Err(e) => return usage(&e),
    };
    let mut inputs = inputs;
    // `--check` on standard input: read it whole into a temporary
    // buffer-backed input, so that it can be compared with its cleaning.
    let stdin_copy = if args.check && inputs.iter().any(|i| i.source == Source::Stdin) {
        let mut bytes = Vec::new();
        if let Err(e) = io::stdin().read_to_end(&mut bytes) {
            return usage(&format!("<stdin>: {e}"));
        }
        Some(bytes)
    } else {
        None
    };
    if stdin_copy.is_none()
        && !quiet
        && inputs.iter().any(|i| i.source == Source::Stdin)
        && io::stdin().is_terminal()
    {
        eprintln!(
            "zh-clean: reading standard input from the terminal (end with Ctrl-D); give FILEs to clean files, --help for more"
        );
    }
    let planned = match plan(&args, &s, std::mem::take(&mut inputs), &mut errors) {
        Ok(p) => p,
        Err(e) => return usage(&e),
    };
    let total: Option<u64> =
        planned.iter().map(|(i, _)| i.path().and_then(|p| std::fs::metadata(p).ok()).map(|m| m.len())).sum();
    let progress = progress::Progress::new(total, planned.len(), quiet);
    output::clean_up_on_signals();
    let run = Run {
        cleaner,
        in_place: args.in_place,
        jsonl,
        open: OpenOptions {
            encoding: s.encoding.unwrap_or(EncodingChoice::Utf8),
            lossy: s.lossy == Some(true),
            sniff_compression: s.decompress == Some(true),
        },
        diff_color: args.diff.then(|| diff::color(args.color)),
        settings: s,
        read: progress.read.clone(),
    };
    let threads = run.settings.threads();

    let mut results: Vec<(usize, Result<Outcome, Failure>)> = Vec::new();
    let mut stdout_error: Option<io::Error> = None;
    let to_files = planned.iter().all(|(_, t)| !matches!(t, Target::Stdout));
    if to_files {
        // Files in parallel, each to its own target.
        let next = AtomicUsize::new(0);
        let stdin_check = stdin_copy.as_deref();
        results = std::thread::scope(|sc| {
            let workers: Vec<_> = (0..threads.min(planned.len()).max(1))
                .map(|_| {
                    sc.spawn(|| {
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some((input, target)) = planned.get(i) else { break };
                            let r = run.to_target(input, target, stdin_check);
                            done.push((i, r));
                        }
                        done
                    })
                })
                .collect();
            workers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect()
        });
        results.sort_by_key(|(i, _)| *i);
    } else {
        let stdout = io::stdout();
        let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
        for (i, (input, _)) in planned.iter().enumerate() {
            let r = match input::raw(input) {
                Ok(raw) => run.process(input, raw, &mut out, threads),
                Err(e) => Err(Failure::Input(e)),
            };
            if let Err(Failure::Output(e)) = r {
                stdout_error = Some(e);
                break;
            }
            results.push((i, r));
        }
        if stdout_error.is_none()
            && let Err(e) = out.flush()
        {
            stdout_error = Some(e);
        }
    }
    progress.finish();
    if let Some(e) = stdout_error {
        return write_error(&e);
    }
    report(&run, &planned, results, errors, args.check)
}

/// Errors, statistics, `--check`'s list, and the exit status.
fn report(
    run: &Run,
    planned: &[(Input, Target)],
    results: Vec<(usize, Result<Outcome, Failure>)>,
    mut errors: Vec<String>,
    check: bool,
) -> ExitCode {
    let s = &run.settings;
    let mut stats = zh_clean::Stats::default();
    let mut jsonl = JsonlStats::default();
    let mut binary = 0;
    let mut changed = Vec::new();
    for (i, r) in results {
        match r {
            Ok(Outcome::Cleaned { stats: st, jsonl: js }) => {
                stats.add(&st);
                jsonl.add(&js);
            }
            Ok(Outcome::Checked(true)) => changed.push(planned[i].0.name()),
            Ok(Outcome::Checked(false)) => {}
            Ok(Outcome::Binary) => binary += 1,
            Err(Failure::Input(msg)) => errors.push(msg),
            Err(Failure::Output(e)) => errors.push(format!("writing output: {e}")),
        }
    }
    let quiet = s.quiet == Some(true);
    if binary > 0 && !quiet {
        eprintln!("zh-clean: skipped {binary} binary file(s)");
    }
    if run.jsonl() {
        if jsonl.skipped > 0 && !quiet {
            eprintln!("zh-clean: {} malformed line(s) passed through unchanged", jsonl.skipped);
        }
        if jsonl.records > 0 {
            for field in run.jsonl.as_ref().map(|o| jsonl.absent_fields(o)).unwrap_or_default() {
                eprintln!("zh-clean: warning: field {field} is absent from every record");
            }
        }
    }
    for e in &errors {
        eprintln!("zh-clean: {e}");
    }
    if check {
        let mut out = io::stdout().lock();
        for name in &changed {
            if let Err(e) = writeln!(out, "{name}") {
                return write_error(&e);
            }
        }
    }
    if s.stats == Some(true) {
        let json = s.stats_format == Some(StatsFormat::Json);
        if run.jsonl() {
            let counts = [
                ("records", jsonl.records),
                ("fields_cleaned", jsonl.fields_cleaned),
                ("fields_changed", jsonl.fields_changed),
                ("fields_missing", jsonl.fields_missing),
                ("fields_not_string", jsonl.fields_not_string),
                ("skipped", jsonl.skipped),
            ];
            if json {
                let pairs: Vec<String> = counts.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                eprintln!("{{{}}}", pairs.join(","));
            } else {
                let pairs: Vec<String> = counts.iter().map(|(k, v)| format!("{k}={v}")).collect();
                eprintln!("zh-clean: {}", pairs.join(" "));
            }
        } else if json {
            eprintln!("{}", serde_json::to_string(&stats).unwrap_or_default());
        } else {
            eprintln!("zh-clean: {}", stats.to_line());
        }
    }
    if !errors.is_empty() {
        eprintln!("zh-clean: {} input(s) failed", errors.len());
        return ExitCode::from(2);
    }
    if check && !changed.is_empty() {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// A closed pipe (`zh-clean big.txt | head -1`) ends the program quietly.
fn write_error(e: &io::Error) -> ExitCode {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return ExitCode::SUCCESS;
    }
    eprintln!("zh-clean: writing output: {e}");
    ExitCode::from(2)
}
