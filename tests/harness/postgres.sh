#!/bin/bash
# A private PostgreSQL server for tests (Debian's postgresql), on its own data directory and a
# Unix socket only (no TCP). Never touches the system's cluster or service.
#
#   postgres.sh start DIR  initialise DIR/data on first use (as the postgres user, trust
#                          authentication, superuser "postgres"), start the server, wait until it
#                          answers, print PGHOST=DIR/sock (the socket is DIR/sock/.s.PGSQL.5432)
#   postgres.sh rm DIR     stop the server and delete DIR
#
# Inside a sandbox: `sandbox.sh exec SBX --bind DIR/sock:/run/postgresql -- ...` puts the socket
# where Debian's clients look by default, so `sudo -u postgres psql` and `psql -U postgres` work.
set -euo pipefail

die() { echo "postgres.sh: $*" >&2; exit 1; }

bin_dir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  d=$(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/pg_ctl)")
  [ -x "$d/pg_ctl" ] || return 1
  echo "$d"
}

as_pg() { runuser -u postgres -- "$@"; }

cmd_start() {
  local dir=$1 bin
  bin=$(bin_dir) || die "no PostgreSQL server (pg_ctl) installed"
  id postgres >/dev/null 2>&1 || die "no postgres user"
  mkdir -p "$dir/sock"
  dir=$(cd "$dir" && pwd -P)
  chown postgres: "$dir" "$dir/sock"
  chmod 0755 "$dir" "$dir/sock"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  fi
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses= -k $dir/sock -p 5432" start >/dev/null \
    || { cat "$dir/server.log" >&2; die "the server did not start"; }
  echo "PGHOST=$dir/sock"
}

cmd_rm() {
  local dir=$1 bin
  [ -d "$dir" ] || return 0
  if bin=$(bin_dir) && [ -f "$dir/data/postmaster.pid" ]; then
    as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

[ $# -eq 2 ] || die "usage: postgres.sh start|rm DIR"
case $1 in
  start) cmd_start "$2" ;;
  rm) cmd_rm "$2" ;;
  *) die "unknown command: $1" ;;
esac
