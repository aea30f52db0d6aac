//! The `leakward` binary: parse the command line, run, print any error once, exit.

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::Parser;

fn main() -> ExitCode {
    let cli = match leakward::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    leakward::interrupt::install();
    match leakward::run(cli) {
        Ok(code) => code,
        Err(leakward::error::Error::Interrupted) => {
            leakward::interrupt::report();
            ExitCode::from(leakward::interrupt::EXIT_CODE)
        }
        Err(error) => {
            let message = leakward::report::text::safe(&leakward::error::chain(&error));
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
