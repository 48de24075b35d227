//! Stable hashes: the same on every platform and build (step ids, state keys, heredoc
//! delimiters).

/// FNV-1a, 64 bit: a stable hash for ids (the same on every platform and build).
pub fn fnv64(data: &[u8]) -> u64 {
    fnv64_more(0xcbf29ce484222325, data)
}

/// FNV-1a continued over more bytes: `fnv64_more(fnv64(a), b) == fnv64(a ++ b)`.
pub fn fnv64_more(mut h: u64, data: &[u8]) -> u64 {
    for b in data {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}
