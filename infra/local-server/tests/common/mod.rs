//! The local server as a user runs it: the binary started with its environment, its banner
//! read, requests made over real HTTP on loopback, and the process stopped however a test ends.

#![allow(dead_code)] // each test file uses its own part of this

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running local server and what its banner printed.
pub struct Server {
    child: Child,
    pub base: String,
    pub slug: String,
    pub admin_key: String,
    pub agent_token: String,
    /// The operator key it was started with.
    pub operator_key: String,
    /// The banner's "Try:" lines, as printed (leading spaces trimmed).
    pub try_lines: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The peak resident memory of the process so far (VmHWM), in MiB.
    pub fn peak_memory_mib(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).expect("/proc status");
        let kib: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM");
        kib / 1024.0
    }
}

pub fn get(base: &str, path: &str) -> (u16, serde_json::Value) {
    request(base, "GET", path, None, None)
}

pub fn request(
    base: &str,
    method: &str,
    path: &str,
    body: Option<serde_json::Value>,
    bearer: Option<&str>,
) -> (u16, serde_json::Value) {
    let authority = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(authority).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let auth = bearer.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n{auth}\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    let status: u16 = raw.split(' ').nth(1).unwrap().parse().unwrap();
    let body = raw.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    (status, serde_json::from_str(body).unwrap_or(serde_json::Value::Null))
}

/// Starts the binary as `./infra/run-local.sh` does and reads its banner.
pub fn start(table: &str, outbox: &std::path::Path) -> Server {
    start_with(table, outbox, &[])
}

/// The same, with more of the environment set (`name`, `value`): another DynamoDB, say.
pub fn start_with(table: &str, outbox: &std::path::Path, env: &[(&str, &str)]) -> Server {
    assert!(std::env::var_os("AWS_ENDPOINT_URL_DYNAMODB").is_some(), "needs DynamoDB Local: run ./infra/test.sh");
    let operator_key = format!("{:048x}", std::process::id() as u128 * 0x9e37_79b9_7f4a_7c15 + 7);
    let child = Command::new(env!("CARGO_BIN_EXE_local-server"))
        .env("PORT", "0")
        .env("OPERATOR_KEY", &operator_key)
        .env("MAIL_OUTBOX_DIR", outbox)
        .env("TABLE_NAME", format!("{table}-{}", std::process::id()))
        .env("SCHEDULER_START_AT", "2027-03-24T08:00:00Z")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start local-server");
    let mut server = Server {
        child,
        base: String::new(),
        slug: String::new(),
        admin_key: String::new(),
        agent_token: String::new(),
        operator_key,
        try_lines: Vec::new(),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut lines = BufReader::new(server.child.stdout.take().unwrap()).lines();
    for line in lines.by_ref() {
        let line = line.unwrap();
        let value = |label: &str| {
            line.trim().strip_prefix(label).map(|rest| rest.split_whitespace().next().unwrap_or("").to_string())
        };
        if let Some(rest) = line.split("listening on ").nth(1) {
            server.base = rest.split_whitespace().next().unwrap().to_string();
        }
        if let Some(key) = value("admin key") {
            server.admin_key = key;
        }
        if let Some(token) = value("agent token") {
            server.agent_token = token;
        }
        if let Some(slug) = value("booking slug") {
            server.slug = slug;
        }
        if !server.try_lines.is_empty() || line.trim() == "Try:" {
            server.try_lines.push(line.trim().to_string());
        }
        // The last line of the banner.
        if line.contains("/v1/me/availability") {
            break;
        }
        assert!(Instant::now() < deadline, "the server did not print its banner in time");
    }
    assert!(!server.slug.is_empty(), "the banner names the booking slug");
    // Keep reading what the server prints, as a terminal would, for as long as it runs.
    std::thread::spawn(move || lines.for_each(drop));
    server
}
