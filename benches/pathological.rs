//! Linear time on pathological inputs: each shape at 1×, 2× and 4× the
//! size, cleaned whole (and streamed, for the shapes that exercise the
//! stream's cuts). Time per byte must stay flat across the sizes; a rescan
//! anywhere shows as a time that quadruples when the size doubles.
//!
//! ```sh
//! cargo bench --bench pathological
//! ```

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use zh_clean::Cleaner;
use zh_clean::stream::{StreamOptions, clean_stream};

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2))
}

/// The shapes, each as a unit repeated to about `size` bytes.
fn shapes(size: usize) -> Vec<(&'static str, String)> {
    let fill = |unit: &str| unit.repeat(size / unit.len().max(1) + 1);
    let width: String = "香港生產力促進局今天公布研究報告。".chars().cycle().take(20).collect();
    vec![
        ("dots", fill(".")),
        ("dot-space", fill(". ")),
        ("zwj", fill("\u{200D}")),
        ("letter-zwj", fill("a\u{200D}")),
        ("spaces", fill(" ")),
        ("list-markers", fill("• 一、 1. (1) ")),
        ("equal-width-lines", fill(&format!("{width}\n"))),
        ("one-huge-line", fill("香港 生產 力 促進 局 。 ")),
        ("brackets", fill("(「")),
    ]
}

/// One of the [`shapes`] at about `size` bytes.
fn shape(name: &str, size: usize) -> String {
    shapes(size).into_iter().find(|(n, _)| *n == name).map(|(_, t)| t).unwrap_or_default()
}

fn pathological(c: &mut Criterion) {
    let cleaner = Cleaner::default();
    let base = 64 * 1024;
    let mut g = c.benchmark_group("pathological");
    for (name, _) in shapes(1) {
        for factor in [1, 2, 4] {
            let text = shape(name, base * factor);
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_with_input(BenchmarkId::new(name, factor), &text, |b, t| {
                b.iter(|| cleaner.clean_cow(t).len())
            });
        }
    }
    g.finish();
    let mut g = c.benchmark_group("pathological-stream");
    for name in ["equal-width-lines", "one-huge-line"] {
        for factor in [1, 2, 4] {
            let text = shape(name, base * 16 * factor);
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_with_input(BenchmarkId::new(name, factor), &text, |b, t| {
                b.iter(|| {
                    let mut out = Vec::with_capacity(t.len());
                    clean_stream(&cleaner, t.as_bytes(), &mut out, &StreamOptions::default())
                        .map(|_| out.len())
                })
            });
        }
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = config();
    targets = pathological
}
criterion_main!(benches);
