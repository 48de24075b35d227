//! File paths as the doctor compares them: the home folder spelt one way, no trailing slash,
//! and a relative path (`. admin-openrc`) taken as the file of that name wherever it is.

/// A path as written in a step, normalised; None for what is no file (`-`, a URL, a glob, a
/// command substitution, an option).
pub fn norm(p: &str) -> Option<String> {
    let p = p.trim().trim_matches(|c| c == '"' || c == '\'');
    if p.is_empty()
        || p == "-"
        || p.starts_with('-')
        || p.contains("://")
        || p.contains(['*', '?', '(', '`', '\n', ' '])
        || p.starts_with("/dev/")
        || p.starts_with("/proc/")
    {
        return None;
    }
    let mut s = p.to_string();
    for home in ["$HOME", "${HOME}", "~"] {
        if let Some(rest) = s.strip_prefix(home) {
            if rest.is_empty() || rest.starts_with('/') {
                s = format!("/root{rest}");
                break;
            }
        }
    }
    if let Some(rest) = s.strip_prefix("./") {
        s = rest.to_string();
    }
    while s.contains("//") {
        s = s.replace("//", "/");
    }
    while s.contains("/./") {
        s = s.replace("/./", "/");
    }
    while s.len() > 1 && s.ends_with('/') {
        s.pop();
    }
    (!s.is_empty() && s != "." && s != "..").then_some(s)
}

/// The last part of a path.
pub fn base(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

/// Whether two normalised paths name the same file: equal when both are absolute, the same
/// file name when either is relative.
pub fn same(a: &str, b: &str) -> bool {
    if a.starts_with('/') && b.starts_with('/') {
        return a == b;
    }
    let (x, y) = (base(a), base(b));
    !x.is_empty() && x == y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_compare_as_the_shell_would_find_them() {
        assert_eq!(
            norm("~/admin-openrc").as_deref(),
            Some("/root/admin-openrc")
        );
        assert_eq!(
            norm("$HOME/.kube/config").as_deref(),
            Some("/root/.kube/config")
        );
        assert_eq!(norm("./admin-openrc").as_deref(), Some("admin-openrc"));
        assert_eq!(norm("/etc/neutron/").as_deref(), Some("/etc/neutron"));
        assert_eq!(norm("https://x/y.yaml"), None);
        assert!(same("admin-openrc", "/root/admin-openrc"));
        assert!(!same("/root/.kube/config", "/etc/selinux/config"));
    }
}
