//! The command line never damages a user's files: `--diff` never writes,
//! directory walks skip what is not the user's text, outputs never collide,
//! and `--in-place` handles links, special files and changes safely.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

mod common;
use common::{stderr, stdout, zh_clean};

fn tmp(name: &str) -> PathBuf {
    common::scratch_dir("files", name)
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

fn write(p: &Path, content: &str) {
    if let Some(d) = p.parent() {
        std::fs::create_dir_all(d).expect("dirs");
    }
    std::fs::write(p, content).expect("write");
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).expect("read")
}

/// Every file under `dir`, relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, d: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(d).expect("read_dir").flatten() {
            let p = e.path();
            let t = e.file_type().expect("type");
            if t.is_dir() {
                walk(base, &p, out);
            } else {
                out.push(p.strip_prefix(base).expect("prefix").display().to_string());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

const SPACED: &str = "香港 生產 力 局 ， 49 % 受訪\n";
const CLEANED: &str = "香港生產力局，49%受訪\n";

#[test]
fn diff_never_writes_files() {
    let dir = tmp("diff");
    let a = dir.join("a.txt");
    write(&a, SPACED);
    for extra in [&["--in-place"][..], &["--output-dir", s(&dir.join("out"))][..]] {
        let mut args = vec!["--diff"];
        args.extend_from_slice(extra);
        args.push(s(&a));
        let o = zh_clean(&args, b"");
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains("cannot be used with"), "{}", stderr(&o));
        assert_eq!(read(&a), SPACED);
    }
    assert!(!dir.join("out").exists());
    // Alone, --diff prints and leaves the file as it was.
    let o = zh_clean(&["--diff", "--color", "never", s(&a)], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("+香港生產力局，49%受訪"), "{}", stdout(&o));
    assert_eq!(read(&a), SPACED);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_walk_cleans_only_text_files_and_skips_what_is_not_the_users_text() {
    let dir = tmp("walk");
    let root = dir.join("in");
    write(&root.join("a.txt"), SPACED);
    write(&root.join("notes/b.md"), SPACED);
    let jsonl = "{\"text\":\"香港 生產\"}\n";
    write(&root.join("data.jsonl"), jsonl);
    let csv = "名稱,價格\n香港 生產,17234.50\n";
    write(&root.join("table.csv"), csv);
    let html = "<p>香港 生產</p>\n";
    write(&root.join("page.html"), html);
    write(&root.join(".hidden/c.txt"), SPACED);
    write(&root.join(".d.txt"), SPACED);
    write(&root.join("ignored/e.txt"), SPACED);
    write(&root.join(".gitignore"), "ignored/\n");
    std::fs::write(root.join("bin.txt"), b"\x89PNG\r\n\x1a\n\0\0\0 binary").expect("write");
    let leftover = root.join(".a.txt.zh-clean-99-0.tmp");
    write(&leftover, SPACED);
    // A directory symlink loop and a link to a file.
    std::os::unix::fs::symlink(&root, root.join("notes/loop")).expect("symlink");
    std::os::unix::fs::symlink(root.join("a.txt"), root.join("link.txt")).expect("symlink");

    let o = zh_clean(&["-r", "--in-place", s(&root)], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("skipped 1 binary file"), "{}", stderr(&o));
    assert_eq!(read(&root.join("a.txt")), CLEANED);
    assert_eq!(read(&root.join("notes/b.md")), CLEANED);
    for untouched in [".hidden/c.txt", ".d.txt", "ignored/e.txt", ".a.txt.zh-clean-99-0.tmp"] {
        assert_eq!(read(&root.join(untouched)), SPACED, "{untouched}");
    }
    assert_eq!(read(&root.join("data.jsonl")), jsonl);
    assert_eq!(read(&root.join("table.csv")), csv);
    assert_eq!(read(&root.join("page.html")), html);
    assert_eq!(std::fs::read(root.join("bin.txt")).expect("read"), b"\x89PNG\r\n\x1a\n\0\0\0 binary");
    assert!(std::fs::symlink_metadata(root.join("link.txt")).expect("link").file_type().is_symlink());

    // To standard output: each text file once, in path order, no loop.
    write(&root.join("a.txt"), SPACED);
    let o = zh_clean(&["-r", s(&root)], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), format!("{CLEANED}{CLEANED}"));
    // -L follows links, and the walker detects the loop.
    let o = zh_clean(&["-r", "-L", s(&root)], b"");
    assert_eq!(stdout(&o).matches(CLEANED).count(), 2, "{}", stdout(&o));
    assert!(stderr(&o).contains("loop"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn types_globs_and_json_lines_in_a_walk() {
    let dir = tmp("types");
    let root = dir.join("in");
    write(&root.join("a.txt"), SPACED);
    write(&root.join("b.md"), SPACED);
    write(&root.join("c.jsonl"), "{\"text\":\"香港 生產\"}\n");
    let o = zh_clean(&["-r", "--type", "markdown", s(&root)], b"");
    assert_eq!(stdout(&o), CLEANED, "{}", stderr(&o));
    let o = zh_clean(&["-r", "--glob", "*.txt", s(&root)], b"");
    assert_eq!(stdout(&o), CLEANED, "{}", stderr(&o));
    // With --jsonl, a walk selects JSON Lines and cleans them as records.
    let o = zh_clean(&["-r", "--jsonl", "--in-place", s(&root)], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(read(&root.join("c.jsonl")), "{\"text\":\"香港生產\"}\n");
    assert_eq!(read(&root.join("a.txt")), SPACED);
    // A JSON Lines file named without --jsonl is refused, not broken.
    write(&root.join("c.jsonl"), "{\"text\":\"香港 生產\"}\n");
    let o = zh_clean(&["--in-place", s(&root.join("c.jsonl"))], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--jsonl"), "{}", stderr(&o));
    assert_eq!(read(&root.join("c.jsonl")), "{\"text\":\"香港 生產\"}\n");
    // Walking flags without -r are usage errors.
    assert_eq!(zh_clean(&["--type", "txt", s(&root)], b"").status.code(), Some(2));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn output_collisions_are_refused_before_anything_is_written() {
    let dir = tmp("collide");
    write(&dir.join("x.txt"), SPACED);
    write(&dir.join("sub/x.txt"), "九 龍\n");
    let out = dir.join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_zh-clean"))
        .current_dir(dir.join("sub"))
        .args(["-j", "2", "--output-dir", s(&out), "../x.txt", "x.txt"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("../x.txt") && err.contains("x.txt would both be written"), "{err}");
    assert!(!out.exists(), "something was written");
    // The same file twice is cleaned once.
    let o = zh_clean(&[s(&dir.join("x.txt")), s(&dir.join("sub/../x.txt"))], b"");
    assert_eq!(stdout(&o), CLEANED);
    // An output directory inside the walked one is never walked into.
    write(&dir.join("in/a.txt"), SPACED);
    let o = zh_clean(&["-r", "--output-dir", s(&dir.join("in/out")), s(&dir.join("in"))], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let o = zh_clean(&["-r", "--output-dir", s(&dir.join("in/out")), s(&dir.join("in"))], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let files = tree(&dir.join("in/out"));
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].ends_with("in/a.txt"), "{files:?}");
    // An output that would be the input itself is refused.
    let o = Command::new(env!("CARGO_BIN_EXE_zh-clean"))
        .current_dir(&dir)
        .args(["--output-dir", ".", "x.txt"])
        .output()
        .expect("run");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("overwrite"), "{}", stderr(&o));
    assert_eq!(read(&dir.join("x.txt")), SPACED);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn in_place_follows_symlinks_and_refuses_special_files() {
    let dir = tmp("special");
    let real = dir.join("real.txt");
    write(&real, SPACED);
    let link = dir.join("link.txt");
    std::os::unix::fs::symlink(&real, &link).expect("symlink");
    let o = zh_clean(&["--in-place", s(&link)], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::symlink_metadata(&link).expect("meta").file_type().is_symlink());
    assert_eq!(read(&real), CLEANED);

    // Hard links: refused, both names unchanged.
    let a = dir.join("a.txt");
    write(&a, SPACED);
    std::fs::hard_link(&a, dir.join("b.txt")).expect("hard link");
    let o = zh_clean(&["--in-place", s(&a)], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("hard links"), "{}", stderr(&o));
    assert_eq!(std::fs::metadata(&a).expect("meta").nlink(), 2);
    assert_eq!(read(&dir.join("b.txt")), SPACED);

    // A FIFO: refused, still a FIFO.
    let fifo = dir.join("fifo.txt");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let o = zh_clean(&["--in-place", s(&fifo)], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::symlink_metadata(&fifo).expect("meta").file_type().is_fifo());

    // Binary data named for --in-place: refused even with --lossy.
    let png = dir.join("image.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").expect("write");
    let o = zh_clean(&["--in-place", "--lossy", s(&png)], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("binary data"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&png).expect("read"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn in_place_keeps_permission_bits_but_never_privilege_bits() {
    let dir = tmp("mode");
    let f = dir.join("f.txt");
    write(&f, SPACED);
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o6751)).expect("chmod");
    let o = zh_clean(&["--in-place", s(&f)], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(read(&f), CLEANED);
    assert_eq!(std::fs::metadata(&f).expect("meta").mode() & 0o7777, 0o751);
    std::fs::remove_dir_all(&dir).ok();
}

/// SIGTERM or SIGINT while files are being written leaves no temporary
/// file behind, and every file is either untouched or completely cleaned.
#[test]
fn a_signal_removes_temporary_files() {
    let dir = tmp("signal");
    let page = std::fs::read_to_string("fixtures/hkpc-ai-press-release.txt").expect("fixture");
    let original = format!("{page}\n\n").repeat(300);
    let cleaned = zh_clean::Cleaner::default().clean(&original);
    for signal in ["TERM", "INT"] {
        let f = dir.join("big.txt");
        std::fs::write(&f, &original).expect("write");
        let child = Command::new(env!("CARGO_BIN_EXE_zh-clean"))
            .args(["-j", "1", "--in-place", s(&f)])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(150));
        let killed =
            Command::new("kill").args(["-s", signal, &child.id().to_string()]).status().expect("kill");
        assert!(killed.success());
        let o = child.wait_with_output().expect("wait");
        let after = read(&f);
        assert!(after == original || after == cleaned, "half-written: {} bytes", after.len());
        if after == original {
            assert_eq!(o.status.code(), Some(130), "{signal}: {}", stderr(&o));
        }
        assert_eq!(tree(&dir), ["big.txt"], "{signal}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// A file replaced while it is being cleaned is not overwritten with the
/// cleaned old content.
#[test]
fn a_file_changed_during_cleaning_is_left_alone() {
    let dir = tmp("changed");
    let f = dir.join("big.txt");
    let page = std::fs::read_to_string("fixtures/hkpc-ai-press-release.txt").expect("fixture");
    let original = format!("{page}\n\n").repeat(400);
    std::fs::write(&f, &original).expect("write");
    let child = Command::new(env!("CARGO_BIN_EXE_zh-clean"))
        .args(["-j", "1", "--in-place", s(&f)])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    std::thread::sleep(std::time::Duration::from_millis(100));
    // A new file under the name, as an editor or a downloader writes it.
    let replacement = dir.join("new.txt");
    std::fs::write(&replacement, "新的 內容\n").expect("write");
    std::fs::rename(&replacement, &f).expect("rename");
    let o = child.wait_with_output().expect("wait");
    if o.status.success() {
        // Finished before the replacement: only then may it have succeeded.
        eprintln!("note: cleaning finished before the file was replaced; nothing to check");
        assert_eq!(read(&f), "新的 內容\n");
    } else {
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains("changed while it was being cleaned"), "{}", stderr(&o));
        assert_eq!(read(&f), "新的 內容\n");
    }
    assert_eq!(tree(&dir), ["big.txt"]);
    std::fs::remove_dir_all(&dir).ok();
}

/// A write that fails (here: the file size limit, as a full disk fails)
/// names the file and leaves the original intact.
#[test]
fn write_errors_name_the_file() {
    let dir = tmp("full");
    let f = dir.join("big.txt");
    let original = "香港 生產 力 局 ， 49 % 受訪 。\n".repeat(4000);
    std::fs::write(&f, &original).expect("write");
    let script = format!(
        "trap '' XFSZ; ulimit -f 8; exec '{}' --in-place '{}'",
        env!("CARGO_BIN_EXE_zh-clean"),
        s(&f)
    );
    let o = Command::new("bash").args(["-c", &script]).output().expect("bash");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("big.txt") && err.contains("File too large"), "{err}");
    assert_eq!(read(&f), original);
    assert_eq!(tree(&dir), ["big.txt"]);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn check_lists_the_files_that_would_change() {
    let dir = tmp("check");
    let dirty = dir.join("dirty.txt");
    let clean = dir.join("clean.txt");
    write(&dirty, SPACED);
    write(&clean, CLEANED);
    let o = zh_clean(&["--check", s(&dirty), s(&clean)], b"");
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), format!("{}\n", s(&dirty)));
    assert_eq!(read(&dirty), SPACED);
    let o = zh_clean(&["--check", s(&clean)], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let o = zh_clean(&["--check"], SPACED.as_bytes());
    assert_eq!((o.status.code(), stdout(&o)), (Some(1), "<stdin>\n".to_owned()));
    let o = zh_clean(&["--check"], CLEANED.as_bytes());
    assert_eq!(o.status.code(), Some(0));
    // --check writes nothing: it refuses the flags that write.
    let o = zh_clean(&["--check", "--in-place", s(&dirty)], b"");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(read(&dirty), SPACED);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn compressed_files_are_read_and_written_compressed() {
    use std::io::{Read, Write};
    let dir = tmp("compressed");
    let gz = dir.join("a.txt.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(SPACED.as_bytes()).expect("gzip");
    std::fs::write(&gz, enc.finish().expect("gzip")).expect("write");
    let zst = dir.join("b.md.zst");
    std::fs::write(&zst, zstd::encode_all(SPACED.as_bytes(), 3).expect("zstd")).expect("write");
    let o = zh_clean(&[s(&gz), s(&zst)], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), format!("{CLEANED}{CLEANED}"));
    // Standard input with --decompress.
    let o = zh_clean(&["--decompress"], &std::fs::read(&gz).expect("read"));
    assert_eq!(stdout(&o), CLEANED);
    // In place and into a directory, the output keeps its compression.
    let o = zh_clean(&["--output-dir", s(&dir.join("out")), s(&gz)], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let o = zh_clean(&["-r", "--in-place", s(&dir)], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let gunzip = |p: &Path| {
        let mut text = String::new();
        flate2::read::GzDecoder::new(std::fs::File::open(p).expect("open"))
            .read_to_string(&mut text)
            .expect("gunzip");
        text
    };
    assert_eq!(gunzip(&gz), CLEANED);
    let text = zstd::decode_all(std::fs::File::open(&zst).expect("open")).expect("unzstd");
    assert_eq!(String::from_utf8(text).expect("UTF-8"), CLEANED);
    let out = dir.join("out").join(gz.strip_prefix("/").expect("absolute"));
    assert_eq!(gunzip(&out), CLEANED);
    // A file named .gz that is not gzip is an error naming it.
    let bad = dir.join("bad.txt.gz");
    std::fs::write(&bad, SPACED).expect("write");
    let o = zh_clean(&[s(&bad)], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bad.txt.gz: is not gzip data"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}
