//! The recall benchmark's corpus: every family's files on disk, one directory per file, and
//! `labels.jsonl` naming each secret, whether it must block or warn, and the lines it spans
//! (`null` when its bytes are not contiguous in the file, e.g. a key split into literals: then
//! any finding in its file that is not on another label's lines counts for it).

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use crate::families::ALL;
use crate::generate::Rng;

/// Writes the corpus under `out` (emptied first) and returns how many secrets it labels.
pub fn write(out: &Path, rng: &mut Rng) -> io::Result<usize> {
    if out.exists() {
        fs::remove_dir_all(out)?;
    }
    fs::create_dir_all(out)?;
    let mut labels = io::BufWriter::new(fs::File::create(out.join("labels.jsonl"))?);
    let mut count = 0;
    for (family, build) in ALL {
        for (index, shape) in build(rng).into_iter().enumerate() {
            let file = format!("files/{family}/{index}/{}", shape.path);
            let path = out.join(&file);
            fs::create_dir_all(path.parent().expect("a file has a directory"))?;
            fs::write(&path, &shape.text)?;
            let musts = shape
                .blocks
                .iter()
                .map(|s| (s, "block"))
                .chain(shape.warns.iter().map(|s| (s, "warn")));
            for (secret, must) in musts {
                let label = serde_json::json!({
                    "file": file,
                    "family": family,
                    "must": must,
                    "lines": lines_of(&shape.text, secret),
                });
                writeln!(labels, "{label}")?;
                count += 1;
            }
        }
    }
    labels.flush()?;
    Ok(count)
}

/// The first and last line (from 1) of the first place `secret` stands in `text`.
fn lines_of(text: &str, secret: &str) -> Option<[usize; 2]> {
    let start = text.find(secret)?;
    let first = text[..start].matches('\n').count() + 1;
    let last = first + secret.trim_end_matches('\n').matches('\n').count();
    Some([first, last])
}
