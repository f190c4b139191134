//! A webhook receiver on loopback for the tests: records every POST (headers and body), answers
//! with the statuses it is told (in turn, then 200), and can be told to hang (never answer).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// One request as it arrived.
#[derive(Clone, Debug)]
pub struct Received {
    pub headers: HashMap<String, String>,
    pub body: String,
}

#[derive(Default)]
struct State {
    answers: Vec<u16>,
    hang: bool,
    received: Vec<Received>,
}

pub struct Receiver {
    pub url: String,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    port: u16,
}

impl Receiver {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (shared, stopping) = (state.clone(), stop.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    return;
                }
                if let Ok(stream) = stream {
                    let shared = shared.clone();
                    std::thread::spawn(move || answer(stream, &shared));
                }
            }
        });
        Self { url: format!("http://127.0.0.1:{port}/hooks"), state, stop, port }
    }

    /// The next requests get these statuses, in turn; after them, 200.
    pub fn answer_with(&self, statuses: &[u16]) {
        self.state.lock().unwrap().answers = statuses.iter().rev().copied().collect();
    }

    /// From now on, read the request and never answer (or answer again, with `false`).
    pub fn hang(&self, hang: bool) {
        self.state.lock().unwrap().hang = hang;
    }

    pub fn received(&self) -> Vec<Received> {
        self.state.lock().unwrap().received.clone()
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn answer(mut stream: TcpStream, state: &Mutex<State>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut headers = HashMap::new();
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.trim_end().split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    let length: usize = headers.get("content-length").and_then(|l| l.parse().ok()).unwrap_or(0).min(1 << 20);
    let mut body = vec![0u8; length];
    let _ = reader.read_exact(&mut body);
    let (status, hang) = {
        let mut state = state.lock().unwrap();
        state.received.push(Received { headers, body: String::from_utf8_lossy(&body).to_string() });
        (state.answers.pop().unwrap_or(200), state.hang)
    };
    if hang {
        // Hold the connection open, answering nothing, until the caller gives up.
        let _ = stream.read(&mut [0u8; 1]);
        return;
    }
    let _ = write!(stream, "HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
}
