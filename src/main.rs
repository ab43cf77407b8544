//! The `marrow` command line: parses arguments, runs the library, prints
//! results and errors, and picks the exit code (0 ok, 1 content errors,
//! 2 usage or configuration errors).

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Building a site allocates many small strings from many threads at once;
/// mimalloc's per-thread heaps cut the time glibc's allocator spent on
/// them (about a sixth of a 10,000-page build under `perf`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use marrow::{BuildError, BuildOptions, ScaffoldError, ServeEvent, ServeOptions};

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
        /// Print how long each stage of the build took.
        #[arg(long)]
        timings: bool,
    },
    /// Check links, front matter, templates, medical reviews, readability and sources, writing nothing.
    Check {
        /// Site root: the folder holding content/ and site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Fail on warnings too (reviews due soon, unreviewed pages, pages without sources…).
        #[arg(long)]
        strict: bool,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Print only the clinical reviewer's worklist: pages whose clinical review is overdue, missing, or due within DAYS, oldest first.
        #[arg(long, value_name = "DAYS")]
        due_within: Option<u32>,
        /// Print at most N findings, errors first (the counts, the verdict and the exit code still cover all of them; JSON is always complete).
        #[arg(long, value_name = "N")]
        max_errors: Option<usize>,
        /// Also print the table of pages: each page's review state, reading grade and sources.
        #[arg(long)]
        pages: bool,
    },
    /// Record a clinical review in a page's front matter (reviewed, reviewer, next_review), changing nothing else.
    Review {
        /// The page, e.g. content/process/engraftment.md (or process/engraftment.md).
        page: PathBuf,
        /// Who reviewed the page, e.g. "Dr Jane Smith".
        #[arg(long)]
        reviewer: String,
        /// Their role, e.g. "Consultant haematologist".
        #[arg(long)]
        role: String,
        /// The day of the review, YYYY-MM-DD [default: today].
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
        /// When the next review is due, YYYY-MM-DD [default: the review date plus review.interval_months].
        #[arg(long)]
        next_review: Option<chrono::NaiveDate>,
        /// Site root: the folder holding content/ and site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Turn a Hugo or Jekyll site into a marrow site: site.yaml, content/, static/ and IMPORT.md (what could not be carried over). Never writes into the source.
    Import {
        /// The generator the site was made with.
        #[arg(value_enum)]
        from: ImportFrom,
        /// The existing site's folder.
        src: PathBuf,
        /// The new site's folder: new or empty.
        #[arg(long)]
        into: PathBuf,
    },
    /// Translations: `marrow translate mark PAGE` records that a translation matches its source as it is now.
    Translate {
        #[command(subcommand)]
        what: Translate,
    },
    /// Start something new: a starter site or a page skeleton.
    New {
        #[command(subcommand)]
        what: New,
    },
    /// Build into memory, serve over HTTP, rebuild on every save and reload the browser.
    Serve {
        /// Site root: the folder holding content/ and site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Address to listen on (use 0.0.0.0 to allow other machines).
        #[arg(long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Port to listen on; the next free one is used if it is taken (0: any).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Poll for changes (network drives, WSL, containers) instead of waiting for events.
        #[arg(long)]
        poll: bool,
        /// Include pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Print how long each stage of every rebuild took.
        #[arg(long)]
        timings: bool,
    },
}

#[derive(Subcommand)]
enum Translate {
    /// Record in a translation (e.g. content/process/engraftment.zh.md) that it was brought up to date with its source: sets `translated:` and `source_fingerprint:`, changing nothing else.
    Mark {
        /// The translation's file.
        page: PathBuf,
        /// The day it was brought up to date, YYYY-MM-DD [default: today].
        #[arg(long)]
        date: Option<chrono::NaiveDate>,
        /// Site root: the folder holding content/ and site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Subcommand)]
enum New {
    /// Write a small working site (settings explained, a home page, a section with two pages, a glossary) into a new or empty folder.
    Site {
        /// The folder to create.
        dir: PathBuf,
        /// The site's title.
        #[arg(long, default_value = "Patient information")]
        title: String,
    },
    /// Write a page with the complete front matter to fill in; never overwrites.
    Page {
        /// The new file, e.g. content/process/going-home.md.
        path: PathBuf,
        /// The page's title.
        #[arg(long)]
        title: String,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ImportFrom {
    Hugo,
    Jekyll,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    // mimalloc asks for transparent huge pages, and the kernel zeroes a
    // whole 2 MiB page the first time any byte of it is touched: under
    // `perf`, 40% of an everyday rebuild went to zeroing pages, and
    // turning them off made it about a third faster, clean builds no
    // slower and peak memory 10% lower (benches/results, 2026-12-03).
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
    let cli = Cli::parse();
    match cli.command {
        Command::New { what } => new(what),
        Command::Import { from, src, into } => import(from, src, into),
        Command::Translate {
            what: Translate::Mark { page, date, root },
        } => mark_translation(page, date, root),
        Command::Review {
            page,
            reviewer,
            role,
            date,
            next_review,
            root,
        } => review(page, reviewer, role, (date, next_review), root),
        Command::Check {
            root,
            format,
            strict,
            drafts,
            due_within,
            max_errors,
            pages,
        } => {
            let opts = BuildOptions {
                drafts,
                ..BuildOptions::new(root, marrow::today())
            };
            if let Some(days) = due_within {
                return worklist(&opts, days, format);
            }
            match marrow::check(&opts, strict) {
                Ok(report) => {
                    match format {
                        Format::Text => print!(
                            "{}",
                            report.to_text(&marrow::CheckTextOptions {
                                max_findings: max_errors,
                                pages,
                            })
                        ),
                        Format::Json => println!("{}", report.to_json()),
                    }
                    if report.passed() {
                        ExitCode::SUCCESS
                    } else {
                        ExitCode::from(1)
                    }
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Serve {
            root,
            bind,
            port,
            open,
            poll,
            drafts,
            timings,
        } => {
            let opts = ServeOptions {
                build: BuildOptions {
                    drafts,
                    ..BuildOptions::new(root, marrow::today())
                },
                bind,
                port,
                open,
                poll,
                clock: marrow::today,
            };
            match marrow::serve(opts, move |event| report_serve(event, timings)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            timings,
        } => {
            let opts = BuildOptions {
                output,
                base_url,
                drafts,
                ..BuildOptions::new(root, marrow::today())
            };
            match marrow::build(&opts) {
                Ok(report) => {
                    if timings {
                        for phase in &report.phases {
                            eprintln!("{phase}");
                        }
                    }
                    // The result first: a note is advice, not a failure.
                    println!("{report}");
                    for warning in &report.warnings {
                        eprintln!("warning: {warning}");
                    }
                    for d in report.link_warnings.iter() {
                        eprintln!("{}\n", d.as_warning());
                    }
                    if !report.link_warnings.is_empty() {
                        let n = report.link_warnings.len();
                        eprintln!(
                            "{n} broken link{} reported as {} (`links: warn` in site.yaml)",
                            if n == 1 { "" } else { "s" },
                            if n == 1 { "a warning" } else { "warnings" }
                        );
                    }
                    for note in &report.notes {
                        eprintln!("note: {note}");
                    }
                    exit_now()
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

/// Prints what `marrow serve` is doing. Errors go to stderr in the same form
/// as `marrow build`'s (the browser overlay shows the same text). With
/// `timings`, a rebuild's stages come first.
fn report_serve(event: ServeEvent, timings: bool) {
    match event {
        ServeEvent::Listening {
            url,
            requested,
            exposed,
        } => {
            if let Some(port) = requested {
                println!("Port {port} is taken; using the next free one.");
            }
            if let Some(ip) = exposed {
                eprintln!(
                    "warning: listening on {ip}, so other computers that can reach this one \
                     can read the site, drafts included when --drafts is on.\n  \
                     Leave out --bind to keep it on this computer (127.0.0.1)."
                );
            }
            println!("Serving at {url} (Ctrl-C to stop)");
        }
        ServeEvent::Updated(update) => {
            if timings {
                for phase in &update.phases {
                    eprintln!("{phase}");
                }
            }
            let ms = update.elapsed.as_secs_f64() * 1000.0;
            if update.errors.is_empty() {
                println!("{} in {ms:.0} ms", update.summary);
            } else {
                eprintln!(
                    "{}\n({} in {ms:.0} ms; still serving the last good build)",
                    update.errors, update.summary
                );
            }
        }
        ServeEvent::OpenFailed(e) => eprintln!("could not open a browser: {e}"),
        ServeEvent::Stopped => println!("Stopped."),
    }
}

/// Ends a successful build at once, leaving the memory to the system:
/// under `perf`, the allocator's exit-time collection of a 10,000-page
/// build's heap was 2% of an everyday rebuild. Everything is written by
/// now; only the terminal streams are flushed.
fn exit_now() -> ExitCode {
    use std::io::Write;
    let flushed = std::io::stdout().flush().is_ok() && std::io::stderr().flush().is_ok();
    if !flushed {
        return ExitCode::from(1);
    }
    #[cfg(unix)]
    // SAFETY: `_exit` ends the process without running exit handlers or
    // destructors; no file of the build is still open for writing.
    unsafe {
        libc::_exit(0)
    }
    #[cfg(not(unix))]
    ExitCode::SUCCESS
}

fn worklist(opts: &BuildOptions, days: u32, format: Format) -> ExitCode {
    match marrow::worklist(opts, days) {
        Ok(list) => {
            match format {
                Format::Text => print!("{}", list.to_text()),
                Format::Json => println!("{}", list.to_json()),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(if matches!(e, BuildError::Content(_)) {
                1
            } else {
                2
            })
        }
    }
}

fn review(
    page: PathBuf,
    name: String,
    role: String,
    (date, next_review): (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>),
    root: PathBuf,
) -> ExitCode {
    use marrow::{RecordError, RecordRequest, Reviewer, record_review};
    let req = RecordRequest {
        root,
        page,
        reviewer: Reviewer {
            name: name.trim().to_string(),
            role: Some(role.trim().to_string()),
        },
        date,
        next_review,
    };
    match record_review(&req, marrow::today()) {
        Ok(done) => {
            println!(
                "Recorded a clinical review of {}: reviewed {} by {}; next review due {}.",
                done.page.display(),
                done.review.date,
                done.review.reviewer,
                done.review.next_review
            );
            if done.exempt {
                eprintln!(
                    "note: this page is not medical content under site.yaml's `review` settings, so the review is not shown on it"
                );
            }
            ExitCode::SUCCESS
        }
        Err(RecordError::Page(d)) => {
            eprintln!(
                "{d}
The review was not recorded: fix the front matter first."
            );
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!(
                "error: {e}
The review was not recorded."
            );
            ExitCode::from(1)
        }
    }
}

fn mark_translation(page: PathBuf, date: Option<chrono::NaiveDate>, root: PathBuf) -> ExitCode {
    let req = marrow::MarkRequest { root, page, date };
    match marrow::mark_translation(&req, marrow::today()) {
        Ok(done) => {
            println!(
                "Marked {} as translated from {} on {} (source fingerprint {}).",
                done.page.display(),
                done.source.display(),
                done.date,
                done.fingerprint
            );
            ExitCode::SUCCESS
        }
        Err(marrow::RecordError::Page(d)) => {
            eprintln!("{d}\nNothing was changed: fix the front matter first.");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: {e}\nNothing was changed.");
            ExitCode::from(1)
        }
    }
}

fn import(from: ImportFrom, src: PathBuf, into: PathBuf) -> ExitCode {
    let opts = marrow::ImportOptions {
        source: match from {
            ImportFrom::Hugo => marrow::ImportSource::Hugo,
            ImportFrom::Jekyll => marrow::ImportSource::Jekyll,
        },
        from: src,
        into: into.clone(),
        progress: Some(|done, total| {
            if total >= 500 {
                eprintln!("converted {done} of {total} pages");
            }
        }),
    };
    match marrow::import(&opts) {
        Ok(report) => {
            println!(
                "Imported {} pages and {} other files into {}.",
                report.pages,
                report.files,
                into.display()
            );
            if report.by_kind.is_empty() {
                println!("Everything was carried over.");
            } else {
                println!(
                    "{} lists what could not be carried over as it was:",
                    report.report.display()
                );
                for (kind, n) in &report.by_kind {
                    println!("  {n:>6}  {kind}");
                }
            }
            println!(
                "\nNext: marrow build --root {}   (problems inherited from the old site are warnings: see site.yaml `links`)",
                into.display()
            );
            ExitCode::SUCCESS
        }
        Err(e @ (marrow::ImportError::Refused(_) | marrow::ImportError::Config { .. })) => {
            eprintln!("error: {e}\nNothing was imported.");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!(
                "error: {e}\nThe import stopped: empty {} before trying again.",
                into.display()
            );
            ExitCode::from(1)
        }
    }
}

fn new(what: New) -> ExitCode {
    let today = marrow::today();
    let result = match &what {
        New::Site { dir, title } => marrow::new_site(dir, title, today).map(|files| {
            println!("Wrote a starter site to {}:", dir.display());
            for f in files {
                println!("  {}", f.display());
            }
            println!(
                "\nNext: cd {} && marrow serve   (then marrow check before publishing)",
                dir.display()
            );
        }),
        New::Page { path, title } => marrow::new_page(path, title, today).map(|()| {
            println!(
                "Wrote {}: fill in its front matter, then write the page.",
                path.display()
            )
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e @ ScaffoldError::Refused(_)) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
