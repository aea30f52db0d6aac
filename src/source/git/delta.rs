//! Applying one git pack delta to its base, as `gitformat-pack(5)` describes the format.
//!
//! A delta opens with the base's size and the result's size (each a little-endian base-128
//! number), then a list of instructions: a byte with its high bit set copies a range of the
//! base (its low four bits say which offset bytes follow, the next three which size bytes;
//! a size of 0 means 0x10000), any other non-zero byte inserts that many literal bytes that
//! follow it. Byte 0 is reserved.

use crate::scan::Copied;

/// One instruction of a delta.
enum Instruction<'a> {
    /// Copy `len` bytes of the base from `offset`.
    Copy { offset: usize, len: usize },
    /// Insert these bytes.
    Insert(&'a [u8]),
}

/// The base size, the result size and the instructions of `delta`, or `None` if it is
/// malformed (the instructions are checked as they are read: a bad one ends the walk with
/// `None`).
fn read(delta: &[u8]) -> Option<(u64, u64, Instructions<'_>)> {
    let mut at = 0;
    let base_size = size(delta, &mut at)?;
    let result_size = size(delta, &mut at)?;
    Some((base_size, result_size, Instructions { delta, at }))
}

/// The instructions after a delta's header.
struct Instructions<'a> {
    delta: &'a [u8],
    at: usize,
}

impl<'a> Iterator for Instructions<'a> {
    /// An instruction, or `None` for a malformed one.
    type Item = Option<Instruction<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        let delta = self.delta;
        let &op = delta.get(self.at)?;
        self.at += 1;
        if op & 0x80 != 0 {
            let mut offset = 0usize;
            for bit in 0..4 {
                if op & (1 << bit) != 0 {
                    let Some(&byte) = delta.get(self.at) else {
                        return Some(None);
                    };
                    offset |= usize::from(byte) << (8 * bit);
                    self.at += 1;
                }
            }
            let mut len = 0usize;
            for bit in 0..3 {
                if op & (0x10 << bit) != 0 {
                    let Some(&byte) = delta.get(self.at) else {
                        return Some(None);
                    };
                    len |= usize::from(byte) << (8 * bit);
                    self.at += 1;
                }
            }
            if len == 0 {
                len = 0x10000;
            }
            Some(Some(Instruction::Copy { offset, len }))
        } else if op != 0 {
            let len = usize::from(op);
            let bytes = delta.get(self.at..self.at + len);
            self.at += len;
            Some(bytes.map(Instruction::Insert))
        } else {
            Some(None)
        }
    }
}

/// The object `delta` makes of `base`, or `None` if the delta is malformed, does not fit
/// `base`, or would make an object of more than `max_bytes`.
pub(crate) fn apply(base: &[u8], delta: &[u8], max_bytes: u64) -> Option<Vec<u8>> {
    let (base_size, result_size, instructions) = read(delta)?;
    if base_size != base.len() as u64 || result_size > max_bytes {
        return None;
    }
    let mut out = Vec::with_capacity(result_size as usize);
    for instruction in instructions {
        match instruction? {
            Instruction::Copy { offset, len } => {
                out.extend_from_slice(base.get(offset..offset.checked_add(len)?)?);
            }
            Instruction::Insert(bytes) => out.extend_from_slice(bytes),
        }
        if out.len() as u64 > result_size {
            return None;
        }
    }
    (out.len() as u64 == result_size).then_some(out)
}

/// The copies `delta` makes of a base of `base_len` bytes into a result of `result_len`
/// bytes, in result order (the bytes between them are inserted), or `None` if the delta is
/// malformed or does not make a result of that size from such a base.
pub(crate) fn copies(delta: &[u8], base_len: usize, result_len: usize) -> Option<Vec<Copied>> {
    let (base_size, result_size, instructions) = read(delta)?;
    if base_size != base_len as u64 || result_size != result_len as u64 {
        return None;
    }
    let mut out = Vec::new();
    let mut made = 0usize;
    for instruction in instructions {
        match instruction? {
            Instruction::Copy { offset, len } => {
                if offset.checked_add(len)? > base_len {
                    return None;
                }
                out.push(Copied {
                    target: made,
                    base: offset,
                    len,
                });
                made += len;
            }
            Instruction::Insert(bytes) => made += bytes.len(),
        }
        if made > result_len {
            return None;
        }
    }
    (made == result_len).then_some(out)
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
    use super::{apply, copies, Copied};

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

    #[test]
    fn copies_are_listed_in_result_order_with_inserts_between() {
        // base 16, result 9: copy 4 from offset 2, insert "xy", copy 3 from offset 0.
        let delta = [16, 9, 0x91, 2, 4, 2, b'x', b'y', 0x90, 3];
        let want = vec![
            Copied {
                target: 0,
                base: 2,
                len: 4,
            },
            Copied {
                target: 6,
                base: 0,
                len: 3,
            },
        ];
        assert_eq!(copies(&delta, 16, 9), Some(want));
        assert_eq!(
            apply(b"0123456789abcdef", &delta, 100).as_deref(),
            Some(&b"2345xy012"[..])
        );
        // Sizes that do not match, a copy past the base, a truncated insert.
        assert_eq!(copies(&delta, 15, 9), None);
        assert_eq!(copies(&delta, 16, 10), None);
        assert_eq!(copies(&[16, 4, 0x91, 14, 4], 16, 4), None);
        assert_eq!(copies(&[16, 4, 4, b'x'], 16, 4), None);
    }
}
