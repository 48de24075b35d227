#!/bin/bash
# Throwaway copy-on-write views of the root filesystem for running runbooks for real, as root.
#
#   sandbox.sh new DIR
#       Create DIR/{upper,work,mnt} (DIR must not exist yet, or be empty; put it under /tmp or
#       target/) and install the PATH stubs into the upper layer at /opt/runbook-stubs/bin.
#   sandbox.sh put DIR SRC DEST
#       Copy host file SRC to DEST inside the sandbox (parents created, mode kept). DEST is an
#       absolute in-sandbox path; put runbooks under /opt/runbook-input/ (noise, see below).
#   sandbox.sh exec DIR [OPTIONS] -- CMD ARGS...
#       Run CMD in a private mount, pid, uts, ipc and network namespace, chrooted into an overlay
#       of / (lower=/, upper=DIR/upper, work=DIR/work). Fresh /proc, /sys read-only, /dev bound.
#       Environment is cleared to: PATH=/opt/runbook-stubs/bin:/usr/sbin:/usr/bin:/sbin:/bin
#       HOME=/root USER=LOGNAME=root SHELL=/bin/bash LANG=C.UTF-8 TERM=dumb, plus --env values.
#       Exit status is CMD's (128+N when killed by signal N). Changes persist in DIR/upper.
#       Options:
#         --env K=V        set a variable (repeatable), e.g. --env STUB_KILL_AT=7 --env NO_COLOR=1
#         --stdin          pass this process's stdin to CMD (default: /dev/null)
#         --cwd PATH       working directory inside the sandbox (default /root)
#         --mysql MDIR     make the MariaDB of `mariadb.sh start MDIR` reachable: its socket is
#                          bound at /run/mysqld/mysqld.sock and /var/lib/mysql/mysql.sock inside
#         --bind SRC[:DEST]  bind-mount a host path (writes go to the HOST; use read-only data)
#         --host-net       share the host's network namespace (default: private, lo only)
#         --timeout SECS   SIGKILL everything in the sandbox after SECS (status 137)
#       Only one exec per DIR at a time (serialised by a lock on DIR/.lock); any number of
#       different sandboxes may run at once. All mounts live in the private mount namespace and
#       vanish with it, also when CMD or this script is SIGKILLed.
#   sandbox.sh changed DIR [--all] [--exclude PATH]...
#       What the sandbox changed compared with the host, sorted: lines "A /path" (added),
#       "M /path" (content, type, mode or owner differ), "D /path" (deleted: an overlay whiteout).
#       Directories end in "/" and are listed only when new, replaced or with changed mode/owner.
#       A file written back unchanged is not listed.
#   sandbox.sh snapshot DIR OUTFILE [--all] [--exclude PATH]...
#       Stable listing of the same entries, one per line, tab-separated:
#         /path  file  MODE  UID:GID  sha256:HEX | /path  link  -> TARGET
#         /path/ dir  MODE  UID:GID               | /path  deleted
#         /path  other TYPE MODE UID:GID
#       Two sandboxes whose snapshots are byte-identical changed the same files in the same way.
#   sandbox.sh rm DIR
#       Unmount anything left under DIR (normally nothing) and delete it.
#
# Noise left out of changed/snapshot unless --all: /tmp /var/tmp /run /var/run /var/log/runbook
# /var/lib/runbook /var/lib/stubs /var/log/stubs /opt/runbook-stubs /opt/runbook-input
# /root/.bash_history /proc /sys /dev /var/cache/ldconfig /var/lib/mysql/mysql.sock (a --mysql
# mount point), and DIR itself when it lies below /.
# Use --exclude PATH for more.
set -euo pipefail

SELF=$(readlink -f "${BASH_SOURCE[0]}")
HARNESS=$(dirname "$SELF")
STUBS_SRC="$HARNESS/stubs"
SANDBOX_PATH=/opt/runbook-stubs/bin:/usr/sbin:/usr/bin:/sbin:/bin
NOISE=(/tmp /var/tmp /run /var/run /var/log/runbook /var/lib/runbook /var/lib/stubs
  /var/log/stubs /opt/runbook-stubs /opt/runbook-input /root/.bash_history /proc /sys /dev
  /var/cache/ldconfig /var/lib/mysql/mysql.sock)

die() { echo "sandbox.sh: $*" >&2; exit 2; }

abs_dir() { # existing directory -> absolute physical path
  (cd "$1" 2>/dev/null && pwd -P) || die "no such sandbox: $1"
}

check_sandbox() {
  local d
  d=$(abs_dir "$1")
  [ -f "$d/.sandbox" ] || die "not a sandbox (no .sandbox marker): $d"
  printf '%s\n' "$d"
}

install_stubs() { # upper dir
  local up=$1
  mkdir -p "$up/opt/runbook-stubs" "$up/var/lib/stubs" "$up/var/log/stubs"
  rm -rf "$up/opt/runbook-stubs/bin" "$up/opt/runbook-stubs/lib" "$up/opt/runbook-stubs/pkgfiles"
  cp -a "$STUBS_SRC/bin" "$STUBS_SRC/lib" "$STUBS_SRC/pkgfiles" "$up/opt/runbook-stubs/"
  chmod 0755 "$up/opt/runbook-stubs/bin/"*
  : >"$up/var/log/stubs/calls.log"
  echo 0 >"$up/var/lib/stubs/calls.count"
}

cmd_new() {
  local d=$1
  if [ -e "$d" ]; then
    if [ ! -d "$d" ] || [ -n "$(ls -A "$d")" ]; then die "exists and is not empty: $d"; fi
  fi
  mkdir -p "$d"
  d=$(abs_dir "$d")
  case $d in /) die "refusing /" ;; esac
  mkdir -p "$d/upper" "$d/work" "$d/mnt"
  install_stubs "$d/upper"
  echo "sandbox v1" >"$d/.sandbox"
  printf '%s\n' "$d"
}

cmd_put() {
  local d src dest
  d=$(check_sandbox "$1"); src=$2; dest=$3
  [ -e "$src" ] || die "no such file: $src"
  case $dest in /*) ;; *) die "DEST must be absolute: $dest" ;; esac
  case $dest in */) dest="$dest$(basename "$src")" ;; esac
  mkdir -p "$d/upper$(dirname "$dest")"
  cp -a "$src" "$d/upper$dest"
}

cmd_exec() {
  local d; d=$(check_sandbox "$1"); shift
  local envs=() binds=() stdin=0 cwd=/root hostnet=0 timeout_s="" mysql=""
  while [ $# -gt 0 ]; do
    case $1 in
      --env) [[ ${2-} == *=* ]] || die "--env needs K=V"; envs+=("$2"); shift 2 ;;
      --stdin) stdin=1; shift ;;
      --cwd) cwd=${2:?}; shift 2 ;;
      --bind) binds+=("${2:?}"); shift 2 ;;
      --mysql) mysql=$(abs_dir "${2:?}"); shift 2 ;;
      --host-net) hostnet=1; shift ;;
      --timeout) timeout_s=${2:?}; shift 2 ;;
      --) shift; break ;;
      *) die "unknown exec option: $1 (did you forget --?)" ;;
    esac
  done
  [ $# -gt 0 ] || die "exec: no command"
  local ns=(--mount --pid --fork --uts --ipc --kill-child --propagation private)
  [ "$hostnet" = 1 ] || ns+=(--net)
  # One exec per sandbox at a time: the lock is held by the fd, inherited by unshare.
  exec 9>"$d/.lock"
  flock 9
  local spec=("$d" "$stdin" "$cwd" "$timeout_s" "$mysql" "${#envs[@]}" "${envs[@]}"
    "${#binds[@]}" "${binds[@]}" "$@")
  if [ "$stdin" = 1 ]; then
    exec unshare "${ns[@]}" bash "$SELF" __sandbox_init__ "${spec[@]}"
  else
    exec unshare "${ns[@]}" bash "$SELF" __sandbox_init__ "${spec[@]}" </dev/null
  fi
}

bind_file() { # host file -> in-sandbox path (target created in the upper layer as noise under /run)
  local src=$1 m=$2 dest=$3
  mkdir -p "$m$(dirname "$dest")"
  [ -e "$m$dest" ] || : >"$m$dest"
  mount --bind "$src" "$m$dest"
}

# Runs as pid 1 of the new pid namespace, in the new mount namespace, outside the chroot.
# Stays pid 1 (CMD is its child) so that SIGKILL of CMD from inside works and so that every
# process left in the sandbox dies when it returns.
sandbox_init() {
  local d=$1 stdin=$2 cwd=$3 timeout_s=$4 mysql=$5 n envs=() binds=()
  shift 5
  n=$1; shift; envs=("${@:1:n}"); shift "$n"
  n=$1; shift; binds=("${@:1:n}"); shift "$n"
  local m="$d/mnt"
  mount -t overlay overlay -o "lowerdir=/,upperdir=$d/upper,workdir=$d/work" "$m"
  mount -t proc -o nosuid,nodev,noexec proc "$m/proc"
  mount --rbind /dev "$m/dev"
  mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$m/sys" 2>/dev/null \
    || mount --rbind -o ro /sys "$m/sys" 2>/dev/null || mount --rbind /sys "$m/sys"
  if [ -d /dev/pts ] && ! mountpoint -q "$m/dev/pts"; then mount --bind /dev/pts "$m/dev/pts"; fi
  ip link set lo up 2>/dev/null || true
  if [ -n "$mysql" ]; then
    [ -S "$mysql/mysql.sock" ] || { echo "sandbox.sh: no MariaDB socket in $mysql" >&2; exit 2; }
    bind_file "$mysql/mysql.sock" "$m" /run/mysqld/mysqld.sock
    bind_file "$mysql/mysql.sock" "$m" /var/lib/mysql/mysql.sock
  fi
  local b src dest
  for b in "${binds[@]}"; do
    src=${b%%:*}; dest=${b#*:}; [ "$b" = "${b#*:}" ] && dest=$src
    if [ -d "$src" ]; then mkdir -p "$m$dest"; mount --rbind "$src" "$m$dest"
    else bind_file "$src" "$m" "$dest"; fi
  done
  hostname sandbox 2>/dev/null || true
  # shellcheck disable=SC2016 # $1 and $@ belong to the inner sh
  local cmd=(chroot "$m" /usr/bin/env -i "PATH=$SANDBOX_PATH" HOME=/root USER=root LOGNAME=root
    SHELL=/bin/bash LANG=C.UTF-8 TERM=dumb RUNBOOK_SANDBOX=1 "${envs[@]}"
    /bin/sh -c 'cd "$1" || exit 2; shift; exec "$@"' sandbox-cwd "$cwd" "$@")
  local rc=0 child
  # CMD gets the real stderr (fd 4); this shell's own stderr goes to /dev/null before the wait,
  # so that bash's "Killed" job report does not end up in the caller's stderr.
  exec 4>&2
  if [ "$stdin" = 1 ]; then
    exec 3<&0
    "${cmd[@]}" <&3 2>&4 3<&- 4>&- &
  else
    "${cmd[@]}" </dev/null 2>&4 3<&- 4>&- &
  fi
  child=$!
  if [ -n "$timeout_s" ]; then
    ( sleep "$timeout_s"; kill -KILL -1 ) </dev/null >/dev/null 2>&1 &
  fi
  exec 2>/dev/null
  wait "$child" || rc=$?
  exit "$rc"
}

# ---- changed / snapshot ---------------------------------------------------------------

# Print one record per entry of the upper layer that differs from the host (the lower layer):
#   KIND<TAB>PATH<TAB>DETAIL   KIND in A M D, DETAIL is the snapshot text.
scan() {
  local d=$1 all=$2; shift 2
  local excl=("$@") up="$d/upper"
  if [ "$all" = 0 ]; then excl+=("${NOISE[@]}"); fi
  case $d in /*) excl+=("$d") ;; esac
  local type mode owner rel p lp e skip kind detail sum target ltype
  while IFS= read -r -d '' rel; do
    p="/$rel"
    skip=0
    for e in "${excl[@]}"; do
      e=${e%/}
      if [ "$p" = "$e" ] || [[ $p == "$e"/* ]]; then skip=1; break; fi
    done
    [ "$skip" = 0 ] || continue
    lp="$up$p"
    IFS=' ' read -r type mode owner < <(stat -c '%F %a %u:%g' -- "$lp" | sed 's/^regular empty file/regular_file/; s/^regular file/regular_file/; s/^symbolic link/symlink/; s/^character special file/char/; s/^block special file/block/; s/^fifo/fifo/')
    ltype=""
    if [ -L "$p" ] || [ -e "$p" ]; then
      ltype=$(stat -c '%F' -- "$p" | sed 's/^regular empty file/regular_file/; s/^regular file/regular_file/; s/^symbolic link/symlink/; s/^character special file/char/; s/^block special file/block/')
    fi
    case $type in
      char)
        if [ "$(stat -c '%t:%T' -- "$lp")" = "0:0" ]; then
          [ -n "$ltype" ] || continue # whiteout for something the host does not have
          printf 'D\t%s\t%s\tdeleted\n' "$p" "$p"
          continue
        fi
        detail="$p	other	char	$mode	$owner" ;;
      regular_file)
        sum=$(sha256sum -- "$lp"); sum=${sum%% *}
        detail="$p	file	$mode	$owner	sha256:$sum" ;;
      symlink)
        target=$(readlink -- "$lp")
        detail="$p	link	-> $target" ;;
      directory)
        detail="$p/	dir	$mode	$owner" ;;
      *)
        detail="$p	other	$type	$mode	$owner" ;;
    esac
    if [ -z "$ltype" ]; then
      kind=A
    elif [ "$type" != "$ltype" ]; then
      kind=M
    else
      case $type in
        directory)
          if command -v getfattr >/dev/null 2>&1 && [ "$(getfattr --absolute-names --only-values -n trusted.overlay.opaque -- "$lp" 2>/dev/null)" = y ]; then
            kind=M
          elif [ "$(stat -c '%a %u:%g' -- "$p")" != "$mode $owner" ]; then
            kind=M
          else
            continue
          fi ;;
        regular_file)
          if [ "$(stat -c '%a %u:%g' -- "$p")" = "$mode $owner" ] && cmp -s -- "$p" "$lp"; then continue; fi
          kind=M ;;
        symlink)
          [ "$(readlink -- "$p")" != "$target" ] || continue
          kind=M ;;
        *)
          [ "$(stat -c '%a %u:%g %t:%T' -- "$p")" != "$(stat -c '%a %u:%g %t:%T' -- "$lp")" ] || continue
          kind=M ;;
      esac
    fi
    printf '%s\t%s\t%s\n' "$kind" "$p" "$detail"
  done < <(cd "$up" && find . -mindepth 1 -printf '%P\0' | LC_ALL=C sort -z)
}

parse_scan_opts() { # sets ALL and EXCL from args
  ALL=0; EXCL=()
  while [ $# -gt 0 ]; do
    case $1 in
      --all) ALL=1; shift ;;
      --exclude) EXCL+=("${2:?}"); shift 2 ;;
      *) die "unknown option: $1" ;;
    esac
  done
}

cmd_changed() {
  local d; d=$(check_sandbox "$1"); shift
  parse_scan_opts "$@"
  scan "$d" "$ALL" "${EXCL[@]}" | while IFS=$'\t' read -r kind p detail; do
    case $detail in *$'\t'dir$'\t'*) p="$p/" ;; esac
    printf '%s %s\n' "$kind" "$p"
  done
}

cmd_snapshot() {
  local d out; d=$(check_sandbox "$1"); out=$2; shift 2
  parse_scan_opts "$@"
  scan "$d" "$ALL" "${EXCL[@]}" | cut -f3- >"$out.tmp.$$"
  mv -f "$out.tmp.$$" "$out"
}

cmd_rm() {
  local d=$1 mp
  [ -e "$d" ] || return 0
  d=$(abs_dir "$d")
  [ -f "$d/.sandbox" ] || die "not a sandbox (no .sandbox marker), not deleting: $d"
  # Mounts are made only in private namespaces; unmount anything that leaked anyway.
  while read -r mp; do
    umount -l "$mp" 2>/dev/null || true
  done < <(awk -v d="$d" '{ gsub(/\\040/, " ", $2); if (index($2, d "/") == 1 || $2 == d) print $2 }' /proc/self/mounts | sort -r)
  rm -rf --one-file-system "$d"
}

[ $# -ge 1 ] || die "usage: sandbox.sh new|put|exec|changed|snapshot|rm DIR ..."
case $1 in
  new) [ $# -eq 2 ] || die "usage: sandbox.sh new DIR"; cmd_new "$2" ;;
  put) [ $# -eq 4 ] || die "usage: sandbox.sh put DIR SRC DEST"; cmd_put "$2" "$3" "$4" ;;
  exec) [ $# -ge 2 ] || die "usage: sandbox.sh exec DIR [OPTIONS] -- CMD ARGS..."; shift; cmd_exec "$@" ;;
  changed) [ $# -ge 2 ] || die "usage: sandbox.sh changed DIR"; shift; cmd_changed "$@" ;;
  snapshot) [ $# -ge 3 ] || die "usage: sandbox.sh snapshot DIR OUTFILE"; shift; cmd_snapshot "$@" ;;
  rm) [ $# -eq 2 ] || die "usage: sandbox.sh rm DIR"; cmd_rm "$2" ;;
  __sandbox_init__) shift; sandbox_init "$@" ;;
  *) die "unknown command: $1" ;;
esac
