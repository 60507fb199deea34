//! The pure-Rust converter against OpenCC's Python package, line by line, on
//! the fixtures and their Simplified form, for every configuration. Runs when
//! `python3` (or `$ZH_CLEAN_PYTHON`) can import `opencc` 1.4.2, the release
//! `data/opencc/` vendors; otherwise says it was skipped. The larger
//! comparison is `scripts/compare-opencc.py`.

use std::io::Write;
use std::process::{Command, Stdio};

use zh_clean::opencc::{Config, convert};

const SCRIPT: &str = "import sys, opencc\n\
c = opencc.OpenCC(sys.argv[1])\n\
lines = sys.stdin.read().split('\\n')[:-1]\n\
sys.stdout.write(''.join(c.convert(l) + '\\n' for l in lines))\n";

fn python() -> String {
    std::env::var("ZH_CLEAN_PYTHON").unwrap_or_else(|_| "python3".into())
}

fn opencc_version() -> Option<String> {
    let out =
        Command::new(python()).args(["-c", "import opencc; print(opencc.__version__)"]).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn python_convert(config: Config, lines: &[String]) -> Vec<String> {
    let mut child = Command::new(python())
        .args(["-c", SCRIPT, config.name()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python");
    let input: String = lines.iter().map(|l| format!("{l}\n")).collect();
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write");
    let out = child.wait_with_output().expect("python");
    assert!(out.status.success(), "{config}");
    String::from_utf8(out.stdout).expect("UTF-8").lines().map(str::to_owned).collect()
}

#[test]
fn builtin_agrees_with_the_python_package() {
    match opencc_version().as_deref() {
        Some("1.4.2") => {}
        other => {
            eprintln!(
                "skipped: the opencc 1.4.2 Python package is not importable by {} ({other:?})",
                python()
            );
            return;
        }
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut lines: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(dir).expect("fixtures").flatten() {
        let text = std::fs::read_to_string(entry.path()).expect("fixture");
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            lines.push(line.to_owned());
            lines.push(convert(Config::T2s, line).into_owned());
        }
    }
    assert!(lines.len() >= 50, "{} lines", lines.len());
    let mut differ = Vec::new();
    for config in Config::ALL {
        let reference = python_convert(config, &lines);
        assert_eq!(reference.len(), lines.len(), "{config}");
        for (line, want) in lines.iter().zip(&reference) {
            let got = convert(config, line);
            if got != want.as_str() {
                differ.push(format!("{config}: {line}\n  opencc {want}\n  ours   {got}"));
            }
        }
    }
    eprintln!("{} lines × {} configurations compared", lines.len(), Config::ALL.len());
    assert!(differ.is_empty(), "{} lines differ:\n{}", differ.len(), differ.join("\n"));
}
