//! The plan: where each input's cleaned text goes (standard output, a
//! file, or a comparison for `--check`), decided for every input before
//! any is read, so that a run that would overwrite an input, or write two
//! inputs to one file, writes nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::args::Args;
use crate::input::{self, Compression};
use crate::output::{self, Snapshot};
use crate::settings::Settings;
use crate::walk::{self, Input};

/// Where the cleaned text of one input goes.
pub enum Target {
    Stdout,
    File {
        path: PathBuf,
        compression: Compression,
        before: Option<Snapshot>,
    },
    /// `--check`: compared with the input, never written.
    Check,
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
pub fn plan(
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
