//! A cold-start bench: a stand-in for the Lambda Runtime API on loopback that starts a bootstrap
//! the way Lambda does (environment, no arguments), hands it one API Gateway event and times,
//! from `exec`, its first request for work (`GET …/invocation/next`: the init phase) and its
//! first response (`POST …/response`: the first request served). Repeated `--runs` times, each a
//! fresh process; prints the median, the 90th percentile and the fastest run.
//!
//!     cold-start --bootstrap target/release/bootstrap --env SCHEDULER_FUNCTION=health --runs 20
//!
//! Also the stand-in for `infra/arm64-health.sh`, which runs an arm64 bootstrap under qemu:
//! `--wrapper qemu-aarch64` prefixes the command, `--expect 200` checks the response's status.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const EVENT: &str = include_str!("../../../tests/fixtures/apigw/rest-get-health.json");
const REQUEST_ID: &str = "cold-start-0000";

struct Args {
    bootstrap: String,
    wrapper: Option<String>,
    env: Vec<(String, String)>,
    runs: usize,
    label: String,
    expect: Option<u16>,
    timeout: Duration,
}

fn args() -> Args {
    let mut a = Args {
        bootstrap: String::new(),
        wrapper: None,
        env: Vec::new(),
        runs: 20,
        label: String::new(),
        expect: None,
        timeout: Duration::from_secs(30),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--bootstrap" => a.bootstrap = value(),
            "--wrapper" => a.wrapper = Some(value()),
            "--env" => {
                let pair = value();
                let (k, v) = pair.split_once('=').expect("--env NAME=VALUE");
                a.env.push((k.into(), v.into()));
            }
            "--runs" => a.runs = value().parse().expect("--runs N"),
            "--label" => a.label = value(),
            "--expect" => a.expect = Some(value().parse().expect("--expect STATUS")),
            "--timeout-seconds" => a.timeout = Duration::from_secs(value().parse().expect("seconds")),
            other => panic!("unknown flag {other}"),
        }
    }
    assert!(!a.bootstrap.is_empty(), "--bootstrap PATH");
    if a.label.is_empty() {
        a.label = a.bootstrap.clone();
    }
    a
}

/// One HTTP/1.1 request as the runtime client sends it: method, path and body.
fn read_request(reader: &mut BufReader<TcpStream>) -> Option<(String, String, Vec<u8>)> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next()?.to_string(), parts.next()?.to_string());
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length.min(6 << 20)];
    reader.read_exact(&mut body).ok()?;
    Some((method, path, body))
}

fn respond(stream: &mut TcpStream, status: &str, headers: &[(&str, String)], body: &[u8]) {
    let mut head = format!("HTTP/1.1 {status}\r\ncontent-length: {}\r\n", body.len());
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
}

struct Run {
    next: Duration,
    response: Duration,
    status: Option<u16>,
}

fn start(a: &Args, api: &str) -> Child {
    let mut command = match &a.wrapper {
        Some(wrapper) => {
            let mut c = Command::new(wrapper);
            c.arg(&a.bootstrap);
            c
        }
        None => Command::new(&a.bootstrap),
    };
    // Only what Lambda would set, and what the caller names: nothing of this shell leaks in.
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AWS_LAMBDA_RUNTIME_API", api)
        .env("AWS_LAMBDA_FUNCTION_NAME", "cold-start-bench")
        .env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        .env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256")
        .env("AWS_LAMBDA_LOG_STREAM_NAME", "bench")
        .env("AWS_LAMBDA_LOG_GROUP_NAME", "bench")
        .envs(a.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(if std::env::var_os("COLD_START_LOGS").is_some() { Stdio::inherit() } else { Stdio::null() });
    command.spawn().expect("start the bootstrap")
}

fn once(a: &Args) -> Result<Run, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let api = listener.local_addr().map_err(|e| e.to_string())?.to_string();
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let began = Instant::now();
    let mut child = start(a, &api);
    let mut next = None;
    let result = (|| {
        loop {
            let stream = loop {
                match listener.accept() {
                    Ok((stream, _)) => break stream,
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        if began.elapsed() > a.timeout {
                            return Err("timed out waiting for the bootstrap".to_string());
                        }
                        if let Ok(Some(status)) = child.try_wait() {
                            return Err(format!("the bootstrap exited: {status}"));
                        }
                        std::thread::sleep(Duration::from_micros(50));
                    }
                    Err(e) => return Err(e.to_string()),
                }
            };
            stream.set_nonblocking(false).map_err(|e| e.to_string())?;
            stream.set_read_timeout(Some(a.timeout)).map_err(|e| e.to_string())?;
            let mut writer = stream.try_clone().map_err(|e| e.to_string())?;
            let mut reader = BufReader::new(stream);
            // The runtime client keeps its connection alive: serve requests until it closes.
            while let Some((method, path, body)) = read_request(&mut reader) {
                let at = began.elapsed();
                if method == "GET" && path.ends_with("/invocation/next") {
                    if next.is_some() {
                        return Err("asked for a second event before answering the first".into());
                    }
                    next = Some(at);
                    let deadline = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.as_millis() + 30_000)
                        .unwrap_or_default();
                    let headers = [
                        ("lambda-runtime-aws-request-id", REQUEST_ID.to_string()),
                        ("lambda-runtime-deadline-ms", deadline.to_string()),
                        (
                            "lambda-runtime-invoked-function-arn",
                            "arn:aws:lambda:us-east-1:123456789012:function:bench".to_string(),
                        ),
                        ("lambda-runtime-trace-id", "Root=1-6745f0a0-3b6c2f1e8d9a4b5c6d7e8f90;Sampled=0".to_string()),
                        ("content-type", "application/json".to_string()),
                    ];
                    respond(&mut writer, "200 OK", &headers, EVENT.as_bytes());
                } else if method == "POST" && path.ends_with("/response") {
                    respond(&mut writer, "202 Accepted", &[], b"{}");
                    let answer: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                    let status = answer["statusCode"].as_u64().and_then(|s| u16::try_from(s).ok());
                    return Ok(Run { next: next.ok_or("answered before asking")?, response: at, status });
                } else if path.contains("/error") {
                    return Err(format!("the bootstrap reported an error: {}", String::from_utf8_lossy(&body)));
                } else {
                    respond(&mut writer, "404 Not Found", &[], b"");
                }
            }
        }
    })();
    let _ = child.kill();
    let _ = child.wait();
    result
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn describe(samples: &mut [f64]) -> String {
    samples.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    format!("median {:6.2} ms  p90 {:6.2} ms  fastest {:6.2} ms", at(0.5), at(0.9), samples[0])
}

fn main() {
    let a = args();
    let mut next = Vec::new();
    let mut response = Vec::new();
    for run in 0..a.runs {
        match once(&a) {
            Ok(r) => {
                if let Some(expected) = a.expect {
                    if r.status != Some(expected) {
                        eprintln!("run {run}: status {:?}, expected {expected}", r.status);
                        std::process::exit(1);
                    }
                }
                next.push(millis(r.next));
                response.push(millis(r.response));
            }
            Err(e) => {
                eprintln!("run {run}: {e}");
                std::process::exit(1);
            }
        }
    }
    println!("{} ({} runs)", a.label, a.runs);
    println!("  exec → first request for work: {}", describe(&mut next));
    println!("  exec → first response:         {}", describe(&mut response));
}
