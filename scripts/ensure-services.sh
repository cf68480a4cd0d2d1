#!/usr/bin/env bash
# Makes sure the PostgreSQL and Redis the tests use are up, starting the machine's own if they
# have stopped. With TEST_DATABASE_URL / TEST_REDIS_URL set, those servers are used as they are.
set -euo pipefail

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

if [ -z "${TEST_DATABASE_URL:-}" ] && ! pg_up; then
  echo "PostgreSQL is not answering on 127.0.0.1:5432; starting it" >&2
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  pg_up || { echo "PostgreSQL is not available: install it, or set TEST_DATABASE_URL to a server the tests may create databases on." >&2; exit 1; }
fi

if [ -z "${TEST_REDIS_URL:-}" ] && ! redis_up; then
  echo "Redis is not answering on 127.0.0.1:6379; starting it" >&2
  if command -v redis-server >/dev/null; then
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no || true
  fi
  for _ in $(seq 1 30); do redis_up && break; sleep 1; done
  redis_up || { echo "Redis is not available: install redis-server, or set TEST_REDIS_URL." >&2; exit 1; }
fi

# The browser tests drive Debian's Chromium through Playwright.
if [ -z "${CHROMIUM_PATH:-}" ] && ! command -v chromium >/dev/null; then
  echo "Chromium is not installed; installing Debian's chromium for the browser tests" >&2
  if command -v apt-get >/dev/null; then
    (DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 \
      || { apt-get update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium >/dev/null 2>&1; }) || true
  fi
  command -v chromium >/dev/null || { echo "Chromium is not available: install it (apt-get install chromium) or set CHROMIUM_PATH." >&2; exit 1; }
fi

# The IMAP polling test (test/inbound-imap.e2e-spec.ts) starts Debian's Dovecot itself, with its own
# configuration, port and maildir under a temporary directory; the package's own service is not used.
if [ -z "${DOVECOT_PATH:-}" ] && ! [ -x /usr/sbin/dovecot ]; then
  echo "Dovecot is not installed; installing Debian's dovecot-imapd for the IMAP polling test" >&2
  if command -v apt-get >/dev/null; then
    (DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends dovecot-imapd >/dev/null 2>&1 \
      || { apt-get update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends dovecot-imapd >/dev/null 2>&1; }) || true
  fi
  [ -x /usr/sbin/dovecot ] || { echo "Dovecot is not available: install it (apt-get install dovecot-imapd) or set DOVECOT_PATH." >&2; exit 1; }
fi
