#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| zh_clean_fuzz::jsonl(data));
