//! `lanyard`: starts the server; `lanyard doctor` checks the bucket
//! instead, `lanyard migrate` brings the database's schema up to date, and
//! `lanyard copy-database` moves a deployment to another database, and
//! `lanyard scim-token` makes and revokes identity providers' SCIM tokens.
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
    /// Bearer tokens for identity providers' SCIM provisioning
    /// (README, "Provisioning with SCIM").
    ScimToken {
        #[command(subcommand)]
        action: ScimTokenAction,
        #[command(flatten)]
        config: Config,
    },
}

#[derive(Subcommand)]
enum ScimTokenAction {
    /// Make a token named NAME (e.g. okta) and print it, once: only its
    /// hash is kept.
    Create { name: String },
    /// Revoke the token named NAME: its provider is refused from its next request.
    Revoke { name: String },
    /// List the tokens: name, created, last used.
    List,
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
        Some(Command::ScimToken { action, config }) => report(scim_token(&config, action).await),
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

async fn scim_token(config: &Config, action: ScimTokenAction) -> anyhow::Result<()> {
    use lanyard_server::scim::tokens;
    let db = db::Db::connect(&config.database_url()).await?;
    let now_ms = lanyard_server::extract::to_timestamp(std::time::SystemTime::now()).0;
    let result = match action {
        ScimTokenAction::Create { name } => tokens::create(&db, &name, now_ms).await.map(|token| {
            println!("SCIM token {}: {token}", name.trim());
            println!("It is shown once; give it to the identity provider as the bearer token.");
        }),
        ScimTokenAction::Revoke { name } => match tokens::revoke(&db, &name).await {
            Ok(true) => {
                println!("SCIM token {} revoked.", name.trim());
                Ok(())
            }
            Ok(false) => Err(anyhow::anyhow!(
                "there is no SCIM token named {}",
                name.trim()
            )),
            Err(err) => Err(err),
        },
        ScimTokenAction::List => tokens::list(&db).await.map(|found| {
            if found.is_empty() {
                println!("No SCIM tokens (lanyard scim-token create NAME makes one).");
            }
            for (name, created, used) in found {
                let used = used.map_or_else(
                    || "never".to_owned(),
                    lanyard_server::audit::export::iso_8601,
                );
                println!(
                    "{name}\tcreated {}\tlast used {used}",
                    lanyard_server::audit::export::iso_8601(created)
                );
            }
        }),
    };
    db.close().await;
    result
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
