#!/usr/bin/env bash
# Installs (if needed) and starts PostgreSQL on loopback, creates the role and
# database the tests use, and prints the URL for FACTGRAPH_TEST_POSTGRES.
# Usage: bash .ci/postgres.sh >url.txt; export FACTGRAPH_TEST_POSTGRES=$(cat url.txt)
#
# Send its stdout to a file, not to a $(...): a server started here keeps the
# descriptors it inherits, and $(...) waits for every holder of its pipe to close
# it (that wait is what hung CI for 90 minutes). The start below closes fd 3 too.
set -euo pipefail
exec 3>&1 1>&2   # progress to stderr; only the URL to stdout

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "== installing PostgreSQL (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >/dev/null
fi
# The server must not inherit fd 3: it is the pipe of the caller's $(...), which
# would then wait for the server to exit before it returns. So start it with
# fd 3 closed and stdin from /dev/null (pg_ctl sends its output to the log).
if ! pg_ctlcluster "$version" main status >/dev/null 2>&1; then
  pg_ctlcluster "$version" main start 3>&- </dev/null || {
    echo "PostgreSQL $version did not start; its log:"
    tail -n 30 "/var/log/postgresql/postgresql-$version-main.log" 2>/dev/null || true
    exit 1
  }
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 && break
  sleep 1
done
pg_isready -h 127.0.0.1
su postgres -c "psql -q" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'factgraph') THEN
    CREATE ROLE factgraph LOGIN CREATEDB PASSWORD 'factgraph';
  END IF;
END $$;
SQL
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='factgraph'\"" | grep -q 1 \
  || su postgres -c "psql -qc 'CREATE DATABASE factgraph OWNER factgraph'"
echo "postgres://factgraph:factgraph@127.0.0.1/factgraph?sslmode=disable" >&3
