//! Running `marrow serve` in tests: start it on an OS-chosen port, talk to
//! it over raw sockets (so requests go out byte for byte as written) and
//! follow its live-reload event stream.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// A running `marrow serve`, killed on drop.
pub struct Server {
    child: Child,
    pub port: u16,
    /// The address it printed ("Serving at URL").
    pub url: String,
    /// What it printed before it was ready.
    pub log: Vec<String>,
    pub output: Receiver<String>,
}

impl Server {
    /// Starts `marrow serve --root ROOT --port 0` plus `extra` and waits for
    /// its "Serving at" line.
    pub fn start(root: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_marrow"))
            .args(["serve", "--root", root.to_str().unwrap()])
            .args(if extra.contains(&"--port") {
                &[][..]
            } else {
                &["--port", "0"][..]
            })
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start marrow serve");
        let output = lines(child.stdout.take().unwrap(), child.stderr.take().unwrap());
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut log = Vec::new();
        let (url, port) = loop {
            let line = output
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("serve did not start; output: {log:?}"));
            if let Some(rest) = line.split("Serving at ").nth(1) {
                let url = rest.split(' ').next().unwrap().to_string();
                let authority = url.strip_prefix("http://").unwrap().trim_end_matches('/');
                let port = authority.rsplit_once(':').unwrap().1.parse().unwrap();
                break (url, port);
            }
            log.push(line);
        };
        Server {
            child,
            port,
            url,
            log,
            output,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the process to exit (after a signal), returning its code.
    pub fn wait_exit(&mut self, within: Duration) -> Option<i32> {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// `GET path` (written exactly as given).
    pub fn get(&self, path: &str) -> Response {
        request(
            self.port,
            &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
        )
    }

    /// `HEAD path` (written exactly as given).
    pub fn head(&self, path: &str) -> Response {
        request(
            self.port,
            &format!("HEAD {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
        )
    }

    /// `GET path` with the given `Host` header.
    pub fn get_as(&self, host: &str, path: &str) -> Response {
        request(
            self.port,
            &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        )
    }

    /// Follows the live-reload event stream, past the current state the
    /// server sends on connect (an `errors` event), so the next event is
    /// the answer to whatever the test does next.
    pub fn connected_events(&self) -> Events {
        let events = self.events();
        events.expect("errors", Duration::from_secs(10));
        events
    }

    /// Follows the live-reload event stream.
    pub fn events(&self) -> Events {
        Events::connect(self.port)
    }

    /// Polls `path` until its body contains `text`.
    pub fn wait_for(&self, path: &str, text: &str) -> Response {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let r = self.get(path);
            if r.body.contains(text) || Instant::now() > deadline {
                return r;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn lines(stdout: ChildStdout, stderr: std::process::ChildStderr) -> Receiver<String> {
    let (tx, rx) = channel();
    let tx2 = tx.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx2.send(line);
        }
    });
    rx
}

/// A parsed HTTP response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends `raw` to 127.0.0.1:port and reads the whole response.
pub fn request(port: u16, raw: &str) -> Response {
    request_to(SocketAddr::from(([127, 0, 0, 1], port)), raw)
}

/// Sends `raw` to `addr` and reads the whole response.
pub fn request_to(addr: SocketAddr, raw: &str) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Response {
        status,
        headers,
        body: body.to_string(),
    }
}

/// One Server-Sent Event.
#[derive(Debug, Clone)]
pub struct Event {
    pub name: String,
    pub data: String,
}

/// A live connection to the event stream.
pub struct Events {
    rx: Receiver<Event>,
}

impl Events {
    fn connect(port: u16) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream
            .write_all(b"GET /__marrow/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
            .unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let reader = BufReader::new(stream);
            let mut name = String::new();
            for line in reader.lines().map_while(Result::ok) {
                // Chunked framing lines (sizes) are skipped: events are
                // recognised by their field names.
                if let Some(v) = line.strip_prefix("event: ") {
                    name = v.to_string();
                } else if let Some(data) = line.strip_prefix("data: ") {
                    let event = Event {
                        name: name.clone(),
                        data: data.to_string(),
                    };
                    if tx.send(event).is_err() {
                        return;
                    }
                }
            }
        });
        Events { rx }
    }

    /// The next event named `name` within `within`, skipping others.
    pub fn expect(&self, name: &str, within: Duration) -> Event {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(e) if e.name == name => return e,
                Ok(_) => {}
                Err(_) => panic!("no `{name}` event within {within:?}"),
            }
        }
    }

    /// Drops events already received.
    pub fn drain(&self) {
        while self.rx.try_recv().is_ok() {}
    }
}
