use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = pack::cli::Cli::parse();
    match pack::cmd::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
