//! Stopping the server as a process: SIGTERM is a stop, and a request under way holds it up
//! for a few seconds at most.
#![cfg(unix)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Starts the server on a free port; it and the address it printed.
fn start() -> (std::process::Child, String) {
    let mut server = Command::new(env!("CARGO_BIN_EXE_dev-platform"))
        .args(["--port", "0", "--db", ":memory:"])
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
