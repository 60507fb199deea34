//! Running the built `zh-clean` binary, shared by the integration tests.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs the binary with `args`, feeding `stdin` from another thread (so a
/// large input cannot dead-lock against a full output pipe), and checks that
/// it did not panic.
pub fn zh_clean(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zh-clean"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn zh-clean");
    let mut pipe = child.stdin.take().expect("stdin");
    let input = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait");
    writer.join().expect("writer");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"), "{}", stderr(&out));
    out
}

/// A new empty scratch directory for one test (`suite` and `name` keep
/// tests apart; the process id keeps runs apart).
pub fn scratch_dir(suite: &str, name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("zh-clean-{suite}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Standard output, which must be UTF-8.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

/// Standard error.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The ideographs, letters and digits of `s` after the documented
/// conversions: what the "nothing is lost" properties compare.
pub fn letters(s: &str) -> String {
    zh_clean::invariants::letters(s)
}

/// The letters of an input, after the encoding repair
/// ([`zh_clean::invariants::source_letters`]).
pub fn source_letters(s: &str) -> String {
    zh_clean::invariants::source_letters(s)
}

/// The files of each directory of `dirs` (relative to the repository, such
/// as `../shared/eval/dev3/gold`), sorted; a directory that cannot be read
/// is reported on standard error by `test` and skipped, an empty one fails.
pub fn files_in(dirs: &[&str], test: &str) -> Vec<std::path::PathBuf> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in dirs {
        match std::fs::read_dir(root.join(dir)) {
            Ok(entries) => {
                let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
                paths.sort();
                assert!(!paths.is_empty(), "{dir} is empty");
                files.extend(paths);
            }
            Err(e) => eprintln!("{test}: {dir} skipped ({e})"),
        }
    }
    files
}
