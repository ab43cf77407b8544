//! Watching the site's inputs with notify, and coalescing an editor's burst
//! of events (write to a temporary file, rename over, touch metadata) into
//! one batch.
//!
//! The debounce is short on purpose: a batch closes once the folder has
//! been quiet for [`QUIET`], and never waits longer than [`MAX_WAIT`], so a
//! save shows up in the browser in tens of milliseconds.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use notify::event::{MetadataKind, ModifyKind};
use notify::{Config, Event, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

/// How long the inputs must be quiet before a batch is processed.
pub(crate) const QUIET: Duration = Duration::from_millis(8);
/// The longest a batch waits for quiet.
pub(crate) const MAX_WAIT: Duration = Duration::from_millis(100);
/// Poll interval of `--poll`.
pub(crate) const POLL_INTERVAL: Duration = Duration::from_millis(200);

/// Keeps the watcher alive; dropping it stops watching.
pub(crate) struct Watching {
    _watcher: Arc<Mutex<Box<dyn Watcher + Send>>>,
    /// File events seen so far, counted as they happen (before they are
    /// batched), so long work can stop as soon as an edit is coming.
    seen: Arc<AtomicU64>,
}

impl Watching {
    /// The count of file events seen, kept up to date.
    pub(crate) fn events_seen(&self) -> Arc<AtomicU64> {
        Arc::clone(&self.seen)
    }
}

/// Starts watching `root` (its input folders and `site.yaml`). Batches of
/// changed paths arrive on the returned receiver.
pub(crate) fn watch(root: &Path, poll: bool) -> notify::Result<(Watching, Receiver<Vec<PathBuf>>)> {
    let (raw_tx, raw_rx) = channel::<PathBuf>();
    let seen = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&seen);
    let handler = move |res: notify::Result<Event>| {
        if let Ok(event) = res {
            // Reading a file (as every rebuild does) is not a change.
            if !changes_content(&event.kind) {
                return;
            }
            counter.fetch_add(1, Ordering::SeqCst);
            for path in event.paths {
                let _ = raw_tx.send(path);
            }
        }
    };
    let mut watcher: Box<dyn Watcher + Send> = if poll {
        Box::new(PollWatcher::new(
            handler,
            Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(true),
        )?)
    } else {
        Box::new(RecommendedWatcher::new(handler, Config::default())?)
    };
    // The root itself, not recursively: `site.yaml`, and input folders
    // created after start-up.
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    for dir in crate::content::inputs::DIRS {
        let path = root.join(dir);
        if path.is_dir() {
            watcher.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    let watcher = Arc::new(Mutex::new(watcher));
    let (batch_tx, batch_rx) = channel();
    let root = root.to_path_buf();
    let shared = Arc::clone(&watcher);
    std::thread::Builder::new()
        .name("marrow-debounce".into())
        .spawn(move || debounce(&raw_rx, &batch_tx, &root, &shared))
        .map_err(|e| notify::Error::generic(&e.to_string()))?;
    Ok((
        Watching {
            _watcher: watcher,
            seen,
        },
        batch_rx,
    ))
}

/// Whether an event may change what a build reads: creation, removal,
/// renames and writes; not opening, reading or access-time updates.
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => false,
        EventKind::Any
        | EventKind::Create(_)
        | EventKind::Modify(_)
        | EventKind::Remove(_)
        | EventKind::Other => true,
    }
}

/// Groups raw events into batches until the channel closes.
fn debounce(
    raw: &Receiver<PathBuf>,
    batches: &Sender<Vec<PathBuf>>,
    root: &Path,
    watcher: &Mutex<Box<dyn Watcher + Send>>,
) {
    while let Ok(first) = raw.recv() {
        let started = Instant::now();
        let mut paths = BTreeSet::from([first]);
        loop {
            let left = MAX_WAIT.saturating_sub(started.elapsed());
            if left.is_zero() {
                break;
            }
            match raw.recv_timeout(QUIET.min(left)) {
                Ok(p) => {
                    paths.insert(p);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        // An input folder created while serving (say `templates/`) is only
        // seen by the shallow root watch: watch inside it from now on.
        for dir in crate::content::inputs::DIRS {
            let path = root.join(dir);
            if paths.contains(&path) && path.is_dir() {
                let mut w = watcher.lock().unwrap_or_else(|p| p.into_inner());
                let _ = w.watch(&path, RecursiveMode::Recursive);
            }
        }
        let batch: Vec<PathBuf> = paths.into_iter().filter(|p| p.starts_with(root)).collect();
        if !batch.is_empty() && batches.send(batch).is_err() {
            return;
        }
    }
}
