//! The walks that find how far a match can reach from a keyword hit (see `reach`): count
//! the bytes outside a rule's stretch set until the budget is spent, a block at a time.
//!
//! Walking byte by byte through a 256-entry table was the largest single cost of a curl
//! history scan (issue 16, item 3): every keyword hit of every windowed rule walks a budget's
//! worth of bytes each way, and each step waited on the branch before it. Nearly every
//! stretch set in the catalog is empty or a few byte ranges (`\s` is `\t`-`\r` and space), so
//! a block of bytes is tested with range compares the compiler turns into vector code, and a
//! block that cannot spend the budget is passed whole. An empty set reads no bytes at all.

/// Bytes counted at once; a block whose count leaves budget is passed without a byte loop.
const BLOCK: usize = 32;

/// Most byte ranges a stretch set is tested by with compares rather than its table.
const MAX_RANGES: usize = 4;

/// The bytes an unbounded repetition can match, in the form a walk tests fastest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Stretch {
    /// No byte stretches: every byte counts against the budget.
    Empty,
    /// Up to [`MAX_RANGES`] inclusive ranges, each as its first byte and its length less one;
    /// the list is padded by repeating a range, so every test does the same compares.
    Ranges([(u8, u8); MAX_RANGES]),
    /// Any other set: `table[b]` is true when byte `b` stretches.
    Table(Box<[bool; 256]>),
}

impl Stretch {
    /// The form of the stretch set `table`.
    pub(crate) fn new(table: &[bool; 256]) -> Stretch {
        let mut ranges: Vec<(u8, u8)> = Vec::new();
        for byte in 0..=255u8 {
            if !table[usize::from(byte)] {
                continue;
            }
            match ranges.last_mut() {
                Some((first, extra))
                    if usize::from(*first) + usize::from(*extra) + 1 == usize::from(byte) =>
                {
                    *extra += 1;
                }
                _ => ranges.push((byte, 0)),
            }
        }
        match ranges.len() {
            0 => Stretch::Empty,
            n if n <= MAX_RANGES => {
                let mut padded = [ranges[0]; MAX_RANGES];
                padded[..n].copy_from_slice(&ranges);
                Stretch::Ranges(padded)
            }
            _ => Stretch::Table(Box::new(*table)),
        }
    }

    /// The latest offset a match holding a keyword that ends at `at` can end at: where the
    /// `budget + 1`-th byte outside the set from `at` lies, or the end of `bytes`.
    pub(crate) fn walk_forward(&self, bytes: &[u8], at: usize, budget: usize) -> usize {
        match self {
            Stretch::Empty => at.saturating_add(budget).min(bytes.len()),
            Stretch::Ranges(ranges) => forward(bytes, at, budget, |b| outside(ranges, b)),
            Stretch::Table(table) => forward(bytes, at, budget, |b| !table[usize::from(b)]),
        }
    }

    /// The earliest offset a match holding a keyword at `at` can start at: just after the
    /// `budget + 1`-th byte outside the set before `at`, or `floor` if that is earlier.
    pub(crate) fn walk_back(&self, bytes: &[u8], at: usize, floor: usize, budget: usize) -> usize {
        match self {
            Stretch::Empty if at.saturating_sub(floor) > budget => at - budget,
            Stretch::Empty => floor.min(at),
            Stretch::Ranges(ranges) => back(bytes, at, floor, budget, |b| outside(ranges, b)),
            Stretch::Table(table) => back(bytes, at, floor, budget, |b| !table[usize::from(b)]),
        }
    }
}

/// True if `byte` is in none of `ranges`: four compares and no branch.
fn outside(ranges: &[(u8, u8); MAX_RANGES], byte: u8) -> bool {
    ranges
        .iter()
        .all(|&(first, extra)| byte.wrapping_sub(first) > extra)
}

/// How many bytes of `block` count against the budget.
fn count(block: &[u8; BLOCK], counts: &impl Fn(u8) -> bool) -> usize {
    // A byte-wide sum (BLOCK < 256) keeps the loop in vector registers.
    usize::from(
        block
            .iter()
            .fold(0u8, |sum, &b| sum.wrapping_add(u8::from(counts(b)))),
    )
}

fn forward(bytes: &[u8], at: usize, budget: usize, counts: impl Fn(u8) -> bool) -> usize {
    let mut outside = 0;
    let mut offset = at;
    while let Some(block) = bytes.get(offset..offset + BLOCK) {
        let block: &[u8; BLOCK] = block.try_into().expect("a block");
        let counted = count(block, &counts);
        if outside + counted > budget {
            break;
        }
        outside += counted;
        offset += BLOCK;
    }
    for (offset, &byte) in bytes.iter().enumerate().skip(offset) {
        if counts(byte) {
            outside += 1;
            if outside > budget {
                return offset;
            }
        }
    }
    bytes.len()
}

fn back(
    bytes: &[u8],
    at: usize,
    floor: usize,
    budget: usize,
    counts: impl Fn(u8) -> bool,
) -> usize {
    let mut outside = 0;
    let mut end = at;
    while end.saturating_sub(floor) >= BLOCK {
        let block: &[u8; BLOCK] = bytes[end - BLOCK..end].try_into().expect("a block");
        let counted = count(block, &counts);
        if outside + counted > budget {
            break;
        }
        outside += counted;
        end -= BLOCK;
    }
    for offset in (floor..end).rev() {
        if counts(bytes[offset]) {
            outside += 1;
            if outside > budget {
                return offset + 1;
            }
        }
    }
    floor.min(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The walks as first written: one byte at a time through the table.
    fn walk_forward_bytewise(table: &[bool; 256], bytes: &[u8], at: usize, budget: usize) -> usize {
        let mut outside = 0;
        for (offset, &byte) in bytes.iter().enumerate().skip(at) {
            if !table[usize::from(byte)] {
                outside += 1;
                if outside > budget {
                    return offset;
                }
            }
        }
        bytes.len()
    }

    fn walk_back_bytewise(
        table: &[bool; 256],
        bytes: &[u8],
        at: usize,
        floor: usize,
        budget: usize,
    ) -> usize {
        let mut outside = 0;
        for offset in (floor..at).rev() {
            if !table[usize::from(bytes[offset])] {
                outside += 1;
                if outside > budget {
                    return offset + 1;
                }
            }
        }
        floor.min(at)
    }

    fn table_of(bytes: &[u8]) -> [bool; 256] {
        let mut table = [false; 256];
        bytes.iter().for_each(|&b| table[usize::from(b)] = true);
        table
    }

    #[test]
    fn sets_take_the_fastest_form() {
        let whitespace = table_of(b"\t\n\x0b\x0c\r ");
        let many = table_of(b"acegikmoq");
        let cases: &[(&[bool; 256], &str)] = &[
            (&[false; 256], "Empty"),
            (&whitespace, "Ranges"),
            (&[true; 256], "Ranges"),
            (&many, "Table"),
        ];
        for &(table, want) in cases {
            let got = format!("{:?}", Stretch::new(table));
            assert!(got.starts_with(want), "{got}");
        }
        assert_eq!(
            Stretch::new(&whitespace),
            Stretch::Ranges([(9, 4), (32, 0), (9, 4), (9, 4)])
        );
    }

    /// Block walks stop exactly where a byte-by-byte walk stops, for every form of the set,
    /// budgets below, across and above a block, and floors and starts at every edge.
    #[test]
    fn block_walks_stop_where_byte_walks_stop() {
        let tables = [
            [false; 256],
            table_of(b"\t\n\x0b\x0c\r "),
            table_of(b" \n"),
            table_of(b"acegikmoq \n"),
            {
                let mut all_but_newline = [true; 256];
                all_but_newline[usize::from(b'\n')] = false;
                all_but_newline
            },
        ];
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for round in 0..400 {
            let len = (next() % 300) as usize;
            let text: Vec<u8> = (0..len)
                .map(|_| match next() % 6 {
                    0 => b'\n',
                    1 | 2 => b' ',
                    3 => b'\t',
                    _ => b'a' + (next() % 26) as u8,
                })
                .collect();
            let budget = (next() % 100) as usize;
            let at = (next() as usize) % (len + 1);
            let floor = (next() as usize) % (len + 1);
            for table in &tables {
                let stretch = Stretch::new(table);
                assert_eq!(
                    stretch.walk_forward(&text, at, budget),
                    walk_forward_bytewise(table, &text, at, budget),
                    "round {round}: forward from {at}, budget {budget}, {stretch:?}"
                );
                assert_eq!(
                    stretch.walk_back(&text, at, floor, budget),
                    walk_back_bytewise(table, &text, at, floor, budget),
                    "round {round}: back from {at} to {floor}, budget {budget}, {stretch:?}"
                );
            }
        }
    }
}
