//! A DynamoDB Local of a test's own, from the jar `infra/test.sh` installed
//! (`DYNAMODB_LOCAL_HOME`), for tests that stall the database: pausing the shared one would stall
//! every other test too. Stopped when dropped.

use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct PrivateDynamoDb {
    child: Child,
    pub endpoint: String,
}

impl PrivateDynamoDb {
    pub fn start() -> Self {
        let home = std::env::var("DYNAMODB_LOCAL_HOME")
            .expect("DYNAMODB_LOCAL_HOME names DynamoDB Local's folder (./infra/test.sh sets it)");
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new("java")
            .arg(format!("-Djava.library.path={home}/DynamoDBLocal_lib"))
            .args(["-jar", &format!("{home}/DynamoDBLocal.jar"), "-inMemory", "-port", &port.to_string()])
            .arg("-disableTelemetry")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start java");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(60), "DynamoDB Local did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        Self { child, endpoint: format!("http://127.0.0.1:{port}") }
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill").args([signal, &self.child.id().to_string()]).status().expect("kill");
        assert!(status.success(), "kill {signal}");
    }

    /// Freezes the process (SIGSTOP): connections are still accepted by the kernel, nothing answers.
    pub fn pause(&self) {
        self.signal("-STOP");
    }

    pub fn resume(&self) {
        self.signal("-CONT");
    }
}

impl Drop for PrivateDynamoDb {
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-CONT", &self.child.id().to_string()]).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
