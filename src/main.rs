//! The `leakward` binary: parse the command line, run, print any error once, exit.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = leakward::cli::Cli::parse();
    match leakward::app::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("leakward: error: {error}");
            ExitCode::from(2)
        }
    }
}
