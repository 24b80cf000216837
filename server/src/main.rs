//! `lanyard`: starts the server; `lanyard doctor` checks the bucket
//! instead, `lanyard migrate` brings the database's schema up to date, and
//! `lanyard copy-database` moves a deployment to another database.
//! Configuration comes from flags and the environment (`lanyard --help`
//! lists them all; the subcommands take the same ones).

use clap::{Parser, Subcommand};
use lanyard_server::config::Config;
use lanyard_server::startup::Application;
use lanyard_server::{db, doctor, telemetry};
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
    /// Apply the database migrations this release has and exit (run it as
    /// the database's owner when the server's role may not change the
    /// schema; see docs/production.md).
    Migrate {
        #[command(flatten)]
        config: Config,
    },
    /// Copy everything from one database to another, empty one (SQLite to
    /// PostgreSQL, or back), in one transaction; prints each table's row
    /// count and checksum on both sides.
    CopyDatabase {
        /// The database to copy, e.g. sqlite://data/lanyard.db (only read).
        #[arg(long)]
        from: String,
        /// The empty database to copy into, e.g. postgres://lanyard@db/lanyard.
        #[arg(long)]
        to: String,
        /// Copy the sessions too (people stay signed in).
        #[arg(long)]
        sessions: bool,
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
        Some(Command::Migrate { config }) => report(migrate(&config).await),
        Some(Command::CopyDatabase { from, to, sessions }) => {
            match db::copy::copy(&from, &to, sessions).await {
                Ok(copied) => {
                    print!("{copied}");
                    ExitCode::SUCCESS
                }
                Err(err) => report(Err(err)),
            }
        }
    }
}

async fn migrate(config: &Config) -> anyhow::Result<()> {
    let url = config.database_url();
    let db = db::Db::connect(&url).await?;
    db.close().await;
    println!("{} is up to date.", db::redact(&url));
    Ok(())
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
