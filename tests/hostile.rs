//! Hostile input through the built `zh-clean` binary: empty and blank input,
//! huge lines, odd line ends, invalid UTF-8, binary data, NUL bytes, deep
//! combining marks, a closed stdout and files that cannot be read.
//!
//! Every run checks that the program did not panic; the outcome (exit
//! status, message, output) is checked case by case.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_zh-clean");

mod common;

/// Runs the binary with `args`, feeding `stdin`, and checks that it did not
/// panic.
fn run(args: &[&str], stdin: &[u8]) -> Output {
    let out = common::zh_clean(args, stdin);
    assert_no_panic(&out.stderr);
    out
}

fn assert_no_panic(stderr: &[u8]) {
    let err = String::from_utf8_lossy(stderr);
    assert!(!err.contains("panicked"), "zh-clean panicked:\n{err}");
    assert!(!err.contains("RUST_BACKTRACE"), "zh-clean panicked:\n{err}");
}

fn stdout(o: &Output) -> &str {
    std::str::from_utf8(&o.stdout).expect("output is UTF-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zh-clean-hostile-{}-{name}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn arg(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

fn han_count(s: &str) -> usize {
    s.chars().filter(|c| zh_clean::chars::is_han(*c)).count()
}

#[test]
fn empty_input() {
    let o = run(&[], b"");
    assert_eq!(o.status.code(), Some(0));
    assert!(o.stdout.is_empty());
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
}

#[test]
fn only_whitespace() {
    for input in [" ", "\n", "\t \n  \r\n\u{3000}\n\u{A0}\u{2003}\n", "\r\r\r", "\u{FEFF}\u{200B} \n"] {
        let o = run(&[], input.as_bytes());
        assert_eq!(o.status.code(), Some(0), "{input:?}");
        assert_eq!(stdout(&o), "", "{input:?}");
    }
}

/// A 100 MB line without a newline in release builds. The debug binary
/// cleans spaced text at about 3 MB/s, so a debug `cargo test` uses 20 MB:
/// still far beyond any buffer or pipe size, and enough to show that the
/// line is neither split, truncated nor quadratic. `cargo test --release
/// --test hostile` runs the full size.
#[test]
fn a_huge_line_without_newline() {
    let size = if cfg!(debug_assertions) { 20 << 20 } else { 100 << 20 };
    let unit = "香港 生產 力促 進局 今天 公布 AI 產業 49 % 數據 ， ";
    let input = unit.repeat(size / unit.len() + 1);
    let o = run(&[], input.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains('\n'), "one line in, one line out");
    assert_eq!(han_count(out), han_count(&input));
    assert!(out.starts_with("香港生產力促進局今天公布AI產業49%數據，香港生產"), "{}", &out[..60]);
}

/// A million blank lines, alone and between two paragraphs: runs of blank
/// lines become one.
#[test]
fn a_million_blank_lines() {
    let blank = "\n".repeat(1_000_000);
    let o = run(&[], blank.as_bytes());
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "");
    let o = run(&[], format!("香港 生產\n{blank}九 龍\n{blank}").as_bytes());
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "香港生產\n\n九龍\n");
    let crlf = "\r\n".repeat(1_000_000);
    let o = run(&[], format!("香港 生產{crlf}九 龍").as_bytes());
    assert_eq!(stdout(&o), "香港生產\n\n九龍");
}

#[test]
fn lone_cr_is_a_line_end() {
    assert_eq!(stdout(&run(&[], "香港\r九龍".as_bytes())), "香港\n九龍");
    assert_eq!(stdout(&run(&[], "香港 生產\r\r九 龍\r".as_bytes())), "香港生產\n\n九龍\n");
    assert_eq!(stdout(&run(&[], b"\r")), "");
}

#[test]
fn mixed_crlf_and_lf() {
    let o = run(&[], "香港 生產\r\n九 龍\n\r\n新界\r\n".as_bytes());
    assert_eq!(stdout(&o), "香港生產\n九龍\n\n新界\n");
    let o = run(&[], "香港 生產\r\n九 龍\r新界\n\n\r\n\r離島".as_bytes());
    assert_eq!(stdout(&o), "香港生產\n九龍\n新界\n\n離島");
}

/// Invalid UTF-8 at the start, in the middle and at the end (a truncated
/// sequence): exit 2 with the byte offset, nothing written; with `--lossy`,
/// U+FFFD and exit 0.
#[test]
fn invalid_utf8_at_start_middle_and_end() {
    let cases: [(&[u8], usize, &str); 3] = [
        (b"\xff\xe9\xa6\x99\xe6\xb8\xaf", 0, "\u{FFFD}香港"),
        (b"\xe9\xa6\x99 \xe6\xb8\xaf\xc3\x28\xe4\xb9\x9d \xe9\xbe\x8d", 7, "香港\u{FFFD}(九龍"),
        (b"\xe9\xa6\x99\xe6\xb8\xaf\xe9\xa6", 6, "香港\u{FFFD}"),
    ];
    for (input, offset, lossy) in cases {
        let o = run(&[], input);
        assert_eq!(o.status.code(), Some(2), "{input:?}");
        let err = stderr(&o);
        assert!(err.contains(&format!("<stdin>: invalid UTF-8 at byte offset {offset} ")), "{err}");
        assert!(err.contains("--lossy"), "{err}");
        assert!(err.contains("1 input(s) failed"), "{err}");
        assert!(o.stdout.is_empty());
        let o = run(&["--lossy"], input);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(stdout(&o), lossy, "{input:?}");
    }
}

/// UTF-8-encoded surrogates (CESU-8, WTF-8) and overlong forms (modified
/// UTF-8's `C0 80`) are invalid UTF-8: rejected, or replaced with `--lossy`.
#[test]
fn surrogate_like_byte_sequences() {
    let cases: [&[u8]; 6] = [
        b"\xed\xa0\x80",                                     // U+D800 encoded
        b"\xed\xbf\xbf",                                     // U+DFFF encoded
        b"\xe9\xa6\x99\xed\xa0\xbd\xed\xb8\x80\xe6\xb8\xaf", // a CESU-8 emoji
        b"a\xc0\x80b",                                       // overlong NUL
        b"\xf4\x90\x80\x80",                                 // beyond U+10FFFF
        b"\xe0\x80\xaf",                                     // overlong '/'
    ];
    for input in cases {
        let o = run(&[], input);
        assert_eq!(o.status.code(), Some(2), "{input:?}");
        assert!(stderr(&o).contains("invalid UTF-8 at byte offset"), "{}", stderr(&o));
        let o = run(&["--lossy"], input);
        assert_eq!(o.status.code(), Some(0), "{input:?}");
        assert!(stdout(&o).contains('\u{FFFD}'), "{input:?}: {:?}", stdout(&o));
    }
}

/// A real 4×4 PNG.
const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x04\x00\x00\x00\x04\x08\x02\x00\x00\x00\
\x26\x93\x09\x29\x00\x00\x00\x18IDAT\x78\xda\x63\x60\xb0\xa9\xd8\xf2\x41\x27\x63\xc9\x03\x99\x88\x29\x0c\
\xc4\x71\x00\x2f\x02\x15\xe1\x01\xe3\xa8\x3e\x00\x00\x00\x00IEND\xae\x42\x60\x82";

/// Deterministic pseudo-random bytes (xorshift).
fn noise(n: usize) -> Vec<u8> {
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

#[test]
fn binary_data() {
    let dir = scratch("binary");
    let png = dir.join("image.png");
    std::fs::write(&png, PNG).expect("write");
    let o = run(&[arg(&png)], b"");
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("image.png: invalid UTF-8 at byte offset 0 (bytes 89 50 4e 47)"), "{err}");
    assert!(o.stdout.is_empty());
    let o = run(&["--lossy", arg(&png)], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("\u{FFFD}PNG\n"), "{:?}", stdout(&o));
    assert!(!stdout(&o).contains('\0'), "control characters are removed");
    // 256 KB of noise, under every profile.
    let bytes = noise(256 << 10);
    for profile in ["hk", "tw", "cn"] {
        let o = run(&["--lossy", "--profile", profile], &bytes);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(!o.stdout.is_empty());
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn nul_bytes() {
    assert_eq!(stdout(&run(&[], "香港\0九龍\n".as_bytes())), "香港九龍\n");
    assert_eq!(stdout(&run(&[], b"\0\0\0")), "");
    assert_eq!(stdout(&run(&[], b"abc\0def\0")), "abcdef");
    let o = run(&["--only", "structure,spacing"], "香 港\0 九 龍".as_bytes());
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains('\0'), "without hygiene the NUL stays: {:?}", stdout(&o));
}

/// 10 000 combining marks on one base character: NFC composes what it can
/// and keeps the rest; nothing is lost and nothing is quadratic.
#[test]
fn combining_marks_stacked_ten_thousand_deep() {
    let acute = "\u{301}".repeat(10_000);
    let o = run(&[], format!("a{acute} 香港 生產\n").as_bytes());
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), format!("\u{E1}{}香港生產\n", &acute[2..]));
    let mixed = "\u{301}\u{323}\u{308}".repeat(3334);
    let o = run(&[], format!("香{mixed}港\n").as_bytes());
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert_eq!(out.chars().count(), 2 + 3 * 3334 + 1);
    assert!(out.starts_with("香\u{323}") && out.ends_with("港\n"), "marks reordered canonically");
    let o = run(&[], acute.as_bytes());
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), acute);
}

fn big_document(dir: &Path) -> PathBuf {
    let big = dir.join("big.txt");
    std::fs::write(&big, "香港 生產 力促 進局 今天 公布 。\n\n".repeat(100_000)).expect("write");
    big
}

/// `zh-clean big.txt | head -1`: the reader goes away after one line; the
/// program ends quietly (exit 0, nothing on stderr), without a panic.
#[test]
fn closed_stdout_ends_quietly() {
    let dir = scratch("closed");
    let big = big_document(&dir);
    let mut child = Command::new(BIN)
        .arg(&big)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    reader.read_line(&mut line).expect("one line");
    assert_eq!(line, "香港生產力促進局今天公布。\n");
    drop(reader);
    let out = child.wait_with_output().expect("wait");
    assert_no_panic(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::remove_dir_all(&dir).ok();
}

/// The same through a shell pipeline, as a user types it; the exit status is
/// zh-clean's own (`PIPESTATUS`), not head's.
#[test]
fn closed_stdout_in_a_shell_pipeline() {
    if Command::new("bash").arg("-c").arg("head -1 </dev/null").status().map_or(true, |s| !s.success()) {
        eprintln!("skipped: no bash or head");
        return;
    }
    let dir = scratch("pipeline");
    let big = big_document(&dir);
    let err = dir.join("stderr.txt");
    let script =
        format!("'{BIN}' '{}' 2>'{}' | head -1; exit ${{PIPESTATUS[0]}}", big.display(), err.display());
    let o = Command::new("bash").arg("-c").arg(&script).output().expect("bash");
    assert_eq!(String::from_utf8_lossy(&o.stdout), "香港生產力促進局今天公布。\n");
    let err = std::fs::read(&err).expect("stderr file");
    assert_no_panic(&err);
    assert!(err.is_empty(), "{}", String::from_utf8_lossy(&err));
    assert_eq!(o.status.code(), Some(0));
    std::fs::remove_dir_all(&dir).ok();
}

/// A file that does not exist and one that cannot be read (a directory:
/// tests run as root, for whom permission bits do not block reads, but
/// `read` on a directory fails for everyone with EISDIR). Each gets a clear
/// message naming it, the other files are still cleaned, in order, the
/// failures are counted and the exit status is 2.
#[test]
fn missing_and_unreadable_files() {
    let dir = scratch("unreadable");
    let a = dir.join("a.txt");
    let b = dir.join("b.txt");
    std::fs::write(&a, "香港 生產\n").expect("write");
    std::fs::write(&b, "九 龍\n").expect("write");
    let missing = dir.join("no-such-file.txt");
    let subdir = dir.join("a-directory");
    std::fs::create_dir(&subdir).expect("mkdir");
    let o = run(&[arg(&missing), arg(&a), arg(&subdir), arg(&b)], b"");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "香港生產\n九龍\n");
    let err = stderr(&o);
    assert!(err.contains(&format!("zh-clean: {}: No such file or directory", missing.display())), "{err}");
    assert!(err.contains(&format!("zh-clean: {}: is a directory", subdir.display())), "{err}");
    assert!(err.contains("zh-clean: 2 input(s) failed"), "{err}");
    assert_eq!(err.lines().count(), 3, "{err}");

    // A path through a regular file fails too (ENOTDIR).
    let through = a.join("x");
    let o = run(&[arg(&through), arg(&b)], b"");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "九龍\n");
    assert!(stderr(&o).contains("Not a directory"), "{}", stderr(&o));

    // Permission bits, where they apply (not as root).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = dir.join("locked.txt");
        std::fs::write(&locked, "秘密\n").expect("write");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
        let o = run(&[arg(&locked), arg(&b)], b"");
        if std::fs::read(&locked).is_err() {
            assert_eq!(o.status.code(), Some(2));
            assert!(stderr(&o).contains("Permission denied"), "{}", stderr(&o));
            assert_eq!(stdout(&o), "九龍\n");
        } else {
            assert_eq!(o.status.code(), Some(0), "root reads it");
        }
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).ok();
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// Invalid standard input (`-`, named as given) among files: the files are
/// still cleaned.
#[test]
fn invalid_stdin_among_files() {
    let dir = scratch("stdin");
    let a = dir.join("a.txt");
    std::fs::write(&a, "香港 生產\n").expect("write");
    let o = run(&["-", arg(&a)], b"\xff\xfe");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o), "香港生產\n");
    assert!(stderr(&o).contains("zh-clean: <stdin>: invalid UTF-8 at byte offset 0"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}

/// A line longer than the stream's block (1 MiB) is cut only where the cut
/// is invisible: 3 MB of one letter come back byte for byte, and a line of
/// spaced sentences comes back as the whole-text cleaning gives it.
#[test]
fn lines_longer_than_a_block_are_cut_invisibly() {
    let a = format!("{}\n", "a".repeat(3_000_000));
    let o = run(&[], a.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(o.stdout.len(), a.len());
    assert!(o.stdout == a.as_bytes(), "the line changed");
    let sentences = format!("{}\n", "香港 生產 力 促進 局 今天 公布 研究 。 ".repeat(50_000));
    let want = format!("{}\n", "香港生產力促進局今天公布研究。".repeat(50_000));
    for jobs in ["1", "2"] {
        let o = run(&["-j", jobs], sentences.as_bytes());
        assert!(stdout(&o) == want, "-j {jobs}: the line changed");
    }
}
