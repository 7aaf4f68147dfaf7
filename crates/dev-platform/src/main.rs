//! `dev-platform`: the local stand-in for the Onqlave platform API.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Serves the platform (the default), or runs one of the commands.
#[derive(Debug, Parser)]
#[command(
    name = "dev-platform",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: dev_platform::Options,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Prints the CDN header file (`_headers`, as Netlify and Cloudflare Pages read it) for a
    /// built bundle: the headers this server sends when serving it.
    Headers {
        /// The built bundle (e.g. dist-release).
        #[arg(long = "static", value_name = "DIR")]
        dir: PathBuf,
        /// Write DIR/_headers instead of printing.
        #[arg(long)]
        write: bool,
    },
}

fn headers(dir: &std::path::Path, write: bool) -> Result<(), Box<dyn std::error::Error>> {
    let text = dev_platform::headers::cdn_headers_file(dir)
        .map_err(|e| format!("cannot read the bundle in {}: {e}", dir.display()))?;
    if write {
        std::fs::write(dir.join("_headers"), text)?;
    } else {
        print!("{text}");
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "dev_platform=info,tower_http=info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Headers { dir, write }) => headers(&dir, write),
        None => dev_platform::run(cli.serve).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("dev-platform: {e}");
            ExitCode::FAILURE
        }
    }
}
