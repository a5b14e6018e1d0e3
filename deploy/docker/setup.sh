#!/bin/sh
# One-shot `setup` service of docker-compose.yml (idempotent; runs on every `docker compose up`):
# schema, topology, catalogue (with the unit queues), calendars, and the broker definitions (users,
# permissions, topology) that the `import-definitions` service then imports with rabbitmqctl.
# Needs HOTLINE_DATABASE_URL and HOTLINE_AMQP_URL (the broker administrator).
set -eu

shared=/shared
jurisdiction="${HOTLINE_JURISDICTION_FILE:-/app/deploy/jurisdictions/pingshan.yaml}"

hotlinectl migrate
hotlinectl broker setup
hotlinectl catalogue load "$jurisdiction"
for calendar in /app/deploy/calendars/[0-9][0-9][0-9][0-9].yaml; do
    [ -e "$calendar" ] || continue
    hotlinectl calendar load "$calendar"
done
# passwords.yaml is generated (mode 0600, readable by this image's user only) on the first run and kept
# in the `shared` volume; put your own there beforehand to choose the passwords.
hotlinectl broker definitions --out "$shared/definitions.json" --passwords "$shared/passwords.yaml"
# read by rabbitmqctl in the import-definitions container (user rabbitmq); holds only password hashes
chmod 0644 "$shared/definitions.json"
echo "setup: done"
