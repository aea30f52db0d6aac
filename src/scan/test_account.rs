//! Accounts that say what they are: a test account, whose user (or database) and password
//! both say test (`psql postgres://testuser:knextest@postgres/knex_test`, `mysql -utestuser
//! -ptestpassword` in a CI compose file), and the anonymous login whose password is by
//! convention an e-mail address (`username="anonymous", password="guest@example.org"`, RFC
//! 1635's anonymous FTP).
//!
//! One side saying test is not enough: a random password for `testuser` may be a real
//! database's, and `mysql -uroot -ptestpass` may be production's root. Both must agree.

use std::ops::Range;

use super::signals::says_test;

/// True if the value at `secret` in `line` (offsets within `line`) belongs to a test or an
/// anonymous account.
pub(super) fn is_test_or_anonymous(line: &[u8], secret: &Range<usize>) -> bool {
    let value = &line[secret.clone()];
    let lower = line.to_ascii_lowercase();
    if is_email(value) && memchr::memmem::find(&lower, b"anonymous").is_some() {
        return true;
    }
    says_test(value)
        && (user_before(&lower, secret.start).is_some_and(says_test_word)
            || database_after(&lower, secret.end).is_some_and(says_test_word))
}

/// `name@host.tld`, no spaces: the password an anonymous login gives.
fn is_email(value: &[u8]) -> bool {
    let Some(at) = memchr::memchr(b'@', value) else {
        return false;
    };
    let (local, domain) = (&value[..at], &value[at + 1..]);
    !local.is_empty()
        && domain.contains(&b'.')
        && !domain.starts_with(b".")
        && !domain.ends_with(b".")
        && value.iter().all(|b| b.is_ascii_graphic())
        && !domain.contains(&b'@')
}

fn says_test_word(name: &[u8]) -> bool {
    memchr::memmem::find(name, b"test").is_some()
}

/// The user of the password that starts at `start`: a URI's userinfo (`://user:` right
/// before it), or a client's `-u user`, `-uuser`, `--user=user`, `--username user` earlier
/// on the line.
fn user_before(lower: &[u8], start: usize) -> Option<&[u8]> {
    let before = &lower[..start];
    if let Some(userinfo) = before.strip_suffix(b":") {
        let from = memchr::memmem::rfind(userinfo, b"://").map(|at| at + 3)?;
        let user = &userinfo[from..];
        return (!user.is_empty() && !user.contains(&b'/')).then_some(user);
    }
    let token = |at: usize| {
        let rest = &before[at..];
        let end = rest
            .iter()
            .position(|b| b.is_ascii_whitespace() || b"\"'".contains(b))
            .unwrap_or(rest.len());
        (end > 0).then(|| &rest[..end])
    };
    let mut user = None;
    for flag in [
        &b" -u"[..],
        b" --user=",
        b" --username=",
        b" --user ",
        b" --username ",
    ] {
        for at in memchr::memmem::find_iter(before, flag) {
            let mut from = at + flag.len();
            while before.get(from) == Some(&b' ') {
                from += 1;
            }
            user = user.or_else(|| token(from));
        }
    }
    user
}

/// The database a URI names after its host (`@host:5432/knex_test`), when the password
/// ending at `end` is a URI's.
fn database_after(lower: &[u8], end: usize) -> Option<&[u8]> {
    let rest = lower[end..].strip_prefix(b"@")?;
    let slash = rest
        .iter()
        .take_while(|b| !b.is_ascii_whitespace() && !b"\"'".contains(b))
        .position(|b| *b == b'/')?;
    let path = &rest[slash + 1..];
    let name_end = path
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-'))
        .unwrap_or(path.len());
    (name_end > 0).then(|| &path[..name_end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(line: &str, secret: &str) -> bool {
        let at = line.find(secret).unwrap();
        is_test_or_anonymous(line.as_bytes(), &(at..at + secret.len()))
    }

    #[test]
    fn test_accounts_need_both_sides_to_say_test() {
        let word = |prefix: &str| format!("{prefix}{}", "test");
        let (user, pass) = (word("knex"), word("pw"));
        let cases = [
            format!("  - 'until psql postgres://{user}:{pass}@postgres/app -c \"SELECT 1\"'"),
            format!("psql postgres://app:{pass}@db:5432/{user}"),
            format!("until /usr/bin/mysql -hmysql -u{user} -p{pass} -e \"SELECT 1\""),
            format!("mysqldump --user={user} --password={pass} shop"),
            format!("mysql -u {user} -p{pass} shop"),
        ];
        for line in &cases {
            assert!(account(line, &pass), "{line}");
        }
        // A real-shaped password, or a user that does not say test, keeps the finding.
        let random = "Xk29fQpL7wzRv3";
        let kept = [
            (
                format!("psql postgres://{user}:{random}@db/app"),
                random.to_string(),
            ),
            (format!("psql postgres://app:{pass}@db/app"), pass.clone()),
            (
                "mysql -uroot -pS3cr3t! shop".to_string(),
                "S3cr3t!".to_string(),
            ),
            (format!("mysql -uroot -p{pass} shop"), pass.clone()),
        ];
        for (line, secret) in &kept {
            assert!(!account(line, secret), "{line}");
        }
    }

    #[test]
    fn anonymous_logins_give_an_email_address() {
        let line =
            "    def __init__(self, username=\"anonymous\", password=\"guest@example.org\"):";
        assert!(account(line, "guest@example.org"));
        let line = "    def __init__(self, username=\"admin\", password=\"guest@example.org\"):";
        assert!(!account(line, "guest@example.org"));
        let line = "    login(username=\"anonymous\", password=\"Xk29fQpL7wzRv3\")";
        assert!(!account(line, "Xk29fQpL7wzRv3"));
    }
}
