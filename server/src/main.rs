//! `lanyard`: starts the server; `lanyard doctor` checks the bucket instead.
//! Configuration comes from flags and the environment (`lanyard --help`
//! lists them all; `lanyard doctor` takes the same ones).

use clap::{Parser, Subcommand};
use lanyard_server::config::Config;
use lanyard_server::startup::Application;
use lanyard_server::{doctor, telemetry};
use std::process::ExitCode;

/// Lanyard: an employee directory with photos in a private S3 bucket.
#[derive(Parser)]
#[command(name = "lanyard", version, about, long_about = None)]
// `lanyard --flag doctor` would parse the flag for the server and the
// doctor would silently not see it: flags go after the subcommand.
#[command(args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Check the configured bucket against the security checklist
    /// (docs/production.md): prints PASS / FAIL / N/A per check, exits 1 if
    /// any check fails.
    Doctor {
        #[command(flatten)]
        config: Config,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => {
            telemetry::init("info");
            report(serve(cli.config).await)
        }
        Some(Command::Doctor { config }) => {
            doctor::init_logging();
            match doctor::run(&config).await {
                Ok(found) => {
                    print!("{found}");
                    if found.failed() {
                        ExitCode::FAILURE
                    } else {
                        ExitCode::SUCCESS
                    }
                }
                Err(err) => report(Err(err)),
            }
        }
    }
}

fn report(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // `{:#}` prints the causes on one line, without a backtrace.
            eprintln!("lanyard: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let app = Application::build(config).await?;
    print!("{}", app.banner());
    app.run_until_stopped().await
}
