#!/usr/bin/env bash
# Installs (if needed) and starts PostgreSQL on loopback, creates the role and
# database the tests use, and prints the URL for FACTGRAPH_TEST_POSTGRES.
# Usage: export FACTGRAPH_TEST_POSTGRES=$(bash .ci/postgres.sh)
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
pg_ctlcluster "$version" main start 2>/dev/null || true
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
