//! New DICOM UIDs without a registered root: `2.25.` followed by a 128-bit number
//! in decimal (a UUID-derived UID, PS3.5 B.2 and ISO/IEC 9834-8). The 128 bits are
//! SHA-256 of random state from the standard library (`RandomState`, seeded from the
//! operating system), the time, the process id and a counter: unique without a
//! network or a registry.

use sha2::{Digest, Sha256};
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A fresh UID, e.g. `2.25.301938717262911651733040815343297613925`.
pub fn new_uid() -> String {
    let mut h = Sha256::new();
    for _ in 0..2 {
        let mut s = std::collections::hash_map::RandomState::new().build_hasher();
        s.write_u64(COUNTER.load(Ordering::Relaxed));
        h.update(s.finish().to_le_bytes());
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    h.update(now.to_le_bytes());
    h.update(std::process::id().to_le_bytes());
    h.update(COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    // UUID version 4 / variant bits, as a random UUID has them
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    format!("2.25.{}", u128::from_be_bytes(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_are_valid_and_distinct() {
        let a: Vec<String> = (0..1000).map(|_| new_uid()).collect();
        for u in &a {
            assert!(u.starts_with("2.25.") && u.len() <= 64, "{u}");
            assert!(u[5..].bytes().all(|c| c.is_ascii_digit()), "{u}");
            assert!(!u[5..].starts_with('0'), "{u}");
        }
        let mut s = a.clone();
        s.sort();
        s.dedup();
        assert_eq!(s.len(), a.len());
    }
}
