#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, on 127.0.0.1 only:
#   scripts/pg-cluster.sh start   # prints the URL (postgres://sgtest@127.0.0.1:PORT/postgres)
#   scripts/pg-cluster.sh url     # the running cluster's URL, or exit 1
#   scripts/pg-cluster.sh stop    # stops it and deletes its directory
#   scripts/pg-cluster.sh halt    # stops the server, keeping its data (an outage, for tests)
#   scripts/pg-cluster.sh resume  # starts a halted cluster again on the same port
# Installs Debian's `postgresql` when initdb is missing. PostgreSQL refuses to run as root, so
# the cluster belongs to an unprivileged user `sgtest` (created when missing) and lives in a
# temporary directory it owns. `start` is idempotent: a running cluster's URL is printed again.
# Trust authentication on loopback: a test cluster with no data worth a password.
set -euo pipefail
state=${SG_PG_STATE:-/tmp/signup-guard-pg}
user=sgtest

pg_bin() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

as_user() {
    if [ "$(id -u)" = 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

url() {
    [ -f "$state/port" ] || return 1
    local bin port
    bin=$(pg_bin) || return 1
    port=$(cat "$state/port")
    as_user "$bin/pg_ctl" -D "$state/data" status >/dev/null 2>&1 || return 1
    echo "postgres://$user@127.0.0.1:$port/postgres"
}

start() {
    if url 2>/dev/null; then return 0; fi
    local bin
    if ! bin=$(pg_bin); then
        echo "pg-cluster: installing Debian's postgresql" >&2
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
        bin=$(pg_bin)
    fi
    if [ "$(id -u)" = 0 ] && ! id "$user" >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
    fi
    rm -rf "$state"
    mkdir -p "$state"
    [ "$(id -u)" = 0 ] && chown "$user" "$state"
    as_user "$bin/initdb" -D "$state/data" -U "$user" --auth=trust -E UTF8 --locale=C.UTF-8 >"$state/initdb.log" 2>&1 \
        || { cat "$state/initdb.log" >&2; exit 1; }
    local port
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    echo "$port" >"$state/port"
    # fsync on, synchronous_commit on (the defaults, said aloud): the durability tests mean it.
    as_user "$bin/pg_ctl" -D "$state/data" -l "$state/server.log" -w -t 60 -o "$(server_options)" start >&2
    url
}

server_options() {
    echo "-c listen_addresses=127.0.0.1 -p $(cat "$state/port") -k $state -c fsync=on -c synchronous_commit=on -c max_connections=200"
}

halt() {
    as_user "$(pg_bin)/pg_ctl" -D "$state/data" -m fast -w stop >&2
}

resume() {
    as_user "$(pg_bin)/pg_ctl" -D "$state/data" -l "$state/server.log" -w -t 60 -o "$(server_options)" start >&2
    url
}

stop() {
    local bin
    bin=$(pg_bin) || return 0
    [ -d "$state/data" ] && as_user "$bin/pg_ctl" -D "$state/data" -m fast -w stop >&2 || true
    rm -rf "$state"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    url) url ;;
    halt) halt ;;
    resume) resume ;;
    bin) pg_bin ;;
    *) echo "usage: $0 start|stop|url|halt|resume|bin" >&2; exit 2 ;;
esac
