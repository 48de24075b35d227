#!/bin/bash
# Shared by every stub in /opt/runbook-stubs/bin. Functions only; no side effects on source.
# State: /var/lib/stubs/ (calls.count, kill_at, killed, and one dir per stub family).
# Log:   /var/log/stubs/calls.log, one line per call: NAME ARGS (each arg shell-quoted with %q).

STUB_STATE=${STUB_STATE:-/var/lib/stubs}
STUB_LOG=${STUB_LOG:-/var/log/stubs/calls.log}
STUB_ROOT=${STUB_ROOT:-/opt/runbook-stubs}

# stub_begin NAME ARGS...: count the call, maybe crash the run (kill switch), log the call.
stub_begin() {
  local name=$1 n at line a
  shift
  mkdir -p "$STUB_STATE" "${STUB_LOG%/*}"
  n=$(
    exec 8>>"$STUB_STATE/calls.lock"
    flock 8
    c=$(cat "$STUB_STATE/calls.count" 2>/dev/null || true)
    c=$(( ${c:-0} + 1 ))
    echo "$c" >"$STUB_STATE/calls.count.tmp" && mv -f "$STUB_STATE/calls.count.tmp" "$STUB_STATE/calls.count"
    echo "$c"
  )
  line=$name
  for a in "$@"; do line+=" $(printf '%q' "$a")"; done
  at=${STUB_KILL_AT:-}
  if [ -z "$at" ] && [ -f "$STUB_STATE/kill_at" ]; then at=$(cat "$STUB_STATE/kill_at"); fi
  if [ -n "$at" ] && [ "$n" = "$at" ]; then
    rm -f "$STUB_STATE/kill_at"
    printf '%s %s\n' "$n" "$line" >"$STUB_STATE/killed"
    stub_kill_run
  fi
  printf '%s\n' "$line" >>"$STUB_LOG"
}

# SIGKILL the run that called this stub, then this stub itself.
stub_kill_run() {
  if [ -n "${RUNBOOK_PID:-}" ]; then
    kill -KILL -- "$RUNBOOK_PID" 2>/dev/null || true
  elif [ "${RUNBOOK_SANDBOX:-}" = 1 ] && tr '\0' ' ' </proc/1/cmdline 2>/dev/null | grep -q __sandbox_init__; then
    # In a sandbox.sh pid namespace: every process but its init (which then returns 137).
    kill -KILL -1 2>/dev/null || true
  else
    kill -KILL "$PPID" 2>/dev/null || true
  fi
  kill -KILL $$
}

stub_err() { printf '%s\n' "$*" >&2; }

# --- packages (yum, dnf, rpm, apt) ---
pkg_dir() { echo "$STUB_STATE/rpm"; }
pkg_installed() { [ -f "$(pkg_dir)/$1" ]; }
pkg_install() { # pkg: record and lay down the package's skeleton files (never overwrite)
  local p=$1 src f
  mkdir -p "$(pkg_dir)"
  case $p in */*|.*|'') return 0 ;; esac
  if ! pkg_installed "$p"; then
    echo "$p-1.0.0-1.el7.x86_64" >"$(pkg_dir)/$p"
  fi
  src="$STUB_ROOT/pkgfiles/$p"
  if [ -d "$src" ]; then
    while IFS= read -r -d '' f; do
      if [ -d "$src/$f" ]; then
        mkdir -p "/$f"
      elif [ ! -e "/$f" ] && [ ! -L "/$f" ]; then
        mkdir -p "$(dirname "/$f")"
        cp -P "$src/$f" "/$f"
      fi
    done < <(cd "$src" && find . -mindepth 1 -printf '%P\0' | LC_ALL=C sort -z)
  fi
}
pkg_remove() { rm -f "$(pkg_dir)/$1"; }

# --- services (systemctl, service) ---
unit_name() { # chronyd -> chronyd.service
  case $1 in *.service|*.socket|*.target|*.timer|*.mount|*.path) echo "$1" ;; *) echo "$1.service" ;; esac
}
# Package that must be installed for a unit to exist; empty when unknown (then any unit exists).
unit_package() {
  case ${1%.service} in
    chronyd) echo chrony ;;
    mariadb) echo mariadb-server ;;
    rabbitmq-server) echo rabbitmq-server ;;
    memcached) echo memcached ;;
    etcd) echo etcd ;;
    httpd) echo httpd ;;
    openstack-glance-api) echo openstack-glance ;;
    openstack-nova-api|openstack-nova-scheduler|openstack-nova-conductor|openstack-nova-novncproxy|openstack-nova-compute) echo "${1%.service}" ;;
    libvirtd) echo libvirt ;;
    neutron-server|neutron-dhcp-agent|neutron-metadata-agent|neutron-l3-agent) echo openstack-neutron ;;
    neutron-linuxbridge-agent) echo openstack-neutron-linuxbridge ;;
    *) echo "" ;;
  esac
}
