//! `marrow serve`: build into memory, serve over HTTP, watch the inputs,
//! rebuild what changed and tell the browser to reload.
//!
//! Three parts, one per module: [`watch`] turns file-system events into
//! batches of changed paths; [`engine`] turns a batch into the smallest
//! correct rebuild and keeps the last good build; [`http`] serves that build
//! from memory with the live-reload script. Nothing here writes to the
//! output folder, so a serve session never leaves a half-written site.

pub(crate) mod engine;
pub(crate) mod http;
mod pages;
pub(crate) mod watch;

use axum::serve::ListenerExt;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use crate::pipeline::BuildOptions;
use engine::Engine;
pub use engine::{Refresh, Update};
use http::{LiveEvent, Shared, Snapshot};

/// How often a quiet session checks whether the date has changed.
const DATE_CHECK: Duration = Duration::from_secs(60);

/// How many ports after the requested one are tried when it is taken.
const PORT_ATTEMPTS: u16 = 20;

/// Options of `marrow serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// What to build.
    pub build: BuildOptions,
    /// Address to listen on; 127.0.0.1 unless the user asks otherwise.
    pub bind: IpAddr,
    /// Port to try first (0: any free port).
    pub port: u16,
    /// Open the site in the default browser.
    pub open: bool,
    /// Poll the file system instead of relying on change events.
    pub poll: bool,
    /// Today's date, asked again before each rebuild so a session left
    /// running past midnight shows the new day's review states.
    pub clock: fn() -> chrono::NaiveDate,
}

/// What happens while serving, for the caller to report.
#[derive(Debug)]
pub enum ServeEvent {
    /// The server is listening. `url` is one to open on this machine;
    /// `requested` is set when that port was taken; `exposed` holds the
    /// bind address when it is not loopback, so other machines can connect.
    Listening {
        /// The address to open.
        url: String,
        /// The port asked for, when it was taken.
        requested: Option<u16>,
        /// The bind address, when other machines can connect.
        exposed: Option<IpAddr>,
    },
    /// A build or rebuild finished (maybe with errors).
    Updated(Update),
    /// The browser could not be opened.
    OpenFailed(String),
    /// Ctrl-C: the server stopped.
    Stopped,
}

#[derive(Debug, thiserror::Error)]
/// Why `marrow serve` could not start.
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    /// The address could not be listened on.
    Bind {
        /// The address.
        addr: SocketAddr,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    #[error("cannot watch {path} for changes: {source}")]
    /// The site could not be watched for changes.
    Watch {
        /// The site's folder.
        path: String,
        /// What the watcher said.
        #[source]
        source: notify::Error,
    },
    #[error("cannot start the server: {0}")]
    /// The server could not start.
    Runtime(#[from] std::io::Error),
}

/// Serves the site until Ctrl-C. `report` is called for every event.
pub fn serve(
    mut opts: ServeOptions,
    report: impl Fn(ServeEvent) + Send + Sync + 'static,
) -> Result<(), ServeError> {
    // Watch events carry absolute paths: compare against the real root.
    opts.build.root = std::path::absolute(&opts.build.root)?;
    if let Ok(real) = opts.build.root.canonicalize() {
        opts.build.root = real;
    }
    let (listener, requested) = bind(opts.bind, opts.port)?;
    let addr = listener.local_addr()?;
    // 0.0.0.0 and :: are not addresses a browser can open: offer loopback.
    let url = match addr.ip() {
        IpAddr::V6(ip) if ip.is_unspecified() => format!("http://[::1]:{}/", addr.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", addr.port()),
        IpAddr::V4(ip) if ip.is_unspecified() => format!("http://127.0.0.1:{}/", addr.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}/", addr.port()),
    };
    let report = Arc::new(report);

    let shared = Shared::new();
    let mut engine = Engine::new(opts.build.clone(), opts.clock);
    let first = engine.start();
    publish(&shared, &engine, &first);
    report(ServeEvent::Updated(first));

    let (watching, batches) =
        watch::watch(&opts.build.root, opts.poll).map_err(|source| ServeError::Watch {
            path: opts.build.root.display().to_string(),
            source,
        })?;
    {
        let (shared, report) = (Arc::clone(&shared), Arc::clone(&report));
        let seen = watching.events_seen();
        std::thread::Builder::new()
            .name("marrow-rebuild".into())
            .spawn(move || {
                catch_up(&mut engine, &shared, &seen, &*report);
                rebuild_as_files_change(engine, (&batches, &seen), &shared, &*report)
            })?;
    }

    report(ServeEvent::Listening {
        url: url.clone(),
        requested,
        exposed: (!addr.ip().is_loopback()).then_some(addr.ip()),
    });
    if opts.open
        && let Err(e) = open_browser(&url)
    {
        report(ServeEvent::OpenFailed(e.to_string()));
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        listener.set_nonblocking(true)?;
        // Without TCP_NODELAY a keep-alive response written in two parts
        // waits ~40 ms for the client's delayed ACK (Nagle).
        let listener = tokio::net::TcpListener::from_std(listener)?.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let hosts = if opts.bind.is_loopback() {
            http::AllowedHosts::Loopback
        } else {
            http::AllowedHosts::Any
        };
        let app = http::router(Arc::clone(&shared), hosts);
        let stopping = Arc::clone(&shared);
        let server = axum::serve(listener, app).with_graceful_shutdown(async move {
            let _ = tokio::signal::ctrl_c().await;
            // End the live-reload streams so open pages do not hold the
            // server up.
            stopping.notify(LiveEvent::Shutdown);
        });
        let server = tokio::spawn(async move { server.await });
        let _ = tokio::signal::ctrl_c().await;
        // Give open connections a moment to finish, then stop regardless.
        let _ = tokio::time::timeout(Duration::from_secs(3), server).await;
        Ok::<(), std::io::Error>(())
    })?;
    drop(watching);
    report(ServeEvent::Stopped);
    Ok(())
}

/// Applies each batch of changed files to the engine and publishes the
/// result, until the watcher stops. The search index catches up when no
/// other change is waiting; a quiet session checks the date now and then.
fn rebuild_as_files_change(
    mut engine: Engine,
    (batches, seen): (&Receiver<Vec<PathBuf>>, &AtomicU64),
    shared: &Shared,
    report: &(impl Fn(ServeEvent) + ?Sized),
) {
    let mut waiting = None;
    loop {
        let batch = match waiting.take() {
            Some(batch) => batch,
            None => match batches.recv_timeout(DATE_CHECK) {
                Ok(batch) => batch,
                Err(RecvTimeoutError::Timeout) => {
                    // Past midnight: review states move on.
                    if let Some(update) = engine.new_day() {
                        publish(shared, &engine, &update);
                        report(ServeEvent::Updated(update));
                    }
                    catch_up(&mut engine, shared, seen, report);
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => break,
            },
        };
        let update = engine.apply(&batch);
        // An empty update: nothing relevant changed.
        if update.refresh != Refresh::None || !update.summary.is_empty() {
            publish(shared, &engine, &update);
            report(ServeEvent::Updated(update));
        }
        // The page has reloaded; now let search catch up, unless another
        // change is already waiting: an edit never waits behind the index
        // (it stays stale until a quiet moment).
        if let Ok(next) = batches.try_recv() {
            waiting = Some(next);
            continue;
        }
        catch_up(&mut engine, shared, seen, report);
    }
}

/// What follows a published change: the templates of the pages nobody
/// has asked for are checked (their errors are reported as a build's
/// would be), then the search index is brought up to date. Both stop as
/// soon as a file changes (`seen` moves): the edit goes first, and they
/// start again at the next quiet moment.
fn catch_up(
    engine: &mut Engine,
    shared: &Shared,
    seen: &AtomicU64,
    report: &(impl Fn(ServeEvent) + ?Sized),
) {
    let start = seen.load(Ordering::SeqCst);
    let stop = || seen.load(Ordering::SeqCst) != start;
    if let Some(update) = engine.render_markdown(&stop) {
        publish(shared, engine, &update);
        report(ServeEvent::Updated(update));
    }
    if let Some(update) = engine.check_pages(&stop) {
        publish(shared, engine, &update);
        report(ServeEvent::Updated(update));
    }
    if engine.reindex(&stop).is_some() {
        let errors = shared.current().errors.clone();
        shared.publish(Snapshot {
            files: engine.files().unwrap_or_default(),
            pages: engine.build(),
            errors,
        });
    }
}

/// Binds `ip:port`, or the next free port when it is taken.
fn bind(ip: IpAddr, port: u16) -> Result<(TcpListener, Option<u16>), ServeError> {
    let attempts = if port == 0 { 1 } else { PORT_ATTEMPTS };
    let mut first_error = None;
    for offset in 0..attempts {
        let Some(candidate) = port.checked_add(offset) else {
            break;
        };
        let addr = SocketAddr::new(ip, candidate);
        match TcpListener::bind(addr) {
            Ok(l) => return Ok((l, (offset > 0).then_some(port))),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                first_error.get_or_insert((addr, e));
            }
            Err(source) => return Err(ServeError::Bind { addr, source }),
        }
    }
    let (addr, source) = first_error.unwrap_or_else(|| {
        (
            SocketAddr::new(ip, port),
            std::io::Error::new(std::io::ErrorKind::AddrInUse, "no free port"),
        )
    });
    Err(ServeError::Bind { addr, source })
}

/// Makes a finished update visible: new files first, then the events.
fn publish(shared: &Shared, engine: &Engine, update: &Update) {
    let errors = if update.errors.is_empty() {
        String::new()
    } else {
        update.errors.to_string()
    };
    let errors_changed = shared.current().errors != errors;
    shared.publish(Snapshot {
        files: engine.files().unwrap_or_default(),
        pages: engine.build(),
        errors: errors.clone(),
    });
    if errors_changed {
        shared.notify(LiveEvent::Errors(errors));
    }
    match &update.refresh {
        Refresh::None => {}
        Refresh::All => shared.notify(LiveEvent::Reload(vec!["*".into()])),
        Refresh::Pages(paths) => shared.notify(LiveEvent::Reload(paths.clone())),
        Refresh::Styles => shared.notify(LiveEvent::Styles),
    }
}

fn open_browser(url: &str) -> std::io::Result<()> {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
}
