#!/bin/bash
# shellcheck disable=SC1091 # installed beside this file in the sandbox: ../lib/
. /opt/runbook-stubs/lib/stublib.sh
# Topics in /var/lib/stubs/kafka/topics/<name>: --create of an existing topic fails (exit 1)
# unless --if-not-exists; --list lists them. Also installed as `kafka-topics`.
stub_begin "${0##*/}" "$@"
T=$STUB_STATE/kafka/topics
mkdir -p "$T"
create=0 ine=0 topic="" prev=""
for a in "$@"; do
  case $a in --create) create=1 ;; --if-not-exists) ine=1 ;; --topic=*) topic=${a#*=} ;; esac
  [ "$prev" = --topic ] && topic=$a
  prev=$a
done
if [ $create = 1 ]; then
  if [ -e "$T/$topic" ]; then [ $ine = 1 ] && exit 0; stub_err "Error while executing topic command : Topic '$topic' already exists."; exit 1; fi
  : >"$T/$topic"; echo "Created topic $topic."
fi
for a in "$@"; do [ "$a" = --list ] && ls "$T"; done
exit 0
