//! Shannon entropy of a secret candidate, the gate that separates keys from words.

/// Shannon entropy of `bytes` in bits per byte: 0 for empty or constant input, at most 8.
pub fn shannon(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    f64::from(entropy::shannon_entropy(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shannon_entropy_of_known_inputs() {
        let cases: &[(&str, f64)] = &[
            ("", 0.0),
            ("aaaa", 0.0),
            ("abab", 1.0),
            ("abcd", 2.0),
            ("abcdefgh", 3.0),
        ];
        for &(input, want) in cases {
            let got = shannon(input.as_bytes());
            assert!(
                (got - want).abs() < 1e-6,
                "{input:?}: got {got}, want {want}"
            );
        }
    }
}
