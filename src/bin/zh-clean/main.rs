//! The `zh-clean` command: a thin layer of arguments, I/O and error
//! messages over the `zh_clean` library.
//!
//! - `args`: the flags and the combinations refused;
//! - `settings`: the command line and a `--config` file, merged, and
//!   resolved into the library's options and cleaner;
//! - `walk`: which files a command line names;
//! - `plan`: where each input's cleaned text goes;
//! - `input`: opening, decompressing and decoding an input;
//! - `clean`: each input cleaned to its target;
//! - `output`: atomic writes, `--in-place` safety, `--check` comparison;
//! - `report`: errors, statistics and the exit status;
//! - `diff`, `progress`: `--diff` output and the progress bar;
//! - this file: `main` and the order of a run.

mod args;
mod clean;
mod diff;
mod input;
mod output;
mod plan;
mod progress;
mod report;
mod settings;
mod walk;

use std::io::{self, IsTerminal, Read};
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};
use zh_clean::decode::EncodingChoice;

use args::{Args, Generate};
use clean::Run;
use input::OpenOptions;
use plan::Target;
use settings::Settings;
use walk::{Input, Source};

fn main() -> ExitCode {
    let matches = Args::command().get_matches();
    let args = match Args::from_arg_matches(&matches) {
        Ok(a) => a,
        Err(e) => e.exit(),
    };
    match run(args) {
        Ok(code) => code,
        Err(msg) => usage(&msg),
    }
}

/// A usage error: exit status 2.
fn usage(msg: &str) -> ExitCode {
    eprintln!("zh-clean: {msg}");
    ExitCode::from(2)
}

/// A run, in order: settings, cleaner, inputs, the plan of where each
/// goes, the cleaning, the report. `Err` is a usage error, found before
/// anything was written.
fn run(args: Args) -> Result<ExitCode, String> {
    if let Some(what) = args.generate {
        return Ok(generate(what));
    }
    if let Some(msg) = args.refused_combination() {
        return Err(msg);
    }
    let s = match &args.config {
        Some(path) => Settings::from_args(&args).over(Settings::from_file(path)?),
        None => Settings::from_args(&args),
    };
    if args.print_config {
        print!("{}", s.to_toml()?);
        return Ok(ExitCode::SUCCESS);
    }
    let cleaner = s.cleaner()?;
    let jsonl = s.jsonl_options()?;
    let (inputs, mut errors) = walk::inputs(&args.files, &walk_options(&args, &s))?;
    let stdin_copy = stdin_for_check(&args, &inputs)?;
    if stdin_copy.is_none() && s.quiet != Some(true) {
        notice_terminal(&inputs);
    }
    let planned = plan::plan(&args, &s, inputs, &mut errors)?;
    let total: Option<u64> =
        planned.iter().map(|(i, _)| i.path().and_then(|p| std::fs::metadata(p).ok()).map(|m| m.len())).sum();
    let progress = progress::Progress::new(total, planned.len(), s.quiet == Some(true));
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
        read: progress.read.clone(),
        settings: s,
    };
    let threads = run.settings.threads();
    let (results, stdout_error) = if planned.iter().all(|(_, t)| !matches!(t, Target::Stdout)) {
        (run.to_files(&planned, stdin_copy.as_deref(), threads), None)
    } else {
        run.to_stdout(&planned, threads)
    };
    progress.finish();
    if let Some(e) = stdout_error {
        return Ok(write_error(&e));
    }
    Ok(report::report(&run, &planned, results, errors, args.check))
}

/// Which files the command line names, and how to walk directories.
fn walk_options<'a>(args: &'a Args, s: &Settings) -> walk::WalkOptions<'a> {
    walk::WalkOptions {
        recursive: args.recursive,
        follow: args.follow,
        hidden: args.hidden,
        no_ignore: args.no_ignore,
        types: &args.types,
        globs: &args.globs,
        jsonl: s.jsonl == Some(true),
        exclude: args.output_dir.as_deref(),
    }
}

/// `--check` on standard input: read whole beforehand, so that it can be
/// compared with its cleaning.
fn stdin_for_check(args: &Args, inputs: &[Input]) -> Result<Option<Vec<u8>>, String> {
    if !(args.check && inputs.iter().any(|i| i.source == Source::Stdin)) {
        return Ok(None);
    }
    let mut bytes = Vec::new();
    io::stdin().read_to_end(&mut bytes).map_err(|e| format!("<stdin>: {e}"))?;
    Ok(Some(bytes))
}

/// A word for the user who ran `zh-clean` without files at a terminal.
fn notice_terminal(inputs: &[Input]) {
    if inputs.iter().any(|i| i.source == Source::Stdin) && io::stdin().is_terminal() {
        eprintln!(
            "zh-clean: reading standard input from the terminal (end with Ctrl-D); give FILEs to clean files, --help for more"
        );
    }
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

/// A closed pipe (`zh-clean big.txt | head -1`) ends the program quietly.
fn write_error(e: &io::Error) -> ExitCode {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return ExitCode::SUCCESS;
    }
    eprintln!("zh-clean: writing output: {e}");
    ExitCode::from(2)
}
