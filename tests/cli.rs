//! The `zh-clean` binary, run as a user runs it.

mod common;
use common::{stderr, stdout, zh_clean};

#[test]
fn stdin_to_stdout() {
    let o = zh_clean(&[], "（ 香港 ， 2023年 11月 10日 ） 49 % 受訪AI企業\n".as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "（香港，2023年11月10日）49%受訪AI企業\n");
}

#[test]
fn the_seed_fixture_through_the_binary() {
    let o = zh_clean(&["fixtures/hkpc-ai-press-release.txt"], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let gold = std::fs::read_to_string("fixtures/hkpc-ai-press-release.gold.txt").expect("gold");
    for line in gold.lines().filter(|l| !l.trim().is_empty()) {
        assert!(out.lines().any(|l| l == line), "missing: {line}");
    }
}

#[test]
fn several_files_are_cleaned_in_order() {
    let dir = std::env::temp_dir().join(format!("zh-clean-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let a = dir.join("a.txt");
    let b = dir.join("b.txt");
    std::fs::write(&a, "生 產 力 局\n").expect("write");
    std::fs::write(&b, "香港 AI 產業\n").expect("write");
    let o = zh_clean(&[a.to_str().unwrap_or_default(), b.to_str().unwrap_or_default()], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "生產力局\n香港 AI 產業\n");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn dash_means_stdin() {
    let o = zh_clean(&["-"], "香港 生產 力\n".as_bytes());
    assert_eq!(stdout(&o), "香港生產力\n");
}

#[test]
fn profile_changes_quotes_and_dots() {
    let input = "他 說 “ 你好 ” ， 威廉 · 陸斯佛 。\n".as_bytes();
    assert_eq!(stdout(&zh_clean(&["--profile", "hk"], input)), "他說「你好」，威廉·陸斯佛。\n");
    assert_eq!(stdout(&zh_clean(&["--profile", "tw"], input)), "他說「你好」，威廉‧陸斯佛。\n");
    assert_eq!(stdout(&zh_clean(&["--profile", "cn"], input)), "他說“你好”，威廉·陸斯佛。\n");
    assert_eq!(stdout(&zh_clean(&["--quotes", "keep"], input)), "他說“你好”，威廉·陸斯佛。\n");
}

#[test]
fn cjk_latin_space_policies() {
    let input = "使用 Python 寫 程式\n".as_bytes();
    assert_eq!(stdout(&zh_clean(&[], input)), "使用Python寫程式\n");
    assert_eq!(stdout(&zh_clean(&["--cjk-latin-space", "keep"], input)), "使用 Python 寫程式\n");
    assert_eq!(
        stdout(&zh_clean(&["--cjk-latin-space", "pangu"], "使用Python寫\n".as_bytes())),
        "使用 Python 寫\n"
    );
    let clean = "使用 Python 寫程式\n".as_bytes();
    assert_eq!(stdout(&zh_clean(&[], clean)), "使用 Python 寫程式\n");
    assert_eq!(stdout(&zh_clean(&["--cjk-latin-space", "remove"], clean)), "使用Python寫程式\n");
}

#[test]
fn only_and_skip_select_stages() {
    let input = "香 港 , 九 龍\u{200B}\n".as_bytes();
    assert_eq!(stdout(&zh_clean(&["--only", "hygiene"], input)), "香 港 , 九 龍\n");
    assert_eq!(stdout(&zh_clean(&["--only", "hygiene,spacing"], input)), "香港,九龍\n");
    assert_eq!(stdout(&zh_clean(&["--skip", "punctuation"], input)), "香港,九龍\n");
    assert_eq!(stdout(&zh_clean(&[], input)), "香港，九龍\n");
}

#[test]
fn unknown_stage_is_a_usage_error() {
    let o = zh_clean(&["--only", "hygene"], b"x");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown stage \"hygene\""), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
}

#[test]
fn bad_flag_is_a_usage_error() {
    let o = zh_clean(&["--profile", "jp"], b"x");
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn invalid_utf8_names_the_offset() {
    let o = zh_clean(&[], b"\xe9\xa6\x99\xe6\xb8\xaf\xff\xfe rest");
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("invalid UTF-8 at byte offset 6"), "{err}");
    assert!(err.contains("--lossy"), "{err}");
    assert!(o.stdout.is_empty());
}

#[test]
fn lossy_replaces_invalid_bytes() {
    let o = zh_clean(&["--lossy"], b"\xe9\xa6\x99 \xe6\xb8\xaf\xff");
    assert!(o.status.success());
    assert_eq!(stdout(&o), "香港\u{FFFD}");
}

#[test]
fn a_missing_file_fails_but_the_others_are_processed() {
    let o = zh_clean(&["no/such/file.txt", "fixtures/hkpc-ai-press-release.gold.txt"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no/such/file.txt"), "{}", stderr(&o));
    assert!(stdout(&o).contains("九大建議推動香港發展為「國際AI及數據產業發展樞紐」"));
}

#[test]
fn help_explains_the_stages() {
    let o = zh_clean(&["--help"], b"");
    assert!(o.status.success());
    let help = stdout(&o);
    for word in ["hygiene", "structure", "punctuation", "spacing", "--cjk-latin-space", "--only", "--lossy"] {
        assert!(help.contains(word), "--help lacks {word}");
    }
}

#[test]
fn empty_input_gives_empty_output() {
    let o = zh_clean(&[], b"");
    assert!(o.status.success());
    assert!(o.stdout.is_empty());
}

#[test]
fn crlf_input() {
    let o = zh_clean(&[], "香港 生產\r\n\r\n九 龍\r\n".as_bytes());
    assert_eq!(stdout(&o), "香港生產\n\n九龍\n");
}

#[test]
fn variants_modes() {
    let simplified = "头发 和 复合 材料\n".as_bytes();
    assert_eq!(stdout(&zh_clean(&[], simplified)), "頭髮和複合材料\n");
    assert_eq!(stdout(&zh_clean(&["--variants", "none"], simplified)), "头发和复合材料\n");
    let traditional = "衞生 署 裏面\n".as_bytes();
    assert_eq!(stdout(&zh_clean(&[], traditional)), "衞生署裏面\n");
    assert_eq!(stdout(&zh_clean(&["--variants", "tw"], "衛生 署 裏面\n".as_bytes())), "衛生署裡面\n");
    assert_eq!(stdout(&zh_clean(&["--variants", "hk"], "衛生 署 裏面\n".as_bytes())), "衞生署裏面\n");
    assert_eq!(stdout(&zh_clean(&["--variants", "cn"], traditional)), "卫生署里面\n");
    assert_eq!(stdout(&zh_clean(&["--variants", "twp"], "鼠标 和 软件\n".as_bytes())), "滑鼠和軟體\n");
}

// The official OpenCC cases through the binary: tests/opencc_cli.rs.

#[test]
fn unknown_conversion_is_a_usage_error() {
    let o = zh_clean(&["--convert", "s2x"], b"x");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown conversion"), "{}", stderr(&o));
}

#[test]
fn segment_output() {
    let input = "香港 生產 力促 進局 今天 公布 。\n\nRWTH Aachen Campus\n".as_bytes();
    assert_eq!(
        stdout(&zh_clean(&["--segment"], input)),
        "香港 生產力 促進 局 今天 公布 。\n\nRWTH Aachen Campus\n"
    );
    assert_eq!(
        stdout(&zh_clean(&["--segment", "--delimiter", "/"], input)),
        "香港/生產力/促進/局/今天/公布/。\n\nRWTH/Aachen/Campus\n"
    );
}

#[test]
fn segment_with_fine_words() {
    let input = "一個 博物館 位於 香港 ， 成為 地標 。\n".as_bytes();
    assert_eq!(stdout(&zh_clean(&["--segment"], input)), "一個 博物館 位於 香港 ， 成為 地標 。\n");
    assert_eq!(
        stdout(&zh_clean(&["--segment", "--fine-words"], input)),
        "一 個 博物 館 位 於 香港 ， 成 為 地標 。\n"
    );
    let record = "{\"text\":\"一個 博物館 位於 香港 。\"}\n".as_bytes();
    assert_eq!(
        stdout(&zh_clean(&["--jsonl", "--segment-field", "words", "--fine-words", "--words-only"], record)),
        "{\"text\":\"一個博物館位於香港。\",\"words\":[\"一\",\"個\",\"博物\",\"館\",\"位\",\"於\",\"香港\"]}\n"
    );
    // The config file key, and the effective settings.
    let dir = tmp("fine-words");
    let cfg = dir.join("run.toml");
    std::fs::write(&cfg, "segment = true\nfine_words = true\n").expect("write");
    let o = zh_clean(&["--config", cfg.to_str().unwrap_or_default()], input);
    assert_eq!(stdout(&o), "一 個 博物 館 位 於 香港 ， 成 為 地標 。\n");
    let printed = stdout(&zh_clean(&["--print-config", "--segment", "--fine-words"], b""));
    assert!(printed.contains("fine_words = true"), "{printed}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn segment_with_a_user_dictionary() {
    let dir = std::env::temp_dir().join(format!("zh-clean-dict-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp dir");
    let dict = dir.join("user.txt");
    std::fs::write(&dict, "生產力促進局 100000\n").expect("write");
    let o = zh_clean(
        &["--segment", "--user-dict", dict.to_str().unwrap_or_default()],
        "香港 生產 力促 進局\n".as_bytes(),
    );
    assert_eq!(stdout(&o), "香港 生產力促進局\n");
    std::fs::write(&dict, "詞 many\n").expect("write");
    let o = zh_clean(&["--segment", "--user-dict", dict.to_str().unwrap_or_default()], b"x");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("line 1"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn jobs_do_not_change_the_output() {
    let page = std::fs::read("fixtures/hkpc-ai-press-release.txt").expect("fixture");
    let mut big = Vec::new();
    for _ in 0..40 {
        big.extend_from_slice(&page);
        big.extend_from_slice(b"\n\n");
    }
    let one = zh_clean(&["-j", "1"], &big);
    let four = zh_clean(&["-j", "4"], &big);
    assert!(one.status.success() && four.status.success());
    assert_eq!(one.stdout, four.stdout);
    assert_eq!(stdout(&one), zh_clean::Cleaner::default().clean(&String::from_utf8_lossy(&big)));
}

#[test]
fn output_dir_mirrors_the_inputs() {
    let dir = std::env::temp_dir().join(format!("zh-clean-out-{}", std::process::id()));
    let src = dir.join("in/sub");
    std::fs::create_dir_all(&src).expect("tmp dir");
    std::fs::write(src.join("a.txt"), "生 產 力 局\n").expect("write");
    std::fs::write(src.join("b.txt"), "香港 AI 產業\n").expect("write");
    let out = dir.join("out");
    let a = src.join("a.txt");
    let b = src.join("b.txt");
    let missing = src.join("missing.txt");
    let o = zh_clean(
        &[
            "-j",
            "2",
            "--output-dir",
            out.to_str().unwrap_or_default(),
            a.to_str().unwrap_or_default(),
            missing.to_str().unwrap_or_default(),
            b.to_str().unwrap_or_default(),
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("missing.txt"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    let written = |p: &std::path::Path| {
        std::fs::read_to_string(out.join(p.strip_prefix("/").unwrap_or(p))).expect("output")
    };
    assert_eq!(written(&a), "生產力局\n");
    assert_eq!(written(&b), "香港 AI 產業\n");
    // No temporary file is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(out.join(src.strip_prefix("/").unwrap_or(&src)))
        .expect("dir")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
    std::fs::remove_dir_all(&dir).ok();
}

fn tmp(name: &str) -> std::path::PathBuf {
    common::scratch_dir("cli", name)
}

#[test]
fn stats_is_a_plain_flag() {
    let dir = tmp("stats");
    let f = dir.join("a.txt");
    std::fs::write(&f, "香港 生產\n").expect("write");
    let o = zh_clean(&["--stats", f.to_str().unwrap_or_default()], b"");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "香港生產\n");
    assert!(stderr(&o).contains("spaces_removed=1"), "{}", stderr(&o));
    let o = zh_clean(&["--stats", "--stats-format", "json", f.to_str().unwrap_or_default()], b"");
    let json: serde_json::Value = serde_json::from_str(stderr(&o).trim()).expect("JSON stats");
    assert_eq!(json["spaces_removed"], 1);
    // A format without --stats would do nothing.
    assert_eq!(zh_clean(&["--stats-format", "json"], b"x").status.code(), Some(2));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn config_profiles_apply_as_on_the_command_line_and_unknown_keys_fail() {
    let dir = tmp("config");
    let cfg = dir.join("run.toml");
    let input = "他 說 : “ 你好 ” ， 威廉 · 陸斯佛 。 头发\n".as_bytes();
    for profile in ["hk", "tw", "cn"] {
        std::fs::write(&cfg, format!("profile = \"{profile}\"\n")).expect("write");
        let from_file = zh_clean(&["--config", cfg.to_str().unwrap_or_default()], input);
        let from_flag = zh_clean(&["--profile", profile], input);
        assert!(from_file.status.success(), "{}", stderr(&from_file));
        assert_eq!(stdout(&from_file), stdout(&from_flag), "{profile}");
    }
    std::fs::write(&cfg, "jobs = 2\nprofil = \"tw\"\n").expect("write");
    let o = zh_clean(&["--config", cfg.to_str().unwrap_or_default()], input);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("run.toml") && err.contains("line 2") && err.contains("profil"), "{err}");
    // Pipeline settings: JSON Lines fields, jobs, encoding, segmentation.
    std::fs::write(
        &cfg,
        "jsonl = true\nfields = [\"body\"]\njobs = 2\nencoding = \"utf-8\"\nsegment_field = \"words\"\nwords_only = true\n",
    )
    .expect("write");
    let o =
        zh_clean(&["--config", cfg.to_str().unwrap_or_default()], "{\"body\":\"香港 生產 。\"}\n".as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "{\"body\":\"香港生產。\",\"words\":[\"香港\",\"生產\"]}\n");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_mainland_profile_keeps_simplified_text_and_fullwidth_colons() {
    let input = "他 说 : “ 你好 ” 。 头发\n".as_bytes();
    assert_eq!(stdout(&zh_clean(&["--profile", "cn"], input)), "他说：“你好”。头发\n");
    assert_eq!(stdout(&zh_clean(&["--profile", "cn", "--variants", "tw"], input)), "他說：“你好”。頭髮\n");
}

#[test]
fn generated_man_page_and_completions_and_a_file_named_man() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = zh_clean(&["--generate", shell], b"");
        assert!(o.status.success(), "{shell}");
        assert!(stdout(&o).contains("main-content"), "{shell}");
    }
    let man = stdout(&zh_clean(&["--generate", "man"], b""));
    assert!(man.contains(".TH zh-clean 1") && man.contains("jsonl"), "{man}");
    assert_eq!(zh_clean(&["--generate", "tcsh"], b"").status.code(), Some(2));
    let dir = tmp("man");
    for name in ["man", "completions"] {
        std::fs::write(dir.join(name), "香港 生產\n").expect("write");
    }
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_zh-clean"))
        .current_dir(&dir)
        .args(["man", "completions"])
        .output()
        .expect("run");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "香港生產\n香港生產\n");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn flags_that_would_do_nothing_are_usage_errors() {
    let dir = tmp("useless");
    let dict = dir.join("dict.txt");
    std::fs::write(&dict, "生產力 10\n").expect("write");
    for args in [
        vec!["--user-dict", dict.to_str().unwrap_or_default()],
        vec!["--color", "always"],
        vec!["--convert", "s2hk", "--variants", "tw"],
        vec!["--only", ""],
        vec!["--jsonl", "--segment"],
        vec!["--delimiter", "/"],
        vec!["--field", "text"],
        vec!["--words-only"],
        vec!["--fine-words"],
        vec!["-L"],
        vec!["--jobs", "0"],
    ] {
        let o = zh_clean(&args, "香港 生產\n".as_bytes());
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?}");
        assert!(!stderr(&o).is_empty(), "{args:?}");
    }
    let o = zh_clean(&["--jsonl", "--segment"], b"{}\n");
    assert!(stderr(&o).contains("--segment-field"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}

/// Runs the binary with standard input and standard error on a terminal
/// (a pseudo-terminal made by Python's `pty` module), feeding `input` and
/// then end-of-file; returns what the terminal showed.
fn on_a_terminal(args: &[&str], input: &str) -> String {
    let script = r#"
import os, pty, sys, select, time
args = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(args[0], args)
data = sys.stdin.buffer.read()
time.sleep(0.3)
if data:
    os.write(fd, data)
os.write(fd, b"\x04")
out = b""
while True:
    try:
        r, _, _ = select.select([fd], [], [], 60)
        if not r:
            break
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
"#;
    let mut all = vec!["-c", script, env!("CARGO_BIN_EXE_zh-clean")];
    all.extend_from_slice(args);
    let mut child = std::process::Command::new("python3")
        .args(&all)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 is needed for the terminal tests");
    use std::io::Write;
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write");
    let o = child.wait_with_output().expect("wait");
    assert!(o.status.success(), "python3 pty runner failed");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn a_terminal_on_standard_input_gets_a_hint() {
    let shown = on_a_terminal(&[], "香港 生產\n");
    assert!(shown.contains("reading standard input from the terminal"), "{shown:?}");
    assert!(shown.contains("香港生產"), "{shown:?}");
    let shown = on_a_terminal(&["-q"], "香港 生產\n");
    assert!(!shown.contains("reading standard input"), "{shown:?}");
}

#[test]
fn a_progress_bar_on_a_terminal_only() {
    let dir = tmp("progress");
    let page = std::fs::read_to_string("fixtures/hkpc-ai-press-release.txt").expect("fixture");
    let f = dir.join("big.txt");
    std::fs::write(&f, format!("{page}\n\n").repeat(300)).expect("write");
    let out = dir.join("out");
    let args = ["--output-dir", out.to_str().unwrap_or_default(), f.to_str().unwrap_or_default()];
    let shown = on_a_terminal(&args, "");
    assert!(shown.contains("zh-clean") && shown.contains("MiB"), "{shown:?}");
    let mut quiet = vec!["-q"];
    quiet.extend_from_slice(&args);
    let shown = on_a_terminal(&quiet, "");
    assert!(!shown.contains("MiB"), "{shown:?}");
    // Not a terminal: nothing on standard error.
    let o = zh_clean(&args, b"");
    assert!(o.status.success());
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn markdown_headings_and_code_blocks_survive_a_segmented_document() {
    let input = "# 使用 說明\n\n> 引用 的 文字 。\n\n| 名稱 | 說明 的 文字 |\n|---|---|\n| `a, b` | 第一 個 |\n\n設定 `x = 1` 以後 ， 執行 下面 的 程式 ：\n```python\nx = 1  # 註釋\n\n\nprint(\"你好\")\n```\n\n或者 縮排 的 寫法 ：\n\n    def f(x):\n        return x  # 註釋\n\n完成 了 。\n";
    let want = "# 使用說明\n\n> 引用的文字。\n\n| 名稱 | 說明的文字 |\n|---|---|\n| `a, b` | 第一個 |\n\n設定`x = 1`以後，執行下面的程式：\n```python\nx = 1  # 註釋\n\n\nprint(\"你好\")\n```\n\n或者縮排的寫法：\n\n    def f(x):\n        return x  # 註釋\n\n完成了。\n";
    let o = zh_clean(&["--stats"], input.as_bytes());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), want);
    assert!(stderr(&o).contains("headings=1 code_blocks=2"), "{}", stderr(&o));
    // Clean Markdown is left as it is.
    let o = zh_clean(&[], want.as_bytes());
    assert_eq!(stdout(&o), want);
}
