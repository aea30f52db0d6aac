//! Applying one git pack delta to its base, as `gitformat-pack(5)` describes the format.
//!
//! A delta opens with the base's size and the result's size (each a little-endian base-128
//! number), then a list of instructions: a byte with its high bit set copies a range of the
//! base (its low four bits say which offset bytes follow, the next three which size bytes;
//! a size of 0 means 0x10000), any other non-zero byte inserts that many literal bytes that
//! follow it. Byte 0 is reserved.

/// The object `delta` makes of `base`, or `None` if the delta is malformed, does not fit
/// `base`, or would make an object of more than `max_bytes`.
pub(crate) fn apply(base: &[u8], delta: &[u8], max_bytes: u64) -> Option<Vec<u8>> {
    let mut at = 0;
    let base_size = size(delta, &mut at)?;
    let result_size = size(delta, &mut at)?;
    if base_size != base.len() as u64 || result_size > max_bytes {
        return None;
    }
    let mut out = Vec::with_capacity(result_size as usize);
    while let Some(&op) = delta.get(at) {
        at += 1;
        if op & 0x80 != 0 {
            let mut offset = 0usize;
            for bit in 0..4 {
                if op & (1 << bit) != 0 {
                    offset |= usize::from(*delta.get(at)?) << (8 * bit);
                    at += 1;
                }
            }
            let mut len = 0usize;
            for bit in 0..3 {
                if op & (0x10 << bit) != 0 {
                    len |= usize::from(*delta.get(at)?) << (8 * bit);
                    at += 1;
                }
            }
            if len == 0 {
                len = 0x10000;
            }
            out.extend_from_slice(base.get(offset..offset.checked_add(len)?)?);
        } else if op != 0 {
            let len = usize::from(op);
            out.extend_from_slice(delta.get(at..at + len)?);
            at += len;
        } else {
            return None;
        }
        if out.len() as u64 > result_size {
            return None;
        }
    }
    (out.len() as u64 == result_size).then_some(out)
}

/// A size in the delta's header, from `at` on.
fn size(delta: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    let mut shift = 0;
    loop {
        let byte = *delta.get(*at)?;
        *at += 1;
        if shift > 63 {
            return None;
        }
        value |= u64::from(byte & 0x7f) << shift;
        shift += 7;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::apply;

    #[test]
    fn deltas_copy_and_insert_or_are_refused() {
        let base = b"0123456789abcdef";
        let cases: &[(&[u8], Option<&[u8]>)] = &[
            // base 16, result 6: copy 4 bytes from offset 2, insert "xy".
            (&[16, 6, 0x91, 2, 4, 2, b'x', b'y'], Some(b"2345xy")),
            // copy with no offset byte (offset 0) and a two-byte size (0x0003).
            (&[16, 3, 0xb0, 3, 0], Some(b"012")),
            // the base size does not match the base.
            (&[15, 2, 2, b'x', b'y'], None),
            // the result is shorter than announced.
            (&[16, 3, 2, b'x', b'y'], None),
            // a copy past the end of the base.
            (&[16, 4, 0x91, 14, 4], None),
            // a truncated insert.
            (&[16, 4, 4, b'x'], None),
            // the reserved instruction 0.
            (&[16, 1, 0, 1, b'x'], None),
        ];
        for &(delta, want) in cases {
            assert_eq!(apply(base, delta, 1 << 20).as_deref(), want, "{delta:?}");
        }
        assert_eq!(apply(base, &[16, 6, 0x91, 2, 4, 2, b'x', b'y'], 5), None);
    }
}
