//! The server as a process: SIGTERM and Ctrl-C are a stop, a request under way holds it up for a
//! few seconds at most, and a database is one process's at a time.
#![cfg(unix)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Starts the server on a free port; it and the address it printed.
fn start() -> (std::process::Child, String) {
    start_on(":memory:")
}

/// As [`start`], on the database `db`.
fn start_on(db: &str) -> (std::process::Child, String) {
    let mut server = Command::new(env!("CARGO_BIN_EXE_dev-platform"))
        .args(["--port", "0", "--db", db])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("dev-platform listening on http://")
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    (server, addr)
}

/// Sends `signal` to `server` and waits for it to end, 15 s at most.
fn stop(server: &mut std::process::Child, signal: &str) -> std::process::ExitStatus {
    let asked = Instant::now();
    let sent = Command::new("kill")
        .args([signal, &server.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    loop {
        if let Some(status) = server.try_wait().unwrap() {
            return status;
        }
        if asked.elapsed() > Duration::from_secs(15) {
            let _ = server.kill();
            panic!("still running 15 s after {signal}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Ctrl-C is a stop from the moment the address is printed (a script may stop the server as
/// soon as it has read it), not the signal's default kill.
#[test]
fn sigint_right_after_the_address_is_a_stop() {
    let (mut server, _) = start();
    let status = stop(&mut server, "-INT");
    assert!(status.success(), "a stop, not a kill: {status:?}");
}

#[test]
fn sigterm_stops_the_server_even_with_a_request_under_way() {
    let (mut server, addr) = start();
    // A request that never finishes sending its body.
    let mut slow = std::net::TcpStream::connect(&addr).unwrap();
    slow.write_all(
        b"POST /auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let status = stop(&mut server, "-TERM");
    assert!(status.success(), "a stop, not a kill: {status:?}");
    drop(slow);
}

/// One database, one platform: a second process on the same file (its list cache and ended
/// sign-ins would differ from the first's) is refused at its start, saying why, and the first
/// goes on.
#[test]
fn a_second_platform_on_the_same_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("db.sqlite3");
    let db = db.to_str().unwrap();
    let (first, _) = start_on(db);
    let second = Command::new(env!("CARGO_BIN_EXE_dev-platform"))
        .args(["--port", "0", "--db", db])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Both are stopped however the test ends: a child is not killed when dropped.
    let mut both = Running([first, second]);
    let [first, second] = &mut both.0;
    let asked = Instant::now();
    let status = loop {
        if let Some(status) = second.try_wait().unwrap() {
            break status;
        }
        if asked.elapsed() > Duration::from_secs(15) {
            panic!("a second platform is serving the same database");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut said = String::new();
    std::io::Read::read_to_string(&mut second.stderr.take().unwrap(), &mut said).unwrap();
    assert!(!status.success());
    assert!(said.contains("in use by another dev platform"), "{said}");
    assert!(first.try_wait().unwrap().is_none(), "the first goes on");
    assert!(stop(first, "-TERM").success());
}

/// Children killed when dropped, should a test end before it stops them.
struct Running<const N: usize>([std::process::Child; N]);

impl<const N: usize> Drop for Running<N> {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
