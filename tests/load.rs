//! `marrow serve` under load: 20,000 requests from eight concurrent
//! keep-alive clients over loopback while a page is edited and rebuilt
//! again and again. No request may fail, no response may mix two versions
//! of the page, and the server's memory must not grow with the run.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use common::copy_fixture;
use common::server::Server;

const CLIENTS: usize = 8;
const REQUESTS_PER_CLIENT: usize = 2_500;
const TOTAL: usize = CLIENTS * REQUESTS_PER_CLIENT;
/// Edits of the page during the run.
const EDITS: usize = 20;
/// A client stops here even if the edits are not all served yet: a server
/// that never serves an edit fails the test instead of hanging it. Ten
/// times what a working server needs.
const MAX_REQUESTS_PER_CLIENT: usize = 10 * REQUESTS_PER_CLIENT;
const PAGE: &str = "/process/conditioning/";

/// One keep-alive connection: requests go out one after another.
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Client {
    fn connect(port: u16) -> Client {
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream.set_nodelay(true).unwrap();
        Client {
            reader: BufReader::new(stream.try_clone().unwrap()),
            writer: stream,
        }
    }

    /// (status, body) of `GET path`, or an error text.
    fn get(&mut self, path: &str) -> Result<(u16, String), String> {
        // One write per request (several small writes would wait for
        // delayed ACKs).
        self.writer
            .write_all(format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())
            .map_err(|e| format!("write: {e}"))?;
        let mut line = String::new();
        self.reader
            .read_line(&mut line)
            .map_err(|e| format!("status line: {e}"))?;
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("bad status line {line:?}"))?;
        let mut length = None;
        loop {
            line.clear();
            self.reader
                .read_line(&mut line)
                .map_err(|e| format!("header: {e}"))?;
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                length = v.trim().parse::<usize>().ok();
            }
        }
        let length = length.ok_or("no content-length")?;
        let mut body = vec![0; length];
        self.reader
            .read_exact(&mut body)
            .map_err(|e| format!("body: {e}"))?;
        Ok((status, String::from_utf8_lossy(&body).into_owned()))
    }
}

/// The fixture page as version `n`: a marker opens and closes its body,
/// so a response built from two versions shows two numbers.
fn version(original: &str, n: usize) -> String {
    let (front, body) = original
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .expect("fixture page has front matter");
    format!("---\n{front}\n---\nvstart-{n}-x\n\n{body}\n\nvend-{n}-x\n")
}

fn markers(body: &str, tag: &str) -> Vec<String> {
    body.match_indices(tag)
        .map(|(at, _)| {
            body[at + tag.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect()
        })
        .collect()
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Writes like an editor that saves atomically (temporary file + rename).
fn save(path: &Path, text: &str) {
    let tmp = path.with_extension("md.saving");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

#[test]
fn twenty_thousand_requests_during_edits_all_succeed_and_never_mix_versions() {
    let (_tmp, root) = copy_fixture("basic");
    let page = root.join("content/process/conditioning.md");
    let original = std::fs::read_to_string(&page).unwrap();
    save(&page, &version(&original, 0));
    let server = Server::start(&root, &[]);
    let port = server.port;
    assert!(
        server
            .wait_for(PAGE, "vstart-0-x")
            .body
            .contains("vend-0-x")
    );

    // Paced by work done, not by the clock, so that a faster or slower
    // machine runs the same test: edit n is saved once n/(EDITS + 1) of the
    // requests are served and only after a client has been served edit
    // n − 1; the clients go on until every edit has been served.
    let editing = Arc::new(AtomicBool::new(true));
    let served = Arc::new(AtomicUsize::new(0));
    let newest_seen = Arc::new(AtomicUsize::new(0));
    let clients_done = Arc::new(AtomicUsize::new(0));
    let editor = {
        let (editing, served) = (Arc::clone(&editing), Arc::clone(&served));
        let (newest_seen, clients_done) = (Arc::clone(&newest_seen), Arc::clone(&clients_done));
        let page = page.clone();
        std::thread::spawn(move || {
            // Waits for `ready`, unless every client has stopped (then
            // the test fails below, on what was served).
            let wait = |ready: &dyn Fn() -> bool| {
                while !ready() && clients_done.load(Ordering::SeqCst) < CLIENTS {
                    std::thread::yield_now();
                }
                ready()
            };
            let mut saved = 0;
            for n in 1..=EDITS {
                if !wait(&|| served.load(Ordering::SeqCst) >= n * TOTAL / (EDITS + 1)) {
                    break;
                }
                save(&page, &version(&original, n));
                saved = n;
                if !wait(&|| newest_seen.load(Ordering::SeqCst) >= n) {
                    break;
                }
            }
            editing.store(false, Ordering::SeqCst);
            saved
        })
    };
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (editing, served) = (Arc::clone(&editing), Arc::clone(&served));
            let (newest_seen, clients_done) = (Arc::clone(&newest_seen), Arc::clone(&clients_done));
            std::thread::spawn(move || {
                let mut client = Client::connect(port);
                let mut problems = Vec::new();
                // The newest version this client was served: over one
                // connection, versions never go back.
                let mut newest = 0;
                let mut i = 0;
                while (i < REQUESTS_PER_CLIENT || editing.load(Ordering::SeqCst))
                    && i < MAX_REQUESTS_PER_CLIENT
                {
                    // Mostly the edited page; also other pages and assets.
                    let path = match (c + i) % 5 {
                        0 => "/",
                        1 => "/marrow.css",
                        _ => PAGE,
                    };
                    i += 1;
                    match client.get(path) {
                        Ok((200, body)) => {
                            if path == PAGE {
                                let (a, b) = (markers(&body, "vstart-"), markers(&body, "vend-"));
                                if a.len() != 1 || a != b {
                                    problems.push(format!("mixed versions {a:?} / {b:?}"));
                                } else if let Ok(v) = a[0].parse::<usize>() {
                                    if v < newest {
                                        problems.push(format!("version {v} after {newest}"));
                                    }
                                    newest = newest.max(v);
                                    newest_seen.fetch_max(v, Ordering::SeqCst);
                                }
                            }
                        }
                        Ok((status, _)) => problems.push(format!("{path}: status {status}")),
                        Err(e) => {
                            problems.push(format!("{path}: {e}"));
                            client = Client::connect(port);
                        }
                    }
                    served.fetch_add(1, Ordering::SeqCst);
                }
                clients_done.fetch_add(1, Ordering::SeqCst);
                problems
            })
        })
        .collect();
    // Memory once the run is under way (a quarter of the requests served),
    // then at the end.
    while served.load(Ordering::SeqCst) < TOTAL / 4 && !clients.iter().any(|c| c.is_finished()) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let rss_early = rss_kib(server.pid());
    let problems: Vec<String> = clients
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    let edits = editor.join().unwrap();
    let rss_end = rss_kib(server.pid());
    let (served, newest) = (
        served.load(Ordering::SeqCst),
        newest_seen.load(Ordering::SeqCst),
    );
    eprintln!("{served} requests during {edits} edits; RSS {rss_early} → {rss_end} KiB");
    assert!(
        problems.is_empty(),
        "{} problems, first: {:?}",
        problems.len(),
        &problems[..problems.len().min(5)]
    );
    assert!(served >= TOTAL, "{served} requests");
    assert_eq!(
        (edits, newest),
        (EDITS, EDITS),
        "edits saved, and the newest version served, in {served} requests"
    );
    assert!(
        rss_end < rss_early + rss_early / 2 + 16 * 1024,
        "memory grew from {rss_early} to {rss_end} KiB"
    );
}
