//! Fuzzes the diff that decides which lines a change added: ranges are sorted, disjoint,
//! inside the new content, and an unchanged file adds nothing.
#![no_main]

use leakward::chunk::Scope;
use leakward::internals::added_lines;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: (&[u8], &[u8])| {
    let (old, new) = data;
    let new_lines = new.split(|&b| b == b'\n').count() as u32;
    match added_lines(old, new) {
        Scope::All => assert!(old.is_empty()),
        Scope::Lines(ranges) => {
            let mut last = 0;
            for range in &ranges {
                assert!(*range.start() > last, "sorted and disjoint: {ranges:?}");
                assert!(range.start() <= range.end());
                assert!(*range.end() <= new_lines, "inside the new content: {ranges:?}");
                last = *range.end();
            }
        }
    }
    if !old.is_empty() {
        assert_eq!(added_lines(old, old), Scope::Lines(Vec::new()));
    }
});
