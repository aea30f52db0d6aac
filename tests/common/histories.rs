//! A history for comparing delta-aware scans with whole-blob ones: secrets added, copied to
//! another file, moved within a file, removed and added again across many small commits, so
//! that after a repack most versions are deltas of their neighbours.

use super::repo::Repo;
use super::tokens::{aws_key_id, github_token, password_line, password_value};

/// Lines of ordinary code, numbered so that every version of a file differs a little.
pub fn code(lines: usize, salt: usize) -> Vec<String> {
    (0..lines)
        .map(|i| format!("    let value_{i} = compute({i}, {salt}); // token budget {i}"))
        .collect()
}

/// Writes `lines` to `path` and commits; returns the commit id.
pub fn commit(repo: &Repo, path: &str, lines: &[String], message: &str) -> String {
    repo.write(path, lines.join("\n") + "\n");
    repo.commit(message)
}

/// A history in which secrets are added, copied to another file, moved within a file,
/// removed and added again, some split across what a delta copies and what it inserts.
pub fn eventful_history(repo: &Repo) {
    let mut main = code(400, 0);
    let mut other = code(300, 1);
    commit(repo, "src/main.rs", &main, "start");
    commit(repo, "src/other.rs", &other, "other");
    let first = github_token();
    let second = aws_key_id();
    let password = password_value();
    for n in 0..40 {
        main[(n * 13) % 400] = format!("    let changed_{n} = {n}; // PassWord policy");
        match n {
            3 => main.insert(200, format!("    let token = \"{first}\";")),
            7 => other.insert(10, format!("    let token = \"{first}\"; // copied")),
            11 => {
                // Moved: from the middle to near the top.
                let line = main.remove(200);
                main.insert(5, line);
            }
            15 => main.insert(300, format!("    let key = \"{second}\";")),
            19 => main.retain(|line| !line.contains(&first)),
            23 => main.insert(250, format!("    let token = \"{first}\";")),
            27 => main.insert(100, format!("    {}", password_line(&password))),
            // A keyword cut by an edit, then made whole again by one: `gh p_` back to
            // `ghp_` is a hit that straddles what the delta copies and what it inserts.
            31 | 33 => {
                let (from, to) = if n == 31 {
                    ("ghp_", "gh p_")
                } else {
                    ("gh p_", "ghp_")
                };
                for line in &mut main {
                    *line = line.replace(from, to);
                }
            }
            35 => other.retain(|line| !line.contains("copied")),
            _ => {}
        }
        other[(n * 7) % 250] = format!("    let other_{n} = {n};");
        commit(repo, "src/main.rs", &main, &format!("main {n}"));
        commit(repo, "src/other.rs", &other, &format!("other {n}"));
    }
}

/// The figures of the `carry: …` line that `LEAKWARD_CARRY_STATS=1` prints on stderr.
#[derive(Debug)]
pub struct CarryStats {
    pub carried_blobs: u64,
    pub blobs: u64,
    /// Bytes the keyword search read, of `bytes`.
    pub searched: u64,
    pub bytes: u64,
    /// Windows whose regex matches were carried, of `windows`.
    pub carried_windows: u64,
    pub windows: u64,
}

impl CarryStats {
    /// Reads the stats line out of a run's stderr; panics (failing the test) if there is none.
    pub fn of(stderr: &str) -> CarryStats {
        let line = stderr
            .lines()
            .find(|line| line.starts_with("carry: "))
            .unwrap_or_else(|| panic!("no stats in {stderr:?}"));
        let n: Vec<u64> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|word| word.parse().ok())
            .collect();
        assert_eq!(n.len(), 6, "{line}");
        CarryStats {
            carried_blobs: n[0],
            blobs: n[1],
            searched: n[2],
            bytes: n[3],
            carried_windows: n[4],
            windows: n[5],
        }
    }
}
