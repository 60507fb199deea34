//! Every official OpenCC test case (`tests/opencc/testcases.json`) through
//! the binary: `zh-clean --only variants --convert CONFIG`, all the inputs of
//! a configuration at once, one per line.

#[path = "opencc/cases.rs"]
mod cases;

use std::io::Write;
use std::process::{Command, Stdio};

use zh_clean::opencc::Config;

#[test]
fn binary_passes_every_official_case() {
    let cases = cases::all();
    let mut passed = 0;
    let mut failures = Vec::new();
    for config in Config::ALL {
        let mine: Vec<&cases::Case> = cases.iter().filter(|c| c.config == config).collect();
        assert!(!mine.is_empty(), "no case for {config}");
        let input: String = mine.iter().map(|c| format!("{}\n", c.input)).collect();
        let mut child = Command::new(env!("CARGO_BIN_EXE_zh-clean"))
            .args(["--only", "variants", "--convert", config.name()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("zh-clean");
        child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write");
        let out = child.wait_with_output().expect("zh-clean");
        assert!(out.status.success(), "{config}: {}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8(out.stdout).expect("UTF-8");
        // Inputs are single lines; the output keeps one line per input.
        let lines: Vec<&str> = stdout.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), mine.len(), "{config}: {stdout}");
        for (case, got) in mine.iter().zip(lines) {
            if got == case.expected {
                passed += 1;
            } else {
                failures.push(format!(
                    "{} {config}: {}\n  want {}\n  got  {got}",
                    case.id, case.input, case.expected
                ));
            }
        }
    }
    eprintln!("{passed}/{} official expectations through the binary", cases.len());
    assert!(failures.is_empty(), "{} failed:\n{}", failures.len(), failures.join("\n"));
}
