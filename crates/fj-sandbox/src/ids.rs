//! Stable hashing, identifiers and timestamps.
//!
//! Everything the seed drives (session and candidate ids, synthetic people) goes through the
//! hand-written hashes here rather than `std`'s `DefaultHasher`, whose output may change between
//! Rust releases: a seed must give the same data on every toolchain.

use std::num::NonZeroU8;
use std::time::{SystemTime, UNIX_EPOCH};

use time::OffsetDateTime;
use time::format_description::well_known::Iso8601;
use time::format_description::well_known::iso8601::{Config, EncodedConfig, TimePrecision};

const MIX_M1: u64 = 0xBF58_476D_1CE4_E5B9;
const MIX_M2: u64 = 0x94D0_49BB_1331_11EB;

/// SplitMix64's finalizer: a cheap, well-mixed combination of two words.
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    let mut z = a ^ spread(b);
    z = (z ^ (z >> 30)).wrapping_mul(MIX_M1);
    z = (z ^ (z >> 27)).wrapping_mul(MIX_M2);
    z ^ (z >> 31)
}

/// How [`mix`] folds its second word into the first.
fn spread(b: u64) -> u64 {
    b.wrapping_add(0x9E37_79B9_7F4A_7C15).rotate_left(17)
}

/// `a ^ spread(b)` back from `mix(a, b)`: every step of the finalizer is a bijection.
fn unmix(z: u64) -> u64 {
    let z = unshift(z, 31).wrapping_mul(inverse(MIX_M2));
    let z = unshift(z, 27).wrapping_mul(inverse(MIX_M1));
    unshift(z, 30)
}

/// The `x` with `x ^ (x >> shift) == y`.
fn unshift(y: u64, shift: u32) -> u64 {
    let mut x = y;
    // Each pass fixes `shift` more of the top bits.
    for _ in 0..64u32.div_ceil(shift) {
        x = y ^ (x >> shift);
    }
    x
}

/// The multiplicative inverse of an odd `m` modulo 2^64 (Newton's iteration; each step doubles
/// the correct low bits, starting from the 3 that `m` itself gets right).
const fn inverse(m: u64) -> u64 {
    let mut x = m;
    let mut i = 0;
    while i < 5 {
        x = x.wrapping_mul(2u64.wrapping_sub(m.wrapping_mul(x)));
        i += 1;
    }
    x
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
    ObjectId::new(key).as_str().to_owned()
}

/// An [`object_id`] on the stack, for answers that only write it (Create's session id).
#[derive(Clone, Copy)]
pub(crate) struct ObjectId([u8; 24]);

impl ObjectId {
    pub(crate) fn new(key: u64) -> Self {
        let mut id = [0; 24];
        write_hex(&mut id[..16], mix(key, 1));
        write_hex(&mut id[16..], mix(key, 2));
        ObjectId(id)
    }

    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("hex digits are ASCII")
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Fills `out` with the low hex digits of `value`, lowercase and zero-padded (as `{:0Nx}` does
/// for a value that fits, without the formatting machinery).
pub(crate) fn write_hex(out: &mut [u8], value: u64) {
    let digits = out.len();
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = HEX[((value >> (4 * (digits - 1 - i))) & 0xF) as usize];
    }
}

/// The key of the sandbox's `seq`-th session id under `seed`.
fn session_key(seed: u64, seq: u64) -> u64 {
    mix(mix(seed, 0x5E55), seq)
}

/// The id of the sandbox's `seq`-th session (0-based) under `seed`.
pub(crate) fn session_id(seed: u64, seq: u64) -> String {
    object_id(session_key(seed, seq))
}

/// [`session_id`] on the stack.
pub(crate) fn session_object_id(seed: u64, seq: u64) -> ObjectId {
    ObjectId::new(session_key(seed, seq))
}

/// Which `seq` a [`session_id`] was made from, or `None` for anything that cannot be one.
///
/// The first 16 digits are `mix(key, 1)` and `mix` can be undone, so the store finds a session
/// without a map from ids: `session_id(seed, seq) == id` is still to be checked, since only 64
/// of the id's 96 bits are read here.
pub(crate) fn session_seq(seed: u64, id: &str) -> Option<u64> {
    let hex = id.as_bytes().get(..16)?;
    let mut word = 0u64;
    for &b in hex {
        // Only lowercase digits: an id in any other spelling is not one the sandbox made.
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            _ => return None,
        };
        word = (word << 4) | u64::from(digit);
    }
    let key = unmix(word) ^ spread(1);
    let spread_seq = unmix(key) ^ mix(seed, 0x5E55);
    Some(
        spread_seq
            .rotate_right(17)
            .wrapping_sub(0x9E37_79B9_7F4A_7C15),
    )
}

/// A unique request id in UUID layout: 60 bits random per sandbox (`key`), then the request's
/// number in that sandbox.
pub(crate) fn request_id(key: u64, n: u64) -> String {
    let hi = mix(key, 0);
    // 8-4-4-4-12 hex digits; `write_hex` writes the low digits of each value.
    let mut id = *b"00000000-0000-4000-8000-000000000000";
    write_hex(&mut id[..8], hi >> 32);
    write_hex(&mut id[9..13], hi >> 16);
    write_hex(&mut id[15..18], hi);
    write_hex(&mut id[20..23], n >> 48);
    write_hex(&mut id[24..], n);
    String::from_utf8_lossy(&id).into_owned()
}

/// The current time in milliseconds since the Unix epoch: how the store keeps timestamps (8
/// bytes, where the formatted text took a 32-byte heap block each).
pub(crate) fn now_millis() -> u64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
}

/// RFC 3339 in UTC with milliseconds (`YYYY-MM-DDTHH:MM:SS.mmmZ`), as the API writes
/// `createdAt`: every time alike in width. The journal writes its times in it too.
const TIME_FORMAT: Iso8601<MILLIS> = Iso8601;

const MILLIS: EncodedConfig = Config::DEFAULT
    .set_time_precision(TimePrecision::Second {
        decimal_digits: NonZeroU8::new(3),
    })
    .encode();

/// Milliseconds since the Unix epoch in [`TIME_FORMAT`]; empty past year 9999, which no clock
/// reading reaches.
pub(crate) fn iso8601_millis(millis: u64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
        .ok()
        .and_then(|time| time.format(&TIME_FORMAT).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(iso8601_millis(0), "1970-01-01T00:00:00.000Z");
        // The reference's createdAt example.
        assert_eq!(
            iso8601_millis(1_779_201_939_240),
            "2026-05-19T14:45:39.240Z"
        );
        assert_eq!(iso8601_millis(951_782_400_005), "2000-02-29T00:00:00.005Z");
        assert_eq!(
            iso8601_millis(253_402_300_799_999),
            "9999-12-31T23:59:59.999Z"
        );
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
    fn object_ids_match_format() {
        let mut rng = fastrand::Rng::with_seed(7);
        for key in (0..2000).map(|_| rng.u64(..)).chain([0, u64::MAX]) {
            assert_eq!(
                object_id(key),
                format!("{:016x}{:08x}", mix(key, 1), mix(key, 2) as u32)
            );
        }
    }

    #[test]
    fn session_ids_give_back_their_sequence_number() {
        let mut rng = fastrand::Rng::with_seed(11);
        for seed in [0, 1, 42, u64::MAX]
            .into_iter()
            .chain((0..20).map(|_| rng.u64(..)))
        {
            for seq in (0..50).chain([u64::MAX, 1 << 40]) {
                let id = session_id(seed, seq);
                assert_eq!(session_seq(seed, &id), Some(seq), "seed {seed} seq {seq}");
            }
        }
    }

    #[test]
    fn session_seq_refuses_what_is_not_an_id() {
        let id = session_id(3, 5);
        assert_eq!(session_seq(3, &id.to_uppercase()), None);
        assert_eq!(session_seq(3, &id[..15]), None);
        assert_eq!(session_seq(3, "zzzzzzzzzzzzzzzzzzzzzzzz"), None);
        assert_eq!(session_seq(3, ""), None);
        // Multi-byte text must not be cut inside a character.
        assert_eq!(session_seq(3, "ééééééééééééééééé"), None);
    }

    #[test]
    fn request_ids_differ() {
        assert_ne!(request_id(7, 0), request_id(7, 1));
        assert_ne!(request_id(7, 0), request_id(8, 0));
    }

    #[test]
    fn request_ids_have_the_uuid_v4_layout() {
        let id = request_id(7, 1 << 50);
        let groups: Vec<&str> = id.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12],
            "{id}"
        );
        assert!(
            groups[2].starts_with('4') && groups[3].starts_with('8'),
            "{id}"
        );
        assert!(
            id.bytes().all(|b| b == b'-' || b.is_ascii_hexdigit()),
            "{id}"
        );
        // The sandbox's part is the same for every id of its key.
        assert_eq!(request_id(7, 0)[..18], request_id(7, 1)[..18]);
    }
}
