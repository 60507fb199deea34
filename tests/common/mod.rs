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

/// The ideographs, letters and digits of `s`, after the conversions the
/// pipeline documents (hygiene: NFC, radicals and compatibility ideographs
/// to unified ones; fullwidth letters and digits to halfwidth, except before
/// a combining mark): what the "nothing is lost" properties compare.
pub fn letters(s: &str) -> String {
    let s = zh_clean::hygiene::clean(s);
    let mut chars: Vec<char> = s.chars().collect();
    for i in 0..chars.len() {
        let before_mark =
            chars.get(i + 1).is_some_and(|&n| unicode_normalization::char::is_combining_mark(n));
        if matches!(chars[i], '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}')
            && !before_mark
        {
            chars[i] = char::from_u32(chars[i] as u32 - 0xFEE0).unwrap_or(chars[i]);
        }
    }
    chars.into_iter().filter(|c| zh_clean::chars::is_han(*c) || c.is_alphanumeric()).collect()
}
