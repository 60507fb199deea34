//! OpenCC's official test cases (`tests/opencc/testcases.json`, from the
//! release named in `tests/opencc/README.md`), shared by the test files.

use zh_clean::opencc::Config;

/// One expectation: `config` turns `input` into `expected`.
#[derive(Debug, Clone)]
pub struct Case {
    pub id: String,
    pub config: Config,
    pub input: String,
    pub expected: String,
}

/// Removes the trailing commas OpenCC's file has (its JSON reader accepts
/// them, standard JSON does not), outside strings.
fn strip_trailing_commas(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if in_string {
            in_string = escaped || c != '"';
            escaped = !escaped && c == '\\';
        } else if c == '"' {
            in_string = true;
        } else if c == ','
            && chars[i + 1..].iter().find(|c| !c.is_whitespace()).is_some_and(|&n| n == '}' || n == ']')
        {
            continue;
        }
        out.push(c);
    }
    out
}

/// Every expectation of the file, in file order. Panics when the file is
/// missing or names a configuration this crate does not have.
pub fn all() -> Vec<Case> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/opencc/testcases.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let json: serde_json::Value =
        serde_json::from_str(&strip_trailing_commas(&text)).expect("testcases.json");
    let mut cases = Vec::new();
    for case in json["cases"].as_array().expect("cases") {
        let id = case["id"].as_str().expect("id");
        let input = case["input"].as_str().expect("input");
        for (config, expected) in case["expected"].as_object().expect("expected") {
            cases.push(Case {
                id: id.to_owned(),
                config: config.parse().unwrap_or_else(|e| panic!("{id}: {e}")),
                input: input.to_owned(),
                expected: expected.as_str().expect("expected string").to_owned(),
            });
        }
    }
    cases
}

#[test]
fn trailing_commas() {
    assert_eq!(strip_trailing_commas(r#"{"a": ["x,]", 1,], }"#), r#"{"a": ["x,]", 1] }"#);
}
