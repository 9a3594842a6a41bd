#!/usr/bin/env bash
# Installs (from Debian packages) and starts the real components Parapet's tests talk to, when
# they are missing: PostgreSQL, Redis, promtool/amtool (prometheus, prometheus-alertmanager).
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
# The Debian packages start daemons through systemd where it exists; tests start their own.

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

for i in $(seq 1 30); do port_open 6379 && port_open 5432 && break; sleep 1; done
port_open 6379 || { log "redis did not come up on 6379"; exit 1; }
port_open 5432 || { log "postgres did not come up on 5432"; exit 1; }
log "ready: promtool $(promtool --version 2>&1 | head -1 | awk '{print $3}'), amtool, redis :6379, postgres :5432"
