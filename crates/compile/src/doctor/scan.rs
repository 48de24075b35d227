//! Small scanners for what the checks look for in every step's text — URLs, `host:port`,
//! `key = value` lines — written out by hand: they run over the whole guide, where a regular
//! expression per pattern costs more than the rest of the doctor.

/// One URL's authority: `scheme://[userinfo@]host[:port]`, possibly several hosts separated
/// by `,` (`rabbit://u:p@h1,u:p@h2/`).
#[derive(Debug, Clone, PartialEq)]
pub struct Url<'a> {
    pub scheme: &'a str,
    /// Each `userinfo@host:port` part of the authority.
    pub parts: Vec<&'a str>,
}

impl<'a> Url<'a> {
    /// The hosts of the authority (no port, no user).
    pub fn hosts(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.parts.iter().map(|p| {
            let h = p.rsplit_once('@').map_or(*p, |(_, h)| h);
            h.split(':').next().unwrap_or(h)
        })
    }

    /// Each `(user, password)` given in the authority.
    pub fn credentials(&self) -> impl Iterator<Item = (&'a str, &'a str)> + '_ {
        self.parts.iter().filter_map(|p| {
            let (info, _) = p.rsplit_once('@')?;
            info.split_once(':')
        })
    }
}

fn scheme_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-')
}

/// Characters that end a URL's authority.
fn ends_authority(b: u8) -> bool {
    b.is_ascii_whitespace()
        || matches!(
            b,
            b'/' | b'?' | b'#' | b'\'' | b'"' | b';' | b')' | b']' | b'>' | b'<' | b'`' | b'\\'
        )
}

/// The URLs of `text`.
pub fn urls(text: &str) -> Vec<Url<'_>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(k) = text[from..].find("://").map(|k| from + k) {
        from = k + 3;
        let mut s = k;
        while s > 0 && scheme_char(b[s - 1]) {
            s -= 1;
        }
        if s == k || !b[s].is_ascii_alphabetic() {
            continue;
        }
        let mut e = k + 3;
        while e < b.len() && !ends_authority(b[e]) {
            e += 1;
        }
        let parts: Vec<&str> = text[k + 3..e]
            .split(',')
            .filter(|p| !p.is_empty())
            .collect();
        if !parts.is_empty() {
            out.push(Url {
                scheme: &text[s..k],
                parts,
            });
        }
        from = e.max(from);
    }
    out
}

/// `host:port` pairs of `text` outside URLs' schemes: a word starting with a letter, right
/// after a separator, then `:` and 2 to 5 digits ending the word (`controller:11211`).
pub fn host_ports(text: &str) -> Vec<(&str, u32)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for (k, _) in text.match_indices(':') {
        let digits = b[k + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        let end = k + 1 + digits;
        if !(2..=5).contains(&digits)
            || b.get(end).is_some_and(|&c| {
                !(c.is_ascii_whitespace()
                    || matches!(c, b',' | b'/' | b'\'' | b'"' | b')' | b']' | b';'))
            })
        {
            continue;
        }
        let mut s = k;
        while s > 0 && (b[s - 1].is_ascii_alphanumeric() || matches!(b[s - 1], b'-' | b'_')) {
            s -= 1;
        }
        let sep = s == 0
            || matches!(
                b[s - 1],
                b' ' | b'\t' | b'\n' | b',' | b'=' | b'\'' | b'"' | b'(' | b'[' | b'@'
            );
        if s < k && b[s].is_ascii_alphabetic() && sep {
            if let Ok(port) = text[k + 1..end].parse() {
                out.push((&text[s..k], port));
            }
        }
    }
    out
}

/// A `key = value`, `key: value` or `key value` line: the key and the first word of the value
/// (quotes off). `export` before the key is dropped.
pub fn key_value(line: &str) -> Option<(&str, &str)> {
    let t = line.trim();
    let t = t.strip_prefix("export ").unwrap_or(t).trim_start();
    let k = t.find(|c: char| c == '=' || c == ':' || c.is_whitespace())?;
    let (key, rest) = (&t[..k], &t[k..]);
    let rest = rest.trim_start_matches(|c: char| c == '=' || c == ':' || c.is_whitespace());
    let value = rest.split_whitespace().next()?;
    let value = value.trim_matches(|c| c == '"' || c == '\'');
    (!key.is_empty() && !value.is_empty()).then_some((key, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_their_parts() {
        let u = urls("transport_url = rabbit://openstack:${RABBIT_PASS}@controller:5672/");
        assert_eq!(u[0].scheme, "rabbit");
        assert_eq!(u[0].hosts().collect::<Vec<_>>(), ["controller"]);
        assert_eq!(
            u[0].credentials().collect::<Vec<_>>(),
            [("openstack", "${RABBIT_PASS}")]
        );
        let u = urls("x=rabbit://a:b@h1:5672,a:c@h2:5672/ and http://[::1]/ and ://x");
        assert_eq!(u[0].hosts().collect::<Vec<_>>(), ["h1", "h2"]);
        assert_eq!(u[0].credentials().nth(1), Some(("a", "c")));
        assert_eq!(
            urls("mysql+pymysql://nova:NOVA_DBPASS@controller/nova")[0].scheme,
            "mysql+pymysql"
        );
    }

    #[test]
    fn hosts_with_ports() {
        assert_eq!(
            host_ports("memcached_servers = controller:11211,compute:11211"),
            [("controller", 11211), ("compute", 11211)]
        );
        assert!(host_ports("image: ubuntu:20.04 nginx:1.14 sha256:1234abcd").is_empty());
        assert!(host_ports("http://controller:5000/v3").is_empty());
    }

    #[test]
    fn key_value_lines() {
        assert_eq!(
            key_value("  server controller iburst"),
            Some(("server", "controller"))
        );
        assert_eq!(
            key_value("OPENSTACK_HOST = \"controller\""),
            Some(("OPENSTACK_HOST", "controller"))
        );
        assert_eq!(
            key_value("export OS_PASSWORD=ADMIN_PASS"),
            Some(("OS_PASSWORD", "ADMIN_PASS"))
        );
        assert_eq!(
            key_value("bind-address: 0.0.0.0"),
            Some(("bind-address", "0.0.0.0"))
        );
        assert_eq!(key_value("novalue"), None);
    }
}
