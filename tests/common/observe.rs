//! Shared by the `client` and `reliability` test binaries (through `#[path]`): naming an error's
//! kind for assertions, and capturing `tracing` output to scan it for the API key.
#![allow(dead_code)]

use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

use fj_sourcing::Error;

/// The kind of an error, by variant name (the names the docs tables use).
pub fn kind(error: &Error) -> &'static str {
    match error {
        Error::BadRequest(_) => "BadRequest",
        Error::Unauthorized(_) => "Unauthorized",
        Error::PaymentRequired(_) => "PaymentRequired",
        Error::NotFound(_) => "NotFound",
        Error::RateLimited(_) => "RateLimited",
        Error::Server(_) => "Server",
        Error::UnexpectedStatus(_) => "UnexpectedStatus",
        Error::Timeout(_) => "Timeout",
        Error::Transport(_) => "Transport",
        Error::Decode(_) => "Decode",
        Error::Config { .. } => "Config",
        Error::InvalidArgument { .. } => "InvalidArgument",
        Error::WaitTimeout { .. } => "WaitTimeout",
        Error::CreditCap { .. } => "CreditCap",
        _ => "other",
    }
}

/// A `tracing` writer that keeps everything written to it.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// Everything written so far, as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}
