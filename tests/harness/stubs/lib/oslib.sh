#!/bin/bash
# Record store behind the openstack, keystone-manage and glance stubs.
# /var/lib/stubs/openstack/<kind>/<id>: one "key=value" line per field (id and name first).
# Ids are deterministic (sha256 of kind, name and sequence number) so reruns compare equal.

OS_DB=${OS_DB:-/var/lib/stubs/openstack}

os_init() {
  if [ ! -d "$OS_DB/domain" ]; then
    mkdir -p "$OS_DB/domain"
    printf 'id=default\nname=Default\ndescription=The default domain\nenabled=True\n' >"$OS_DB/domain/default"
  fi
}

os_field() { # file key -> value
  local line
  while IFS= read -r line; do
    if [ "${line%%=*}" = "$2" ]; then printf '%s\n' "${line#*=}"; return 0; fi
  done <"$1"
  return 1
}

# os_find KIND NAME_OR_ID -> matching record files, one per line
os_find() {
  local kind=$1 key=$2 f id name
  [ -d "$OS_DB/$kind" ] || return 0
  for f in "$OS_DB/$kind"/*; do
    [ -f "$f" ] || continue
    id=${f##*/}
    name=$(os_field "$f" name || true)
    if [ "$id" = "$key" ] || [ "$name" = "$key" ]; then
      echo "$f"
    elif [ "$kind" = domain ] && [ "${name,,}" = "${key,,}" ]; then
      echo "$f"
    fi
  done
  # Like the client's find_service: by id or name first, then by type.
  if [ "$kind" = service ] && [ -z "$(os_find_plain "$kind" "$key")" ]; then
    for f in "$OS_DB/$kind"/*; do
      [ -f "$f" ] && [ "$(os_field "$f" type || true)" = "$key" ] && echo "$f"
    done
  fi
  return 0
}

os_find_plain() { # by id or name only
  local f
  for f in "$OS_DB/$1"/*; do
    [ -f "$f" ] || continue
    if [ "${f##*/}" = "$2" ] || [ "$(os_field "$f" name || true)" = "$2" ]; then echo "$f"; fi
  done
}

# os_resolve KIND NAME_OR_ID: print the one record file, or an error like the real client.
os_resolve() {
  local kind=$1 key=$2 found n label=${1//_/ }
  found=$(os_find "$kind" "$key")
  n=$(printf '%s' "$found" | grep -c . || true)
  if [ "$n" = 0 ]; then
    stub_err "No $label with a name or ID of '$key' exists."
    return 1
  elif [ "$n" -gt 1 ]; then
    stub_err "More than one $label exists with the name '$key'."
    return 1
  fi
  printf '%s\n' "$found"
}

os_new_id() { # kind name -> fresh deterministic id
  local kind=$1 name=$2 seq=0 id
  while :; do
    seq=$((seq + 1))
    id=$(printf '%s/%s/%s' "$kind" "$name" "$seq" | sha256sum)
    id=${id:0:32}
    [ -e "$OS_DB/$kind/$id" ] || { echo "$id"; return 0; }
  done
}

# os_put KIND NAME [key=value ...] -> prints the new record file
os_put() {
  local kind=$1 name=$2 id f kv
  shift 2
  mkdir -p "$OS_DB/$kind"
  id=$(os_new_id "$kind" "$name")
  f="$OS_DB/$kind/$id"
  {
    printf 'id=%s\nname=%s\n' "$id" "$name"
    for kv in "$@"; do printf '%s\n' "$kv"; done
  } >"$f.tmp"
  mv -f "$f.tmp" "$f"
  echo "$f"
}

os_set() { # file key value (replace or add)
  local f=$1 k=$2 v=$3 line out=""
  while IFS= read -r line; do
    [ "${line%%=*}" = "$k" ] && continue
    out+="$line"$'\n'
  done <"$f"
  printf '%s%s=%s\n' "$out" "$k" "$v" >"$f.tmp"
  mv -f "$f.tmp" "$f"
}

# Role assignment, idempotent like keystone's PUT. Args: role_file user_file target_kind target_file
os_grant() {
  local role user tkind target key
  role=$(os_field "$1" id); user=$(os_field "$2" id); tkind=$3; target=$(os_field "$4" id)
  key="$role:$user:$tkind:$target"
  mkdir -p "$OS_DB/role_assignment"
  if ! grep -rqx "key=$key" "$OS_DB/role_assignment" 2>/dev/null; then
    os_put role_assignment "$key" "key=$key" "role=$(os_field "$1" name)" "user=$(os_field "$2" name)" \
      "$tkind=$(os_field "$4" name)" >/dev/null
  fi
}
