#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL cluster, then stop and delete the cluster.
#   scripts/with-postgres.sh .venv/bin/pytest
# The command sees DATABASE_URL pointing at the cluster (Unix socket, no TCP port opened).
set -euo pipefail

find_bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
    return
  fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

bindir=$(find_bindir || true)
if [ -z "$bindir" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL server binaries not found; install the 'postgresql' package." >&2
    exit 1
  fi
  echo "Installing PostgreSQL (apt-get install postgresql)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
  bindir=$(find_bindir)
fi

workdir=$(mktemp -d /tmp/ita-pg.XXXXXX)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  # PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
  chown postgres: "$workdir"
  as_pg=(runuser -u postgres --)
fi

stop_cluster() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap stop_cluster EXIT

"${as_pg[@]}" "$bindir/initdb" -D "$workdir/data" -U postgres --auth=trust -E UTF8 \
  --locale=C.UTF-8 >/dev/null
# Durability is worthless for a cluster deleted in a minute; speed is not.
"${as_pg[@]}" "$bindir/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w \
  -o "-k $workdir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
"${as_pg[@]}" "$bindir/createdb" -h "$workdir" -U postgres ita

export DATABASE_URL="postgres://postgres@${workdir//\//%2F}/ita"
# For scripts that stop or restart the cluster on purpose (scripts/faults.py):
#   $ITA_PG_AS $ITA_PG_BIN/pg_ctl -D $ITA_PG_DATA restart
export ITA_PG_BIN="$bindir" ITA_PG_DATA="$workdir/data" ITA_PG_LOG="$workdir/server.log" \
  ITA_PG_AS="${as_pg[*]}"
echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $NF}') on $workdir" >&2
"$@"
