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

#[test]
fn convert_alone_reproduces_opencc_test_cases() {
    for config in [
        "s2t", "t2s", "s2hk", "hk2s", "s2tw", "tw2s", "s2twp", "tw2sp", "t2hk", "hk2t", "tw2t", "t2jp",
        "jp2t",
    ] {
        let input = std::fs::read(format!("tests/opencc/{config}.in")).expect("input");
        let answer = std::fs::read_to_string(format!("tests/opencc/{config}.ans")).expect("answer");
        let o = zh_clean(&["--only", "variants", "--convert", config], &input);
        assert!(o.status.success(), "{config}: {}", stderr(&o));
        assert_eq!(stdout(&o).trim_end(), answer.trim_end(), "{config}");
    }
}

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
