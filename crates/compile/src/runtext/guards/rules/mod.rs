//! The guard table: one named rule per kind of command, in the order they are tried.

mod accounts;
mod clients;
mod cluster;
mod files;
mod keys;
mod network;
mod openstack;
mod storage;
mod system;
mod writes;

use super::Rule;

macro_rules! rule {
    ($name:literal, $reads:literal, $checks:literal, $f:path) => {
        Rule {
            name: $name,
            reads: $reads,
            checks: $checks,
            apply: $f,
        }
    };
}

pub static RULES: &[Rule] = &[
    // accounts
    rule!("user-add", "useradd/adduser NAME", "skipped when `id -u NAME` finds the user", accounts::user_add),
    rule!("group-add", "groupadd/addgroup NAME", "skipped when `getent group NAME` finds it", accounts::group_add),
    // database and broker clients
    rule!("sql-one-liner", "mysql/mariadb -e \"CREATE …\"", "the statements get IF NOT EXISTS / IF EXISTS", clients::mysql_execute),
    rule!("psql-create", "psql -c \"CREATE ROLE|USER|DATABASE NAME …\"", "skipped when pg_roles/pg_database has NAME (same client, user and connection)", clients::psql_create),
    rule!("pg-create-tool", "createuser/createdb NAME", "skipped when pg_roles/pg_database has NAME (same user and connection)", clients::pg_tool),
    rule!("mongo-create-user", "mongo/mongosh --eval 'db.createUser({user: NAME …})'", "skipped when db.getUser(NAME) finds it", clients::mongo_create_user),
    rule!("rabbitmq-add", "rabbitmqctl add_user U / add_vhost V (set_* repeat safely)", "skipped when list_users/list_vhosts has it", clients::rabbitmq),
    rule!("openstack-create", "openstack OBJECT create … NAME, role add, endpoint create", "skipped when `openstack OBJECT show NAME` (or the matching list) finds it", openstack::create),
    rule!("nova-cell", "nova-manage cell_v2 create_cell --name N (also inside su -c)", "skipped when list_cells shows N", openstack::create_cell),
    rule!("service-bootstrap", "keystone-manage bootstrap, *-manage db_sync", "repeat safely as written", openstack::bootstrap),
    // volumes
    rule!("lvm-create", "pvcreate DEV, vgcreate VG DEV, lvcreate -n LV VG", "skipped when pvs/vgs/lvs finds it", storage::lvm),
    rule!("docker-create", "docker volume|network create NAME", "skipped when `docker volume|network inspect NAME` finds it", storage::docker),
    // links, bridges and addresses
    rule!("ip-add", "ip addr|route add …", "`ip addr|route replace …`, which repeats safely", network::ip_add),
    rule!("ip-link-add", "ip link add NAME type …", "skipped when `ip link show NAME` finds it", network::ip_link_add),
    rule!("brctl-add", "brctl addbr BR / addif BR IF", "skipped when the bridge exists (`ip link show`) or has the port (/sys/class/net/BR/brif/IF)", network::brctl),
    rule!("ovs-add", "ovs-vsctl add-br/add-port/add-bond, del-*", "`--may-exist` / `--if-exists`", network::ovs),
    rule!("nmcli-add", "nmcli connection add … con-name NAME", "skipped when `nmcli connection show NAME` finds it", network::nmcli),
    // directories, links, copies, clones, downloads and archives
    rule!("mkdir", "mkdir DIR", "`mkdir -p DIR`", files::mkdir),
    rule!("ln-s", "ln -s TARGET LINK", "`rb_ln`: nothing when LINK already points to TARGET", files::ln),
    rule!("cp", "cp -i SRC DEST, cp -r DIR DEST", "`cp` without -i (a run cannot answer); a recursive copy skipped when DEST already is the copy", files::cp),
    rule!("git-clone", "git clone URL [DIR]", "skipped when DIR (or the URL's name) is already a checkout", files::git_clone),
    rule!("wget", "wget URL (no -O/-N/-c/-nc)", "`wget -nc`: no NAME.1 on a second run", files::wget),
    rule!("curl-output", "curl -o FILE URL / curl -O URL", "skipped when FILE exists", files::curl_output),
    rule!("tar-extract", "tar -x… -f ARCHIVE [-C DIR]", "`rb_extracted`: skipped when the archive's top-level entries exist in DIR", files::tar_extract),
    rule!("unzip", "unzip ARCHIVE", "`unzip -n`: never overwrites, never asks", files::unzip),
    // writes to files
    rule!("heredoc-write", "cat >> FILE <<EOF / cat > FILE <<EOF", "`rb_append` (only lines not there yet) / `rb_write` (only when different)", writes::cat_heredoc),
    rule!("tee-write", "… | tee [-a] FILE", "`rb_append` / `rb_write`", writes::tee),
    rule!("echo-append", "echo/printf … >> FILE", "`… | rb_append FILE`: appended once", writes::echo_append),
    rule!("sed-in-place", "sed -i 's/PATTERN/REPLACEMENT/' FILE", "safe when the replacement does not match its own pattern; `s/^/#/` becomes `s/^#*/#/`; flagged otherwise", writes::sed_in_place),
    // cluster init and join
    rule!("kubeadm", "kubeadm init / kubeadm join", "skipped when /etc/kubernetes/admin.conf / kubelet.conf exists", cluster::kubeadm),
    rule!("ceph-bootstrap", "cephadm bootstrap, ceph-deploy new", "skipped when /etc/ceph/ceph.conf (or ./ceph.conf) exists", cluster::ceph),
    rule!("hdfs-format", "hdfs|hadoop namenode -format / -bootstrapStandby, hdfs zkfc -formatZK", "`rb_hdfs_formatted`: the name directory's current/VERSION; `rb_once` for ZooKeeper", cluster::hdfs),
    rule!("k3s-install", "curl … get.k3s.io | [K3S_URL=…] sh -s - …", "skipped when the k3s (server) or k3s-agent unit is installed", cluster::k3s),
    rule!("kubectl-create", "kubectl create TYPE NAME / create -f FILE", "skipped when `kubectl get TYPE NAME` finds it; `-f` through `rb_ok_if_exists`", cluster::kubectl_create),
    rule!("kubectl-set", "kubectl label/annotate/taint …", "`--overwrite`; a removal that finds nothing counts as done", cluster::kubectl_set),
    rule!("helm", "helm install NAME CHART, helm repo add NAME URL", "`helm upgrade --install`, `helm repo add --force-update`", cluster::helm),
    rule!("kafka-topic", "kafka-topics(.sh) --create --topic T", "`--if-not-exists`", cluster::kafka_topic),
    // generated keys and files, interactive copies
    rule!("ssh-keygen", "ssh-keygen [-t TYPE] [-f FILE]", "skipped when FILE exists; a file and an empty passphrase are given so it never asks", keys::ssh_keygen),
    rule!("generated-file", "openssl req|genrsa|x509 … -out FILE, --gen-*=FILE, *-certutil --out FILE", "skipped when FILE exists", keys::generated_file),
    rule!("gpg-dearmor", "gpg --dearmor -o FILE", "`--batch --yes`: overwrites instead of asking", keys::gpg_dearmor),
    rule!("ssh-copy-id", "ssh-copy-id [-i KEY] [-f] USER@HOST", "`rb_ssh_copy_id`: the key is appended once, the host key accepted", keys::ssh_copy_id),
    // settings that repeat safely as written
    rule!("kernel-settings", "sysctl -w, modprobe, swapoff -a, swapon -a", "repeat safely as written", system::kernel),
    rule!("services", "systemctl enable [--now]/start/restart/daemon-reload", "repeat safely as written", system::services),
    rule!("user-mod", "usermod -aG GROUP USER, gpasswd -a", "repeat safely as written", system::user_mod),
    rule!("firewall-cmd", "firewall-cmd --add-*/--remove-*", "repeat with an ALREADY_ENABLED/NOT_ENABLED warning and status 0", system::firewall),
];
