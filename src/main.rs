//! The `zh-clean` command: a thin layer of arguments, I/O and error
//! messages over the `zh_clean` library.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, ValueEnum};
use zh_clean::opencc::Config;
use zh_clean::stream::{StreamError, StreamOptions, clean_stream};
use zh_clean::{Backend, CjkLatinSpace, Cleaner, Options, Profile, QuoteStyle, Stage, Variants};

const STAGES_HELP: &str = "\
Stages, in pipeline order (names for --only and --skip):
  hygiene      CRLF/CR -> LF; BOM, zero-width characters and control characters removed
               (emoji ZWJ sequences kept); NBSP and other Unicode spaces -> ' ';
               ideographic-space indents dropped; NFC; compatibility ideographs and
               Kangxi radicals -> unified ideographs.
  structure    paragraphs (blank-line separated) and list items (•, ☆, -, 1., (1), 一、 ...);
               hard-wrapped lines re-joined using the wrap width inferred from the
               line widths. Output: a paragraph or list item per line, a blank line
               between paragraphs.
  punctuation  ASCII , . : ; ! ? ( ) between CJK text -> fullwidth; fullwidth letters and
               digits -> halfwidth; quotes by profile; ... -> ……; middle dots unified.
  spacing      spaces between ideographs and around CJK punctuation removed; spaces
               between CJK and Latin text by --cjk-latin-space; tokenizer artifacts
               repaired (49 % -> 49%, 4 . 0 -> 4.0, U . S . News -> U.S. News);
               real spaces between Latin words kept.
  variants     Traditional/Simplified and regional forms by --variants: auto converts
               only Simplified-only spans (头发 -> 頭髮) and leaves Traditional text
               alone; hk/tw/twp/cn standardise fully (OpenCC s2hk/t2hk, s2tw/t2tw,
               s2twp, t2s). --convert runs one OpenCC configuration instead;
               `--only variants --convert s2hk` runs that conversion alone.

Also: `zh-clean completions bash|zsh|fish|elvish|powershell` prints shell completions,
`zh-clean man` a man page.

Exit status: 0 on success, 2 on bad usage or input that could not be read or decoded.";

/// Clean Traditional Chinese text scraped from the web.
///
/// Reads the FILEs (or standard input) and writes the cleaned text to
/// standard output: spurious spaces removed, hard-wrapped lines re-joined,
/// punctuation and Unicode normalised.
#[derive(Debug, Parser)]
#[command(name = "zh-clean", version, about, after_help = STAGES_HELP)]
struct Args {
    /// Input files; standard input when none is given (or for `-`).
    files: Vec<PathBuf>,

    /// Regional standard for quotes and middle dots.
    #[arg(long, value_enum, default_value_t = ProfileArg::Hk)]
    profile: ProfileArg,

    /// Run only these stages (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "STAGES", conflicts_with = "skip")]
    only: Option<Vec<String>>,

    /// Skip these stages (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "STAGES")]
    skip: Option<Vec<String>>,

    /// Spaces between CJK and Latin letters/digits: auto removes them in
    /// spuriously spaced documents and keeps them in clean ones.
    #[arg(long, value_enum, default_value_t = SpaceArg::Auto)]
    cjk_latin_space: SpaceArg,

    /// Quotation marks for CJK text (default: from the profile).
    #[arg(long, value_enum)]
    quotes: Option<QuotesArg>,

    /// Character variants: auto (Simplified-only spans to Traditional), hk,
    /// tw, twp (Taiwan with phrases), cn (Simplified) or none.
    #[arg(long, value_enum, default_value_t = VariantsArg::Auto)]
    variants: VariantsArg,

    /// Run one OpenCC conversion instead of --variants: s2t, t2s, s2tw,
    /// tw2s, s2hk, hk2s, s2twp, tw2sp, t2tw, tw2t, t2hk, hk2t, t2jp, jp2t.
    #[arg(long, value_name = "CONFIG", value_parser = parse_config)]
    convert: Option<Config>,

    /// Converter for the variants stage: builtin (pure Rust) or opencc-sys
    /// (the C++ OpenCC library; needs the `opencc-sys` feature).
    #[arg(long, value_enum, default_value_t = BackendArg::Builtin)]
    backend: BackendArg,

    /// Write the cleaned text cut into words (jieba on a Simplified shadow
    /// of the text), separated by --delimiter.
    #[arg(long)]
    segment: bool,

    /// Separator between words with --segment.
    #[arg(long, default_value = " ", requires = "segment")]
    delimiter: String,

    /// A jieba user dictionary (`word [freq] [tag]` per line, Traditional or
    /// Simplified) for --segment and --segment-field; may be repeated.
    #[arg(long, value_name = "FILE")]
    user_dict: Vec<PathBuf>,

    /// Threads: files cleaned in parallel with --output-dir, pieces of one
    /// input otherwise (default: the number of cores). Output is the same
    /// for every N.
    #[arg(short = 'j', long = "jobs", value_name = "N")]
    jobs: Option<usize>,

    /// Write each FILE's cleaned text to DIR under the same relative path
    /// (atomically: a temporary file renamed into place) instead of to
    /// standard output.
    #[arg(long, value_name = "DIR")]
    output_dir: Option<PathBuf>,

    /// Walk directories given as FILE and clean every file in them.
    #[arg(short, long)]
    recursive: bool,

    /// Replace each FILE with its cleaned text (atomically: a temporary
    /// file in the same directory, synced, then renamed).
    #[arg(long, conflicts_with = "output_dir")]
    in_place: bool,

    /// Input encoding: utf-8, big5 (Big5-HKSCS), gb18030, or auto (detected
    /// from the first 64 KiB). Output is always UTF-8.
    #[arg(long, value_enum, default_value_t = EncodingArg::Utf8)]
    encoding: EncodingArg,

    /// Read JSON Lines and clean the --field string fields of each record;
    /// every other field and the key order stay as they are.
    #[arg(long)]
    jsonl: bool,

    /// With --jsonl: a field to clean (dotted path for nested objects:
    /// meta.body); may be repeated. Default: text.
    #[arg(long, value_name = "PATH", requires = "jsonl")]
    field: Vec<String>,

    /// With --jsonl: what to do with a line that is not a JSON object: fail
    /// (exit 2, naming the line) or skip (pass it through, counted).
    #[arg(long, value_enum, default_value_t = OnErrorArg::Fail, requires = "jsonl")]
    on_error: OnErrorArg,

    /// With --jsonl: write the words of the first --field into this new
    /// field, as an array.
    #[arg(long, value_name = "NAME", requires = "jsonl")]
    segment_field: Option<String>,

    /// Keep only the article: drop navigation menus, link rows, image
    /// placeholders, footers and repeated blocks.
    #[arg(long)]
    main_content: bool,

    /// Drop repeated blocks (keeping the first), nothing else.
    #[arg(long)]
    dedupe: bool,

    /// Print a unified diff of what cleaning changes instead of the text.
    #[arg(long, conflicts_with_all = ["segment", "jsonl"])]
    diff: bool,

    /// Colour in --diff output: auto (when standard output is a terminal),
    /// always or never.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    color: ColorArg,

    /// Print counts per stage to standard error: --stats or --stats=json.
    #[arg(long, value_enum, value_name = "FORMAT", num_args = 0..=1, default_missing_value = "text")]
    stats: Option<StatsFormat>,

    /// Read options from a TOML file (the fields of the library's
    /// `Options`, e.g. `profile = "tw"`, `variants = "auto"`); options on the
    /// command line override it.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Print the effective options as TOML (usable with --config) and exit.
    #[arg(long)]
    print_config: bool,

    /// No progress line on a terminal.
    #[arg(short, long)]
    quiet: bool,

    /// Replace invalid UTF-8 with U+FFFD instead of failing.
    #[arg(long)]
    lossy: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ProfileArg {
    Hk,
    Tw,
    Cn,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SpaceArg {
    Auto,
    Remove,
    Keep,
    Pangu,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum EncodingArg {
    Auto,
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    Big5,
    Gb18030,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OnErrorArg {
    Fail,
    Skip,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum StatsFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum VariantsArg {
    Auto,
    Hk,
    Tw,
    Twp,
    Cn,
    None,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum BackendArg {
    Builtin,
    OpenccSys,
}

fn parse_config(s: &str) -> Result<Config, String> {
    s.parse()
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum QuotesArg {
    Corner,
    Curly,
    Keep,
}

fn parse_stages(names: &[String]) -> Result<Vec<Stage>, String> {
    names.iter().filter(|n| !n.is_empty()).map(|n| n.trim().parse::<Stage>()).collect()
}

/// The options: a `--config` file's (or the profile's defaults), then every
/// option given on the command line on top.
fn options(args: &Args, matches: &clap::ArgMatches) -> Result<Options, String> {
    let given = |id: &str| matches.value_source(id) == Some(clap::parser::ValueSource::CommandLine);
    let profile = match args.profile {
        ProfileArg::Hk => Profile::Hk,
        ProfileArg::Tw => Profile::Tw,
        ProfileArg::Cn => Profile::Cn,
    };
    let mut o = match &args.config {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("config {}: {e}", path.display()))?;
            let file: Options =
                toml::from_str(&text).map_err(|e| format!("config {}: {e}", path.display()))?;
            if given("profile") {
                // A profile on the command line brings its own defaults.
                let defaults = Options::new(profile);
                Options { profile, quotes: defaults.quotes, middle_dot: defaults.middle_dot, ..file }
            } else {
                file
            }
        }
        None => Options::new(profile),
    };
    if args.config.is_none() || given("cjk_latin_space") {
        o = o.cjk_latin_space(match args.cjk_latin_space {
            SpaceArg::Auto => CjkLatinSpace::Auto,
            SpaceArg::Remove => CjkLatinSpace::Remove,
            SpaceArg::Keep => CjkLatinSpace::Keep,
            SpaceArg::Pangu => CjkLatinSpace::Pangu,
        });
    }
    if let Some(q) = args.quotes {
        o = o.quotes(match q {
            QuotesArg::Corner => QuoteStyle::Corner,
            QuotesArg::Curly => QuoteStyle::Curly,
            QuotesArg::Keep => QuoteStyle::Keep,
        });
    }
    if args.config.is_none() || given("variants") {
        o = o.variants(match args.variants {
            VariantsArg::Auto => Variants::Auto,
            VariantsArg::Hk => Variants::Hk,
            VariantsArg::Tw => Variants::Tw,
            VariantsArg::Twp => Variants::Twp,
            VariantsArg::Cn => Variants::Cn,
            VariantsArg::None => Variants::None,
        });
    }
    if let Some(config) = args.convert {
        o = o.convert(config);
    }
    if args.config.is_none() || given("backend") {
        o = o.backend(match args.backend {
            BackendArg::Builtin => Backend::Builtin,
            BackendArg::OpenccSys => Backend::OpenccSys,
        });
    }
    if args.main_content {
        o = o.main_content(true);
    }
    if args.dedupe {
        o = o.dedupe(true);
    }
    if let Some(only) = &args.only {
        o = o.only(&parse_stages(only)?);
    }
    if let Some(skip) = &args.skip {
        for s in parse_stages(skip)? {
            o = o.stage(s, false);
        }
    }
    Ok(o)
}

/// `zh-clean completions SHELL` and `zh-clean man`: generated from the
/// argument definitions. Returns `None` for any other command line.
fn generated() -> Option<ExitCode> {
    use clap::CommandFactory;
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let mut out = io::stdout();
    match argv.get(1).and_then(|a| a.to_str()) {
        Some("completions") if argv.len() == 3 => {
            let shell = argv[2].to_str().and_then(|s| s.parse::<clap_complete::Shell>().ok());
            let Some(shell) = shell else {
                eprintln!("zh-clean: completions for bash, zsh, fish, elvish or powershell");
                return Some(ExitCode::from(2));
            };
            clap_complete::generate(shell, &mut Args::command(), "zh-clean", &mut out);
            Some(ExitCode::SUCCESS)
        }
        Some("man") if argv.len() == 2 => match clap_mangen::Man::new(Args::command()).render(&mut out) {
            Ok(()) => Some(ExitCode::SUCCESS),
            Err(e) => Some(write_error(&e)),
        },
        _ => None,
    }
}

/// Why one input failed.
enum Failure {
    /// Reported on stderr; the other inputs go on.
    Input(String),
    /// Standard output is gone or failing: stop.
    Output(io::Error),
}

/// Where the cleaned text goes.
enum Target {
    Stdout,
    File(PathBuf),
}

/// An input and its name for messages.
struct Input {
    path: Option<PathBuf>,
}

impl Input {
    fn name(&self) -> String {
        self.path.as_ref().map_or_else(|| "<stdin>".to_owned(), |p| p.display().to_string())
    }
}

/// Counts the bytes read, for the progress line.
struct Tally<R> {
    inner: R,
    read: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl<R: Read> Read for Tally<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

/// Wraps `input` so that it yields UTF-8, decoding from the chosen or
/// detected encoding.
fn decoding(mut input: Box<dyn Read + Send>, encoding: EncodingArg) -> io::Result<Box<dyn Read + Send>> {
    use encoding_rs_io::DecodeReaderBytesBuilder;
    let chosen = match encoding {
        EncodingArg::Utf8 => return Ok(input),
        EncodingArg::Big5 => encoding_rs::BIG5,
        EncodingArg::Gb18030 => encoding_rs::GB18030,
        EncodingArg::Auto => {
            // Sniff the start: UTF-8 when it decodes as UTF-8 (an incomplete
            // character at the cut aside), otherwise the detector's guess.
            let mut head = Vec::with_capacity(64 * 1024);
            (&mut input).take(64 * 1024).read_to_end(&mut head)?;
            let utf8 = match std::str::from_utf8(&head) {
                Ok(_) => true,
                Err(e) => e.error_len().is_none(),
            };
            let rest: Box<dyn Read + Send> = Box::new(io::Cursor::new(head.clone()).chain(input));
            if utf8 {
                return Ok(rest);
            }
            let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(&head, false);
            let guess = detector.guess(None, chardetng::Utf8Detection::Allow);
            return Ok(Box::new(DecodeReaderBytesBuilder::new().encoding(Some(guess)).build(rest)));
        }
    };
    Ok(Box::new(DecodeReaderBytesBuilder::new().encoding(Some(chosen)).build(input)))
}

/// Cleans one input into `out`; returns what the stages did.
fn process(
    cleaner: &Cleaner,
    args: &Args,
    input: &Input,
    out: &mut dyn Write,
    threads: usize,
    progress: &std::sync::Arc<std::sync::atomic::AtomicUsize>,
) -> Result<zh_clean::Stats, Failure> {
    let name = input.name();
    let raw: Box<dyn Read + Send> = match &input.path {
        Some(p) => match std::fs::File::open(p) {
            Ok(f) if f.metadata().is_ok_and(|m| m.is_dir()) => {
                return Err(Failure::Input(format!(
                    "{name}: is a directory (use -r to clean the files in it)"
                )));
            }
            Ok(f) => Box::new(f),
            Err(e) => return Err(Failure::Input(format!("{name}: {e}"))),
        },
        None => Box::new(io::stdin()),
    };
    let raw = Box::new(Tally { inner: raw, read: progress.clone() });
    let reader = decoding(raw, args.encoding).map_err(|e| Failure::Input(format!("{name}: {e}")))?;
    let invalid = |e: &dyn std::fmt::Display| {
        Failure::Input(format!("{name}: {e}; use --lossy to replace invalid sequences (or --encoding)"))
    };
    if args.jsonl {
        let opts = zh_clean::jsonl::JsonlOptions {
            fields: if args.field.is_empty() { vec!["text".to_owned()] } else { args.field.clone() },
            on_error: if args.on_error == OnErrorArg::Skip {
                zh_clean::jsonl::OnError::Skip
            } else {
                zh_clean::jsonl::OnError::Fail
            },
            segment_field: args.segment_field.clone(),
        };
        return match zh_clean::jsonl::clean_jsonl(cleaner, io::BufReader::new(reader), &mut *out, &opts) {
            Ok(st) => {
                if st.skipped > 0 {
                    eprintln!("zh-clean: {name}: {} malformed line(s) passed through unchanged", st.skipped);
                }
                Ok(zh_clean::Stats::default())
            }
            Err(zh_clean::jsonl::JsonlError::Write(e)) => Err(Failure::Output(e)),
            Err(e) => Err(Failure::Input(format!("{name}: {e}"))),
        };
    }
    if args.segment || args.diff || cleaner.needs_whole_text() {
        // Segmentation, diffs and main-content extraction work on the whole text.
        let mut bytes = Vec::new();
        let mut reader = reader;
        reader.read_to_end(&mut bytes).map_err(|e| Failure::Input(format!("{name}: {e}")))?;
        let text = zh_clean::decode::utf8(&bytes, args.lossy).map_err(|e| invalid(&e))?;
        let (cleaned, stats) = if args.segment {
            (cleaner.clean_segmented(&text, &args.delimiter), zh_clean::Stats::default())
        } else {
            cleaner.clean_with_stats(&text)
        };
        let output = if args.diff { diff(&name, &text, &cleaned, color(args)) } else { cleaned };
        out.write_all(output.as_bytes()).map_err(Failure::Output)?;
        return Ok(stats);
    }
    let opts =
        StreamOptions { lossy: args.lossy, threads, stats: args.stats.is_some(), ..StreamOptions::default() };
    match clean_stream(cleaner, reader, out, &opts) {
        Ok(stats) => Ok(stats),
        Err(StreamError::Write(e)) => Err(Failure::Output(e)),
        Err(StreamError::Read(e)) => Err(Failure::Input(format!("{name}: {e}"))),
        Err(StreamError::InvalidUtf8(e)) => Err(invalid(&e)),
    }
}

fn color(args: &Args) -> bool {
    use std::io::IsTerminal;
    match args.color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => io::stdout().is_terminal(),
    }
}

/// A unified diff of `old` and `new`. With `color`, removed and added
/// lines are red and green, and within a changed line the characters that
/// differ are highlighted (removed spaces show as `␣`).
fn diff(name: &str, old: &str, new: &str, color: bool) -> String {
    use similar::{ChangeTag, DiffOp, TextDiff};
    use std::fmt::Write as _;
    let d = TextDiff::from_lines(old, new);
    let mut out = String::new();
    if d.ratio() == 1.0 {
        return out;
    }
    let _ = writeln!(out, "--- {name}\n+++ {name} (cleaned)");
    let paint = |out: &mut String, sign: char, line: &str, other: Option<&str>| {
        let line = line.trim_end_matches('\n');
        if !color {
            let _ = writeln!(out, "{sign}{line}");
            return;
        }
        let base = if sign == '-' { "\x1b[31m" } else { "\x1b[32m" };
        let _ = write!(out, "{base}{sign}");
        match other {
            Some(other) => {
                let other = other.trim_end_matches('\n');
                let (a, b) = if sign == '-' { (line, other) } else { (other, line) };
                let chars = TextDiff::from_chars(a, b);
                for change in chars.iter_all_changes() {
                    let text = change.value();
                    match (change.tag(), sign) {
                        (ChangeTag::Equal, _) => out.push_str(text),
                        (ChangeTag::Delete, '-') => {
                            let _ = write!(out, "\x1b[7m{}\x1b[27m", text.replace(' ', "␣"));
                        }
                        (ChangeTag::Insert, '+') => {
                            let _ = write!(out, "\x1b[7m{text}\x1b[27m");
                        }
                        _ => {}
                    }
                }
            }
            None => out.push_str(line),
        }
        out.push_str("\x1b[0m\n");
    };
    for group in d.grouped_ops(1) {
        let (first, last) = (&group[0], &group[group.len() - 1]);
        let _ = writeln!(
            out,
            "@@ -{},{} +{},{} @@",
            first.old_range().start + 1,
            last.old_range().end - first.old_range().start,
            first.new_range().start + 1,
            last.new_range().end - first.new_range().start
        );
        for op in &group {
            let old_lines: Vec<&str> = op.old_range().filter_map(|i| d.old_slice(i)).collect();
            let new_lines: Vec<&str> = op.new_range().filter_map(|i| d.new_slice(i)).collect();
            match op {
                DiffOp::Equal { .. } => {
                    for l in old_lines {
                        let _ = writeln!(out, " {}", l.trim_end_matches('\n'));
                    }
                }
                _ => {
                    // Pair removed and added lines for character highlights.
                    let paired = old_lines.len() == new_lines.len();
                    for (i, l) in old_lines.iter().enumerate() {
                        paint(&mut out, '-', l, paired.then(|| new_lines[i]));
                    }
                    for (i, l) in new_lines.iter().enumerate() {
                        paint(&mut out, '+', l, paired.then(|| old_lines[i]));
                    }
                }
            }
        }
    }
    out
}

/// Where the cleaned form of `input` goes under `dir`: the same relative
/// path (root and `..` components dropped).
fn output_path(dir: &Path, input: &Path) -> PathBuf {
    use std::path::Component;
    let rel: PathBuf = input.components().filter(|c| matches!(c, Component::Normal(_))).collect();
    dir.join(rel)
}

/// Writes a file through a temporary file in the same directory, synced and
/// renamed into place only when complete: a crash never leaves a half-written
/// or lost file.
fn write_atomically(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<zh_clean::Stats, Failure>,
) -> Result<zh_clean::Stats, Failure> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Failure::Input(format!("{}: {e}", dir.display())))?;
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.zh-clean-{}.tmp", std::process::id()));
    let result = (|| {
        let file =
            std::fs::File::create(&tmp).map_err(|e| Failure::Input(format!("{}: {e}", tmp.display())))?;
        let mut w = io::BufWriter::new(file);
        let stats = fill(&mut w)?;
        let file = w.into_inner().map_err(|e| Failure::Input(format!("{}: {}", tmp.display(), e.error())))?;
        file.sync_all().map_err(|e| Failure::Input(format!("{}: {e}", tmp.display())))?;
        if let Ok(meta) = std::fs::metadata(path) {
            let _ = std::fs::set_permissions(&tmp, meta.permissions());
        }
        std::fs::rename(&tmp, path).map_err(|e| Failure::Input(format!("{}: {e}", path.display())))?;
        Ok(stats)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The inputs: the files, directories walked with `-r` (in sorted order),
/// standard input when there are none.
fn expand(args: &Args) -> (Vec<Input>, Vec<String>) {
    fn walk(dir: &Path, out: &mut Vec<Input>, errors: &mut Vec<String>) {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(rd) => rd.flatten().map(|e| e.path()).collect(),
            Err(e) => {
                errors.push(format!("{}: {e}", dir.display()));
                return;
            }
        };
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out, errors);
            } else if p.is_file() {
                out.push(Input { path: Some(p) });
            }
        }
    }
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    if args.files.is_empty() {
        inputs.push(Input { path: None });
    }
    for f in &args.files {
        if f.as_os_str() == "-" {
            inputs.push(Input { path: None });
        } else if args.recursive && f.is_dir() {
            walk(f, &mut inputs, &mut errors);
        } else {
            inputs.push(Input { path: Some(f.clone()) });
        }
    }
    (inputs, errors)
}

fn main() -> ExitCode {
    use clap::{CommandFactory, FromArgMatches};
    use std::io::IsTerminal;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    if let Some(code) = generated() {
        return code;
    }
    let matches = Args::command().get_matches();
    let args = match Args::from_arg_matches(&matches) {
        Ok(a) => a,
        Err(e) => e.exit(),
    };
    let options = match options(&args, &matches) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("zh-clean: {e}");
            return ExitCode::from(2);
        }
    };
    if args.print_config {
        return match toml::to_string(&options) {
            Ok(t) => {
                print!("{t}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("zh-clean: {e}");
                ExitCode::from(2)
            }
        };
    }
    let mut cleaner = match Cleaner::try_new(options) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("zh-clean: {e}");
            return ExitCode::from(2);
        }
    };
    if !args.user_dict.is_empty() {
        let mut segmenter = zh_clean::segment::Segmenter::new();
        for path in &args.user_dict {
            let loaded =
                std::fs::File::open(path).and_then(|f| segmenter.load_user_dict(io::BufReader::new(f)));
            if let Err(e) = loaded {
                eprintln!("zh-clean: user dictionary {}: {e}", path.display());
                return ExitCode::from(2);
            }
        }
        cleaner = cleaner.with_segmenter(segmenter);
    }
    let (inputs, mut errors) = expand(&args);
    if args.in_place && inputs.iter().any(|i| i.path.is_none()) {
        eprintln!("zh-clean: --in-place needs files, not standard input");
        return ExitCode::from(2);
    }
    let threads =
        args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let targets: Vec<Target> = inputs
        .iter()
        .map(|input| match (&args.output_dir, &input.path) {
            _ if args.in_place => Target::File(input.path.clone().unwrap_or_default()),
            (Some(dir), Some(p)) => Target::File(output_path(dir, p)),
            (Some(dir), None) => Target::File(dir.join("stdin.txt")),
            (None, _) => Target::Stdout,
        })
        .collect();

    // Progress on a terminal: files done and bytes read, four times a second.
    let read = Arc::new(AtomicUsize::new(0));
    let files_done = Arc::new(AtomicUsize::new(0));
    let finished = Arc::new(AtomicBool::new(false));
    let show_progress = io::stderr().is_terminal() && !args.quiet;
    let ticker = show_progress.then(|| {
        let (read, files_done, finished, total) =
            (read.clone(), files_done.clone(), finished.clone(), inputs.len());
        std::thread::spawn(move || {
            let start = std::time::Instant::now();
            while !finished.load(Ordering::Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(250));
                if start.elapsed().as_millis() >= 500 {
                    let mb = read.load(Ordering::Relaxed) as f64 / 1e6;
                    let secs = start.elapsed().as_secs_f64();
                    eprint!(
                        "\r\x1b[2Kzh-clean: {}/{} files, {mb:.1} MB, {:.1} MB/s",
                        files_done.load(Ordering::Relaxed),
                        total,
                        mb / secs
                    );
                }
            }
            eprint!("\r\x1b[2K");
        })
    });

    let mut total = zh_clean::Stats::default();
    let mut results: Vec<(usize, Result<zh_clean::Stats, Failure>)> = Vec::new();
    let mut stdout_error: Option<io::Error> = None;
    if targets.iter().all(|t| matches!(t, Target::File(_))) {
        // Files in parallel, each to its own output file.
        let next = AtomicUsize::new(0);
        results = std::thread::scope(|s| {
            let workers: Vec<_> = (0..threads.min(inputs.len()).max(1))
                .map(|_| {
                    s.spawn(|| {
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let (Some(input), Some(Target::File(path))) = (inputs.get(i), targets.get(i))
                            else {
                                break;
                            };
                            let r = write_atomically(path, |w| process(&cleaner, &args, input, w, 1, &read));
                            files_done.fetch_add(1, Ordering::Relaxed);
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
        for (i, input) in inputs.iter().enumerate() {
            let r = process(&cleaner, &args, input, &mut out, threads, &read);
            files_done.fetch_add(1, Ordering::Relaxed);
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
    finished.store(true, Ordering::Relaxed);
    if let Some(t) = ticker {
        let _ = t.join();
    }
    if let Some(e) = stdout_error {
        return write_error(&e);
    }
    for (_, r) in results {
        match r {
            Ok(stats) => total.add(&stats),
            Err(Failure::Input(msg)) => errors.push(msg),
            Err(Failure::Output(e)) => errors.push(format!("writing output: {e}")),
        }
    }
    for e in &errors {
        eprintln!("zh-clean: {e}");
    }
    match args.stats {
        Some(StatsFormat::Text) => eprintln!("zh-clean: {}", total.to_line()),
        Some(StatsFormat::Json) => {
            eprintln!("{}", serde_json::to_string(&total).unwrap_or_default());
        }
        None => {}
    }
    if !errors.is_empty() {
        eprintln!("zh-clean: {} input(s) failed", errors.len());
        return ExitCode::from(2);
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
