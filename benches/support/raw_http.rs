//! A minimal HTTP/1.1 client for the sandbox benchmarks: one keep-alive connection, one request
//! in flight, content-length bodies only (in the spirit of `wrk`).
//!
//! Client and server share the machine's two cores, so every microsecond the client spends is
//! taken from the server (`docs/benchmarks.md`, section 3).

use std::io;
use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// `POST /api/v1/wl/sourcing-session` with `body`, as written on the wire.
pub fn create_request(addr: SocketAddr, api_key: &str, body: &[u8]) -> Vec<u8> {
    let mut head = format!(
        "POST /api/v1/wl/sourcing-session HTTP/1.1\r\nhost: {addr}\r\nx-fj-api-key: {api_key}\r\n\
         content-type: application/json\r\naccept: application/json\r\n\
         content-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    head.extend_from_slice(body);
    head
}

pub fn bad_data(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.into())
}

/// One keep-alive HTTP/1.1 connection with one request in flight at a time.
pub struct RawConn {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl RawConn {
    pub async fn open(addr: SocketAddr) -> io::Result<Self> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        // Written once here, so that its pages are resident from the start: RSS measurements
        // (`sandbox_scale`) would otherwise count them as the buffer fills up over many answers.
        let mut buf = vec![0; 16 << 10];
        buf.clear();
        Ok(RawConn { stream, buf })
    }

    /// Sends `request` and reads the whole answer; returns its status and body.
    pub async fn round_trip(&mut self, request: &[u8]) -> io::Result<(u16, Vec<u8>)> {
        let (status, _, body) = self.exchange(request, false).await?;
        Ok((status, body))
    }

    /// Like [`round_trip`](Self::round_trip), with the answer's header lines as well (name and
    /// value, in order).
    #[allow(dead_code)] // `sandbox.rs` only; `sandbox_scale.rs` shares this file.
    pub async fn round_trip_with_headers(
        &mut self,
        request: &[u8],
    ) -> io::Result<(u16, Vec<(String, String)>, Vec<u8>)> {
        self.exchange(request, true).await
    }

    async fn exchange(
        &mut self,
        request: &[u8],
        keep_headers: bool,
    ) -> io::Result<(u16, Vec<(String, String)>, Vec<u8>)> {
        self.stream.write_all(request).await?;
        let head_end = loop {
            if let Some(i) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            self.fill().await?;
        };
        let head = std::str::from_utf8(&self.buf[..head_end])
            .map_err(|_| bad_data("response head is not UTF-8"))?;
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|line| line.split(' ').nth(1))
            .and_then(|code| code.parse::<u16>().ok())
            .ok_or_else(|| bad_data("no status line"))?;
        let mut length = None;
        let mut headers = Vec::new();
        for line in lines {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            if keep_headers {
                headers.push((name.to_owned(), value.trim().to_owned()));
            }
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                return Err(bad_data("chunked answers are not supported by this client"));
            }
        }
        let length = length.ok_or_else(|| bad_data("answer without content-length"))?;
        while self.buf.len() < head_end + length {
            self.fill().await?;
        }
        let body = self.buf[head_end..head_end + length].to_vec();
        self.buf.drain(..head_end + length);
        Ok((status, headers, body))
    }

    async fn fill(&mut self) -> io::Result<()> {
        let mut chunk = [0u8; 8192];
        let n = self.stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "server closed the connection",
            ));
        }
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(())
    }
}
