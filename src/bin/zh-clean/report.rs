//! The report at the end of a run: errors, statistics, `--check`'s list of
//! files that would change, and the exit status.

use std::io::{self, Write};
use std::process::ExitCode;

use zh_clean::jsonl::JsonlStats;

use crate::args::StatsFormat;
use crate::clean::{Failure, Outcome, Results, Run};
use crate::plan::Target;
use crate::walk::Input;

/// What the inputs came to, added up.
#[derive(Default)]
struct Tally {
    stats: zh_clean::Stats,
    jsonl: JsonlStats,
    binary: usize,
    /// `--check`: the inputs cleaning would change.
    changed: Vec<String>,
}

impl Tally {
    fn of(planned: &[(Input, Target)], results: Results, errors: &mut Vec<String>) -> Tally {
        let mut t = Tally::default();
        for (i, r) in results {
            match r {
                Ok(Outcome::Cleaned { stats, jsonl }) => {
                    t.stats.add(&stats);
                    t.jsonl.add(&jsonl);
                }
                Ok(Outcome::Checked(true)) => t.changed.push(planned[i].0.name()),
                Ok(Outcome::Checked(false)) => {}
                Ok(Outcome::Binary) => t.binary += 1,
                Err(Failure::Input(msg)) => errors.push(msg),
                Err(Failure::Output(e)) => errors.push(format!("writing output: {e}")),
            }
        }
        t
    }
}

/// Errors, statistics, `--check`'s list, and the exit status.
pub fn report(
    run: &Run,
    planned: &[(Input, Target)],
    results: Results,
    mut errors: Vec<String>,
    check: bool,
) -> ExitCode {
    let s = &run.settings;
    let t = Tally::of(planned, results, &mut errors);
    let quiet = s.quiet == Some(true);
    if t.binary > 0 && !quiet {
        eprintln!("zh-clean: skipped {} binary file(s)", t.binary);
    }
    if run.jsonl() {
        if t.jsonl.skipped > 0 && !quiet {
            eprintln!("zh-clean: {} malformed line(s) passed through unchanged", t.jsonl.skipped);
        }
        if t.jsonl.records > 0 {
            for field in run.jsonl.as_ref().map(|o| t.jsonl.absent_fields(o)).unwrap_or_default() {
                eprintln!("zh-clean: warning: field {field} is absent from every record");
            }
        }
    }
    for e in &errors {
        eprintln!("zh-clean: {e}");
    }
    if check {
        let mut out = io::stdout().lock();
        for name in &t.changed {
            if let Err(e) = writeln!(out, "{name}") {
                return crate::write_error(&e);
            }
        }
    }
    if s.stats == Some(true) {
        print_stats(&t, run.jsonl(), s.stats_format == Some(StatsFormat::Json));
    }
    if !errors.is_empty() {
        eprintln!("zh-clean: {} input(s) failed", errors.len());
        return ExitCode::from(2);
    }
    if check && !t.changed.is_empty() {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// `--stats`: the record counts of JSON Lines, or the cleaning counts, as
/// one line of text or one JSON object on standard error.
fn print_stats(t: &Tally, jsonl: bool, json: bool) {
    if jsonl {
        let j = &t.jsonl;
        let counts = [
            ("records", j.records),
            ("fields_cleaned", j.fields_cleaned),
            ("fields_changed", j.fields_changed),
            ("fields_missing", j.fields_missing),
            ("fields_not_string", j.fields_not_string),
            ("skipped", j.skipped),
        ];
        if json {
            let pairs: Vec<String> = counts.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
            eprintln!("{{{}}}", pairs.join(","));
        } else {
            let pairs: Vec<String> = counts.iter().map(|(k, v)| format!("{k}={v}")).collect();
            eprintln!("zh-clean: {}", pairs.join(" "));
        }
    } else if json {
        eprintln!("{}", serde_json::to_string(&t.stats).unwrap_or_default());
    } else {
        eprintln!("zh-clean: {}", t.stats.to_line());
    }
}
