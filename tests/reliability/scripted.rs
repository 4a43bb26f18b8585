//! A scripted HTTP/1.1 server on 127.0.0.1 that answers exactly the bytes a test asks for:
//! wrong types, truncated and endless bodies, junk headers, garbage instead of HTTP.
//!
//! Unlike a mock server it can break the protocol on purpose. Replies are taken from a queue in
//! arrival order; when the queue is empty the default reply (if any) is used, else the
//! connection is closed.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// A complete response with `Content-Length`; the connection stays open.
    Full {
        status: u16,
        headers: Vec<(String, Vec<u8>)>,
        body: Vec<u8>,
    },
    /// Headers promising `declared` body bytes, then only `body`, then the connection closes.
    Short {
        status: u16,
        declared: usize,
        body: Vec<u8>,
    },
    /// A chunked body that repeats `chunk` until the client hangs up.
    Endless { status: u16, chunk: Vec<u8> },
    /// A chunked body that sends one byte per `every`, forever.
    Trickle { status: u16, every: Duration },
    /// These bytes, verbatim, then the connection closes.
    Raw(Vec<u8>),
}

impl Reply {
    /// A JSON response with this status and body.
    pub fn json(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply::Full {
            status,
            headers: vec![("content-type".into(), b"application/json".to_vec())],
            body: body.into(),
        }
    }

    /// Adds a header (raw bytes, so values need not be valid UTF-8) to a [`Reply::Full`].
    pub fn header(mut self, name: &str, value: impl Into<Vec<u8>>) -> Reply {
        if let Reply::Full { headers, .. } = &mut self {
            headers.push((name.to_owned(), value.into()));
        }
        self
    }
}

/// One request as received: its head (request line and headers) as text.
#[derive(Clone, Debug)]
pub struct Received {
    pub head: String,
}

impl Received {
    /// The request line, e.g. `POST /api/v1/wl/sourcing-session HTTP/1.1`.
    pub fn request_line(&self) -> &str {
        self.head.lines().next().unwrap_or_default()
    }

    /// Values of the header `name` (case-insensitive).
    pub fn header_values(&self, name: &str) -> Vec<String> {
        self.head
            .lines()
            .skip(1)
            .filter_map(|line| line.split_once(':'))
            .filter(|(n, _)| n.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_owned())
            .collect()
    }
}

#[derive(Default)]
struct Shared {
    queue: Mutex<VecDeque<Reply>>,
    default: Mutex<Option<Reply>>,
    received: Mutex<Vec<Received>>,
    seen: AtomicU64,
    record: bool,
}

/// A running scripted server; stops when dropped.
pub struct Scripted {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Drop for Scripted {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Scripted {
    /// Starts a server that records every request head.
    pub async fn start() -> Scripted {
        Scripted::start_with(true).await
    }

    /// Starts a server that only counts requests (for long fuzz runs).
    pub async fn start_counting() -> Scripted {
        Scripted::start_with(false).await
    }

    async fn start_with(record: bool) -> Scripted {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            record,
            ..Shared::default()
        });
        let state = Arc::clone(&shared);
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let _ = socket.set_nodelay(true);
                tokio::spawn(serve(socket, Arc::clone(&state)));
            }
        });
        Scripted { addr, shared, task }
    }

    /// The base URL to give a client (`http://127.0.0.1:<port>/api/v1/wl`).
    pub fn base_url(&self) -> String {
        format!("http://{}/api/v1/wl", self.addr)
    }

    /// Queues a reply for the next request.
    pub fn push(&self, reply: Reply) {
        lock(&self.shared.queue).push_back(reply);
    }

    /// The reply used whenever the queue is empty.
    pub fn set_default(&self, reply: Reply) {
        *lock(&self.shared.default) = Some(reply);
    }

    /// How many requests arrived (complete heads read).
    pub fn seen(&self) -> u64 {
        self.shared.seen.load(Ordering::SeqCst)
    }

    /// Every request head received so far (only when recording).
    pub fn received(&self) -> Vec<Received> {
        lock(&self.shared.received).clone()
    }
}

/// Reads one request (head and `Content-Length` body); `None` when the client hung up.
async fn read_request(socket: &mut TcpStream, buf: &mut Vec<u8>) -> Option<String> {
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(n, _)| n.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    buf.drain(..head_end + length);
    Some(head)
}

fn status_line(status: u16) -> String {
    format!("HTTP/1.1 {status} Scripted\r\n")
}

async fn serve(mut socket: TcpStream, shared: Arc<Shared>) {
    let mut buf = Vec::new();
    while let Some(head) = read_request(&mut socket, &mut buf).await {
        shared.seen.fetch_add(1, Ordering::SeqCst);
        if shared.record {
            lock(&shared.received).push(Received { head });
        }
        let reply = lock(&shared.queue)
            .pop_front()
            .or_else(|| lock(&shared.default).clone());
        let Some(reply) = reply else { return };
        let keep_open = write_reply(&mut socket, reply).await.unwrap_or(false);
        if !keep_open {
            let _ = socket.shutdown().await;
            return;
        }
    }
}

/// Writes `reply`; `Ok(true)` when the connection may serve another request.
async fn write_reply(socket: &mut TcpStream, reply: Reply) -> std::io::Result<bool> {
    match reply {
        Reply::Full {
            status,
            headers,
            body,
        } => {
            let mut out = status_line(status).into_bytes();
            for (name, value) in headers {
                out.extend_from_slice(name.as_bytes());
                out.extend_from_slice(b": ");
                out.extend_from_slice(&value);
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
            // One write: a head and a body sent apart meet Nagle and delayed ACKs (40 ms).
            out.extend_from_slice(&body);
            socket.write_all(&out).await?;
            Ok(true)
        }
        Reply::Short {
            status,
            declared,
            body,
        } => {
            let head = format!(
                "{}content-type: application/json\r\ncontent-length: {declared}\r\n\r\n",
                status_line(status)
            );
            socket.write_all(head.as_bytes()).await?;
            socket.write_all(&body).await?;
            socket.flush().await?;
            Ok(false)
        }
        Reply::Endless { status, chunk } => {
            let head = format!(
                "{}content-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
                status_line(status)
            );
            socket.write_all(head.as_bytes()).await?;
            let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
            framed.extend_from_slice(&chunk);
            framed.extend_from_slice(b"\r\n");
            // Ends with an error once the client hangs up.
            loop {
                socket.write_all(&framed).await?;
            }
        }
        Reply::Trickle { status, every } => {
            let head = format!(
                "{}content-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
                status_line(status)
            );
            socket.write_all(head.as_bytes()).await?;
            loop {
                socket.write_all(b"1\r\n \r\n").await?;
                socket.flush().await?;
                tokio::time::sleep(every).await;
            }
        }
        Reply::Raw(bytes) => {
            socket.write_all(&bytes).await?;
            socket.flush().await?;
            Ok(false)
        }
    }
}
