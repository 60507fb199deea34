#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    zh_clean_fuzz::decode(data);
    zh_clean_fuzz::legacy(data);
});
