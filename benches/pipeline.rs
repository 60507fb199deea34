//! Throughput of each stage, of the whole pipeline, and of two baselines.
//!
//! ```sh
//! cargo bench --bench pipeline
//! ```

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use zh_clean::spacing::{CjkLatinSpace, DocStats, Spacer};
use zh_clean::{Cleaner, Options, Stage, Variants, hygiene, mojibake, punct, structure};

mod inputs;

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

fn stages(c: &mut Criterion) {
    let seed = inputs::seed();
    let clean = inputs::clean();
    let paragraphs = inputs::seed_paragraphs();
    let cases = [("seed", &seed), ("clean", &clean)];

    // The encoding repair: on clean text one memchr that finds nothing; on
    // text read as Windows-1252, the repair itself.
    let garbled: String = encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(inputs::seed_paragraphs().as_bytes())
        .0
        .into_owned();
    let mut g = c.benchmark_group("encoding");
    for (name, text) in [("seed", &seed), ("clean", &clean), ("mojibake", &garbled)] {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), text, |b, t| {
            b.iter(|| mojibake::repair(t).len())
        });
    }
    g.finish();

    let mut g = c.benchmark_group("hygiene");
    for (name, text) in cases {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), text, |b, t| {
            b.iter(|| hygiene::clean(t).len())
        });
    }
    g.finish();

    let mut g = c.benchmark_group("structure");
    for (name, text) in cases {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), text, |b, t| {
            let stats = DocStats::measure(t);
            b.iter(|| structure::split(t, true, &stats).len())
        });
    }
    g.finish();

    let spaced = DocStats::measure(&paragraphs);
    let mut g = c.benchmark_group("spacing");
    for (name, text, stats) in [("seed", &paragraphs, spaced), ("clean", &clean, DocStats::measure(&clean))] {
        let spacer = Spacer::new(&stats, CjkLatinSpace::Auto);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), text, |b, t| {
            b.iter(|| t.split('\n').map(|l| spacer.fix(l).len()).sum::<usize>())
        });
    }
    g.finish();

    let mut g = c.benchmark_group("punctuation");
    let o = punct::PunctOptions::default();
    for (name, text) in [("seed", &paragraphs), ("clean", &clean)] {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), text, |b, t| {
            b.iter(|| t.split('\n').map(|l| punct::normalize(l, &o).len()).sum::<usize>())
        });
    }
    g.finish();

    // The hot path: spacing and punctuation together, as the pipeline runs them.
    let mut g = c.benchmark_group("spacing+punctuation");
    let hot = Cleaner::new(Options::default().only(&[Stage::Spacing, Stage::Punctuation]));
    for (name, text) in [("seed", &paragraphs), ("clean", &clean)] {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(name), text, |b, t| b.iter(|| hot.clean_cow(t).len()));
    }
    g.finish();
}

fn pipeline(c: &mut Criterion) {
    let seed = inputs::seed();
    let clean = inputs::clean();
    let mixed = inputs::mixed();
    let large = inputs::repeat(&seed, 50_000_000);
    let plain = Cleaner::new(Options::default().variants(Variants::None));
    let full = Cleaner::default();
    let no_repair = Cleaner::new(Options::default().stage(Stage::Encoding, false));
    let mut g = c.benchmark_group("pipeline");
    for (name, text) in [("seed", &seed), ("clean", &clean), ("mixed", &mixed)] {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::new("no-variants", name), text, |b, t| {
            b.iter(|| plain.clean_cow(t).len())
        });
        g.bench_with_input(BenchmarkId::new("default", name), text, |b, t| {
            b.iter(|| full.clean_cow(t).len())
        });
        // What the encoding repair costs the whole pipeline.
        g.bench_with_input(BenchmarkId::new("default-no-encoding", name), text, |b, t| {
            b.iter(|| no_repair.clean_cow(t).len())
        });
    }
    g.throughput(Throughput::Bytes(large.len() as u64));
    g.bench_with_input(BenchmarkId::new("no-variants", "large-50MB"), &large, |b, t| {
        b.iter(|| plain.clean_cow(t).len())
    });
    g.bench_with_input(BenchmarkId::new("default", "large-50MB"), &large, |b, t| {
        b.iter(|| full.clean_cow(t).len())
    });
    g.finish();
}

/// The spacing rule written the obvious way: a regex replaced until nothing
/// changes (a run between two CJK characters cannot overlap the next match).
fn regex_spacing(re: &regex::Regex, text: &str) -> String {
    let mut cur = text.to_owned();
    loop {
        let next = re.replace_all(&cur, "$a$b").into_owned();
        if next == cur {
            return cur;
        }
        cur = next;
    }
}

fn baselines(c: &mut Criterion) {
    let paragraphs = inputs::seed_paragraphs();
    let cjk = r"[\p{Han}\p{Hiragana}\p{Katakana}\u3000-\u303F\uFF00-\uFFEF]";
    let re = regex::Regex::new(&format!(r"(?<a>{cjk})[ \t]+(?<b>{cjk})")).expect("regex");
    let hot = Cleaner::new(Options::default().only(&[Stage::Spacing, Stage::Punctuation]));
    let mut g = c.benchmark_group("baselines");
    g.throughput(Throughput::Bytes(paragraphs.len() as u64));
    g.bench_function("zh-clean spacing+punctuation", |b| b.iter(|| hot.clean_cow(&paragraphs).len()));
    g.bench_function("regex spacing", |b| b.iter(|| regex_spacing(&re, &paragraphs).len()));
    g.bench_function("autocorrect::format", |b| b.iter(|| autocorrect::format(&paragraphs).len()));
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = stages, pipeline, baselines
}
criterion_main!(benches);
