#!/usr/bin/env bash
# The HTTP service's tests over real HTTP on 127.0.0.1 with real SQLite files: the API acceptance
# cases, the hostile-input catalogue, the SIGKILL crash test (which spawns the real binary), and the
# faults: a kill between commit and answer, a full disk and unusable databases at start (the
# tmpfs ones need root to mount; without it they say SKIPPED on stderr, and fail when CI is set);
# after the signup: one-click unsubscribe, the admin API, retention, links, access, backups.
# No network, no extra tools. Usage: bash scripts/server-tests.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --features server --lib server::
cargo test --features server --test server_api --test server_hostile --test server_crash --test server_slow \
  --test server_faults --test server_erase --test server_lifecycle --test cli_store --test cli_backup
