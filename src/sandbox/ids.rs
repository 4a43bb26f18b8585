//! Stable hashing, identifiers and timestamps.
//!
//! Everything the seed drives (session and candidate ids, synthetic people) goes through the
//! hand-written hashes here rather than `std`'s `DefaultHasher`, whose output may change between
//! Rust releases: a seed must give the same data on every toolchain.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// SplitMix64's finalizer: a cheap, well-mixed combination of two words.
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    let mut z = a ^ b.wrapping_add(0x9E37_79B9_7F4A_7C15).rotate_left(17);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a over `bytes`, mixed with `seed`.
pub(crate) fn hash_bytes(seed: u64, bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01B3);
    }
    mix(seed, h)
}

/// A MongoDB-style 24-hex-digit id derived from `key`.
pub(crate) fn object_id(key: u64) -> String {
    format!("{:016x}{:08x}", mix(key, 1), mix(key, 2) as u32)
}

/// Process-wide counter so that request ids are unique across every sandbox in the process.
static REQUEST_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A unique request id in UUID layout (random per process, then a counter).
pub(crate) fn request_id(process_key: u64) -> String {
    let n = REQUEST_COUNTER.fetch_add(1, Ordering::Relaxed);
    let hi = mix(process_key, 0);
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xFFFF,
        hi & 0xFFF,
        (n >> 48) & 0xFFF,
        n & 0xFFFF_FFFF_FFFF
    )
}

/// The current time as ISO-8601 UTC with milliseconds, as the API writes `createdAt`.
pub(crate) fn now_iso8601() -> String {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    iso8601(since.as_secs(), since.subsec_millis())
}

/// Formats seconds since the Unix epoch (plus milliseconds) as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub(crate) fn iso8601(secs: u64, millis: u32) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 to a proleptic Gregorian date.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(iso8601(0, 0), "1970-01-01T00:00:00.000Z");
        // The reference's createdAt example.
        assert_eq!(iso8601(1_779_201_939, 240), "2026-05-19T14:45:39.240Z");
        assert_eq!(iso8601(951_782_400, 5), "2000-02-29T00:00:00.005Z");
    }

    #[test]
    fn object_ids_are_24_lowercase_hex() {
        for key in [0, 1, u64::MAX] {
            let id = object_id(key);
            assert_eq!(id.len(), 24);
            assert!(
                id.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            );
        }
        assert_ne!(object_id(1), object_id(2));
    }

    #[test]
    fn request_ids_differ() {
        assert_ne!(request_id(7), request_id(7));
    }
}
