#!/usr/bin/env bash
# A three-node PostgreSQL set-up on loopback for factgraph's replication and
# failover tests: a primary, a synchronous standby streaming from it, and a read
# replica cascading from the standby. Nodes a and b take turns as primary and
# standby (ports 54320 and 54321); node c (54322) is the read replica.
#
#   bash .ci/pgcluster.sh start     install PostgreSQL if needed, create and start the three nodes
#   bash .ci/pgcluster.sh env       print the URLs (PRIMARY_URL, REPLICA_URL, ...) as NAME=VALUE lines
#   bash .ci/pgcluster.sh failover  SIGKILL the primary, promote the standby (the test's crash)
#   bash .ci/pgcluster.sh rejoin    rebuild the dead node as the new primary's synchronous standby
#   bash .ci/pgcluster.sh status    one line per node: name, port, role (primary, standby, down)
#   bash .ci/pgcluster.sh stop      stop the nodes and remove their data
#
# Why the replica cascades from the standby: the primary's commit waits for the
# synchronous standby, but WAL sent to an asynchronous replica straight from the
# primary could get ahead of the standby; after a failover that replica would
# hold commits the new primary never saw, and could not follow it. Streaming
# from the standby, it never gets ahead of what survives a failover.
#
# The servers run as the postgres user, with stdin from /dev/null and every
# output to their log files: a caller that reads this script's output through
# a pipe (a test, or a $(...) in CI) then waits for this script only, never for
# the servers (the hang that once cost CI 90 minutes; see .ci/postgres.sh).
set -euo pipefail
exec 3>&-

dir=${FG_PGCLUSTER_DIR:-/var/tmp/factgraph-pgcluster}
declare -A port=([a]=54320 [b]=54321 [c]=54322)
user=factgraph password=factgraph db=factgraph
repl_password=replicator

log() { echo "pgcluster: $*" >&2; }

bin() {
  local v
  v=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
  [ -n "$v" ] || { log "PostgreSQL is not installed"; exit 1; }
  echo "/usr/lib/postgresql/$v/bin"
}

as_pg() { (cd / && runuser -u postgres -- "$@" </dev/null); }

install() {
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    log "installing PostgreSQL (Debian package)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq </dev/null
    apt-get install -y -qq --no-install-recommends postgresql </dev/null >/dev/null
  fi
}

# q NODE SQL: run SQL on a node as the postgres superuser, over its socket.
q() { as_pg "$(bin)/psql" -X -q -tA -h "$dir" -p "${port[$1]}" -d postgres -c "$2"; }

running() { as_pg "$(bin)/pg_ctl" -D "$dir/$1" status >/dev/null 2>&1; }

role() {
  if ! running "$1"; then echo down; return; fi
  case $(q "$1" "SELECT pg_is_in_recovery()" 2>/dev/null) in
    f) echo primary ;;
    t) echo standby ;;
    *) echo down ;;
  esac
}

primary() {
  local n
  for n in a b; do
    if [ "$(role $n)" = primary ]; then echo $n; return; fi
  done
}

other() { if [ "$1" = a ]; then echo b; else echo a; fi; }

start_node() {
  as_pg "$(bin)/pg_ctl" -D "$dir/$1" -l "$dir/$1.log" -w -t 60 start >/dev/null 2>&1 || {
    log "node $1 did not start; its log:"; tail -n 30 "$dir/$1.log" >&2; exit 1; }
}

# conninfo UPSTREAM NAME: what a standby named NAME streams from.
conninfo() {
  echo "host=127.0.0.1 port=${port[$1]} user=replicator password=$repl_password application_name=$2"
}

# standby NODE UPSTREAM NAME: a fresh base backup of UPSTREAM, started as a
# standby called NAME.
standby() {
  local n=$1 up=$2 name=$3
  rm -rf "${dir:?}/$n"
  as_pg env PGPASSWORD=$repl_password "$(bin)/pg_basebackup" \
    -h 127.0.0.1 -p "${port[$up]}" -U replicator -D "$dir/$n" -X stream -c fast -R
  cat >>"$dir/$n/postgresql.auto.conf" <<EOF
port = ${port[$n]}
primary_conninfo = '$(conninfo "$up" "$name")'
synchronous_standby_names = ''
EOF
  start_node "$n"
}

# wait_streaming UPSTREAM NAME: until UPSTREAM sends WAL to standby NAME.
wait_streaming() {
  local i
  for i in $(seq 1 60); do
    [ "$(q "$1" "SELECT count(*) FROM pg_stat_replication WHERE application_name='$2' AND state='streaming'")" = 1 ] && return
    sleep 0.5
  done
  log "standby $2 is not streaming from node $1"; exit 1
}

sync_standby() {
  q "$1" "ALTER SYSTEM SET synchronous_standby_names = 'standby'" >/dev/null
  q "$1" "SELECT pg_reload_conf()" >/dev/null
}

cmd_start() {
  install
  if running a || running b; then log "already running in $dir"; cmd_status; return; fi
  rm -rf "${dir:?}"
  mkdir -p "$dir"
  chown postgres: "$dir"
  echo "$password" >"$dir/pw" && chown postgres: "$dir/pw"
  as_pg "$(bin)/initdb" -D "$dir/a" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --pwfile="$dir/pw" >/dev/null
  cat >>"$dir/a/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = ${port[a]}
unix_socket_directories = '$dir'
wal_keep_size = 512MB
hot_standby = on
log_line_prefix = '%m [%p] '
EOF
  echo "host replication replicator 127.0.0.1/32 scram-sha-256" >>"$dir/a/pg_hba.conf"
  start_node a
  q a "CREATE ROLE replicator REPLICATION LOGIN PASSWORD '$repl_password'" >/dev/null
  q a "CREATE ROLE $user LOGIN CREATEDB PASSWORD '$password'" >/dev/null
  q a "CREATE DATABASE $db OWNER $user" >/dev/null
  standby b a standby
  wait_streaming a standby
  sync_standby a
  standby c b replica
  wait_streaming b replica
  cmd_status
}

cmd_env() {
  local hosts="127.0.0.1:${port[a]},127.0.0.1:${port[b]}"
  echo "PRIMARY_URL=postgres://$user:$password@$hosts/$db?sslmode=disable&target_session_attrs=read-write"
  echo "REPLICA_URL=postgres://$user:$password@127.0.0.1:${port[c]}/$db?sslmode=disable"
  echo "CLUSTER_DIR=$dir"
}

cmd_failover() {
  local p s pid
  p=$(primary)
  [ -n "$p" ] || { log "no primary to fail"; exit 1; }
  s=$(other "$p")
  pid=$(head -n 1 "$dir/$p/postmaster.pid")
  # The whole server at once, as a crash takes it: postmaster and backends
  # (its children, found in /proc: procps may not be installed).
  kill -KILL "$pid" $(grep -l "^PPid:[[:space:]]*$pid\$" /proc/[0-9]*/status 2>/dev/null | cut -d/ -f3) 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  rm -f "$dir/$p/postmaster.pid"
  as_pg "$(bin)/pg_ctl" -D "$dir/$s" -w -t 60 promote >/dev/null
  # Alone now: commits must not wait for a standby that is gone. rejoin makes
  # the dead node the new standby and turns synchronous commit back on.
  q "$s" "ALTER SYSTEM SET synchronous_standby_names = ''" >/dev/null
  q "$s" "SELECT pg_reload_conf()" >/dev/null
  log "killed node $p (port ${port[$p]}); node $s (port ${port[$s]}) is the primary"
}

cmd_rejoin() {
  local p d
  p=$(primary)
  [ -n "$p" ] || { log "no primary"; exit 1; }
  d=$(other "$p")
  if [ "$(role "$d")" != down ]; then log "node $d is not down"; exit 1; fi
  standby "$d" "$p" standby
  wait_streaming "$p" standby
  sync_standby "$p"
  # The read replica cascades from the standby again (it followed the
  # promoted node meanwhile, as it streamed from it).
  q c "ALTER SYSTEM SET primary_conninfo = '$(conninfo "$d" replica)'" >/dev/null
  q c "SELECT pg_reload_conf()" >/dev/null
  wait_streaming "$d" replica
  log "node $d (port ${port[$d]}) is the synchronous standby of node $p"
}

cmd_status() {
  local n
  for n in a b c; do echo "$n ${port[$n]} $(role $n)"; done
}

cmd_stop() {
  local n
  for n in c b a; do
    running "$n" && as_pg "$(bin)/pg_ctl" -D "$dir/$n" -m immediate -w stop >/dev/null 2>&1 || true
  done
  rm -rf "${dir:?}"
}

case ${1:-} in
  start | env | failover | rejoin | status | stop) "cmd_$1" ;;
  *) echo "usage: $0 start|env|failover|rejoin|status|stop" >&2; exit 2 ;;
esac
