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
    /// Simplified) for --segment; may be given several times.
    #[arg(long, value_name = "FILE", requires = "segment")]
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

fn options(args: &Args) -> Result<Options, String> {
    let profile = match args.profile {
        ProfileArg::Hk => Profile::Hk,
        ProfileArg::Tw => Profile::Tw,
        ProfileArg::Cn => Profile::Cn,
    };
    let mut o = Options::new(profile).cjk_latin_space(match args.cjk_latin_space {
        SpaceArg::Auto => CjkLatinSpace::Auto,
        SpaceArg::Remove => CjkLatinSpace::Remove,
        SpaceArg::Keep => CjkLatinSpace::Keep,
        SpaceArg::Pangu => CjkLatinSpace::Pangu,
    });
    if let Some(q) = args.quotes {
        o = o.quotes(match q {
            QuotesArg::Corner => QuoteStyle::Corner,
            QuotesArg::Curly => QuoteStyle::Curly,
            QuotesArg::Keep => QuoteStyle::Keep,
        });
    }
    o = o.variants(match args.variants {
        VariantsArg::Auto => Variants::Auto,
        VariantsArg::Hk => Variants::Hk,
        VariantsArg::Tw => Variants::Tw,
        VariantsArg::Twp => Variants::Twp,
        VariantsArg::Cn => Variants::Cn,
        VariantsArg::None => Variants::None,
    });
    if let Some(config) = args.convert {
        o = o.convert(config);
    }
    o = o.backend(match args.backend {
        BackendArg::Builtin => Backend::Builtin,
        BackendArg::OpenccSys => Backend::OpenccSys,
    });
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

/// Why one input failed.
enum Failure {
    /// Reported on stderr; the other inputs go on.
    Input(String),
    /// Standard output is gone or failing: stop.
    Output(io::Error),
}

/// Cleans one input (a file, or standard input for `None`) into `out`.
fn process(
    cleaner: &Cleaner,
    args: &Args,
    path: Option<&PathBuf>,
    out: &mut dyn Write,
    threads: usize,
) -> Result<(), Failure> {
    let name = path.map_or_else(|| "<stdin>".to_owned(), |p| p.display().to_string());
    let input: Box<dyn Read> = match path {
        Some(p) if p.as_os_str() != "-" => match std::fs::File::open(p) {
            Ok(f) => Box::new(f),
            Err(e) => return Err(Failure::Input(format!("{name}: {e}"))),
        },
        _ => Box::new(io::stdin().lock()),
    };
    if args.segment {
        // Segmentation works on the whole text.
        let mut bytes = Vec::new();
        let mut input = input;
        input.read_to_end(&mut bytes).map_err(|e| Failure::Input(format!("{name}: {e}")))?;
        let text = zh_clean::decode::utf8(&bytes, args.lossy)
            .map_err(|e| Failure::Input(format!("{name}: {e}; use --lossy to replace invalid sequences")))?;
        return out
            .write_all(cleaner.clean_segmented(&text, &args.delimiter).as_bytes())
            .map_err(Failure::Output);
    }
    let opts = StreamOptions { lossy: args.lossy, threads, ..StreamOptions::default() };
    match clean_stream(cleaner, input, out, &opts) {
        Ok(()) => Ok(()),
        Err(StreamError::Write(e)) => Err(Failure::Output(e)),
        Err(StreamError::Read(e)) => Err(Failure::Input(format!("{name}: {e}"))),
        Err(StreamError::InvalidUtf8(e)) => {
            Err(Failure::Input(format!("{name}: {e}; use --lossy to replace invalid sequences")))
        }
    }
}

/// Where the cleaned form of `input` goes under `dir`: the same relative
/// path (root and `..` components dropped).
fn output_path(dir: &Path, input: &Path) -> PathBuf {
    use std::path::Component;
    let rel: PathBuf = input.components().filter(|c| matches!(c, Component::Normal(_))).collect();
    dir.join(rel)
}

/// Writes a file through a temporary file in the same directory, renamed
/// into place only when complete.
fn write_atomically(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), Failure>,
) -> Result<(), Failure> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Failure::Input(format!("{}: {e}", dir.display())))?;
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.zh-clean-{}.tmp", std::process::id()));
    let result = (|| {
        let file =
            std::fs::File::create(&tmp).map_err(|e| Failure::Input(format!("{}: {e}", tmp.display())))?;
        let mut w = io::BufWriter::new(file);
        fill(&mut w)?;
        let file = w.into_inner().map_err(|e| Failure::Input(format!("{}: {}", tmp.display(), e.error())))?;
        file.sync_all().map_err(|e| Failure::Input(format!("{}: {e}", tmp.display())))?;
        std::fs::rename(&tmp, path).map_err(|e| Failure::Input(format!("{}: {e}", path.display())))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn main() -> ExitCode {
    let args = Args::parse();
    let options = match options(&args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("zh-clean: {e}");
            return ExitCode::from(2);
        }
    };
    let mut cleaner = match Cleaner::try_new(options) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("zh-clean: {e}");
            return ExitCode::from(2);
        }
    };
    if args.segment && !args.user_dict.is_empty() {
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
    let inputs: Vec<Option<&PathBuf>> =
        if args.files.is_empty() { vec![None] } else { args.files.iter().map(Some).collect() };
    let threads =
        args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let mut failed = 0usize;
    if let Some(dir) = &args.output_dir {
        // Files in parallel, each to its own output file.
        let next = std::sync::atomic::AtomicUsize::new(0);
        let results: Vec<(usize, Result<(), Failure>)> = std::thread::scope(|s| {
            let workers: Vec<_> = (0..threads.min(inputs.len()))
                .map(|_| {
                    s.spawn(|| {
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(input) = inputs.get(i) else { break };
                            let target = match input {
                                Some(p) => output_path(dir, p),
                                None => dir.join("stdin.txt"),
                            };
                            let r = write_atomically(&target, |w| process(&cleaner, &args, *input, w, 1));
                            done.push((i, r));
                        }
                        done
                    })
                })
                .collect();
            workers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect()
        });
        let mut results = results;
        results.sort_by_key(|(i, _)| *i);
        for (_, r) in results {
            match r {
                Ok(()) => {}
                Err(Failure::Input(msg)) => {
                    eprintln!("zh-clean: {msg}");
                    failed += 1;
                }
                Err(Failure::Output(e)) => {
                    eprintln!("zh-clean: writing output: {e}");
                    failed += 1;
                }
            }
        }
    } else {
        let stdout = io::stdout();
        let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
        for path in inputs {
            match process(&cleaner, &args, path, &mut out, threads) {
                Ok(()) => {}
                Err(Failure::Input(msg)) => {
                    eprintln!("zh-clean: {msg}");
                    failed += 1;
                }
                Err(Failure::Output(e)) => return write_error(&e),
            }
        }
        if let Err(e) = out.flush() {
            return write_error(&e);
        }
    }
    if failed > 0 {
        eprintln!("zh-clean: {failed} input(s) failed");
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
