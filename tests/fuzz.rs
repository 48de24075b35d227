//! Grammar-based fuzzing of the whole pipeline: load → parse → extract → plan → check
//! and every renderer, on generated and mutated guides. No nightly toolchain here, so no
//! cargo-fuzz: a deterministic generator (seeded xorshift, no dependencies) builds guides from
//! the Markdown pieces real install guides are made of, and mutates the corpus guides
//! (`../shared/corpus/*.md`, read at test time).
//!
//! Invariants checked on every case:
//! - nothing panics (compile, render_all), nothing hangs (a watchdog aborts after 60 s with the
//!   input left in `target/tmp/fuzz-work/`);
//! - every step's nodes are in `plan.nodes`, step ids are unique and non-empty, phases are in
//!   `1..=plan.phases`;
//! - every output path is relative and stays inside `out/`, and no two outputs share a path;
//! - every 8th case: compiling twice gives byte-identical outputs (no HashMap order).
//!
//! Runs:
//! - `cargo test --test fuzz` — 300 cases (`RUNBOOK_FUZZ_CASES=N` for more);
//! - `RUNBOOK_FUZZ_SECONDS=600 cargo test --release --test fuzz -- --ignored --nocapture` — for N
//!   seconds;
//! - `RUNBOOK_FUZZ_SEED=S` changes the base seed; `RUNBOOK_FUZZ_CASE=S` replays one case seed.
//!
//! A panicking case is minimised (line-wise delta debugging) and written to
//! `target/tmp/fuzz-failures/<seed>/`; copy it to `tests/fixtures/hostile/fuzz/<name>/` to keep
//! it as a regression fixture (every folder there is compiled by `fuzz_regressions`).

use runbook::build::{render_all, BuildOptions};
use std::collections::HashSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------------------------
// Random numbers

#[derive(Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        // splitmix64 to spread small seeds, never zero for xorshift
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }
    fn next(&mut self) -> u64 {
        // xorshift64*
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------------------------
// The grammar: pieces of real Korean install guides, and hostile values

const NODES: &[&str] = &[
    "controller",
    "Controller",
    "compute",
    "compute1",
    "Compute Node",
    "network",
    "storage",
    "master",
    "nasa-master",
    "nasa-node1",
    "k8s-worker-1",
    "Contorller",
    "컨트롤러",
    "컴퓨트",
    "node01",
    "ceph-mon",
    "All",
    "모든 노드",
    "x",
    "",
];

const HOSTILE: &[&str] = &[
    "$(touch /tmp/pwned)",
    "`touch /tmp/pwned`",
    "'; touch /tmp/pwned; '",
    "\"; touch /tmp/pwned; \"",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "${IFS}",
    "$((1/0))",
    "\\",
    "\\\\n",
    "EOF",
    "RUNBOOK_EOF",
    "__END__",
    "{{title}}",
    "{{{body}}}",
    "%s%n",
    "../../../../etc/passwd",
    "/etc/../../root/.ssh/authorized_keys",
    "\u{202e}evil",
    "\u{0}",
    "\u{7}",
    "\t",
    "\u{feff}",
    "한글 제목",
    "😀",
    "a\u{301}",
    "*/",
    "-->",
    "<!--",
    "]]>",
    "|",
    "||",
    "#",
    "!",
    "~",
    "*",
    "?",
];

const KOREAN: &[&str] = &[
    "설치",
    "구성",
    "노드에서 다음 명령을 실행합니다.",
    "에서 진행",
    "파일을 편집합니다.",
    "파일 생성 및 편집",
    "에 다음 내용 추가",
    "서비스를 다시 시작합니다.",
    "확인합니다.",
    "주석 처리",
    "모든 노드에서 진행",
    "참고",
    "사전 준비",
    "동작 검증",
    "에서만 실행",
    "새로 작성",
    "라인은 `#`으로 주석 처리",
    "로 변경",
];

const PATHS: &[&str] = &[
    "/etc/chrony.conf",
    "/etc/hosts",
    "/etc/nova/nova.conf",
    "/etc/keystone/keystone.conf",
    "/etc/sysconfig/network-scripts/ifcfg-enp0s3",
    "/etc/sysctl.d/k8s.conf",
    "/etc/yum.repos.d/kubernetes.repo",
    "/etc/my.cnf.d/openstack.cnf",
    "~/admin-openrc",
    "$HOME/.bashrc",
    "/etc/<INTERFACE_NAME>.conf",
    "/etc/x y.conf",
    "/etc/$(touch /tmp/pwned).conf",
    "/tmp/`id`",
    "/etc/a'b\"c",
    "/",
    "/etc/",
    "/etc/../etc/passwd",
    "relative/path.conf",
    "/etc/sudoers.d/runbook",
];

const COMMANDS: &[&str] = &[
    "yum install -y chrony",
    "yum install openstack-keystone httpd mod_wsgi",
    "apt install -y chrony",
    "systemctl enable --now chronyd",
    "systemctl restart openstack-nova-api.service",
    "systemctl status chronyd",
    "chronyc sources",
    "openstack user create --domain default --password-prompt nova",
    "openstack endpoint create --region RegionOne compute public http://controller:8774/v2.1",
    "openstack token issue",
    "su -s /bin/sh -c \"keystone-manage db_sync\" keystone",
    "sed -i 's/^SELINUX=.*/SELINUX=permissive/' /etc/selinux/config",
    "echo 'server controller iburst' >> /etc/chrony.conf",
    "export OS_USERNAME=admin",
    ". admin-openrc",
    "source ~/keystonerc_admin",
    "mysql -u root -p",
    "mysql_secure_installation",
    "reboot",
    "passwd",
    "vi /etc/chrony.conf",
    "vim /etc/nova/nova.conf",
    "ping -c 4 controller",
    "kubeadm init",
    "kubeadm join 10.146.0.6:6443 --token abc \\",
    "    --discovery-token-ca-cert-hash sha256:0123",
    "for db in nova_api nova; do",
    "  mysql -e \"CREATE DATABASE ${db};\"",
    "done",
    "if [ -f /etc/x ]; then echo yes; fi",
    "cd /tmp && ls",
    "ls -al | grep x",
    "echo \"unterminated",
    "echo 'unterminated",
    "echo $(date",
    "cat /etc/hosts",
    "exit",
    "}",
    "fi",
    "esac",
    "done",
    "((",
    "[[",
    "EOF",
    "`",
    "\\",
    "openssl rand -hex 10",
    "hostnamectl set-hostname controller",
    "ip link set dev eth1 up",
    "firewall-cmd --add-port=6443/tcp --permanent",
    "packstack --answer-file=/root/openstack.txt",
    "ceph-deploy new mon1",
    "nova-status upgrade check",
];

const PROMPTS: &[&str] = &[
    "",
    "$ ",
    "# ",
    "root$ ",
    "root@controller$ ",
    "root@controller:~# ",
    "[root@controller ~]# ",
    "[root@nasa-master kube]# ",
    "[root@compute1 ~]$ ",
    "(Controller)# ",
    "(Network, Compute)# ",
    "(controller)$ ",
    "controller# ",
    "compute1$ ",
    "  12  ",
    "> ",
    "MariaDB [(none)]> ",
    "mysql> ",
    "    -> ",
    "PS C:\\> ",
    "[root@$(touch /tmp/pwned) ~]# ",
    "[root@<script> ~]# ",
];

const SQL: &[&str] = &[
    "CREATE DATABASE keystone;",
    "GRANT ALL PRIVILEGES ON keystone.* TO 'keystone'@'localhost' IDENTIFIED BY 'KEYSTONE_DBPASS';",
    "GRANT ALL PRIVILEGES ON keystone.* TO 'keystone'@'%' \\",
    "  IDENTIFIED BY 'KEYSTONE_DBPASS';",
    "FLUSH PRIVILEGES;",
    "exit",
    "quit",
    "SELECT 1",
    "DROP DATABASE x; -- '",
    "CREATE USER 'a'@'%' IDENTIFIED BY '$(touch /tmp/pwned)';",
];

const INI: &[&str] = &[
    "[DEFAULT]",
    "[database]",
    "[keystone_authtoken]",
    "[ section with spaces ]",
    "[]",
    "[",
    "...",
    "# ...",
    "connection = mysql+pymysql://keystone:KEYSTONE_DBPASS@controller/keystone",
    "transport_url = rabbit://openstack:RABBIT_PASS@controller",
    "my_ip = 10.0.0.11",
    "password = $(touch /tmp/pwned)",
    "key=value with spaces",
    "key = \"quoted\" // 설명",
    "key = value # comment",
    "=novalue",
    "novalue",
    "server_listen = $my_ip",
    "auth_url = http://controller:5000",
    "SELINUX=disabled",
    "#SELINUX=enforcing",
    "OPENSTACK_HOST = \"controller\"",
    "CACHES = {",
    "    'default': {",
    "        'BACKEND': 'django.core.cache.backends.memcached.MemcachedCache',",
    "    }",
    "}",
    "server 2.kr.pool.ntp.org iburst",
    "allow 10.0.0.0/24",
    "10.0.0.11       controller",
    "net.bridge.bridge-nf-call-iptables = 1",
    "<INTERFACE_NAME>",
    "<password>",
];

const INFOS: &[&str] = &[
    "",
    "bash",
    "shell",
    "sh",
    "console",
    "ini",
    "sql",
    "mysql",
    "text",
    "yaml",
    "json",
    "conf",
    "{.bash}",
    "bash title=x",
    "$(id)",
    "<script>",
];

const ANNOTATION_KEYS: &[&str] = &[
    "node=controller",
    "node=compute",
    "node=nosuch",
    "node=",
    "node=\"a b\"",
    "kind=file",
    "kind=ini",
    "kind=lines",
    "kind=command",
    "kind=sql",
    "kind=verify",
    "kind=manual",
    "kind=bogus",
    "path=/etc/x.conf",
    "path=\"/etc/x y\"",
    "path=relative",
    "path=/etc/$(touch /tmp/pwned)",
    "skip",
    "title=\"제목 $(touch /tmp/pwned)\"",
    "title=\"",
    "option network=provider",
    "option network=selfservice",
    "option =",
    "option",
    "=",
    "unknownkey=1",
];

// ---------------------------------------------------------------------------------------------
// Generator

struct Gen {
    rng: Rng,
    out: String,
}

impl Gen {
    fn word(&mut self) -> String {
        match self.rng.below(10) {
            0..=2 => self.rng.pick(NODES).to_string(),
            3..=4 => self.rng.pick(KOREAN).to_string(),
            5 => self.rng.pick(HOSTILE).to_string(),
            6 => self.rng.pick(PATHS).to_string(),
            7 => format!("`{}`", self.rng.pick(PATHS)),
            8 => format!("`{}`", self.rng.pick(COMMANDS)),
            _ => [
                "RABBIT_PASS",
                "KEYSTONE_DBPASS",
                "<password>",
                "ADMIN_PASS",
                "$OS_X",
            ][self.rng.below(5)]
            .to_string(),
        }
    }

    fn text(&mut self, max_words: usize) -> String {
        let n = self.rng.range(1, max_words);
        let mut s = String::new();
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(&self.word());
        }
        s
    }

    fn line(&mut self, s: &str) {
        self.out.push_str(s);
        self.out.push('\n');
    }

    fn indent(&mut self) -> String {
        [
            "", "", "", "  ", "   ", "    ", "\t", "     ", "        ", "- ", "1. ", "> ",
        ][self.rng.below(12)]
        .to_string()
    }

    fn heading(&mut self) {
        let level = self.rng.range(1, 7);
        let mut h = "#".repeat(level);
        h.push(' ');
        match self.rng.below(6) {
            0 => h.push_str(&format!("{} Node", self.rng.pick(NODES))),
            1 => h.push_str(&format!("설치 및 구성({} Node)", self.rng.pick(NODES))),
            2 => h.push_str(&format!("({} 해당)", self.rng.pick(NODES))),
            3 => h.push_str(&format!("{}. {}", self.rng.below(20), self.text(4))),
            4 => h.push_str(&self.text(3)),
            _ => {}
        }
        if self.rng.chance(10) {
            h.push_str(" {#custom-id}");
        }
        if self.rng.chance(5) {
            h.push_str(" ###");
        }
        self.line(&h);
        if self.rng.chance(5) {
            // setext
            let t = self.text(3);
            self.line(&t);
            let u = if self.rng.chance(50) { "===" } else { "---" };
            self.line(u);
        }
    }

    fn prose(&mut self) {
        let ind = self.indent();
        let s = match self.rng.below(9) {
            0 => format!(
                "{ind}{} 노드에서 다음 명령을 실행합니다.",
                self.rng.pick(NODES)
            ),
            1 => format!("{ind}**{} 노드에서 진행**", self.rng.pick(NODES)),
            2 => format!("{ind}`{}` 파일을 편집합니다.", self.rng.pick(PATHS)),
            3 => format!("{ind}`{}` 파일 생성 및 편집", self.rng.pick(PATHS)),
            4 => format!(
                "{ind}`{}`을 `{}`로 변경",
                self.rng.pick(INI),
                self.rng.pick(INI)
            ),
            5 => format!("{ind}`{}` 라인은 `#`으로 주석 처리", self.rng.pick(INI)),
            6 => format!("{ind}`{}` 추가", self.rng.pick(INI)),
            7 => format!("{ind}`{}`", self.rng.pick(COMMANDS)),
            _ => format!("{ind}{}", self.text(12)),
        };
        self.line(&s);
    }

    fn code_line(&mut self, flavour: usize) -> String {
        match flavour {
            0 => format!("{}{}", self.rng.pick(PROMPTS), self.rng.pick(COMMANDS)),
            1 => self.rng.pick(INI).to_string(),
            2 => format!(
                "{}{}",
                ["", "MariaDB [(none)]> ", "mysql> ", "    -> "][self.rng.below(4)],
                self.rng.pick(SQL)
            ),
            3 => format!("# {}", self.rng.pick(PATHS)),
            _ => self.text(6),
        }
    }

    fn fence(&mut self) {
        let ind = ["", "", "  ", "    ", "   ", "\t", "      "][self.rng.below(7)];
        let marker = if self.rng.chance(70) { "```" } else { "~~~" };
        let marker = if self.rng.chance(10) {
            format!("{marker}{}", &marker[..1])
        } else {
            marker.to_string()
        };
        let info = self.rng.pick(INFOS).to_string();
        self.line(&format!("{ind}{marker}{info}"));
        let flavour = self.rng.below(5);
        let n = self.rng.range(0, 12);
        let mut heredoc: Option<String> = None;
        if self.rng.chance(15) {
            let tag = ["EOF", "'EOF'", "\"EOF\"", "-EOF", "HOSTS", "EOF "][self.rng.below(6)];
            let redir = [">", ">>", "| sudo tee", "| tee -a"][self.rng.below(4)];
            let p = self.rng.pick(PATHS);
            self.line(&format!("{ind}cat <<{tag} {redir} {p}"));
            heredoc = Some(tag.trim_matches(['\'', '"', '-', ' ']).to_string());
        }
        for _ in 0..n {
            let fl = if self.rng.chance(20) {
                self.rng.below(5)
            } else {
                flavour
            };
            let l = self.code_line(fl);
            self.line(&format!("{ind}{l}"));
        }
        if let Some(tag) = heredoc {
            if self.rng.chance(85) {
                self.line(&format!("{ind}{tag}"));
            }
        }
        // unterminated, mismatched, or closed
        match self.rng.below(10) {
            0 => {}
            1 => self.line(&format!(
                "{ind}{}",
                if marker.starts_with('`') {
                    "~~~"
                } else {
                    "```"
                }
            )),
            2 => self.line(&marker[..2]),
            3 => self.line(&format!("{marker} trailing")),
            _ => {
                let close_ind = ["", "  ", "    "][self.rng.below(3)];
                self.line(&format!("{close_ind}{}", marker));
            }
        }
    }

    fn annotation(&mut self) {
        let n = self.rng.range(1, 3);
        let keys: Vec<&str> = (0..n).map(|_| self.rng.pick(ANNOTATION_KEYS)).collect();
        let s = match self.rng.below(8) {
            0 => format!("<!-- runbook: {}", keys.join(" ")),
            1 => format!("<!--runbook:{}-->", keys.join(" ")),
            2 => format!("<!-- runbook: {}\n   more -->", keys.join("\n")),
            3 => format!("<!-- {} -->", self.text(4)),
            _ => format!("<!-- runbook: {} -->", keys.join(" ")),
        };
        self.line(&s);
    }

    fn table(&mut self) {
        let cols = self.rng.range(1, 4);
        let row = |g: &mut Gen| {
            let cells: Vec<String> = (0..cols).map(|_| g.text(2).replace('\n', " ")).collect();
            format!("| {} |", cells.join(" | "))
        };
        match self.rng.below(3) {
            0 => {
                self.line("| 비밀번호 이름 | 설명 |");
                self.line("|---|---|");
                for _ in 0..self.rng.range(0, 4) {
                    let v = ["ADMIN_PASS", "RABBIT_PASS", "$(touch /tmp/pwned)", "A_B"]
                        [self.rng.below(4)];
                    let d = self.text(3);
                    self.line(&format!("| {v} | {d} |"));
                }
            }
            1 => {
                self.line("| 호스트 | 역할 | IP |");
                self.line("|:--|:-:|--:|");
                for _ in 0..self.rng.range(0, 4) {
                    let h = self.rng.pick(NODES);
                    let r = self.rng.pick(NODES);
                    let ip = self.rng.below(300);
                    self.line(&format!("| {h} | {r} 노드 | 10.0.0.{ip} |"));
                }
            }
            _ => {
                let r = row(self);
                self.line(&r);
                if self.rng.chance(80) {
                    self.line(&format!("|{}", "---|".repeat(cols)));
                }
                for _ in 0..self.rng.range(0, 4) {
                    let r = row(self);
                    self.line(&r);
                }
            }
        }
    }

    fn misc(&mut self) {
        match self.rng.below(14) {
            0 => {
                let c = self.rng.pick(COMMANDS);
                self.line(&format!("> # {c} <br>"))
            }
            1 => {
                self.line("{% highlight bash %}");
                let c = self.rng.pick(COMMANDS);
                self.line(c);
                if self.rng.chance(80) {
                    self.line("{% endhighlight %}");
                }
            }
            2 => {
                let t = self.text(2);
                let k = self.rng.below(3);
                let alt = self.text(2);
                self.line(&format!("![{t}](img/{k}.png \"{alt}\")"));
            }
            3 => {
                let t = self.text(2);
                let target = [
                    "ch2.md#x",
                    "javascript:alert(1)",
                    "JaVaScRiPt:alert(1)",
                    "data:text/html,<script>alert(1)</script>",
                    "http://example.com/\"onmouseover=\"alert(1)",
                    "#",
                    "",
                    "../../etc/passwd",
                    " java\tscript:alert(1)",
                ][self.rng.below(9)];
                self.line(&format!("[{t}]({target})"));
            }
            4 => {
                let h = self.rng.pick(HOSTILE);
                self.line(h)
            }
            5 => self.line("<script>alert(1)</script>"),
            6 => self.line("<img src=x onerror=alert(1)>"),
            7 => self.line("<details><summary>x</summary>\n\n```bash\nls\n```\n</details>"),
            8 => {
                // very long line
                let n = self.rng.range(1_000, 60_000);
                let unit = self
                    .rng
                    .pick(&["a", "가", "`", "$(", "<", "|", " ", "#", "\\"]);
                self.line(&unit.repeat(n));
            }
            9 => {
                // deep nesting
                let depth = self.rng.range(10, 300);
                let unit = self
                    .rng
                    .pick(&["> ", "- ", "  - ", "1. ", "* ", "[", "*", "_"]);
                let body = self.rng.pick(COMMANDS);
                self.line(&format!("{}{}", unit.repeat(depth), body));
            }
            10 => {
                // random unicode / control characters
                let n = self.rng.range(1, 200);
                let mut s = String::new();
                for _ in 0..n {
                    let c = match self.rng.below(4) {
                        0 => char::from_u32(self.rng.below(0x80) as u32),
                        1 => char::from_u32(0xAC00 + self.rng.below(11172) as u32),
                        2 => char::from_u32(self.rng.below(0x11_0000) as u32),
                        _ => char::from_u32(0x2000 + self.rng.below(0x100) as u32),
                    };
                    s.push(c.unwrap_or('\u{fffd}'));
                }
                self.line(&s);
            }
            11 => self.line("---"),
            12 => self.line(""),
            _ => {
                self.line("<!-- unterminated comment");
            }
        }
    }

    fn guide(&mut self) -> String {
        let blocks = self.rng.range(0, 40);
        for _ in 0..blocks {
            match self.rng.below(20) {
                0..=2 => self.heading(),
                3..=6 => self.prose(),
                7..=11 => self.fence(),
                12..=13 => self.annotation(),
                14 => self.table(),
                _ => self.misc(),
            }
            if self.rng.chance(50) {
                self.line("");
            }
        }
        std::mem::take(&mut self.out)
    }
}

// ---------------------------------------------------------------------------------------------
// Mutation of real guides

fn corpus() -> &'static [String] {
    static C: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    C.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.retain(|p| {
            p.extension().is_some_and(|e| e == "md")
                && p.file_name().is_some_and(|n| n != "README.md")
        });
        let seed = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/seeds/openstack-install-guide.md");
        files.push(seed);
        files.sort();
        let texts: Vec<String> = files
            .iter()
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .collect();
        if texts.is_empty() && std::env::var_os("CI").is_some() {
            panic!("no corpus guides in {}", dir.display());
        }
        texts
    })
}

fn char_floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let ops = rng.range(1, 12);
    for _ in 0..ops {
        let n = lines.len();
        match rng.below(10) {
            0 if n > 0 => {
                // delete a range
                let a = rng.below(n);
                let b = (a + rng.range(1, 30)).min(n);
                lines.drain(a..b);
            }
            1 if n > 0 => {
                // duplicate a range
                let a = rng.below(n);
                let b = (a + rng.range(1, 30)).min(n);
                let copy: Vec<String> = lines[a..b].to_vec();
                let at = rng.below(n + 1);
                lines.splice(at..at, copy);
            }
            2 if n > 1 => {
                let a = rng.below(n);
                let b = rng.below(n);
                lines.swap(a, b);
            }
            3 => {
                // insert generated pieces
                let mut g = Gen {
                    rng: Rng::new(rng.next()),
                    out: String::new(),
                };
                for _ in 0..rng.range(1, 3) {
                    match g.rng.below(5) {
                        0 => g.heading(),
                        1 => g.fence(),
                        2 => g.annotation(),
                        3 => g.prose(),
                        _ => g.misc(),
                    }
                }
                let at = rng.below(n + 1);
                let new: Vec<String> = g.out.lines().map(str::to_string).collect();
                lines.splice(at..at, new);
            }
            4 if n > 0 => {
                // truncate
                let at = rng.below(n);
                lines.truncate(at.max(1));
                if let Some(l) = lines.last_mut() {
                    let cut = char_floor(l, rng.below(l.len() + 1));
                    l.truncate(cut);
                }
            }
            5 if n > 0 => {
                // replace characters with special ones
                let i = rng.below(n);
                let l = &mut lines[i];
                if !l.is_empty() {
                    let at = char_floor(l, rng.below(l.len()));
                    let special = rng.pick(&[
                        "`", "```", "~~~", "<", ">", "#", "$", "|", "\\", "\t", "\"", "'", "[",
                        "]", "(", ")", "*", "<!--", "-->", "$(", "EOF", "\u{feff}", "\r",
                    ]);
                    l.insert_str(at, special);
                }
            }
            6 if n > 0 => {
                // change indentation
                let i = rng.below(n);
                let ind = rng.pick(&["", "  ", "    ", "\t", "> ", "- "]);
                let t = lines[i].trim_start().to_string();
                lines[i] = format!("{ind}{t}");
            }
            7 => {
                // splice in part of another corpus guide
                let c = corpus();
                if !c.is_empty() {
                    let other: Vec<&str> = c[rng.below(c.len())].lines().collect();
                    if !other.is_empty() {
                        let a = rng.below(other.len());
                        let b = (a + rng.range(1, 60)).min(other.len());
                        let at = rng.below(n + 1);
                        lines.splice(at..at, other[a..b].iter().map(|s| s.to_string()));
                    }
                }
            }
            8 if n > 0 => {
                // a hostile value in place of a word
                let i = rng.below(n);
                let h = rng.pick(HOSTILE);
                let l = &mut lines[i];
                if let Some(sp) = l.find(' ') {
                    l.insert_str(sp + 1, h);
                } else {
                    l.push_str(h);
                }
            }
            _ => {}
        }
    }
    let mut s = lines.join("\n");
    if rng.chance(80) {
        s.push('\n');
    }
    s
}

// ---------------------------------------------------------------------------------------------
// A case: the guide's files

#[derive(Clone, Debug)]
struct Case {
    seed: u64,
    /// (relative path, bytes)
    files: Vec<(String, Vec<u8>)>,
}

fn encode_line_ends(rng: &mut Rng, text: String) -> Vec<u8> {
    let text = match rng.below(12) {
        0 => text.replace('\n', "\r\n"),
        1 => text.replace('\n', "\r"),
        2 => text
            .split('\n')
            .enumerate()
            .map(|(i, l)| {
                if i % 3 == 0 {
                    format!("{l}\r")
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n"),
        _ => text,
    };
    let mut bytes = text.into_bytes();
    match rng.below(25) {
        0 | 1 => {
            let mut b = b"\xEF\xBB\xBF".to_vec();
            b.extend(bytes);
            bytes = b;
        }
        2 => {
            // CP949 (unmappable characters become HTML entities, which is fine)
            let s = String::from_utf8_lossy(&bytes).into_owned();
            bytes = encoding_rs::EUC_KR.encode(&s).0.into_owned();
        }
        3 if !bytes.is_empty() => {
            // random byte corruption
            for _ in 0..rng.range(1, 5) {
                let i = rng.below(bytes.len());
                bytes[i] = rng.next() as u8;
            }
        }
        4 => bytes.push(0),
        _ => {}
    }
    bytes
}

fn make_case(seed: u64) -> Case {
    let mut rng = Rng::new(seed);
    let chapters = if rng.chance(75) { 1 } else { rng.range(2, 4) };
    let mut files = Vec::new();
    let mut names = Vec::new();
    for i in 0..chapters {
        let text = if rng.chance(45) && !corpus().is_empty() {
            let c = corpus();
            let base = &c[rng.below(c.len())];
            mutate(&mut rng, base)
        } else {
            let mut g = Gen {
                rng: Rng::new(rng.next()),
                out: String::new(),
            };
            g.guide()
        };
        let name = match rng.below(8) {
            0 => format!("sub/{:02}-chapter.md", i + 1),
            1 => format!("{:02} 한글 이름.md", i + 1),
            2 => format!("{:02}-$(touch x).md", i + 1),
            _ => format!("{:02}-chapter.md", i + 1),
        };
        names.push(name.clone());
        files.push((name, encode_line_ends(&mut rng, text)));
    }
    if chapters > 1 && rng.chance(40) {
        let mut s = String::from("# Summary\n\n");
        for n in &names {
            s.push_str(&format!("- [{}]({})\n", n, n.replace(' ', "%20")));
        }
        if rng.chance(10) {
            s.push_str("- [missing](nosuch.md)\n");
        }
        files.push(("SUMMARY.md".into(), s.into_bytes()));
    }
    if rng.chance(5) {
        files.push(("image.png".into(), vec![0x89, b'P', b'N', b'G', 0, 0, 1, 2]));
        files.push(("binary.md".into(), vec![0, 1, 2, 3, 0xff, 0xfe]));
    }
    if rng.chance(15) {
        let toml = match rng.below(7) {
            0 => "[options]\nnetwork = \"selfservice\"\n".to_string(),
            1 => "title = \"$(touch /tmp/pwned) <script>\"\n[[nodes]]\nname = \"controller\"\naddress = \"10.0.0.11\"\n[[nodes]]\nname = \"compute\"\n".to_string(),
            2 => "[variables.RABBIT_PASS]\nvalue = \"'; touch /tmp/pwned; '\"\n".to_string(),
            3 => "[[nodes]]\nname = \"$(id)\"\n[[nodes]]\nname = \"a b\"\n".to_string(),
            4 => {
                // node names that are paths
                let n = ["../../../evil", "/etc/evil", "..", ".", "a/b", "evil\\n", "-rf"]
                    [rng.below(7)];
                format!("[[nodes]]\nname = \"{n}\"\naliases = [\"controller\", \"compute\"]\n")
            }
            5 => "[[nodes]]\nname = \"controller\"\n[[nodes.hosts]]\nname = \"../../../evil\"\naddress = \"$(touch /tmp/pwned)\"\n[[nodes.hosts]]\nname = \"ctl2\"\naddress = \"10.0.0.12\"\n".to_string(),
            _ => "this is = not [toml\n".to_string(),
        };
        files.push(("runbook.toml".into(), toml.into_bytes()));
    }
    Case { seed, files }
}

// ---------------------------------------------------------------------------------------------
// Running a case

fn write_case(dir: &Path, case: &Case) {
    if dir.exists() {
        std::fs::remove_dir_all(dir).expect("clean work dir");
    }
    std::fs::create_dir_all(dir).expect("work dir");
    std::fs::write(dir.join(".seed"), format!("{}\n", case.seed)).expect("seed");
    for (rel, bytes) in &case.files {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("sub dir");
        }
        std::fs::write(&p, bytes).expect("write case file");
    }
}

/// Compile and render the guide in `dir`; check the invariants. Err: a broken invariant.
fn check_dir(dir: &Path, twice: bool) -> Result<usize, String> {
    let c = match runbook::compile(dir) {
        Ok(c) => c,
        Err(e) => {
            let msg = format!("{e:#}");
            if msg.trim().is_empty() {
                return Err("compile failed with an empty message".into());
            }
            return Ok(0);
        }
    };
    let plan = &c.plan;
    let mut ids = HashSet::new();
    for s in &plan.steps {
        if s.id.is_empty() {
            return Err(format!("step at {} has an empty id", s.source));
        }
        if !ids.insert(s.id.as_str()) {
            return Err(format!("duplicate step id {} (at {})", s.id, s.source));
        }
        for n in &s.nodes {
            if !plan.nodes.contains(n) {
                return Err(format!(
                    "step {} at {} runs on {n:?}, not in plan.nodes {:?}",
                    s.id, s.source, plan.nodes
                ));
            }
        }
        if s.selected() && (s.phase == 0 || s.phase > plan.phases) {
            return Err(format!(
                "step {} at {} has phase {} outside 1..={}",
                s.id, s.source, s.phase, plan.phases
            ));
        }
    }
    let files = match render_all(&c, &BuildOptions::default()) {
        Ok(f) => f,
        Err(e) => {
            // a render error is acceptable only when it says something
            let msg = format!("{e:#}");
            if msg.trim().is_empty() {
                return Err("render failed with an empty message".into());
            }
            return Ok(0);
        }
    };
    let mut paths = HashSet::new();
    for f in &files {
        if f.path.as_os_str().is_empty()
            || f.path
                .components()
                .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Err(format!("output path escapes out/: {}", f.path.display()));
        }
        if !paths.insert(f.path.clone()) {
            return Err(format!("two outputs at {}", f.path.display()));
        }
    }
    if twice {
        let c2 = runbook::compile(dir).map_err(|e| format!("second compile failed: {e:#}"))?;
        let files2 = render_all(&c2, &BuildOptions::default())
            .map_err(|e| format!("second render failed: {e:#}"))?;
        if files.len() != files2.len() {
            return Err("a second build writes a different number of files".into());
        }
        for (a, b) in files.iter().zip(&files2) {
            if a.path != b.path || a.bytes != b.bytes {
                return Err(format!(
                    "a second build differs at {} (non-deterministic output)",
                    a.path.display()
                ));
            }
        }
    }
    Ok(plan.steps.len().max(1))
}

static HOOK: Once = Once::new();
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);
/// Set while a case runs: its panics are recorded, not printed (minimising repeats them).
static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn install_hook() {
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let bt = std::backtrace::Backtrace::force_capture();
            let msg = format!("{info}\n{bt}");
            let mut g = LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner());
            if g.is_none() {
                *g = Some(msg);
            }
            if !QUIET.load(Ordering::SeqCst) || std::env::var_os("RUNBOOK_FUZZ_VERBOSE").is_some() {
                default(info);
            }
        }));
    });
}

enum Outcome {
    /// Built; the number of steps (0: the guide was refused with an error, which is fine).
    Ok(usize),
    Invariant(String),
    Panic(String),
}

fn run_dir(dir: &Path, twice: bool) -> Outcome {
    *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) = None;
    QUIET.store(true, Ordering::SeqCst);
    let r = catch_unwind(AssertUnwindSafe(|| check_dir(dir, twice)));
    QUIET.store(false, Ordering::SeqCst);
    match r {
        Ok(Ok(n)) => Outcome::Ok(n),
        Ok(Err(m)) => Outcome::Invariant(m),
        Err(p) => {
            let what = p
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            let full = LAST_PANIC
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take()
                .unwrap_or(what);
            Outcome::Panic(full)
        }
    }
}

fn same_failure(a: &Outcome, b: &Outcome) -> bool {
    // the first line of a panic names the location: keep minimising only towards the same bug
    let key = |o: &Outcome| match o {
        Outcome::Ok(_) => String::new(),
        Outcome::Invariant(m) => format!(
            "inv:{}",
            m.split_whitespace().take(3).collect::<Vec<_>>().join(" ")
        ),
        Outcome::Panic(m) => format!(
            "panic:{}",
            m.lines()
                .next()
                .unwrap_or("")
                .split("panicked at ")
                .nth(1)
                .unwrap_or("")
                .split(':')
                .next()
                .unwrap_or("")
        ),
    };
    !matches!(b, Outcome::Ok(_)) && key(a) == key(b)
}

/// Line-wise delta debugging of every file of a failing case.
fn minimise(case: &Case, dir: &Path, first: &Outcome) -> Case {
    let mut best = case.clone();
    let mut budget = 3000usize;
    // drop whole files first
    let mut i = 0;
    while i < best.files.len() && best.files.len() > 1 {
        let mut c = best.clone();
        c.files.remove(i);
        write_case(dir, &c);
        budget = budget.saturating_sub(1);
        if same_failure(first, &run_dir(dir, false)) {
            best = c;
        } else {
            i += 1;
        }
    }
    for f in 0..best.files.len() {
        let mut chunk = best.files[f]
            .1
            .split(|&b| b == b'\n')
            .count()
            .div_ceil(2)
            .max(1);
        loop {
            let lines: Vec<Vec<u8>> = best.files[f]
                .1
                .split(|&b| b == b'\n')
                .map(<[u8]>::to_vec)
                .collect();
            let mut reduced = false;
            let mut start = 0;
            while start < lines.len() && budget > 0 {
                let mut c = best.clone();
                let kept: Vec<Vec<u8>> = lines
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| *k < start || *k >= start + chunk)
                    .map(|(_, l)| l.clone())
                    .collect();
                c.files[f].1 = kept.join(&b'\n');
                write_case(dir, &c);
                budget -= 1;
                if same_failure(first, &run_dir(dir, false)) {
                    best = c;
                    reduced = true;
                    break;
                }
                start += chunk;
            }
            if budget == 0 {
                break;
            }
            if !reduced {
                if chunk == 1 {
                    break;
                }
                chunk = chunk.div_ceil(2);
            }
        }
    }
    best
}

fn failure_dir(seed: u64) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("fuzz-failures")
        .join(format!("{seed}"))
}

struct Stats {
    cases: u64,
    /// Cases that built (the others were refused with a diagnostic).
    built: u64,
    steps: u64,
}

/// Run cases until `stop` says so; panic (test failure) on the first broken invariant.
fn fuzz(base: u64, stop: impl Fn(u64) -> bool) -> Stats {
    install_hook();
    let work = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("fuzz-work")
        .join(format!("{}-{base}", std::process::id()));
    // watchdog: a hang is a failure too; the input stays in `work`
    let beat = Arc::new(AtomicU64::new(0));
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    {
        let beat = beat.clone();
        let done = done.clone();
        let work = work.clone();
        std::thread::spawn(move || {
            let mut last = (0, Instant::now());
            while !done.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(500));
                let b = beat.load(Ordering::Relaxed);
                if b != last.0 {
                    last = (b, Instant::now());
                } else if last.1.elapsed() > Duration::from_secs(60) {
                    eprintln!(
                        "fuzz: a case has run for 60 s (hang); its input is in {}",
                        work.display()
                    );
                    std::process::abort();
                }
            }
        });
    }
    let mut stats = Stats {
        cases: 0,
        built: 0,
        steps: 0,
    };
    let mut i = 0u64;
    while !stop(i) {
        let seed = base.wrapping_mul(1_000_003).wrapping_add(i);
        let case = make_case(seed);
        write_case(&work, &case);
        let outcome = run_dir(&work, i.is_multiple_of(8));
        beat.fetch_add(1, Ordering::Relaxed);
        stats.cases += 1;
        if let Outcome::Ok(n) = outcome {
            stats.built += u64::from(n > 0);
            stats.steps += n as u64;
        } else {
            done.store(true, Ordering::Relaxed);
            let small = minimise(&case, &work, &outcome);
            let fdir = failure_dir(seed);
            write_case(&fdir, &small);
            let what = match &outcome {
                Outcome::Panic(m) => format!("PANIC: {m}"),
                Outcome::Invariant(m) => format!("INVARIANT: {m}"),
                Outcome::Ok(_) => unreachable!(),
            };
            let _ = std::fs::remove_dir_all(&work);
            panic!(
                "fuzz case seed {seed} failed (replay: RUNBOOK_FUZZ_CASE={seed} cargo test --test fuzz replay)\n\
                 minimised input: {}\n{what}",
                fdir.display()
            );
        }
        i += 1;
    }
    done.store(true, Ordering::Relaxed);
    let _ = std::fs::remove_dir_all(&work);
    stats
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|s| s.trim().parse().ok())
}

#[test]
fn fuzz_short() {
    let cases = env_u64("RUNBOOK_FUZZ_CASES").unwrap_or(300);
    let base = env_u64("RUNBOOK_FUZZ_SEED").unwrap_or(20_240_601);
    let t = Instant::now();
    let s = fuzz(base, |i| i >= cases);
    eprintln!(
        "fuzz: {} cases ({} built, {} steps) in {:.1} s, seed {base}: no panic, invariants hold",
        s.cases,
        s.built,
        s.steps,
        t.elapsed().as_secs_f64()
    );
}

/// `RUNBOOK_FUZZ_SECONDS=600 cargo test --release --test fuzz -- --ignored --nocapture`
#[test]
#[ignore]
fn fuzz_long() {
    let secs = env_u64("RUNBOOK_FUZZ_SECONDS").unwrap_or(600);
    let base = env_u64("RUNBOOK_FUZZ_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(1)
    });
    let t = Instant::now();
    let end = t + Duration::from_secs(secs);
    let s = fuzz(base, |_| Instant::now() >= end);
    eprintln!(
        "fuzz: {} cases ({} built, {} steps) in {:.0} s, base seed {base}: no panic, invariants hold",
        s.cases,
        s.built,
        s.steps,
        t.elapsed().as_secs_f64()
    );
}

/// Replay one case seed: `RUNBOOK_FUZZ_CASE=S cargo test --test fuzz replay -- --nocapture`.
#[test]
fn replay() {
    let Some(seed) = env_u64("RUNBOOK_FUZZ_CASE") else {
        return;
    };
    install_hook();
    let dir = failure_dir(seed).with_extension("replay");
    let case = make_case(seed);
    write_case(&dir, &case);
    eprintln!("case {seed} written to {}", dir.display());
    match run_dir(&dir, true) {
        Outcome::Ok(n) => eprintln!("case {seed}: ok, {n} steps"),
        Outcome::Invariant(m) => panic!("case {seed}: {m}"),
        Outcome::Panic(m) => panic!("case {seed}: PANIC {m}"),
    }
}

/// Every minimised failure kept under `tests/fixtures/hostile/fuzz/` compiles without panic.
#[test]
fn fuzz_regressions() {
    install_hook();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile/fuzz");
    let Ok(rd) = std::fs::read_dir(&root) else {
        return;
    };
    let mut dirs: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for d in dirs {
        match run_dir(&d, true) {
            Outcome::Ok(_) => {}
            Outcome::Invariant(m) => panic!("{}: {m}", d.display()),
            Outcome::Panic(m) => panic!("{}: PANIC {m}", d.display()),
        }
    }
}

#[test]
fn generator_is_deterministic_and_varied() {
    let a = make_case(42);
    let b = make_case(42);
    assert_eq!(a.files, b.files);
    let distinct: HashSet<Vec<(String, Vec<u8>)>> = (0..50).map(|s| make_case(s).files).collect();
    assert!(distinct.len() > 45, "generator too repetitive");
}
