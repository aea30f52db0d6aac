//! The process around a run: parse the command line, run, print any error once, exit.

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::Parser;

/// What the `leakward` binary does: parse the command line, run it, print any error once,
/// and return the exit code (0 clean, 1 blocked, 2 error, 130 interrupted).
pub fn main() -> ExitCode {
    let cli = match crate::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    crate::interrupt::install();
    match crate::app::run(cli) {
        Ok(code) => code,
        Err(crate::error::Error::Interrupted) => {
            crate::interrupt::report();
            ExitCode::from(crate::interrupt::EXIT_CODE)
        }
        Err(error) => {
            let message = crate::report::text::safe(&crate::error::chain(&error));
            eprintln!("leakward: error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Help and version go to stdout with exit 0; a bad command line is one line on stderr and
/// exit 2, like every other error, instead of clap's multi-line usage block.
fn usage_error(error: &clap::Error) -> ExitCode {
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = error.print();
        return if error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        };
    }
    let rendered = error.render().to_string();
    let mut lines = rendered
        .lines()
        .map(|l| l.trim().trim_start_matches("error: "))
        .skip_while(|l| l.is_empty());
    let mut first = lines.next().unwrap_or("invalid command line").to_string();
    // "the following required arguments were not provided:" names them on the next lines.
    if first.ends_with(':') {
        let named: Vec<&str> = lines.take_while(|l| !l.is_empty()).collect();
        first = format!("{first} {}", named.join(", "));
    }
    eprintln!("leakward: error: {first} (see `leakward --help`)");
    ExitCode::from(2)
}
