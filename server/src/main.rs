//! `lanyard`: starts the server. Configuration comes from flags and the
//! environment (`lanyard --help` lists them all).

use clap::Parser as _;
use lanyard_server::config::Config;
use lanyard_server::startup::Application;
use lanyard_server::telemetry;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    telemetry::init("info");
    match run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // `{:#}` prints the causes on one line, without a backtrace.
            eprintln!("lanyard: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> anyhow::Result<()> {
    let app = Application::build(config).await?;
    print!("{}", app.banner());
    app.run_until_stopped().await
}
