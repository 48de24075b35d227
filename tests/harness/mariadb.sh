#!/bin/bash
# A private MariaDB server for tests (Debian's mariadb-server), on its own datadir,
# Unix socket and 127.0.0.1 port. Never touches the system's /var/lib/mysql or service.
#
#   mariadb.sh start DIR   initialise DIR/data on first use, start mariadbd in the background,
#                          wait until it answers, print (stdout, one per line):
#                            MYSQL_UNIX_PORT=DIR/mysql.sock
#                            MYSQL_TCP_PORT=<port>
#                          root@localhost over the socket needs no password.
#   mariadb.sh stop DIR    shut the server down (waits; SIGKILL after 30 s) and keep DIR
#   mariadb.sh rm DIR      stop, then delete DIR
#   mariadb.sh env DIR     print the same lines as start, for a running server
#
# Clients: `mysql --socket=DIR/mysql.sock` always works. Debian's /etc/mysql/mariadb.cnf sets
# socket=/run/mysqld/mysqld.sock in [client-server], and option files beat MYSQL_UNIX_PORT, so on
# the host pass --socket (or --no-defaults). Inside a sandbox use
# `sandbox.sh exec SBX --mysql DIR -- ...`: the socket is bind-mounted at the client's default
# paths (/run/mysqld/mysqld.sock and /var/lib/mysql/mysql.sock), so a plain `mysql` as root works.
# Files: DIR/data, DIR/mysql.sock, DIR/mysqld.pid, DIR/mysqld.log, DIR/port.
set -euo pipefail

die() { echo "mariadb.sh: $*" >&2; exit 1; }

find_bin() {
  local b
  for b in "$@"; do
    if command -v "$b" >/dev/null 2>&1; then command -v "$b"; return 0; fi
    if [ -x "/usr/sbin/$b" ]; then echo "/usr/sbin/$b"; return 0; fi
  done
  return 1
}

free_port() {
  local p i
  for i in $(seq 1 200); do
    p=$(( 20000 + (RANDOM * 32768 + RANDOM + $$ + i) % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"; return 0
    fi
  done
  die "no free TCP port found"
}

client() { # client DIR args...
  local dir=$1; shift
  "$CLIENT" --no-defaults --protocol=socket --socket="$dir/mysql.sock" -uroot "$@"
}

print_env() {
  echo "MYSQL_UNIX_PORT=$1/mysql.sock"
  echo "MYSQL_TCP_PORT=$(cat "$1/port")"
}

is_running() {
  local dir=$1 pid
  [ -f "$dir/mysqld.pid" ] || return 1
  pid=$(cat "$dir/mysqld.pid" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

cmd_start() {
  local dir=$1 port i pid
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd -P)
  if is_running "$dir"; then print_env "$dir"; return 0; fi
  # A socket path is limited to 107 bytes.
  [ "${#dir}" -le 90 ] || die "DIR path too long for a Unix socket: $dir"
  if [ ! -d "$dir/data/mysql" ]; then
    rm -rf "$dir/data"
    mkdir -p "$dir/data"
    "$INSTALL_DB" --no-defaults --user=root --datadir="$dir/data" \
      --auth-root-authentication-method=socket --skip-test-db \
      >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; die "mariadb-install-db failed"; }
  fi
  port=$(free_port)
  echo "$port" >"$dir/port"
  rm -f "$dir/mysql.sock" "$dir/mysqld.pid"
  # setsid: the server must not share the caller's process group or terminal.
  setsid "$SERVER" --no-defaults --user=root --datadir="$dir/data" \
    --socket="$dir/mysql.sock" --port="$port" --bind-address=127.0.0.1 \
    --pid-file="$dir/mysqld.pid" --log-error="$dir/mysqld.log" \
    --skip-name-resolve --innodb-buffer-pool-size=32M --innodb-log-file-size=16M \
    --max-connections=200 --skip-log-bin \
    </dev/null >/dev/null 2>&1 &
  pid=$!
  echo "$pid" >"$dir/mysqld.pid.launch"
  for i in $(seq 1 300); do
    if [ -S "$dir/mysql.sock" ] && client "$dir" -e 'SELECT 1' >/dev/null 2>&1; then
      print_env "$dir"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$dir/mysqld.log" >&2 || true
      die "mariadbd exited during start-up"
    fi
    sleep 0.1
    : "$i"
  done
  tail -n 30 "$dir/mysqld.log" >&2 || true
  die "mariadbd did not answer within 30 s"
}

cmd_stop() {
  local dir=$1 pid i
  [ -d "$dir" ] || return 0
  pid=""
  if [ -f "$dir/mysqld.pid" ]; then pid=$(cat "$dir/mysqld.pid" 2>/dev/null || true); fi
  if [ -z "$pid" ] && [ -f "$dir/mysqld.pid.launch" ]; then pid=$(cat "$dir/mysqld.pid.launch"); fi
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || { rm -f "$dir/mysqld.pid"; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$dir/mysqld.pid"; return 0; }
    sleep 0.1
    : "$i"
  done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$dir/mysqld.pid"
}

[ $# -ge 2 ] || die "usage: mariadb.sh start|stop|rm|env DIR"
SERVER=$(find_bin mariadbd mysqld) || die "mariadbd not found (apt-get install mariadb-server)"
INSTALL_DB=$(find_bin mariadb-install-db mysql_install_db) || die "mariadb-install-db not found"
CLIENT=$(find_bin mariadb mysql) || die "mysql client not found (apt-get install mariadb-client)"

case $1 in
  start) cmd_start "$2" ;;
  stop) cmd_stop "$2" ;;
  rm) cmd_stop "$2"; rm -rf "$2" ;;
  env) is_running "$2" || die "not running: $2"; print_env "$(cd "$2" && pwd -P)" ;;
  *) die "unknown command: $1" ;;
esac
