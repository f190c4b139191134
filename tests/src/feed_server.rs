//! A calendar feed on loopback for the tests: serves one body with an ETag, answers conditional
//! requests with 304, can be told to fail, and remembers what it was asked.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

#[derive(Default)]
struct State {
    status: u16,
    body: String,
    etag: String,
    requests: usize,
    conditional: usize,
}

pub struct FeedServer {
    pub url: String,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    port: u16,
}

impl FeedServer {
    pub fn start(body: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State {
            status: 200,
            body: body.to_string(),
            etag: "\"v1\"".into(),
            ..Default::default()
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let (shared, stopping) = (state.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    return;
                }
                if let Ok(stream) = stream {
                    answer(stream, &shared);
                }
            }
        });
        Self { url: format!("http://127.0.0.1:{port}/calendar.ics"), state, stop, port }
    }

    /// From now on answer with this status (and, for 200, this body under a new ETag).
    pub fn set(&self, status: u16, body: Option<&str>) {
        let mut state = self.state.lock().unwrap();
        state.status = status;
        if let Some(body) = body {
            state.body = body.to_string();
            state.etag = format!("\"v{}\"", state.requests + 2);
        }
    }

    pub fn requests(&self) -> usize {
        self.state.lock().unwrap().requests
    }

    /// Requests that carried the current ETag in If-None-Match.
    pub fn conditional_requests(&self) -> usize {
        self.state.lock().unwrap().conditional
    }
}

impl Drop for FeedServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn answer(mut stream: TcpStream, state: &Mutex<State>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut if_none_match = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("if-none-match") {
                if_none_match = Some(value.trim().to_string());
            }
        }
    }
    let mut s = state.lock().unwrap();
    s.requests += 1;
    let reply = if s.status == 200 && if_none_match.as_deref() == Some(s.etag.as_str()) {
        s.conditional += 1;
        "HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n".to_string()
    } else if s.status == 200 {
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nETag: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
            s.etag,
            s.body.len(),
            s.body
        )
    } else {
        format!("HTTP/1.1 {} Failing\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", s.status)
    };
    let _ = stream.write_all(reply.as_bytes());
}
