//! Reading shell text: the pieces every stage shares.

/// A unit name without its `.service` ends (`nginx.service` → `nginx`), by suffix: a
/// `trim_end_matches` with a string sets up a substring search for every word.
pub fn unit_name(mut w: &str) -> &str {
    while let Some(s) = w.strip_suffix(".service") {
        w = s;
    }
    w
}
