//! A small HTTP/1.1 client for loopback: the load tool's and the tests' way to talk to a real
//! server over TCP (one keep-alive connection per client).

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode};
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// The address of a loopback URL; anything else is refused (this tool loads this machine only).
pub fn loopback_addr(url: &str) -> Result<SocketAddr, String> {
    let authority = url
        .strip_prefix("http://")
        .ok_or("only http:// URLs")?
        .trim_end_matches('/');
    let (host, port) = authority.rsplit_once(':').ok_or("the URL needs a port")?;
    let host = match host.trim_matches(['[', ']']) {
        "localhost" => "127.0.0.1",
        h => h,
    };
    let addr: SocketAddr = format!(
        "{}:{port}",
        if host.contains(':') {
            format!("[{host}]")
        } else {
            host.to_owned()
        }
    )
    .parse()
    .map_err(|_| "not an address and port")?;
    if addr.ip().is_loopback() {
        Ok(addr)
    } else {
        Err("only loopback addresses (127.0.0.0/8, ::1, localhost)".into())
    }
}

/// An answer, its body read whole.
#[derive(Debug, Clone)]
pub struct Answer {
    /// Status.
    pub status: StatusCode,
    /// Headers.
    pub headers: HeaderMap,
    /// Body.
    pub body: Bytes,
}

impl Answer {
    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// What can go wrong below HTTP: the connection, or a body that broke mid-way.
pub type ClientError = Box<dyn std::error::Error + Send + Sync>;

/// One keep-alive connection to `addr`, reopened when the server closed it.
pub struct Client {
    addr: SocketAddr,
    sender: Option<SendRequest<Full<Bytes>>>,
}

impl Client {
    /// A client of the server at `addr`; connects on first use.
    pub fn new(addr: SocketAddr) -> Self {
        Self { addr, sender: None }
    }

    async fn connect(&mut self) -> Result<&mut SendRequest<Full<Bytes>>, ClientError> {
        let open = match &self.sender {
            Some(s) => !s.is_closed(),
            None => false,
        };
        if !open {
            let stream = TcpStream::connect(self.addr).await?;
            stream.set_nodelay(true)?;
            let (sender, conn) = http1::handshake(TokioIo::new(stream)).await?;
            tokio::spawn(async move {
                // Ends when the server closes the connection or the sender is dropped.
                let _ = conn.await;
            });
            self.sender = Some(sender);
        }
        Ok(self.sender.as_mut().expect("connected above"))
    }

    /// Sends one request; `body` is sent as JSON when given.
    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&serde_json::Value>,
    ) -> Result<Answer, ClientError> {
        let host = self.addr.to_string();
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header("host", host)
            .header("accept", "application/json");
        for (k, v) in headers {
            b = b.header(*k, HeaderValue::from_str(v)?);
        }
        let req = match body {
            Some(v) => b
                .header("content-type", "application/json")
                .body(Full::new(Bytes::from(v.to_string())))?,
            None => b.body(Full::new(Bytes::new()))?,
        };
        let result = async {
            let sender = self.connect().await?;
            sender.ready().await?;
            let resp = sender.send_request(req).await?;
            let (parts, body) = resp.into_parts();
            let body = body.collect().await?.to_bytes();
            Ok::<_, ClientError>(Answer {
                status: parts.status,
                headers: parts.headers,
                body,
            })
        }
        .await;
        if result.is_err() {
            // A broken exchange leaves the connection unusable: the next request opens another.
            self.sender = None;
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::loopback_addr;

    #[test]
    fn only_loopback_urls_are_targets() {
        assert_eq!(loopback_addr("http://127.0.0.1:8080").unwrap().port(), 8080);
        assert!(loopback_addr("http://localhost:9/").is_ok());
        assert!(loopback_addr("http://[::1]:80").is_ok());
        for refused in [
            "http://10.0.0.1:80",
            "http://example.test:80",
            "https://127.0.0.1:1",
            "http://127.0.0.1",
        ] {
            assert!(loopback_addr(refused).is_err(), "{refused}");
        }
    }
}
