#!/bin/sh
# The primary's first start (docker-entrypoint-initdb.d): let the compose network's streaming
# replica connect for replication with the database password (docker-compose.yml, profile
# scale). wal_level=replica and max_wal_senders=10 are PostgreSQL 15's defaults.
set -e
echo "host replication ${POSTGRES_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
