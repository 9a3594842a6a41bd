#!/usr/bin/env bash
# Installs (from Debian packages) and starts the real components Parapet's tests talk to, when
# they are missing: PostgreSQL, PgBouncer, Redis, promtool/amtool and the prometheus and
# prometheus-alertmanager daemons (Debian packages prometheus, prometheus-alertmanager), Chromium
# (browser tests).
# Idempotent; safe to run on a developer machine. `.ci/run` calls it before `npm test`.
set -euo pipefail

log() { printf '[services] %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq >/dev/null; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ── Prometheus tooling (promtool, amtool) ─────────────────────────────────────────────────
if ! command -v promtool >/dev/null 2>&1; then
  log "installing prometheus (promtool)"
  apt_install prometheus
fi
if ! command -v amtool >/dev/null 2>&1; then
  log "installing prometheus-alertmanager (amtool)"
  apt_install prometheus-alertmanager
fi
# The daemons themselves (the demo's end-to-end test starts its own instances): the Debian
# packages ship them as /usr/bin/prometheus and /usr/bin/prometheus-alertmanager.
if ! command -v prometheus >/dev/null 2>&1; then
  log "installing prometheus (the daemon)"
  apt_install prometheus
fi
if ! command -v prometheus-alertmanager >/dev/null 2>&1 && ! command -v alertmanager >/dev/null 2>&1; then
  log "installing prometheus-alertmanager (the daemon)"
  apt_install prometheus-alertmanager
fi
# The Debian packages start daemons through systemd where it exists; tests start their own.

# ── Chromium (the operator workbench's browser tests drive /usr/bin/chromium via playwright-core) ──
if [ ! -x /usr/bin/chromium ]; then
  log "installing chromium (browser tests)"
  apt_install chromium
fi

# ── Redis ─────────────────────────────────────────────────────────────────────────────────
if ! port_open 6379; then
  command -v redis-server >/dev/null 2>&1 || { log "installing redis-server"; apt_install redis-server; }
  log "starting redis on 127.0.0.1:6379"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/parapet.log
fi

# ── PostgreSQL ────────────────────────────────────────────────────────────────────────────
if ! port_open 5432; then
  if ! ls /etc/postgresql >/dev/null 2>&1; then log "installing postgresql"; apt_install postgresql; fi
  log "starting postgresql"
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
fi

# ── PgBouncer (transaction pooling in front of the local PostgreSQL) ──────────────────────
# @parapet/evidence-pg's conformance suite runs through it. PgBouncer refuses to run as root, so it
# runs as `postgres`; `auth_type = any` forwards every client as `postgres` to the trusted server.
PGBOUNCER_PORT="${PGBOUNCER_PORT:-6432}"
if ! port_open "$PGBOUNCER_PORT"; then
  command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || { log "installing pgbouncer"; apt_install pgbouncer; }
  PGB_DIR=/var/lib/postgresql/parapet-pgbouncer
  as_root mkdir -p "$PGB_DIR"
  as_root tee "$PGB_DIR/pgbouncer.ini" >/dev/null <<INI
[databases]
* = host=127.0.0.1 port=5432 user=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGBOUNCER_PORT
unix_socket_dir =
auth_type = any
pool_mode = transaction
max_client_conn = 1000
default_pool_size = 20
max_db_connections = 40
ignore_startup_parameters = extra_float_digits,options,statement_timeout
server_reset_query =
logfile = $PGB_DIR/pgbouncer.log
pidfile = $PGB_DIR/pgbouncer.pid
INI
  as_root chown -R postgres:postgres "$PGB_DIR"
  log "starting pgbouncer (transaction pooling) on 127.0.0.1:$PGBOUNCER_PORT"
  PGB_BIN="$(command -v pgbouncer || echo /usr/sbin/pgbouncer)"
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$PGB_BIN -d $PGB_DIR/pgbouncer.ini"; else sudo -u postgres "$PGB_BIN" -d "$PGB_DIR/pgbouncer.ini"; fi
fi

for i in $(seq 1 30); do port_open 6379 && port_open 5432 && port_open "$PGBOUNCER_PORT" && break; sleep 1; done
port_open 6379 || { log "redis did not come up on 6379"; exit 1; }
port_open 5432 || { log "postgres did not come up on 5432"; exit 1; }
port_open "$PGBOUNCER_PORT" || { log "pgbouncer did not come up on $PGBOUNCER_PORT"; exit 1; }
log "ready: chromium $([ -x /usr/bin/chromium ] && echo yes || echo no), promtool $(promtool --version 2>&1 | head -1 | awk '{print $3}'), amtool, redis :6379, postgres :5432, pgbouncer :$PGBOUNCER_PORT"
