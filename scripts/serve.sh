#!/usr/bin/env bash
# Serve the app as in production: gunicorn on PostgreSQL, static files through whitenoise.
#   DATABASE_URL=postgres://… DJANGO_SECRET_KEY=… DJANGO_ALLOWED_HOSTS=… make serve
# Checks the deployment settings, migrates, collects the static files, then runs gunicorn
# (deploy/gunicorn.conf.py) in the foreground. docs/deploy.md has the variables.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

case "${DATABASE_URL:-}" in
  postgres://* | postgresql://*) ;;
  *)
    echo "make serve runs on PostgreSQL: set DATABASE_URL=postgres://user:password@host/db" >&2
    echo "(for a quick look on SQLite use make run; docs/deploy.md explains the rest)" >&2
    exit 2
    ;;
esac
for name in DJANGO_SECRET_KEY DJANGO_ALLOWED_HOSTS; do
  if [ -z "${!name:-}" ]; then
    echo "make serve needs $name (see docs/deploy.md)" >&2
    exit 2
  fi
done

export DJANGO_DEBUG=0
# Anything the deploy check finds is printed; only errors stop the start.
$BIN/python manage.py check --deploy
$BIN/python manage.py migrate --noinput
$BIN/python manage.py collectstatic --noinput --verbosity 0
exec $BIN/gunicorn --config deploy/gunicorn.conf.py ita_tracker.wsgi
