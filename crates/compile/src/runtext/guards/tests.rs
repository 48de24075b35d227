//! The guard table's tests: each rule with command lines as guides write them (several
//! phrasings), the rewrite applied twice changing nothing more, and the shapes left alone.

use super::*;

/// (rule, command as a guide writes it, guarded text).
const CASES: &[(&str, &str, &str)] = &[
    (
        "user-add",
        "sudo useradd -m kubeadmin",
        "id -u kubeadmin >/dev/null 2>&1 || sudo useradd -m kubeadmin",
    ),
    (
        "user-add",
        "sudo useradd -d /home/cephnode -m cephnode",
        "id -u cephnode >/dev/null 2>&1 || sudo useradd -d /home/cephnode -m cephnode",
    ),
    (
        "user-add",
        "adduser --disabled-password --gecos \"\" hadoop",
        "id -u hadoop >/dev/null 2>&1 || adduser --disabled-password --gecos \"\" hadoop",
    ),
    (
        "group-add",
        "sudo groupadd docker",
        "getent group docker >/dev/null 2>&1 || sudo groupadd docker",
    ),
    (
        "group-add",
        "groupadd -r kafka",
        "getent group kafka >/dev/null 2>&1 || groupadd -r kafka",
    ),
    (
        "sql-one-liner",
        "mysql -u root -e \"CREATE DATABASE keystone;\"",
        "mysql -u root -e \"CREATE DATABASE IF NOT EXISTS keystone;\"",
    ),
    (
        "sql-one-liner",
        "mysql -uroot -p\"${DB_PASS}\" -e \"CREATE USER 'hive'@'%' IDENTIFIED BY '${HIVE_PASS}'; GRANT ALL ON hive.* TO 'hive'@'%';\"",
        "mysql -uroot -p\"${DB_PASS}\" -e \"CREATE USER IF NOT EXISTS 'hive'@'%' IDENTIFIED BY '${HIVE_PASS}'; GRANT ALL ON hive.* TO 'hive'@'%';\"",
    ),
    (
        "sql-one-liner",
        "sudo mariadb --execute='create database nextcloud'",
        "sudo mariadb --execute='create database IF NOT EXISTS nextcloud'",
    ),
    (
        "psql-create",
        "sudo -u postgres psql -c \"CREATE USER airflow WITH PASSWORD '${AIRFLOW_PASS}';\"",
        "sudo -u postgres psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='airflow'\" | grep -q 1 || sudo -u postgres psql -c \"CREATE USER airflow WITH PASSWORD '${AIRFLOW_PASS}';\"",
    ),
    (
        "psql-create",
        "psql -U postgres -c 'CREATE DATABASE \"Harbor\" OWNER harbor'",
        "psql -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='Harbor'\" | grep -q 1 || psql -U postgres -c 'CREATE DATABASE \"Harbor\" OWNER harbor'",
    ),
    (
        "psql-create",
        "sudo -u postgres psql -c \"CREATE ROLE ${DB_USER} LOGIN\"",
        "sudo -u postgres psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='${DB_USER}'\" | grep -q 1 || sudo -u postgres psql -c \"CREATE ROLE ${DB_USER} LOGIN\"",
    ),
    (
        "pg-create-tool",
        "sudo -u postgres createuser --superuser zabbix",
        "sudo -u postgres psql -d postgres -tAc \"SELECT 1 FROM pg_roles WHERE rolname='zabbix'\" | grep -q 1 || sudo -u postgres createuser --superuser zabbix",
    ),
    (
        "pg-create-tool",
        "sudo -u postgres createdb -O zabbix zabbix",
        "sudo -u postgres psql -d postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='zabbix'\" | grep -q 1 || sudo -u postgres createdb -O zabbix zabbix",
    ),
    (
        "pg-create-tool",
        "createuser -h 127.0.0.1 -U postgres -P awx",
        "psql -h 127.0.0.1 -U postgres -d postgres -tAc \"SELECT 1 FROM pg_roles WHERE rolname='awx'\" | grep -q 1 || createuser -h 127.0.0.1 -U postgres -P awx",
    ),
    (
        "mongo-create-user",
        "mongo admin --eval 'db.createUser({user: \"admin\", pwd: \"secret\", roles: [\"root\"]})'",
        "mongo admin --quiet --eval 'db.getSiblingDB(\"admin\").getUser(\"admin\")' | grep -qF -- admin || mongo admin --eval 'db.createUser({user: \"admin\", pwd: \"secret\", roles: [\"root\"]})'",
    ),
    (
        "mongo-create-user",
        "mongosh --port 27017 --eval \"db.getSiblingDB('graylog').createUser({user:'graylog', pwd:'x', roles:['readWrite']})\"",
        "mongosh --port 27017 --quiet --eval 'db.getSiblingDB(\"graylog\").getUser(\"graylog\")' | grep -qF -- graylog || mongosh --port 27017 --eval \"db.getSiblingDB('graylog').createUser({user:'graylog', pwd:'x', roles:['readWrite']})\"",
    ),
    (
        "rabbitmq-add",
        "rabbitmqctl add_user openstack \"${RABBIT_PASS}\"",
        "rabbitmqctl list_users 2>/dev/null | cut -f1 | grep -qxF -- openstack || rabbitmqctl add_user openstack \"${RABBIT_PASS}\"",
    ),
    (
        "rabbitmq-add",
        "sudo rabbitmqctl add_vhost /sensu",
        "sudo rabbitmqctl list_vhosts 2>/dev/null | grep -qxF -- /sensu || sudo rabbitmqctl add_vhost /sensu",
    ),
    (
        "rabbitmq-add",
        "rabbitmqctl set_permissions openstack \".*\" \".*\" \".*\"",
        "rabbitmqctl set_permissions openstack \".*\" \".*\" \".*\"",
    ),
    (
        "openstack-create",
        "openstack user create --domain default --password-prompt glance",
        "openstack user show --domain default glance >/dev/null 2>&1 || openstack user create --domain default --password-prompt glance",
    ),
    (
        "openstack-create",
        "OS_CLOUD=admin openstack network create --share --external provider",
        "OS_CLOUD=admin openstack network show provider >/dev/null 2>&1 || OS_CLOUD=admin openstack network create --share --external provider",
    ),
    (
        "nova-cell",
        "su -s /bin/sh -c \"nova-manage cell_v2 create_cell --name=cell1 --verbose\" nova",
        "su -s /bin/sh -c \"nova-manage cell_v2 list_cells\" nova 2>/dev/null | grep -qF -- ' cell1 ' || su -s /bin/sh -c \"nova-manage cell_v2 create_cell --name=cell1 --verbose\" nova",
    ),
    (
        "nova-cell",
        "nova-manage cell_v2 create_cell --name cell1",
        "nova-manage cell_v2 list_cells 2>/dev/null | grep -qF -- ' cell1 ' || nova-manage cell_v2 create_cell --name cell1",
    ),
    (
        "service-bootstrap",
        "keystone-manage bootstrap --bootstrap-password \"${ADMIN_PASS}\" --bootstrap-admin-url http://controller:5000/v3/",
        "keystone-manage bootstrap --bootstrap-password \"${ADMIN_PASS}\" --bootstrap-admin-url http://controller:5000/v3/",
    ),
    (
        "service-bootstrap",
        "glance-manage db_sync",
        "glance-manage db_sync",
    ),
    (
        "lvm-create",
        "pvcreate /dev/sdb",
        "pvs /dev/sdb >/dev/null 2>&1 || pvcreate /dev/sdb",
    ),
    (
        "lvm-create",
        "vgcreate cinder-volumes /dev/sdb",
        "vgs cinder-volumes >/dev/null 2>&1 || vgcreate cinder-volumes /dev/sdb",
    ),
    (
        "lvm-create",
        "lvcreate -L 50G -n data vg0",
        "lvs vg0/data >/dev/null 2>&1 || lvcreate -L 50G -n data vg0",
    ),
    (
        "lvm-create",
        "sudo lvcreate --size 10G --name docker-pool vg_docker",
        "sudo lvs vg_docker/docker-pool >/dev/null 2>&1 || sudo lvcreate --size 10G --name docker-pool vg_docker",
    ),
    (
        "docker-create",
        "docker volume create portainer_data",
        "docker volume inspect portainer_data >/dev/null 2>&1 || docker volume create portainer_data",
    ),
    (
        "docker-create",
        "sudo docker network create --driver bridge kafka-net",
        "sudo docker network inspect kafka-net >/dev/null 2>&1 || sudo docker network create --driver bridge kafka-net",
    ),
    (
        "ip-add",
        "ip addr add 192.168.10.1/24 dev br0",
        "ip addr replace 192.168.10.1/24 dev br0",
    ),
    (
        "ip-add",
        "sudo ip route add 10.96.0.0/12 via 192.168.1.1",
        "sudo ip route replace 10.96.0.0/12 via 192.168.1.1",
    ),
    (
        "ip-link-add",
        "ip link add br-ex type bridge",
        "ip link show br-ex >/dev/null 2>&1 || ip link add br-ex type bridge",
    ),
    (
        "ip-link-add",
        "ip link add link eth0 name eth0.100 type vlan id 100",
        "ip link show eth0.100 >/dev/null 2>&1 || ip link add link eth0 name eth0.100 type vlan id 100",
    ),
    (
        "ip-link-add",
        "sudo ip link add veth0 type veth peer name veth1",
        "ip link show veth0 >/dev/null 2>&1 || sudo ip link add veth0 type veth peer name veth1",
    ),
    (
        "brctl-add",
        "brctl addbr br0",
        "ip link show br0 >/dev/null 2>&1 || brctl addbr br0",
    ),
    (
        "brctl-add",
        "brctl addif br0 eth1",
        "[ -e /sys/class/net/br0/brif/eth1 ] || brctl addif br0 eth1",
    ),
    (
        "ovs-add",
        "ovs-vsctl add-br br-ex",
        "ovs-vsctl --may-exist add-br br-ex",
    ),
    (
        "ovs-add",
        "ovs-vsctl add-port br-ex eth1",
        "ovs-vsctl --may-exist add-port br-ex eth1",
    ),
    (
        "ovs-add",
        "sudo ovs-vsctl add-port br-int patch-tun -- set interface patch-tun type=patch",
        "sudo ovs-vsctl --may-exist add-port br-int patch-tun -- set interface patch-tun type=patch",
    ),
    (
        "nmcli-add",
        "nmcli con add type bridge ifname br0 con-name br0",
        "nmcli connection show br0 >/dev/null 2>&1 || nmcli con add type bridge ifname br0 con-name br0",
    ),
    (
        "nmcli-add",
        "nmcli connection add type ethernet con-name eth1 ifname eth1 ipv4.method manual ipv4.addresses 10.0.0.11/24",
        "nmcli connection show eth1 >/dev/null 2>&1 || nmcli connection add type ethernet con-name eth1 ifname eth1 ipv4.method manual ipv4.addresses 10.0.0.11/24",
    ),
    (
        "mkdir",
        "sudo mkdir /etc/apt/keyrings",
        "sudo mkdir -p /etc/apt/keyrings",
    ),
    (
        "mkdir",
        "mkdir $HOME/.kube",
        "mkdir -p $HOME/.kube",
    ),
    (
        "ln-s",
        "ln -s /usr/share/keystone/wsgi-keystone.conf /etc/httpd/conf.d/",
        "rb_ln -s /usr/share/keystone/wsgi-keystone.conf /etc/httpd/conf.d/",
    ),
    (
        "ln-s",
        "sudo ln -sf /opt/hadoop-3.2.4 /opt/hadoop",
        "rb_ln -sf /opt/hadoop-3.2.4 /opt/hadoop",
    ),
    (
        "cp",
        "sudo cp -i /etc/kubernetes/admin.conf $HOME/.kube/config",
        "sudo cp /etc/kubernetes/admin.conf $HOME/.kube/config",
    ),
    (
        "cp",
        "cp -ri conf/ /etc/kafka/",
        "{ [ -d /etc/kafka ] && [ ! -e /etc/kafka/conf ] && diff -rq conf/ /etc/kafka >/dev/null 2>&1; } || cp -r conf/ /etc/kafka/",
    ),
    (
        "git-clone",
        "git clone -b 8.0.0 https://github.com/openstack/kolla.git",
        "[ -d kolla/.git ] || git clone -b 8.0.0 https://github.com/openstack/kolla.git",
    ),
    (
        "git-clone",
        "git clone https://github.com/ceph/ceph-ansible.git /opt/ceph-ansible",
        "[ -d /opt/ceph-ansible/.git ] || git clone https://github.com/ceph/ceph-ansible.git /opt/ceph-ansible",
    ),
    (
        "git-clone",
        "sudo git clone --depth 1 https://opendev.org/openstack/devstack",
        "[ -d devstack/.git ] || sudo git clone --depth 1 https://opendev.org/openstack/devstack",
    ),
    (
        "wget",
        "wget https://archive.apache.org/dist/hadoop/common/hadoop-2.7.7/hadoop-2.7.7.tar.gz",
        "wget -nc https://archive.apache.org/dist/hadoop/common/hadoop-2.7.7/hadoop-2.7.7.tar.gz",
    ),
    (
        "wget",
        "sudo wget -q https://github.com/cilium/cilium/archive/v1.3.0.zip",
        "sudo wget -nc -q https://github.com/cilium/cilium/archive/v1.3.0.zip",
    ),
    (
        "curl-output",
        "curl -fsSLo /etc/apt/keyrings/kubernetes.asc https://pkgs.k8s.io/core:/stable:/v1.30/deb/Release.key",
        "[ -e /etc/apt/keyrings/kubernetes.asc ] || curl -fsSLo /etc/apt/keyrings/kubernetes.asc https://pkgs.k8s.io/core:/stable:/v1.30/deb/Release.key",
    ),
    (
        "curl-output",
        "curl -LO https://dl.k8s.io/release/v1.30.0/bin/linux/amd64/kubectl",
        "[ -e kubectl ] || curl -LO https://dl.k8s.io/release/v1.30.0/bin/linux/amd64/kubectl",
    ),
    (
        "curl-output",
        "curl --silent --remote-name --location https://github.com/ceph/ceph/raw/quincy/src/cephadm/cephadm",
        "[ -e cephadm ] || curl --silent --remote-name --location https://github.com/ceph/ceph/raw/quincy/src/cephadm/cephadm",
    ),
    (
        "tar-extract",
        "tar -xvzf hadoop-2.7.7.tar.gz",
        "rb_extracted hadoop-2.7.7.tar.gz || tar -xvzf hadoop-2.7.7.tar.gz",
    ),
    (
        "tar-extract",
        "sudo tar xzf kafka_2.13-3.5.0.tgz -C /opt",
        "rb_extracted kafka_2.13-3.5.0.tgz /opt || sudo tar xzf kafka_2.13-3.5.0.tgz -C /opt",
    ),
    (
        "tar-extract",
        "tar --extract --file=/tmp/es.tar.gz --directory=/usr/share",
        "rb_extracted /tmp/es.tar.gz /usr/share || tar --extract --file=/tmp/es.tar.gz --directory=/usr/share",
    ),
    (
        "unzip",
        "unzip v1.3.0.zip",
        "unzip -n v1.3.0.zip",
    ),
    (
        "unzip",
        "sudo unzip -q awscliv2.zip -d /tmp",
        "sudo unzip -n -q awscliv2.zip -d /tmp",
    ),
    (
        "heredoc-write",
        "cat <<EOF >>/etc/hosts\nline\nEOF",
        "rb_append /etc/hosts <<EOF\nline\nEOF",
    ),
    (
        "heredoc-write",
        "cat > /etc/modules-load.d/k8s.conf << 'EOF'\nline\nEOF",
        "rb_write /etc/modules-load.d/k8s.conf <<'EOF'\nline\nEOF",
    ),
    (
        "tee-write",
        "cat <<EOF | sudo tee /etc/sysctl.d/k8s.conf\nline\nEOF",
        "cat <<EOF | rb_write /etc/sysctl.d/k8s.conf\nline\nEOF",
    ),
    (
        "tee-write",
        "echo \"overlay\" | sudo tee -a /etc/modules-load.d/containerd.conf",
        "echo \"overlay\" | rb_append /etc/modules-load.d/containerd.conf",
    ),
    (
        "echo-append",
        "echo \"export JAVA_HOME=/usr/lib/jvm/java-8\" >> ~/.bashrc",
        "echo \"export JAVA_HOME=/usr/lib/jvm/java-8\" | rb_append ~/.bashrc",
    ),
    (
        "echo-append",
        "sudo echo \"10.0.0.11 controller\" >> /etc/hosts",
        "echo \"10.0.0.11 controller\" | rb_append /etc/hosts",
    ),
    (
        "sed-in-place",
        "sed -i '/swap/s/^/#/' /etc/fstab",
        "sed -i '/swap/s/^#*/#/' /etc/fstab",
    ),
    (
        "sed-in-place",
        "sudo sed -i '/ swap / s/^\\(.*\\)$/#\\1/g' /etc/fstab",
        "sudo sed -i '/ swap / s/^#*\\(.*\\)$/#\\1/g' /etc/fstab",
    ),
    (
        "sed-in-place",
        "sed -i 's/^SELINUX=enforcing$/SELINUX=disabled/' /etc/selinux/config",
        "sed -i 's/^SELINUX=enforcing$/SELINUX=disabled/' /etc/selinux/config",
    ),
    (
        "sed-in-place",
        "sudo sed -i 's/SystemdCgroup = false/SystemdCgroup = true/' /etc/containerd/config.toml",
        "sudo sed -i 's/SystemdCgroup = false/SystemdCgroup = true/' /etc/containerd/config.toml",
    ),
    (
        "sed-in-place",
        "sed -i 's/node/node1/' /etc/hosts",
        "sed -i 's/node/node1/' /etc/hosts",
    ),
    (
        "sed-in-place",
        "sed -i -e 's/^#\\?\\(PermitRootLogin\\).*/\\1 yes/' /etc/ssh/sshd_config",
        "sed -i -e 's/^#\\?\\(PermitRootLogin\\).*/\\1 yes/' /etc/ssh/sshd_config",
    ),
    (
        "kubeadm",
        "sudo kubeadm init --apiserver-advertise-address=10.0.0.10 --pod-network-cidr=192.168.0.0/16",
        "[ -e /etc/kubernetes/admin.conf ] || sudo kubeadm init --apiserver-advertise-address=10.0.0.10 --pod-network-cidr=192.168.0.0/16",
    ),
    (
        "kubeadm",
        "kubeadm join 10.0.0.10:6443 --token x7tk20.4hp9x2x43g46ara5 --discovery-token-ca-cert-hash sha256:cab2",
        "[ -e /etc/kubernetes/kubelet.conf ] || kubeadm join 10.0.0.10:6443 --token x7tk20.4hp9x2x43g46ara5 --discovery-token-ca-cert-hash sha256:cab2",
    ),
    (
        "ceph-bootstrap",
        "cephadm bootstrap --mon-ip 10.3.0.118",
        "[ -e /etc/ceph/ceph.conf ] || cephadm bootstrap --mon-ip 10.3.0.118",
    ),
    (
        "ceph-bootstrap",
        "sudo /usr/sbin/cephadm bootstrap --mon-ip 10.0.0.11 --output-config /etc/ceph/c.conf",
        "[ -e /etc/ceph/c.conf ] || sudo /usr/sbin/cephadm bootstrap --mon-ip 10.0.0.11 --output-config /etc/ceph/c.conf",
    ),
    (
        "ceph-bootstrap",
        "ceph-deploy new node01",
        "[ -e ceph.conf ] || ceph-deploy new node01",
    ),
    (
        "hdfs-format",
        "hdfs namenode -format",
        "rb_hdfs_formatted hdfs || hdfs namenode -format",
    ),
    (
        "hdfs-format",
        "$HADOOP_HOME/bin/hadoop namenode -format",
        "rb_hdfs_formatted $HADOOP_HOME/bin/hdfs || $HADOOP_HOME/bin/hadoop namenode -format",
    ),
    (
        "hdfs-format",
        "hdfs namenode -bootstrapStandby",
        "rb_hdfs_formatted hdfs || hdfs namenode -bootstrapStandby",
    ),
    (
        "hdfs-format",
        "hdfs zkfc -formatZK",
        "rb_once hdfs zkfc -formatZK",
    ),
    (
        "k3s-install",
        "curl -sfL https://get.k3s.io | sh -s - --write-kubeconfig-mode 644",
        "[ -e /etc/systemd/system/k3s.service ] || curl -sfL https://get.k3s.io | sh -s - --write-kubeconfig-mode 644",
    ),
    (
        "k3s-install",
        "curl -sfL https://get.k3s.io | K3S_URL=https://10.0.0.10:6443 K3S_TOKEN=${TOKEN} sh -",
        "[ -e /etc/systemd/system/k3s-agent.service ] || curl -sfL https://get.k3s.io | K3S_URL=https://10.0.0.10:6443 K3S_TOKEN=${TOKEN} sh -",
    ),
    (
        "kubectl-create",
        "kubectl create namespace monitoring",
        "kubectl get namespace monitoring >/dev/null 2>&1 || kubectl create namespace monitoring",
    ),
    (
        "kubectl-create",
        "kubectl create deployment nginx-test --image=nginx:alpine",
        "kubectl get deployment nginx-test >/dev/null 2>&1 || kubectl create deployment nginx-test --image=nginx:alpine",
    ),
    (
        "kubectl-create",
        "kubectl create -f https://raw.githubusercontent.com/projectcalico/calico/v3.26.1/manifests/tigera-operator.yaml",
        "rb_ok_if_exists kubectl create -f https://raw.githubusercontent.com/projectcalico/calico/v3.26.1/manifests/tigera-operator.yaml",
    ),
    (
        "kubectl-create",
        "sudo k3s kubectl create secret generic regcred -n apps --from-file=.dockerconfigjson=config.json",
        "sudo k3s kubectl get secret regcred -n apps >/dev/null 2>&1 || sudo k3s kubectl create secret generic regcred -n apps --from-file=.dockerconfigjson=config.json",
    ),
    (
        "kubectl-set",
        "sudo k3s kubectl label node worker-1 node-role.kubernetes.io/worker=worker",
        "sudo k3s kubectl label --overwrite node worker-1 node-role.kubernetes.io/worker=worker",
    ),
    (
        "kubectl-set",
        "kubectl taint nodes --all node-role.kubernetes.io/control-plane-",
        "rb_ok_if_gone kubectl taint nodes --all node-role.kubernetes.io/control-plane-",
    ),
    (
        "kubectl-set",
        "kubectl taint nodes master1 dedicated=infra:NoSchedule",
        "kubectl taint --overwrite nodes master1 dedicated=infra:NoSchedule",
    ),
    (
        "helm",
        "helm install prometheus prometheus-community/kube-prometheus-stack -n monitoring",
        "helm upgrade --install prometheus prometheus-community/kube-prometheus-stack -n monitoring",
    ),
    (
        "helm",
        "helm repo add bitnami https://charts.bitnami.com/bitnami",
        "helm repo add --force-update bitnami https://charts.bitnami.com/bitnami",
    ),
    (
        "kafka-topic",
        "bin/kafka-topics.sh --create --topic quickstart-events --bootstrap-server localhost:9092",
        "bin/kafka-topics.sh --create --if-not-exists --topic quickstart-events --bootstrap-server localhost:9092",
    ),
    (
        "kafka-topic",
        "kafka-topics --create --zookeeper zk1:2181 --replication-factor 3 --partitions 3 --topic test",
        "kafka-topics --create --if-not-exists --zookeeper zk1:2181 --replication-factor 3 --partitions 3 --topic test",
    ),
    (
        "ssh-keygen",
        "ssh-keygen -t rsa",
        "[ -e ~/.ssh/id_rsa ] || ssh-keygen -t rsa -f ~/.ssh/id_rsa -N ''",
    ),
    (
        "ssh-keygen",
        "ssh-keygen",
        "[ -e ~/.ssh/id_rsa ] || ssh-keygen -t rsa -f ~/.ssh/id_rsa -N ''",
    ),
    (
        "ssh-keygen",
        "ssh-keygen -q -N \"\" -f /root/.ssh/id_rsa",
        "[ -e /root/.ssh/id_rsa ] || ssh-keygen -q -N \"\" -f /root/.ssh/id_rsa",
    ),
    (
        "generated-file",
        "openssl req -x509 -nodes -days 365 -newkey rsa:2048 -keyout /etc/nginx/tls.key -out /etc/nginx/tls.crt -subj \"/CN=registry\"",
        "[ -e /etc/nginx/tls.crt ] || openssl req -x509 -nodes -days 365 -newkey rsa:2048 -keyout /etc/nginx/tls.key -out /etc/nginx/tls.crt -subj \"/CN=registry\"",
    ),
    (
        "generated-file",
        "packstack --gen-answer-file=/root/answer.txt",
        "[ -e /root/answer.txt ] || packstack --gen-answer-file=/root/answer.txt",
    ),
    (
        "generated-file",
        "bin/elasticsearch-certutil ca --out config/elastic-stack-ca.p12 --pass \"\"",
        "[ -e config/elastic-stack-ca.p12 ] || bin/elasticsearch-certutil ca --out config/elastic-stack-ca.p12 --pass \"\"",
    ),
    (
        "gpg-dearmor",
        "curl -fsSL https://download.docker.com/linux/ubuntu/gpg | sudo gpg --dearmor -o /etc/apt/keyrings/docker.gpg",
        "curl -fsSL https://download.docker.com/linux/ubuntu/gpg | sudo gpg --batch --yes --dearmor -o /etc/apt/keyrings/docker.gpg",
    ),
    (
        "gpg-dearmor",
        "wget -qO- https://artifacts.elastic.co/GPG-KEY-elasticsearch | gpg --dearmor --output /usr/share/keyrings/elastic.gpg",
        "wget -qO- https://artifacts.elastic.co/GPG-KEY-elasticsearch | gpg --batch --yes --dearmor --output /usr/share/keyrings/elastic.gpg",
    ),
    (
        "ssh-copy-id",
        "ssh-copy-id root@10.0.0.11",
        "rb_ssh_copy_id root@10.0.0.11",
    ),
    (
        "ssh-copy-id",
        "ssh-copy-id -f -i /etc/ceph/ceph.pub root@s1",
        "rb_ssh_copy_id -f -i /etc/ceph/ceph.pub root@s1",
    ),
    (
        "kernel-settings",
        "sudo sysctl -w net.ipv4.ip_forward=1",
        "sudo sysctl -w net.ipv4.ip_forward=1",
    ),
    (
        "kernel-settings",
        "sudo modprobe br_netfilter",
        "sudo modprobe br_netfilter",
    ),
    (
        "kernel-settings",
        "swapoff -a",
        "swapoff -a",
    ),
    (
        "services",
        "sudo systemctl enable --now kubelet",
        "sudo systemctl enable --now kubelet",
    ),
    (
        "services",
        "systemctl daemon-reload",
        "systemctl daemon-reload",
    ),
    (
        "user-mod",
        "sudo usermod -aG docker $USER",
        "sudo usermod -aG docker $USER",
    ),
    (
        "user-mod",
        "usermod -a -G wheel kubeadmin",
        "usermod -a -G wheel kubeadmin",
    ),
    (
        "firewall-cmd",
        "sudo firewall-cmd --permanent --add-port=6443/tcp",
        "sudo firewall-cmd --permanent --add-port=6443/tcp",
    ),
    (
        "firewall-cmd",
        "firewall-cmd --add-service=http --permanent",
        "firewall-cmd --add-service=http --permanent",
    ),
];

#[test]
fn every_rule_reads_its_phrasings() {
    for (rule, input, expected) in CASES {
        assert_eq!(&guard(input), expected, "{rule}: {input}");
        let applied = rules_applied(input);
        assert!(
            applied.contains(rule),
            "{rule}: {input} was read by {applied:?}"
        );
        assert_eq!(
            guard(expected),
            *expected,
            "{rule}: guarding twice changes {input}"
        );
    }
}

#[test]
fn every_rule_has_two_phrasings() {
    for r in RULES.iter() {
        let n = CASES.iter().filter(|c| c.0 == r.name).count();
        assert!(n >= 2, "rule {} has {n} phrasings", r.name);
        assert!(!r.reads.is_empty() && !r.checks.is_empty(), "{}", r.name);
    }
    let mut names: Vec<&str> = RULES.iter().map(|r| r.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), RULES.len(), "rule names are unique");
}

#[test]
fn sed_that_feeds_itself_is_flagged() {
    assert!(notes("sed -i 's/node/node1/' /etc/hosts")[0].starts_with("sed-in-place: "));
    assert_eq!(notes("sed -i 's/$/ # added/' /etc/app.conf").len(), 1);
    assert_eq!(
        guard("sed -i -E '/swap/ s/.*/#&/' /etc/fstab"),
        "sed -i -E '/swap/ s/^#*(.*)$/#\\1/' /etc/fstab"
    );
    for ok in [
        "sed -i 's/^SELINUX=enforcing$/SELINUX=disabled/' /etc/selinux/config",
        "sed -i '/^[^#].*swap/s/^/#/' /etc/fstab",
        "sed -i -e 's/^#\\?\\(PermitRootLogin\\).*/\\1 yes/' /etc/ssh/sshd_config",
        "sed -i -E 's/(bind-address).*/\\1 = 0.0.0.0/' /etc/mysql/my.cnf",
        "sed -i 's|/var/lib/old|/data/new|g' /etc/app.conf",
    ] {
        assert!(notes(ok).is_empty(), "{ok}: {:?}", notes(ok));
        assert_eq!(guard(ok), ok);
    }
}

#[test]
fn openstack_shapes() {
    for (input, expected) in [
        (
            "openstack project create --domain default \\\n  --description \"Service Project\" service",
            "openstack project show --domain default service >/dev/null 2>&1 || openstack project create --domain default \\\n  --description \"Service Project\" service",
        ),
        (
            "openstack role add --project service --user glance admin",
            "[ -n \"$(openstack role assignment list --role admin --user glance --project service -f value -c Role 2>/dev/null)\" ] || openstack role add --project service --user glance admin",
        ),
        (
            "openstack service create --name glance --description \"OpenStack Image\" image",
            "openstack service show glance >/dev/null 2>&1 || openstack service create --name glance --description \"OpenStack Image\" image",
        ),
        (
            "openstack endpoint create --region RegionOne image public http://controller:9292",
            "[ -n \"$(openstack endpoint list --service image --interface public --region RegionOne -f value -c ID 2>/dev/null)\" ] || openstack endpoint create --region RegionOne image public http://controller:9292",
        ),
        (
            "openstack security group rule create --proto icmp default",
            "rb_ok_if_exists openstack security group rule create --proto icmp default",
        ),
        (
            "openstack flavor create --id 0 --vcpus 1 --ram 64 --disk 1 m1.nano",
            "openstack flavor show m1.nano >/dev/null 2>&1 || openstack flavor create --id 0 --vcpus 1 --ram 64 --disk 1 m1.nano",
        ),
        // lists and chains get braces; after || nothing changes
        (
            ". admin-openrc && openstack role create myrole",
            ". admin-openrc && { openstack role show myrole >/dev/null 2>&1 || openstack role create myrole; }",
        ),
        ("openstack token issue", "openstack token issue"),
        (
            "openstack project create --or-show x",
            "openstack project create --or-show x",
        ),
    ] {
        assert_eq!(guard(input), expected, "{input}");
    }
}

#[test]
fn prefixes_and_chains() {
    for (input, expected) in [
        ("X=1 mkdir /a", "X=1 mkdir -p /a"),
        ("sudo -E mkdir /a", "sudo -E mkdir -p /a"),
        ("env LANG=C mkdir /a", "env LANG=C mkdir -p /a"),
        (
            "mkdir ~/.kube && sudo cp -i /etc/kubernetes/admin.conf ~/.kube/config",
            "mkdir -p ~/.kube && sudo cp /etc/kubernetes/admin.conf ~/.kube/config",
        ),
        (
            "swapoff -a && sed -i '/swap/s/^/#/' /etc/fstab",
            "swapoff -a && sed -i '/swap/s/^#*/#/' /etc/fstab",
        ),
        (
            "KUBECONFIG=/etc/kubernetes/admin.conf kubectl create ns argocd",
            "KUBECONFIG=/etc/kubernetes/admin.conf kubectl get namespace argocd >/dev/null 2>&1 || KUBECONFIG=/etc/kubernetes/admin.conf kubectl create ns argocd",
        ),
        (
            "useradd kafka; mkdir /data",
            "id -u kafka >/dev/null 2>&1 || useradd kafka; mkdir -p /data",
        ),
        ("mkdir /a || true", "mkdir -p /a || true"),
        ("test -d /a || mkdir /a", "test -d /a || mkdir /a"),
        ("X=1", "X=1"),
    ] {
        assert_eq!(guard(input), expected, "{input}");
        assert_eq!(guard(expected), expected, "{input}");
    }
}

#[test]
fn unknown_shapes_pass_through() {
    for t in [
        "if true; then openstack user create x; fi",
        "for i in 1 2; do mkdir /a$i; done",
        "(cd /tmp && mkdir x)",
        "echo 'unterminated",
        "yum install -y chrony\nsystemctl enable chronyd.service",
        "f() { mkdir /a; }",
        "echo 1 > /proc/sys/net/ipv4/ip_forward",
        "wget -O /tmp/x http://a/b",
        "mkdir -p /var/x",
        "psql -c \"CREATE TABLE t (id int); CREATE ROLE x\"",
        "kubectl apply -f calico.yaml",
        "ssh second 'ssh-keygen -t rsa'",
    ] {
        assert_eq!(guard(t), t, "{t}");
    }
}

#[test]
fn half_written_commands_do_not_panic() {
    for t in [
        "sed -i",
        "sed -i 's/ä/ö/' f",
        "sed -i 's/x/y' f",
        "sed -i 's/[/x/' f",
        "sed -i '/é/s/^/#/' f",
        "cp -i",
        "cp -r",
        "cp -r é/ /dé/",
        "tar -x",
        "tar -xf",
        "kubectl create",
        "kubectl taint",
        "k3s",
        "ip link add",
        "ip",
        "helm install",
        "helm repo add",
        "psql -c",
        "mysql -e",
        "mongo --eval",
        "ssh-keygen -t 'a b'",
        "git clone",
        "curl -o",
        "curl -O",
        "wget",
        "lvcreate -n",
        "docker volume create",
        "brctl addif",
        "ovs-vsctl",
        "nmcli con add con-name",
        "openstack",
        "rabbitmqctl",
        "useradd",
        "hdfs",
        "cephadm",
        "kafka-topics.sh --create",
        "sudo",
        "sudo -u",
        "env",
        "X=",
        "gpg --dearmor -o",
        "ssh-copy-id",
        "unzip",
        "tee",
    ] {
        let g = guard(t);
        assert_eq!(guard(&g), g, "{t}");
    }
}
