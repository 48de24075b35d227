//! IPv4 addresses, networks and `/etc/hosts` lines, read the one way every stage shares.

use std::net::Ipv4Addr;

/// A dotted-quad IPv4 address: four decimal parts of one to three digits, each at most 255.
pub fn parse_ipv4(s: &str) -> Option<Ipv4Addr> {
    let mut parts = [0u8; 4];
    let mut n = 0;
    for p in s.split('.') {
        if n == 4 || p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        parts[n] = p.parse::<u8>().ok()?;
        n += 1;
    }
    (n == 4).then(|| Ipv4Addr::from(parts))
}

/// Whether `s` is a dotted-quad IPv4 address.
pub fn is_ipv4(s: &str) -> bool {
    parse_ipv4(s).is_some()
}

/// `10.0.0.0/24` → its address and prefix length.
pub fn parse_cidr(c: &str) -> Option<(Ipv4Addr, u8)> {
    let (a, p) = c.split_once('/')?;
    let a: Ipv4Addr = a.trim().parse().ok()?;
    let p: u8 = p.trim().parse().ok()?;
    (p <= 32).then_some((a, p))
}

fn mask(prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(prefix.min(32)))
    }
}

/// Whether `addr` lies in the network `base` (an address and a prefix length).
pub fn contains(base: (Ipv4Addr, u8), addr: Ipv4Addr) -> bool {
    let m = mask(base.1);
    u32::from(addr) & m == u32::from(base.0) & m
}

/// Whether the address `ip` lies in the network `cidr` (both as text).
pub fn in_cidr(ip: &str, cidr: &str) -> bool {
    match (parse_cidr(cidr), ip.parse::<Ipv4Addr>()) {
        (Some(base), Ok(a)) => contains(base, a),
        _ => false,
    }
}

/// The network of `addr` with `prefix` bits, as `10.0.0.0/24`.
pub fn network_of(addr: Ipv4Addr, prefix: u8) -> String {
    let p = prefix.min(32);
    format!("{}/{p}", Ipv4Addr::from(u32::from(addr) & mask(p)))
}

/// `255.255.255.0` → 24; `None` for an address that is not a mask.
pub fn prefix_of_mask(m: &str) -> Option<u8> {
    let a: Ipv4Addr = m.trim().parse().ok()?;
    let v = u32::from(a);
    (v.leading_ones() + v.trailing_zeros() == 32).then_some(v.leading_ones() as u8)
}

/// One line of a hosts file: `ADDRESS NAME [ALIAS...] [# comment]`.
#[derive(Debug, Clone, PartialEq)]
pub struct HostsEntry<'a> {
    pub address: Ipv4Addr,
    /// The host names, the canonical one first.
    pub names: Vec<&'a str>,
}

/// A hosts-file line, if `line` is one: an IPv4 address, then at least one host name (letters,
/// digits, `-`, `.`, `_`, starting with a letter or digit), up to a `#` comment.
pub fn hosts_entry(line: &str) -> Option<HostsEntry<'_>> {
    let body = line.split('#').next().unwrap_or("");
    let mut words = body.split_whitespace();
    let address = parse_ipv4(words.next()?)?;
    let names: Vec<&str> = words.take_while(|w| is_host_name(w)).collect();
    (!names.is_empty()).then_some(HostsEntry { address, names })
}

/// Letters, digits, `-`, `.`, `_`, starting with a letter or digit.
pub fn is_host_name(w: &str) -> bool {
    w.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
        && w.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_networks() {
        assert_eq!(parse_ipv4("10.0.0.11"), Some(Ipv4Addr::new(10, 0, 0, 11)));
        for bad in [
            "10.0.0",
            "10.0.0.256",
            "10.0.0.1.2",
            "a.b.c.d",
            "1..2.3",
            "0010.1.1.1",
        ] {
            assert_eq!(parse_ipv4(bad), None, "{bad}");
        }
        assert!(in_cidr("10.0.0.11", "10.0.0.0/24"));
        assert!(!in_cidr("10.0.1.11", "10.0.0.0/24"));
        assert!(in_cidr("192.168.1.1", "0.0.0.0/0"));
        assert_eq!(network_of(Ipv4Addr::new(10, 0, 0, 1), 24), "10.0.0.0/24");
        assert_eq!(prefix_of_mask("255.255.255.0"), Some(24));
        assert_eq!(prefix_of_mask("255.0.255.0"), None);
    }

    #[test]
    fn hosts_lines() {
        let e = hosts_entry("10.0.0.11   controller ctl # 관리").unwrap();
        assert_eq!(e.address, Ipv4Addr::new(10, 0, 0, 11));
        assert_eq!(e.names, ["controller", "ctl"]);
        assert!(hosts_entry("10.0.0.11").is_none());
        assert!(hosts_entry("# 10.0.0.11 controller").is_none());
        assert!(hosts_entry("server 0.centos.pool.ntp.org iburst").is_none());
    }
}
