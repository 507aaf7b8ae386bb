#!/usr/bin/env bash
# A throw-away S3 server for the team-cache tests and benchmarks: Ceph's S3 gateway (radosgw) with one
# monitor and one in-memory OSD, on 127.0.0.1 only. The project keeps it here so that the tests, the
# bench and CI start the same server the same way (Debian 12 / ceph 16: ready in about 13 s).
#
#   scripts/radosgw.sh start DIR [--owner-pid PID]   start in DIR (created; must not hold another server)
#   scripts/radosgw.sh stop DIR                      stop what a start in DIR started, then remove DIR
#
# `start` prints one line `endpoint=… access_key=… secret_key=… reader_access_key=… reader_secret_key=…`
# and writes the same as KEY=VALUE lines to DIR/connection.env. Two users: `bach` (owns the buckets the
# tests create) and `bach-reader` (owns nothing: a test grants it what it needs by a bucket policy).
# With --owner-pid, a watchdog stops the server when that process is gone (a killed test run leaves
# nothing behind). Ports: free ones, found by asking the kernel, so two servers can run at once.
#
# Needs: apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd ceph-common (and node).
# Works as root (CI) and as a normal user. Environment: MEMSTORE_BYTES (1 GiB) caps what the OSD holds;
# it keeps every object in RAM, so tests keep their objects small.
#
# What this server is known to do (checked by test/integration/remote): PUT with `If-None-Match: *` is
# atomic (412 for every writer but one); a multipart upload's completion ignores If-None-Match (so a
# conditional create must be a single PUT); `If-Match` wants the ETag without quotes; DELETE ignores
# If-Match; the region is not checked; a wrong secret is 403 SignatureDoesNotMatch.
set -euo pipefail

MARKER=.bach-radosgw

usage() {
  echo "usage: scripts/radosgw.sh start DIR [--owner-pid PID] | stop DIR" >&2
  exit 64
}

stop_server() {
  local dir=$1
  [ -d "$dir" ] || return 0
  if [ ! -e "$dir/$MARKER" ]; then
    echo "radosgw.sh: $dir was not made by radosgw.sh start; not touching it" >&2
    exit 65
  fi
  for name in watchdog rgw osd mon; do
    # The watchdog runs this very function (by exec) when its owner is gone: it must not kill itself.
    if [ -s "$dir/$name.pid" ] && [ "$(cat "$dir/$name.pid")" != "$$" ]; then kill "$(cat "$dir/$name.pid")" 2>/dev/null || true; fi
  done
  for name in rgw osd mon; do
    if [ -s "$dir/$name.pid" ]; then
      local pid
      pid=$(cat "$dir/$name.pid")
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$dir"
}

# Two free TCP ports on 127.0.0.1 (the kernel's choice; a race with another process is caught by the retry).
free_ports() {
  node -e '
    const net = require("node:net");
    const take = () => new Promise((ok) => { const s = net.createServer(); s.listen(0, "127.0.0.1", () => ok(s)); });
    Promise.all([take(), take()]).then((servers) => {
      console.log(servers.map((s) => s.address().port).join(" "));
      servers.forEach((s) => s.close());
    });'
}

# Whether something answers HTTP on the port (node, not curl: one package less to install).
answers() {
  node -e '
    require("node:http").get({ host: "127.0.0.1", port: Number(process.argv[1]), timeout: 1000 }, () => process.exit(0))
      .on("error", () => process.exit(1)).on("timeout", () => process.exit(1));' "$1"
}

random_key() {
  # Letters and digits only: radosgw-admin takes them on the command line.
  LC_ALL=C tr -dc "$1" </dev/urandom | head -c "$2" || true
}

start_once() {
  local dir=$1 rgw_port=$2 mon_port=$3
  local fsid osd_uuid
  mkdir -p "$dir"/{mon,osd,rgw,run,log}
  fsid=$(cat /proc/sys/kernel/random/uuid)
  cat >"$dir/ceph.conf" <<CONF
[global]
fsid = $fsid
mon host = 127.0.0.1:$mon_port
mon initial members = a
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
# Without crc (the default is "secure" for some peers) radosgw hangs at "get_initial_auth_request returned -13".
ms mon client mode = crc
ms mon service mode = crc
ms mon cluster mode = crc
ms client mode = crc
ms service mode = crc
ms cluster mode = crc
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
run dir = $dir/run
log file = $dir/log/\$name.log
admin socket = $dir/run/\$name.asok
keyring = $dir/keyring
[mon.a]
mon data = $dir/mon
[osd.0]
osd data = $dir/osd
osd objectstore = memstore
memstore device bytes = ${MEMSTORE_BYTES:-1073741824}
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw data = $dir/rgw
rgw dns name = localhost
CONF
  export CEPH_CONF=$dir/ceph.conf
  ceph-authtool --create-keyring "$dir/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
  ceph-authtool "$dir/keyring" --gen-key -n client.admin --cap mon 'allow *' --cap osd 'allow *' --cap mds 'allow *' --cap mgr 'allow *' >/dev/null
  monmaptool --create --add a "127.0.0.1:$mon_port" --fsid "$fsid" "$dir/monmap" >/dev/null
  ceph-mon --mkfs -i a --monmap "$dir/monmap" --keyring "$dir/keyring" -c "$CEPH_CONF"
  ceph-mon -i a -c "$CEPH_CONF" --pid-file "$dir/mon.pid" || return 1
  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  timeout 30 ceph -c "$CEPH_CONF" osd new "$osd_uuid" >/dev/null || return 1
  ceph-authtool "$dir/keyring" --gen-key -n osd.0 --cap mon 'allow profile osd' --cap osd 'allow *' --cap mgr 'allow profile osd' >/dev/null
  timeout 30 ceph -c "$CEPH_CONF" auth import -i "$dir/keyring" >/dev/null 2>&1
  ceph-osd -i 0 --mkfs --osd-uuid "$osd_uuid" -c "$CEPH_CONF" >/dev/null 2>&1
  ceph-osd -i 0 -c "$CEPH_CONF" --pid-file "$dir/osd.pid" 2>/dev/null || return 1
  ceph-authtool "$dir/keyring" --gen-key -n client.rgw.a --cap mon 'allow rw' --cap osd 'allow rwx' >/dev/null
  timeout 30 ceph -c "$CEPH_CONF" auth import -i "$dir/keyring" >/dev/null 2>&1
  radosgw -n client.rgw.a -c "$CEPH_CONF" --pid-file "$dir/rgw.pid" || return 1
  for _ in $(seq 240); do
    if answers "$rgw_port"; then return 0; fi
    # radosgw writes its pid file once running; gone again means it could not bind or start.
    if [ -s "$dir/rgw.pid" ] && ! kill -0 "$(cat "$dir/rgw.pid")" 2>/dev/null; then return 1; fi
    sleep 0.25
  done
  return 1
}

start_server() {
  local dir=$1 owner_pid=${2:-}
  for tool in radosgw ceph-mon ceph-osd ceph-authtool monmaptool radosgw-admin ceph node; do
    if ! command -v "$tool" >/dev/null; then
      echo "radosgw.sh: '$tool' not found; install: apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd ceph-common" >&2
      exit 2
    fi
  done
  if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
    echo "radosgw.sh: $dir is not empty" >&2
    exit 65
  fi
  mkdir -p "$dir"
  touch "$dir/$MARKER"
  local attempt ports rgw_port mon_port
  for attempt in 1 2 3; do
    ports=$(free_ports)
    rgw_port=${ports% *}
    mon_port=${ports#* }
    if start_once "$dir" "$rgw_port" "$mon_port"; then break; fi
    echo "radosgw.sh: start $attempt failed (ports $rgw_port, $mon_port); logs were in $dir/log" >&2
    tail -n 5 "$dir"/log/*.log >&2 2>/dev/null || true
    stop_server "$dir"
    mkdir -p "$dir"
    touch "$dir/$MARKER"
    if [ "$attempt" = 3 ]; then
      echo "radosgw.sh: radosgw did not start" >&2
      rm -rf "$dir"
      exit 4
    fi
  done
  export CEPH_CONF=$dir/ceph.conf
  local ak sk rak rsk
  ak=$(random_key 'A-Z0-9' 20)
  sk=$(random_key 'A-Za-z0-9' 40)
  rak=$(random_key 'A-Z0-9' 20)
  rsk=$(random_key 'A-Za-z0-9' 40)
  radosgw-admin -c "$CEPH_CONF" user create --uid=bach --display-name=bach --access-key="$ak" --secret-key="$sk" >/dev/null 2>&1
  radosgw-admin -c "$CEPH_CONF" user create --uid=bach-reader --display-name=bach-reader --access-key="$rak" --secret-key="$rsk" >/dev/null 2>&1
  local line="endpoint=http://127.0.0.1:$rgw_port access_key=$ak secret_key=$sk reader_access_key=$rak reader_secret_key=$rsk"
  (umask 077 && tr ' ' '\n' <<<"$line" >"$dir/connection.env")
  if [ -n "$owner_pid" ]; then
    # The watchdog outlives this script (setsid, no terminal) and stops the server with its owner.
    setsid bash -c '
      while kill -0 "$1" 2>/dev/null && [ -e "$2/'"$MARKER"'" ]; do sleep 2; done
      exec "$3" stop "$2"' radosgw-watchdog "$owner_pid" "$dir" "$(realpath "$0")" \
      </dev/null >/dev/null 2>&1 &
    echo $! >"$dir/watchdog.pid"
  fi
  echo "$line"
}

command=${1:-}
dir=${2:-}
[ -n "$dir" ] || usage
case "$command" in
  start)
    owner_pid=
    if [ "${3:-}" = "--owner-pid" ]; then owner_pid=${4:?--owner-pid needs a pid}; fi
    start_server "$dir" "$owner_pid"
    ;;
  stop) stop_server "$dir" ;;
  *) usage ;;
esac
