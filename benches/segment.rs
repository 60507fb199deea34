//! Segmentation throughput: jieba-rs on the text as it is, and zh-clean's
//! shadow segmentation (shadow mapping plus jieba-rs) on the same text.
//!
//! ```sh
//! cargo bench --bench segment
//! ```

use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use zh_clean::segment::{Segmenter, shadow};

mod inputs;

fn segment(c: &mut Criterion) {
    let text = inputs::repeat(&inputs::clean(), 500_000);
    let direct = Segmenter::direct();
    let shadowed = Segmenter::new();
    let fine = Segmenter::new().fine(true);
    let mut g = c.benchmark_group("segmentation");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("jieba-rs direct", |b| b.iter(|| direct.segment(&text).len()));
    g.bench_function("zh-clean shadow", |b| b.iter(|| shadowed.segment(&text).len()));
    g.bench_function("zh-clean shadow, fine", |b| b.iter(|| fine.segment(&text).len()));
    g.bench_function("shadow mapping alone", |b| b.iter(|| shadow(&text).len()));
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(3));
    targets = segment
}
criterion_main!(benches);
