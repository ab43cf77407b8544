//! The `marrow` command line: parses arguments, runs the library, prints
//! results and errors, and picks the exit code (0 ok, 1 content errors,
//! 2 usage or configuration errors).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use marrow::build::{self, BuildError, BuildOptions};

#[derive(Parser)]
#[command(
    name = "marrow",
    version,
    about = "Static documentation sites for medical writers"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build {
        /// Site root: the folder holding content/ and site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder [default: ROOT/output].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Public URL of the site, e.g. https://example.org/docs/ (overrides site.yaml).
        #[arg(long)]
        base_url: Option<String>,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            drafts,
        } => {
            let opts = BuildOptions {
                root,
                output,
                base_url,
                drafts,
            };
            match build::build(&opts) {
                Ok(report) => {
                    println!("{report}");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    match e {
                        BuildError::Config(_) => ExitCode::from(2),
                        BuildError::Content(_) | BuildError::Output { .. } => ExitCode::from(1),
                    }
                }
            }
        }
    }
}
