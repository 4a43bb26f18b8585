//! Create's answer buffers, reused.
//!
//! A Create answer is about 1.7 KB, over the largest block glibc's per-thread cache keeps
//! (1 KiB). Each `malloc` of a block that large first merges glibc's fast bins and searches its
//! bins, and each `free` merges the block with its neighbours: about a tenth of what the sandbox
//! did beyond the constant-body server per create. So the answer's buffer goes back to a small
//! per-thread list when hyper drops the answer, and the next answer written on that thread
//! takes it from there.

use std::cell::RefCell;

use axum::body::Bytes;

/// Buffers kept per thread: enough for the answers one worker has in flight at a time.
const KEEP: usize = 8;

/// Larger buffers (answers to unusually large bodies) are freed rather than kept.
const MAX_KEPT_CAPACITY: usize = 16 * 1024;

thread_local! {
    static FREE: RefCell<Vec<Vec<u8>>> = const { RefCell::new(Vec::new()) };
}

/// An empty buffer of at least `capacity` bytes: a kept one if this thread has one.
pub(crate) fn take(capacity: usize) -> Vec<u8> {
    let kept = FREE
        .try_with(|free| free.try_borrow_mut().ok()?.pop())
        .ok()
        .flatten();
    match kept {
        Some(mut buffer) => {
            buffer.clear();
            buffer.reserve(capacity);
            buffer
        }
        None => Vec::with_capacity(capacity),
    }
}

/// The answer `buffer` as a body, whose buffer is kept for [`take`] once the body is dropped.
pub(crate) fn into_bytes(buffer: Vec<u8>) -> Bytes {
    Bytes::from_owner(Kept(buffer))
}

/// A buffer that goes back to its thread's list when dropped.
struct Kept(Vec<u8>);

impl AsRef<[u8]> for Kept {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl Drop for Kept {
    fn drop(&mut self) {
        let buffer = std::mem::take(&mut self.0);
        if buffer.capacity() > MAX_KEPT_CAPACITY {
            return;
        }
        // During the thread's own exit the list may be gone; the buffer is then just freed.
        let _ = FREE.try_with(|free| {
            if let Ok(mut free) = free.try_borrow_mut()
                && free.len() < KEEP
            {
                free.push(buffer);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::{KEEP, MAX_KEPT_CAPACITY, into_bytes, take};

    #[test]
    fn a_dropped_answer_buffer_is_taken_again_on_its_thread() {
        std::thread::spawn(|| {
            let mut buffer = take(2000);
            buffer.extend_from_slice(b"answer");
            let address = buffer.as_ptr();
            let bytes = into_bytes(buffer);
            assert_eq!(&bytes[..], b"answer");
            drop(bytes);
            let again = take(100);
            assert!(again.is_empty());
            assert!(again.capacity() >= 2000);
            assert_eq!(again.as_ptr(), address, "the same buffer");
            // A fresh buffer when none is kept.
            assert!(take(10).capacity() >= 10);
        })
        .join()
        .expect("the test thread");
    }

    #[test]
    fn at_most_a_few_buffers_of_moderate_size_are_kept() {
        std::thread::spawn(|| {
            let answers: Vec<_> = (0..KEEP + 3).map(|_| into_bytes(take(2000))).collect();
            drop(answers);
            let kept: Vec<_> = (0..KEEP + 3).map(|_| take(0)).collect();
            let reused = kept.iter().filter(|b| b.capacity() >= 2000).count();
            assert_eq!(reused, KEEP);
            drop(into_bytes(take(MAX_KEPT_CAPACITY + 1)));
            assert!(take(0).capacity() < MAX_KEPT_CAPACITY);
        })
        .join()
        .expect("the test thread");
    }
}
