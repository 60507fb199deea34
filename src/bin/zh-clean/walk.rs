//! Which inputs a command line names: files, directories walked as ripgrep
//! walks them, standard input.
//!
//! A walk (`-r`) skips what a user would not want rewritten: hidden files
//! and directories, files ignored by `.gitignore`/`.ignore` (also outside a
//! git repository), symbolic links unless `-L` (and then loops are
//! detected), anything not a regular file, zh-clean's own temporary files,
//! the output directory, and every file whose type was not selected. By
//! default the selected types are plain-text ones; a compressed file
//! (`a.txt.gz`, `a.md.zst`) is selected by the name under its compression
//! suffix. Binary files are recognised when they are opened (`input`).
//!
//! Files named on the command line are taken as they are, with one
//! exception: JSON Lines (`.jsonl`, `.ndjson`) without `--jsonl` are
//! refused, because cleaning a record as plain text breaks its JSON.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use ignore::WalkBuilder;
use ignore::overrides::{Override, OverrideBuilder};
use ignore::types::{Types, TypesBuilder};

/// Where an input comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Stdin,
    File(PathBuf),
}

/// One input, in command-line order.
#[derive(Debug, Clone)]
pub struct Input {
    pub source: Source,
    /// Found by walking a directory (rather than named).
    pub walked: bool,
}

impl Input {
    pub fn name(&self) -> String {
        match &self.source {
            Source::Stdin => "<stdin>".to_owned(),
            Source::File(p) => p.display().to_string(),
        }
    }

    pub fn path(&self) -> Option<&Path> {
        match &self.source {
            Source::Stdin => None,
            Source::File(p) => Some(p),
        }
    }
}

/// How to walk.
pub struct WalkOptions<'a> {
    pub recursive: bool,
    pub follow: bool,
    pub hidden: bool,
    pub no_ignore: bool,
    pub types: &'a [String],
    pub globs: &'a [String],
    pub jsonl: bool,
    /// Never walked into (the output directory).
    pub exclude: Option<&'a Path>,
}

/// The types selected when none is named: text a person wrote.
const DEFAULT_TYPES: &[&str] = &["txt", "markdown", "rst", "org"];
const JSONL_TYPES: &[&str] = &["jsonl"];

/// Whether a path names a JSON Lines file (under any compression suffix).
pub fn is_jsonl_name(path: &Path) -> bool {
    let name = strip_compression(path);
    matches!(
        name.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(),
        Some("jsonl" | "ndjson")
    )
}

/// `a.txt.gz` → `a.txt`; other names unchanged.
pub fn strip_compression(path: &Path) -> PathBuf {
    match path.extension().and_then(|e| e.to_str()) {
        Some("gz" | "zst") => path.with_extension(""),
        _ => path.to_path_buf(),
    }
}

/// zh-clean's own temporary files (`.NAME.zh-clean-PID-N.tmp`).
pub fn is_temporary(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.') && n.ends_with(".tmp") && n.contains(".zh-clean-"))
}

fn types(opts: &WalkOptions) -> Result<Types, String> {
    let mut b = TypesBuilder::new();
    b.add_defaults();
    for glob in ["*.jsonl", "*.ndjson"] {
        b.add("jsonl", glob).map_err(|e| e.to_string())?;
    }
    let chosen: Vec<&str> = if !opts.types.is_empty() {
        opts.types.iter().map(String::as_str).collect()
    } else if opts.jsonl {
        JSONL_TYPES.to_vec()
    } else {
        DEFAULT_TYPES.to_vec()
    };
    for t in chosen {
        b.select(t);
    }
    b.build().map_err(|e| format!("--type: {e}"))
}

fn overrides(root: &Path, globs: &[String]) -> Result<Override, String> {
    let mut b = OverrideBuilder::new(root);
    for g in globs {
        b.add(g).map_err(|e| format!("--glob {g}: {e}"))?;
    }
    b.build().map_err(|e| format!("--glob: {e}"))
}

/// Whether a walked file is selected: by `--glob` when given (a glob that
/// matches decides; with only `!` globs, everything else is selected), by
/// type otherwise.
fn selected(path: &Path, types: &Types, globs: &Override) -> bool {
    if !globs.is_empty() {
        let m = globs.matched(path, false);
        if m.is_whitelist() {
            return true;
        }
        if m.is_ignore() || globs.num_whitelists() > 0 {
            return false;
        }
    }
    let name = strip_compression(path);
    types.matched(&name, false).is_whitelist()
}

/// The inputs of a command line, with the errors met (unreadable
/// directories, loops). The same file named twice is cleaned once.
pub fn inputs(files: &[PathBuf], opts: &WalkOptions) -> Result<(Vec<Input>, Vec<String>), String> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let exclude = opts.exclude.and_then(|d| d.canonicalize().ok());
    let types = types(opts)?;
    let mut push = |path: PathBuf, walked: bool, out: &mut Vec<Input>| {
        // The same file (by its canonical path) only once.
        let key = path.canonicalize().unwrap_or_else(|_| path.clone());
        if seen.insert(key) {
            out.push(Input { source: Source::File(path), walked });
        }
    };
    if files.is_empty() {
        out.push(Input { source: Source::Stdin, walked: false });
    }
    let mut stdin_named = false;
    for f in files {
        if f.as_os_str() == "-" {
            if !stdin_named {
                out.push(Input { source: Source::Stdin, walked: false });
                stdin_named = true;
            }
            continue;
        }
        if !(opts.recursive && f.is_dir()) {
            push(f.clone(), false, &mut out);
            continue;
        }
        let globs = overrides(f, opts.globs)?;
        let mut walk = WalkBuilder::new(f);
        walk.hidden(!opts.hidden)
            .follow_links(opts.follow)
            .git_ignore(!opts.no_ignore)
            .git_global(!opts.no_ignore)
            .git_exclude(!opts.no_ignore)
            .ignore(!opts.no_ignore)
            .parents(!opts.no_ignore)
            .require_git(false)
            .sort_by_file_path(|a, b| a.cmp(b));
        if let Some(ex) = exclude.clone() {
            walk.filter_entry(move |e| e.path().canonicalize().map_or(true, |p| !p.starts_with(&ex)));
        }
        for entry in walk.build() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    errors.push(e.to_string());
                    continue;
                }
            };
            // Regular files only: symbolic links were followed (with -L) or
            // are skipped; FIFOs, sockets and devices are never read.
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            let path = entry.path();
            if is_temporary(path) || !selected(path, &types, &globs) {
                continue;
            }
            push(path.to_path_buf(), true, &mut out);
        }
    }
    Ok((out, errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(is_jsonl_name(Path::new("a/b.jsonl")));
        assert!(is_jsonl_name(Path::new("b.NDJSON.gz")));
        assert!(!is_jsonl_name(Path::new("b.json")));
        assert_eq!(strip_compression(Path::new("a.txt.zst")), Path::new("a.txt"));
        assert_eq!(strip_compression(Path::new("a.txt")), Path::new("a.txt"));
        assert!(is_temporary(Path::new("d/.a.txt.zh-clean-12-0.tmp")));
        assert!(!is_temporary(Path::new("d/a.tmp")));
    }

    #[test]
    fn default_types_select_text_and_its_compressed_forms() {
        let opts = WalkOptions {
            recursive: true,
            follow: false,
            hidden: false,
            no_ignore: false,
            types: &[],
            globs: &[],
            jsonl: false,
            exclude: None,
        };
        let t = types(&opts).unwrap();
        let g = overrides(Path::new("."), &[]).unwrap();
        for yes in ["a.txt", "b.md", "c.txt.gz", "d.rst.zst"] {
            assert!(selected(Path::new(yes), &t, &g), "{yes}");
        }
        for no in ["a.jsonl", "b.csv", "c.html", "d.png", "e", "f.gz"] {
            assert!(!selected(Path::new(no), &t, &g), "{no}");
        }
        let opts = WalkOptions { jsonl: true, ..opts };
        let t = types(&opts).unwrap();
        assert!(selected(Path::new("a.jsonl"), &t, &g) && selected(Path::new("a.ndjson.gz"), &t, &g));
        assert!(!selected(Path::new("a.txt"), &t, &g));
        let globs = ["*.csv".to_owned()];
        let g = overrides(Path::new("."), &globs).unwrap();
        assert!(selected(Path::new("b.csv"), &t, &g) && !selected(Path::new("a.jsonl"), &t, &g));
    }
}
