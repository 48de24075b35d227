//! The shell session a reader follows through the chapter: the working directory the guide's
//! `cd` commands set, the variables it exports, and a database client left open. Relative and
//! variable paths in file edits are resolved against it.

use std::collections::HashMap;

/// Where a runbook runs: as root, in root's home.
pub const HOME: &str = "/root";

#[derive(Debug, Default)]
pub struct Session {
    /// The block before ended by opening the database client (`mysql -u root -p`).
    pub sql_open: bool,
    /// The directory the last `cd` moved to, when the guide makes it absolute.
    pub cwd: Option<String>,
    /// Variables the guide exports (`export HADOOP_HOME=/home/hadoop/hadoop-2.7.7`).
    pub env: HashMap<String, String>,
}

/// How a path was made absolute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// It was absolute already.
    Absolute(String),
    /// A variable the guide set, or the home directory (`~`, `$HOME`), was put in.
    Expanded(String),
    /// Relative to the directory of the guide's last `cd`.
    FromCwd(String),
    /// Relative, with no `cd` before: taken from the home directory.
    FromHome(String),
    /// Cannot be a path (a newline in it, or a variable the guide never sets).
    Unknown,
}

impl Session {
    /// Follow the commands of a step: `cd DIR` and `export NAME=VALUE` (also `NAME=VALUE` on
    /// a line of its own), in order.
    pub fn follow(&mut self, lines: &[String]) {
        for line in lines {
            for part in line.split("&&").flat_map(|p| p.split(';')) {
                let p = part.trim();
                let p = p.strip_prefix("sudo ").unwrap_or(p).trim();
                if let Some(dir) = p.strip_prefix("cd ") {
                    self.cd(dir.trim());
                } else {
                    self.assign(p);
                }
            }
        }
    }

    /// Follow the lines written to a shell start-up file (`.bashrc`, `/etc/profile`).
    pub fn follow_rc(&mut self, lines: &[String]) {
        for l in lines {
            self.assign(l.trim());
        }
    }

    fn cd(&mut self, dir: &str) {
        let dir = dir.trim_matches(['"', '\'']);
        if dir.is_empty() || dir == "~" || dir == "-" {
            self.cwd = None;
            return;
        }
        self.cwd = match self.resolve(dir) {
            Resolved::Absolute(p) | Resolved::Expanded(p) | Resolved::FromCwd(p) => Some(p),
            Resolved::FromHome(_) | Resolved::Unknown => None,
        };
    }

    fn assign(&mut self, line: &str) {
        let l = line.strip_prefix("export ").unwrap_or(line).trim();
        let Some((k, v)) = l.split_once('=') else {
            return;
        };
        let k = k.trim();
        if k.is_empty() || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return;
        }
        let v = v.trim().trim_matches(['"', '\'']);
        // only values that are paths are worth keeping
        if let Resolved::Absolute(p) | Resolved::Expanded(p) = self.resolve(v) {
            if !p.contains(':') {
                self.env.insert(k.to_string(), p);
            }
        }
    }

    /// Make `path` absolute: expand `~`, `$HOME` and the guide's own variables at its start,
    /// and join a relative path to the working directory (else to the home directory).
    pub fn resolve(&self, path: &str) -> Resolved {
        let p = path.trim();
        if p.is_empty() || p.contains(['\n', '\r']) {
            return Resolved::Unknown;
        }
        if p.starts_with('/') {
            return Resolved::Absolute(p.to_string());
        }
        if let Some(var) = p.strip_prefix("${") {
            // the guide's own variable, else a placeholder the runbook fills
            return match var
                .split_once('}')
                .and_then(|(n, r)| Some((self.env.get(n)?, r)))
            {
                Some((v, rest)) => Resolved::Expanded(format!("{v}{rest}")),
                None => Resolved::Absolute(p.to_string()),
            };
        }
        if let Some(rest) = p.strip_prefix("~/").or_else(|| p.strip_prefix("$HOME/")) {
            return Resolved::Expanded(format!("{HOME}/{rest}"));
        }
        if let Some(var) = p.strip_prefix('$') {
            let end = var
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(var.len());
            return match self.env.get(&var[..end]) {
                Some(v) => Resolved::Expanded(format!("{v}{}", &var[end..])),
                None => Resolved::Unknown,
            };
        }
        let rel = p.strip_prefix("./").unwrap_or(p);
        if let Some(d) = &self.cwd {
            return Resolved::FromCwd(format!("{}/{rel}", d.trim_end_matches('/')));
        }
        // a bare file name where the guide exports the one folder of its configuration files
        // (`HADOOP_CONF_DIR`, `KAFKA_CONF_DIR`)
        let confs: Vec<&String> = self
            .env
            .iter()
            .filter(|(k, _)| k.ends_with("CONF_DIR"))
            .map(|(_, v)| v)
            .collect();
        if let [dir] = confs.as_slice() {
            if !rel.contains('/') {
                return Resolved::Expanded(format!("{}/{rel}", dir.trim_end_matches('/')));
            }
        }
        Resolved::FromHome(format!("{HOME}/{rel}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn relative_paths_follow_cd() {
        let mut s = Session::default();
        assert_eq!(
            s.resolve("config/zookeeper.properties"),
            Resolved::FromHome("/root/config/zookeeper.properties".into())
        );
        // two guides' ways of moving: a plain `cd`, and one in a chain
        s.follow(&lines(&["cd /usr/local/redis-5.0.5/"]));
        assert_eq!(
            s.resolve("./redis-master.conf"),
            Resolved::FromCwd("/usr/local/redis-5.0.5/redis-master.conf".into())
        );
        s.follow(&lines(&["tar xzf kafka.tgz && cd kafka_2.12"]));
        assert_eq!(
            s.resolve("config/server.properties"),
            Resolved::FromCwd("/usr/local/redis-5.0.5/kafka_2.12/config/server.properties".into())
        );
    }

    #[test]
    fn variables_the_guide_exports() {
        let mut s = Session::default();
        s.follow_rc(&lines(&[
            "export HADOOP_HOME=/home/hadoop/hadoop-2.7.7",
            "export PATH=$PATH:$HADOOP_HOME/bin",
        ]));
        assert_eq!(
            s.resolve("$HADOOP_HOME/etc/hadoop/core-site.xml"),
            Resolved::Expanded("/home/hadoop/hadoop-2.7.7/etc/hadoop/core-site.xml".into())
        );
        s.follow(&lines(&[
            "export HADOOP_CONF_DIR=${HADOOP_HOME}/etc/hadoop",
        ]));
        assert_eq!(
            s.resolve("$HADOOP_CONF_DIR/workers"),
            Resolved::Expanded("/home/hadoop/hadoop-2.7.7/etc/hadoop/workers".into())
        );
        assert_eq!(
            s.resolve("~/.bashrc"),
            Resolved::Expanded("/root/.bashrc".into())
        );
        assert_eq!(s.resolve("$UNSET/x"), Resolved::Unknown);
        // a bare configuration file goes where the guide keeps them
        assert_eq!(
            s.resolve("core-site.xml"),
            Resolved::Expanded("/home/hadoop/hadoop-2.7.7/etc/hadoop/core-site.xml".into())
        );
    }
}
