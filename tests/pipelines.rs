//! The command line in data pipelines: JSON Lines, directories, in-place
//! edits, legacy encodings, diffs and statistics.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

mod common;
use common::{stderr, stdout, zh_clean};

fn tmp(name: &str) -> PathBuf {
    common::scratch_dir("pipelines", name)
}

#[test]
fn jsonl_fields_are_cleaned_and_the_rest_is_untouched() {
    let input = "{\"id\":7,\"text\":\"生 產 力 局\",\"meta\":{\"title\":\"AI 產業 ， 發展\",\"n\":1.50}}\n\
                 {\"id\":8,\"text\":\"九 龍\"}\n";
    let o = zh_clean(&["--jsonl", "--field", "text", "--field", "meta.title"], input.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "{\"id\":7,\"text\":\"生產力局\",\"meta\":{\"title\":\"AI產業，發展\",\"n\":1.50}}\n{\"id\":8,\"text\":\"九龍\"}\n"
    );
}

#[test]
fn malformed_jsonl_names_the_line_and_stops() {
    let input = "{\"text\":\"香 港\"}\n{\"text\": oops}\n{\"text\":\"九 龍\"}\n";
    let o = zh_clean(&["--jsonl"], input.as_bytes());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("line 2"), "{}", stderr(&o));
    assert_eq!(stdout(&o), "{\"text\":\"香港\"}\n");
    let o = zh_clean(&["--jsonl", "--on-error", "skip"], input.as_bytes());
    assert!(o.status.success());
    assert_eq!(stdout(&o), "{\"text\":\"香港\"}\n{\"text\": oops}\n{\"text\":\"九龍\"}\n");
    assert!(stderr(&o).contains("1 malformed line"), "{}", stderr(&o));
}

#[test]
fn jsonl_segment_field() {
    let o =
        zh_clean(&["--jsonl", "--segment-field", "words"], "{\"text\":\"香港 生產 力促 進局\"}\n".as_bytes());
    assert_eq!(
        stdout(&o),
        "{\"text\":\"香港生產力促進局\",\"words\":[\"香港\",\"生產力\",\"促進\",\"局\"]}\n"
    );
}

#[test]
fn recursive_directories_into_an_output_dir() {
    let dir = tmp("recursive");
    std::fs::create_dir_all(dir.join("in/a/b")).expect("dirs");
    std::fs::write(dir.join("in/a/one.txt"), "生 產 力 局\n").expect("write");
    std::fs::write(dir.join("in/a/b/two.txt"), "九 龍 。\n").expect("write");
    let input = dir.join("in");
    let out = dir.join("out");
    // A directory without -r is an error for that input only.
    let o = zh_clean(&[input.to_str().unwrap_or_default()], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is a directory"), "{}", stderr(&o));
    let o = zh_clean(
        &["-r", "--output-dir", out.to_str().unwrap_or_default(), input.to_str().unwrap_or_default()],
        b"",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let rel = |p: &str| out.join(dir.join(p).strip_prefix("/").unwrap_or(&dir.join(p)));
    assert_eq!(std::fs::read_to_string(rel("in/a/one.txt")).expect("one"), "生產力局\n");
    assert_eq!(std::fs::read_to_string(rel("in/a/b/two.txt")).expect("two"), "九龍。\n");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn in_place_replaces_files_atomically() {
    let dir = tmp("inplace");
    let f = dir.join("page.txt");
    std::fs::write(&f, "香港 生產 力 局 ， 49 % 受訪\n").expect("write");
    let o = zh_clean(&["--in-place", f.to_str().unwrap_or_default()], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&f).expect("read"), "香港生產力局，49%受訪\n");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["page.txt"]);
    // A file that cannot be decoded is left exactly as it was.
    std::fs::write(&f, b"\xff\xfe bad").expect("write");
    let o = zh_clean(&["--in-place", f.to_str().unwrap_or_default()], b"");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read(&f).expect("read"), b"\xff\xfe bad");
    let o = zh_clean(&["--in-place"], b"x");
    assert_eq!(o.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn legacy_encodings() {
    let (big5, _, _) = encoding_rs::BIG5.encode("香港 生產 力 局 今天 公布 研究 報告 。\n");
    let (gbk, _, _) = encoding_rs::GB18030.encode("香港 生产 力 局 今天 公布 研究 报告 。\n");
    assert_eq!(stdout(&zh_clean(&["--encoding", "big5"], &big5)), "香港生產力局今天公布研究報告。\n");
    assert_eq!(stdout(&zh_clean(&["--encoding", "auto"], &big5)), "香港生產力局今天公布研究報告。\n");
    assert_eq!(
        stdout(&zh_clean(&["--encoding", "gb18030", "--variants", "none"], &gbk)),
        "香港生产力局今天公布研究报告。\n"
    );
    // Without --encoding, Big5 bytes are invalid UTF-8.
    let o = zh_clean(&[], &big5);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--encoding"), "{}", stderr(&o));
    // Any WHATWG label, and the library's aliases (`gbk`, `utf8`).
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("日本語 の 文章 です 。\n");
    assert_eq!(
        stdout(&zh_clean(&["--encoding", "shift_jis", "--variants", "none"], &sjis)),
        "日本語の文章です。\n"
    );
    assert_eq!(
        stdout(&zh_clean(&["--encoding", "GBK", "--variants", "none"], &gbk)),
        "香港生产力局今天公布研究报告。\n"
    );
    assert_eq!(stdout(&zh_clean(&["--encoding", "utf8"], "香港 生產\n".as_bytes())), "香港生產\n");
    let o = zh_clean(&["--encoding", "klingon"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown encoding `klingon`"), "{}", stderr(&o));
}

#[test]
fn diff_shows_what_changes() {
    let o = zh_clean(&["--diff", "--color", "never"], "香港 生產\n\n不變。\n".as_bytes());
    assert!(o.status.success());
    assert_eq!(stdout(&o), "--- <stdin>\n+++ <stdin> (cleaned)\n@@ -1,2 +1,2 @@\n-香港 生產\n+香港生產\n \n");
    let colored = stdout(&zh_clean(&["--diff", "--color", "always"], "香港 生產\n".as_bytes()));
    assert!(colored.contains("\x1b[7m␣\x1b[27m"), "{colored:?}");
    assert!(stdout(&zh_clean(&["--diff"], "已經乾淨。\n".as_bytes())).is_empty());
}

#[test]
fn stats_on_stderr() {
    let o = zh_clean(&["--stats"], "香港 生產 力 局 , 头发\n".as_bytes());
    assert_eq!(stdout(&o), "香港生產力局，頭髮\n");
    let err = stderr(&o);
    assert!(err.contains("spaces_removed=5") && err.contains("characters_converted=2"), "{err}");
    let o = zh_clean(&["--stats", "--stats-format", "json"], "香港 生產\n".as_bytes());
    let json: serde_json::Value = serde_json::from_str(stderr(&o).trim()).expect("JSON stats");
    assert_eq!(json["spaces_removed"], 1);
    assert_eq!(json["bytes_in"], 14);
}

#[test]
fn main_content_gives_the_article_of_the_seed() {
    let o = zh_clean(&["--main-content", "fixtures/hkpc-ai-press-release.txt"], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let gold = std::fs::read_to_string("fixtures/hkpc-ai-press-release.gold.txt").expect("gold");
    let gold_lines: Vec<&str> = gold.lines().filter(|l| !l.trim().is_empty()).collect();
    let out = stdout(&o);
    let out_lines: Vec<&str> = out.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut at = 0;
    for g in &gold_lines {
        let found = out_lines[at..].iter().position(|l| l == g).unwrap_or_else(|| panic!("missing: {g}"));
        at += found + 1;
    }
    assert!(out_lines.len() <= gold_lines.len() + 3, "{} lines", out_lines.len());
}

#[test]
fn dedupe_keeps_first_copies_only() {
    let input = "• 服務\n• 社區\n\n段落 一 。\n\n• 服務\n• 社區\n\n段落 二 。\n".as_bytes();
    let o = zh_clean(&["--dedupe"], input);
    assert_eq!(stdout(&o), "• 服務\n• 社區\n\n段落一。\n\n段落二。\n");
    // Without a flag nothing is dropped.
    let o = zh_clean(&[], input);
    assert_eq!(stdout(&o), "• 服務\n• 社區\n\n段落一。\n\n• 服務\n• 社區\n\n段落二。\n");
}

#[test]
fn config_file_and_print_config() {
    let dir = tmp("config");
    let printed = zh_clean(&["--print-config", "--profile", "tw", "--variants", "none"], b"");
    assert!(printed.status.success());
    let toml = stdout(&printed);
    assert!(toml.contains("profile = \"tw\"") && toml.contains("variants = \"none\""), "{toml}");
    let cfg = dir.join("zh-clean.toml");
    std::fs::write(&cfg, &toml).expect("write");
    let input = "衞生 署 ， 威廉·陸斯佛 头发\n".as_bytes();
    // The file's options apply …
    assert_eq!(
        stdout(&zh_clean(&["--config", cfg.to_str().unwrap_or_default()], input)),
        "衞生署，威廉‧陸斯佛头发\n"
    );
    // … and the command line overrides them.
    assert_eq!(
        stdout(&zh_clean(&["--config", cfg.to_str().unwrap_or_default(), "--variants", "auto"], input)),
        "衞生署，威廉‧陸斯佛頭髮\n"
    );
    std::fs::write(&cfg, "variants = \"nonsense\"\n").expect("write");
    let o = zh_clean(&["--config", cfg.to_str().unwrap_or_default()], input);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("zh-clean.toml"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}

/// A crash (SIGKILL) during `--in-place` leaves the file either as it was or
/// completely cleaned, never half-written.
#[test]
fn interrupted_in_place_leaves_the_original_intact() {
    let dir = tmp("interrupted");
    let f = dir.join("big.txt");
    let page = std::fs::read_to_string("fixtures/hkpc-ai-press-release.txt").expect("fixture");
    let original = format!("{page}\n\n").repeat(200);
    std::fs::write(&f, &original).expect("write");
    let cleaned = zh_clean::Cleaner::default().clean(&original);
    let mut child = Command::new(env!("CARGO_BIN_EXE_zh-clean"))
        .args(["-j", "1", "--in-place", f.to_str().unwrap_or_default()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    std::thread::sleep(std::time::Duration::from_millis(60));
    let _ = child.kill();
    let _ = child.wait();
    let after = std::fs::read_to_string(&f).expect("read");
    assert!(after == original || after == cleaned, "half-written: {} bytes", after.len());
    std::fs::remove_dir_all(&dir).ok();
}

/// Scaling out with GNU parallel (or, where it is not installed, `xargs -P`
/// from findutils): one zh-clean per file, in parallel, gives what one
/// zh-clean over the files gives. CI installs GNU parallel.
#[test]
fn gnu_parallel_runs_one_process_per_file() {
    let dir = tmp("parallel");
    let mut files = Vec::new();
    for i in 0..6 {
        let f = dir.join(format!("page{i}.txt"));
        std::fs::write(&f, format!("第 {i} 頁 ： 香港 生產 力 局 ， 49 % 受訪 。\n")).expect("write");
        files.push(f);
    }
    let bin = env!("CARGO_BIN_EXE_zh-clean");
    let list: Vec<&str> = files.iter().map(|f| f.to_str().unwrap_or_default()).collect();
    let together = stdout(&zh_clean(&list, b""));
    let has_parallel = Command::new("parallel").arg("--version").output().is_ok_and(|o| o.status.success());
    let o = if has_parallel {
        Command::new("parallel").args(["--will-cite", "-k", "-j", "3", bin, "{}", ":::"]).args(&list).output()
    } else {
        // xargs -P does not keep the order: one output file per input.
        Command::new("xargs")
            .args(["-P", "3", "-n", "1", bin, "--output-dir", dir.join("out").to_str().unwrap_or_default()])
            .stdin(Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                if let Some(mut stdin) = child.stdin.take() {
                    stdin.write_all(list.join("\n").as_bytes())?;
                }
                child.wait_with_output()
            })
    }
    .expect("run GNU parallel or xargs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let got = if has_parallel {
        String::from_utf8(o.stdout).expect("UTF-8")
    } else {
        files
            .iter()
            .map(|f| {
                let rel = f.strip_prefix("/").unwrap_or(f);
                std::fs::read_to_string(dir.join("out").join(rel)).expect("output file")
            })
            .collect()
    };
    assert_eq!(got, together);
    assert!(got.contains("第5頁：香港生產力局，49%受訪。"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn jsonl_records_are_decoded_one_by_one() {
    let input = b"{\"text\":\"\xe9\xa6\x99 \xe6\xb8\xaf\"}\n{\"text\":\"\xe4\xb9\x9d \xe9\xbe\x8d\xff\"}\n{\"text\":\"\xe4\xb9\x9d \xe9\xbe\x8d\"}\n";
    let o = zh_clean(&["--jsonl"], input);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    // The bad byte is line 2's 17th byte, offset 35 in the input.
    assert!(err.contains("line 2") && err.contains("offset 35"), "{err}");
    assert_eq!(stdout(&o), "{\"text\":\"香港\"}\n");
    let o = zh_clean(&["--jsonl", "--lossy"], input);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "{\"text\":\"香港\"}\n{\"text\":\"九龍\u{FFFD}\"}\n{\"text\":\"九龍\"}\n");
    let o = zh_clean(&["--jsonl", "--on-error", "skip", "--stats"], input);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(&o.stdout[..], &b"{\"text\":\"\xe9\xa6\x99\xe6\xb8\xaf\"}\n{\"text\":\"\xe4\xb9\x9d \xe9\xbe\x8d\xff\"}\n{\"text\":\"\xe4\xb9\x9d\xe9\xbe\x8d\"}\n"[..]);
    let err = stderr(&o);
    assert!(err.contains("records=2") && err.contains("skipped=1"), "{err}");
}

#[test]
fn jsonl_keeps_every_byte_it_does_not_clean() {
    let input = "\u{FEFF}{\"a\":1,\"text\":\"香港 生產\",\"a\":2}\n{\"te\\u0078t\":\"九 龍\", \"n\": 1.50}\n";
    let o = zh_clean(&["--jsonl"], input.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "\u{FEFF}{\"a\":1,\"text\":\"香港生產\",\"a\":2}\n{\"te\\u0078t\":\"九龍\", \"n\": 1.50}\n"
    );
    // Array paths.
    let input = "{\"items\":[{\"text\":\"香港 生產\"},{\"x\":1}],\"tags\":[\"九 龍\",3]}\n";
    let o = zh_clean(&["--jsonl", "--field", "items[].text", "--field", "tags[]"], input.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "{\"items\":[{\"text\":\"香港生產\"},{\"x\":1}],\"tags\":[\"九龍\",3]}\n");
    // A lone surrogate in a field to clean is reported.
    let o = zh_clean(&["--jsonl"], b"{\"text\":\"\\ud800 x\"}\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("line 1"), "{}", stderr(&o));
}

#[test]
fn jsonl_stats_warnings_and_threads() {
    let mut input = String::new();
    for i in 0..3000 {
        input.push_str(&format!("{{\"id\":{i},\"text\":\"第 {i} 條 ： 香港 生產 力 局\",\"n\":{i}}}\n"));
    }
    let one = zh_clean(&["--jsonl", "-j", "1"], input.as_bytes());
    let four = zh_clean(&["--jsonl", "-j", "4"], input.as_bytes());
    assert!(one.status.success() && four.status.success());
    assert_eq!(one.stdout, four.stdout);
    assert!(stdout(&one).starts_with("{\"id\":0,\"text\":\"第0條：香港生產力局\",\"n\":0}\n"));
    let o = zh_clean(
        &[
            "--jsonl",
            "--stats",
            "--stats-format",
            "json",
            "--field",
            "text",
            "--field",
            "title",
            "--field",
            "n",
        ],
        input.as_bytes(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("field title is absent from every record"), "{err}");
    let json: serde_json::Value =
        serde_json::from_str(err.lines().last().unwrap_or_default()).expect("JSON stats");
    assert_eq!(json["records"], 3000);
    assert_eq!(json["fields_cleaned"], 3000);
    assert_eq!(json["fields_changed"], 3000);
    assert_eq!(json["fields_missing"], 3000);
    assert_eq!(json["fields_not_string"], 3000);
}

#[test]
fn encodings_by_byte_order_mark_detection_and_strictness() {
    // UTF-16 with a byte-order mark, both byte orders.
    let text = "香港 生產 力 局\n";
    let mut le = vec![0xff, 0xfe];
    let mut be = vec![0xfe, 0xff];
    for u in text.encode_utf16() {
        le.extend_from_slice(&u.to_le_bytes());
        be.extend_from_slice(&u.to_be_bytes());
    }
    for bytes in [&le, &be] {
        let o = zh_clean(&["--encoding", "auto"], bytes);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(stdout(&o), "香港生產力局\n");
    }
    // A UTF-8 byte-order mark decides too, and offsets still count it.
    let o = zh_clean(&["--encoding", "auto"], b"\xef\xbb\xbf\xe9\xa6\x99 \xff\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("byte offset 7"), "{}", stderr(&o));
    // Short Big5.
    let (big5, _, _) = encoding_rs::BIG5.encode("中文");
    let o = zh_clean(&["--encoding", "auto"], &big5);
    assert_eq!(stdout(&o), "中文", "{}", stderr(&o));
    // Big5 followed by UTF-8: never silent garbage.
    let (mut mixed, _, _) = encoding_rs::BIG5.encode("香港生產力局今天公布研究報告。");
    let mixed = {
        let mut m = mixed.to_vec();
        m.extend_from_slice("九龍城寨的歷史。\n".as_bytes());
        mixed = std::borrow::Cow::Owned(m);
        mixed
    };
    let o = zh_clean(&["--encoding", "auto"], &mixed);
    let out = stdout(&o);
    assert!(!o.status.success() || !stderr(&o).is_empty(), "mixed input accepted silently: {out:?}");
    assert!(!out.contains('Ã') && !out.contains('¤'), "{out:?}");
    // Invalid bytes in an explicit legacy encoding: an error with the offset,
    // or U+FFFD with --lossy.
    let mut bad = encoding_rs::BIG5.encode("香港").0.to_vec();
    bad.extend_from_slice(b"\xff\xff");
    let o = zh_clean(&["--encoding", "big5"], &bad);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("offset 4"), "{}", stderr(&o));
    let o = zh_clean(&["--encoding", "big5", "--lossy"], &bad);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("香港\u{FFFD}"), "{}", stdout(&o));
}
