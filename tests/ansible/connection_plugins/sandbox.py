# Ansible connection plugin for the runbook tests: each inventory host is its own sandbox of
# tests/harness/sandbox.sh (an overlayfs copy-on-write root with the CentOS command stubs).
#
#   ANSIBLE_CONNECTION_PLUGINS=tests/ansible/connection_plugins \
#   RUNBOOK_SANDBOX_ROOT=/tmp/fleet RUNBOOK_SANDBOX_SH=tests/harness/sandbox.sh \
#   ansible-playbook -i inventory.yml site.yml -e ansible_connection=sandbox
#
# Host HOST runs in $RUNBOOK_SANDBOX_ROOT/HOST (made with `sandbox.sh new`); when
# $RUNBOOK_SANDBOX_ROOT/HOST.mysql is a MariaDB of `mariadb.sh start`, its socket is reachable
# inside. Commands run as root through `sandbox.sh exec`, files move with `sandbox.sh put`.

from __future__ import annotations

DOCUMENTATION = """
name: sandbox
short_description: run tasks in a runbook test sandbox (overlayfs root with command stubs)
description:
  - Every inventory host is a directory made by tests/harness/sandbox.sh new.
author: runbook tests
options:
  sandbox_host:
    description: the inventory host name, which names the sandbox directory
    vars:
      - name: inventory_hostname
  sandbox_root:
    description: the directory holding one sandbox per host
    env:
      - name: RUNBOOK_SANDBOX_ROOT
  sandbox_sh:
    description: path of tests/harness/sandbox.sh
    env:
      - name: RUNBOOK_SANDBOX_SH
"""

import os
import subprocess

from ansible.errors import AnsibleConnectionFailure, AnsibleError
from ansible.plugins.connection import ConnectionBase


class Connection(ConnectionBase):
    transport = "sandbox"
    has_pipelining = True
    default_user = "root"

    def _paths(self):
        root = self.get_option("sandbox_root")
        script = self.get_option("sandbox_sh")
        host = self.get_option("sandbox_host")
        if not root or not script or not host:
            raise AnsibleConnectionFailure(
                "sandbox: set RUNBOOK_SANDBOX_ROOT and RUNBOOK_SANDBOX_SH")
        box = os.path.join(root, host)
        if not os.path.isfile(os.path.join(box, ".sandbox")):
            raise AnsibleConnectionFailure("sandbox: no sandbox for %s at %s" % (host, box))
        mysql = os.path.join(root, host + ".mysql")
        return script, box, (mysql if os.path.exists(os.path.join(mysql, "mysql.sock")) else None)

    def _connect(self):
        self._paths()
        self._connected = True
        return self

    def _exec(self, cmd, in_data=None):
        script, box, mysql = self._paths()
        argv = [script, "exec", box]
        if mysql:
            argv += ["--mysql", mysql]
        if in_data is not None:
            argv += ["--stdin"]
        argv += ["--", "/bin/sh", "-c", cmd]
        p = subprocess.run(argv, input=in_data if in_data is not None else b"",
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        return p.returncode, p.stdout, p.stderr

    def exec_command(self, cmd, in_data=None, sudoable=True):
        super().exec_command(cmd, in_data=in_data, sudoable=sudoable)
        return self._exec(cmd, in_data)

    def put_file(self, in_path, out_path):
        super().put_file(in_path, out_path)
        script, box, _ = self._paths()
        p = subprocess.run([script, "put", box, in_path, out_path],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode != 0:
            raise AnsibleError("sandbox put %s -> %s failed: %s"
                               % (in_path, out_path, p.stderr.decode(errors="replace")))

    def fetch_file(self, in_path, out_path):
        super().fetch_file(in_path, out_path)
        rc, out, err = self._exec("cat -- '%s'" % in_path.replace("'", "'\\''"))
        if rc != 0:
            raise AnsibleError("sandbox fetch %s failed: %s" % (in_path, err.decode(errors="replace")))
        with open(out_path, "wb") as f:
            f.write(out)

    def close(self):
        self._connected = False
