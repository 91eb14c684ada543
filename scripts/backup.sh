#!/bin/sh
# Backs up the PostgreSQL database to one file (pg_dump custom format), checked readable before it is kept.
#   DATABASE_URL=postgres://user@host:5432/gangwei scripts/backup.sh [file]
# Prints the file's name. The dump is consistent (one snapshot) and can be taken while the app runs.
set -eu
url="${DATABASE_URL:?set DATABASE_URL to the database to back up}"
out="${1:-gangwei-$(date -u +%Y%m%dT%H%M%SZ).dump}"
pg_dump --format=custom --compress=6 --no-owner --no-privileges --file="$out.partial" "$url"
# A dump that pg_restore cannot list is not a backup.
pg_restore --list "$out.partial" >/dev/null
mv "$out.partial" "$out"
echo "$out"
