#!/bin/sh
# Restores a backup made by scripts/backup.sh into an EMPTY database, all or nothing (one transaction).
#   createdb gangwei_restored
#   DATABASE_URL=postgres://user@host:5432/gangwei_restored scripts/restore.sh gangwei-20261129T000000Z.dump
# Refuses a database that already has tables: restore next to the damaged one, check it, then switch the app's
# DATABASE_URL (or rename the databases) — never over the only copy.
set -eu
url="${DATABASE_URL:?set DATABASE_URL to the empty database to restore into}"
file="${1:?usage: scripts/restore.sh <backup file>}"
[ -r "$file" ] || { echo "cannot read $file" >&2; exit 2; }
tables=$(psql --no-psqlrc --tuples-only --no-align --dbname="$url" \
  --command="SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != "0" ]; then
  echo "the target database has $tables tables: restore into an empty database" >&2
  exit 3
fi
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$url" "$file"
echo "restored $file"
