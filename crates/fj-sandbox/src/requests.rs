//! Stored requests' JSON, packed into large chunks that many sessions share.
//!
//! A session's request used to be a `Box<[u8]>` of its own: one `malloc` per Create that lived as
//! long as the session. Since a sandbox keeps its sessions, the worker threads' heaps grew on
//! every Create, and glibc grows a heap while holding that heap's arena lock, which the other
//! worker then waited on (`futex` calls 176k against the constant server's 102k per run of
//! `benches/sandbox.rs`; docs/benchmarks.md, target 3). Here Create appends to the newest chunk
//! and a new chunk is taken once per [`CHUNK`] bytes.
//!
//! Creates append in sequence order and eviction removes the oldest sessions first, so each chunk
//! holds the requests of a run of consecutive sessions and is freed once the last of them is
//! evicted. Update stores its merged request on its own ([`Stored::Owned`]): Updates are rare,
//! and appending them to the newest chunk would keep old chunks' bytes tied to new sessions. The
//! bytes an Update replaces stay in their chunk until that chunk is freed, so with
//! `max_sessions` the chunks stay bounded by the stored sessions' span.

use std::collections::VecDeque;

/// Bytes per chunk: about 2,500 of the reference's requests. At least glibc's default mmap
/// threshold (128 KiB), so a chunk does not come from (and grow) a worker's heap.
pub(crate) const CHUNK: usize = 1 << 20;

/// Where a session's request is kept.
#[derive(Debug)]
pub(crate) enum Stored {
    /// In chunk number `chunk` (counted from the first chunk ever taken), at `start..start + len`.
    Packed { chunk: u64, start: u32, len: u32 },
    /// A request Update wrote.
    Owned(Box<[u8]>),
}

/// One chunk and the newest session whose Create wrote into it.
struct Chunk {
    bytes: Vec<u8>,
    last_seq: u64,
}

/// The chunks of one sandbox, oldest first.
#[derive(Default)]
pub(crate) struct Requests {
    chunks: VecDeque<Chunk>,
    /// The number of `chunks[0]`: how many chunks were freed.
    first: u64,
}

impl Requests {
    /// Appends the request of session `seq`, `len` bytes that `write` appends to the vector it is
    /// given (exactly `len`: checked, since the slices handed out later depend on it).
    pub(crate) fn push(
        &mut self,
        seq: u64,
        len: usize,
        write: impl FnOnce(&mut Vec<u8>),
    ) -> Stored {
        let room = self
            .chunks
            .back()
            .is_some_and(|chunk| chunk.bytes.capacity() - chunk.bytes.len() >= len);
        if !room {
            // A request longer than a chunk (the body limit allows it) gets a chunk of its own.
            self.chunks.push_back(Chunk {
                bytes: Vec::with_capacity(CHUNK.max(len)),
                last_seq: seq,
            });
        }
        let number = self.first + self.chunks.len() as u64 - 1;
        let chunk = self
            .chunks
            .back_mut()
            .expect("a chunk with room was pushed");
        let start = chunk.bytes.len();
        write(&mut chunk.bytes);
        assert_eq!(
            chunk.bytes.len() - start,
            len,
            "the stored request's length"
        );
        chunk.last_seq = seq;
        match (u32::try_from(start), u32::try_from(len)) {
            (Ok(start), Ok(len)) => Stored::Packed {
                chunk: number,
                start,
                len,
            },
            // Only a request of 4 GiB or more, which no body limit lets in; kept correct anyway.
            _ => Stored::Owned(chunk.bytes.split_off(start).into_boxed_slice()),
        }
    }

    /// The JSON of a stored request.
    pub(crate) fn get<'a>(&'a self, stored: &'a Stored) -> &'a [u8] {
        match stored {
            Stored::Owned(bytes) => bytes,
            Stored::Packed { chunk, start, len } => {
                let index =
                    usize::try_from(chunk - self.first).expect("a chunk of a stored session");
                let start = *start as usize;
                &self.chunks[index].bytes[start..start + *len as usize]
            }
        }
    }

    /// Frees the chunks whose sessions are all evicted, now that `first_seq` is the oldest kept.
    pub(crate) fn forget_before(&mut self, first_seq: u64) {
        while self
            .chunks
            .front()
            .is_some_and(|chunk| chunk.last_seq < first_seq)
        {
            self.chunks.pop_front();
            self.first += 1;
        }
    }

    /// How many chunks are held (for the tests).
    #[cfg(test)]
    pub(crate) fn chunk_count(&self) -> usize {
        self.chunks.len()
    }
}

#[cfg(test)]
mod tests {
    use super::{CHUNK, Requests, Stored};

    fn push(requests: &mut Requests, seq: u64, text: &[u8]) -> Stored {
        requests.push(seq, text.len(), |out| out.extend_from_slice(text))
    }

    #[test]
    fn requests_read_back_as_written_across_chunks() {
        let mut requests = Requests::default();
        let texts: Vec<Vec<u8>> = (0..3000u64)
            .map(|i| {
                format!("{{\"sessionTitle\":\"{i}\"}}")
                    .repeat(20)
                    .into_bytes()
            })
            .collect();
        let stored: Vec<Stored> = texts
            .iter()
            .enumerate()
            .map(|(seq, text)| push(&mut requests, seq as u64, text))
            .collect();
        assert!(
            requests.chunk_count() > 1,
            "the texts fill more than one chunk"
        );
        for (text, stored) in texts.iter().zip(&stored) {
            assert_eq!(requests.get(stored), &text[..]);
            assert!(matches!(stored, Stored::Packed { .. }));
        }
    }

    #[test]
    fn a_chunk_is_freed_when_its_last_session_is_evicted() {
        let mut requests = Requests::default();
        let text = vec![b'x'; CHUNK / 4];
        let stored: Vec<Stored> = (0..8).map(|seq| push(&mut requests, seq, &text)).collect();
        assert_eq!(requests.chunk_count(), 2, "four quarters per chunk");
        requests.forget_before(3);
        assert_eq!(
            requests.chunk_count(),
            2,
            "session 3 still uses the first chunk"
        );
        requests.forget_before(4);
        assert_eq!(requests.chunk_count(), 1);
        for s in &stored[4..] {
            assert_eq!(
                requests.get(s),
                &text[..],
                "later sessions read through the shift"
            );
        }
        let again = push(&mut requests, 8, b"{}");
        assert_eq!(requests.chunk_count(), 2);
        assert_eq!(requests.get(&again), b"{}");
        requests.forget_before(9);
        assert_eq!(requests.chunk_count(), 0);
    }

    #[test]
    fn a_request_longer_than_a_chunk_gets_one_of_its_own() {
        let mut requests = Requests::default();
        let small = push(&mut requests, 0, b"{}");
        let long = vec![b'y'; CHUNK + 10];
        let big = push(&mut requests, 1, &long);
        let after = push(&mut requests, 2, b"[]");
        assert_eq!(requests.chunk_count(), 3);
        assert_eq!(requests.get(&small), b"{}");
        assert_eq!(requests.get(&big), &long[..]);
        assert_eq!(requests.get(&after), b"[]");
    }

    #[test]
    #[should_panic(expected = "the stored request's length")]
    fn a_writer_that_writes_another_length_is_caught() {
        let mut requests = Requests::default();
        requests.push(0, 3, |out| out.extend_from_slice(b"{}"));
    }
}
