#!/bin/sh
# One-shot `setup` service of docker-compose.yml (idempotent; runs on every `docker compose up`):
# schema, topology, catalogue (with the unit queues), calendars, the broker definitions (users with
# salted password hashes, permissions, topology) that the `import-definitions` service then imports
# with rabbitmqctl, each service's database role (hotline_<service>, only its grants), and each
# service's own broker and database passwords in that service's own volume.
# Needs HOTLINE_DATABASE_URL and HOTLINE_AMQP_URL (the broker administrator; in docker-compose.yml the
# image's entrypoint builds it from BROKER_USER and BROKER_PASSWORD: amqps:// with the `tls-ca` volume's
# ca.pem).
set -eu

jurisdiction="${HOTLINE_JURISDICTION_FILE:-/app/deploy/jurisdictions/pingshan.yaml}"
passwords=/state/passwords.yaml
database_passwords=/state/database-passwords.yaml

# the database roles' passwords are generated (mode 0600) on the first run and kept in `state` too
hotlinectl migrate --passwords "$database_passwords"
hotlinectl broker setup
hotlinectl catalogue load "$jurisdiction"
for calendar in /app/deploy/calendars/[0-9][0-9][0-9][0-9].yaml; do
    [ -e "$calendar" ] || continue
    hotlinectl calendar load "$calendar"
done
# passwords.yaml is generated (mode 0600) on the first run and kept in the `state` volume, which only
# this service mounts; put your own there beforehand to choose the passwords.
# The Open311 clients (docs/open311.md "Clients and keys"): kept in `state`; a first client `demo`, its
# key in /state/open311-api-key (read it with `docker compose run --rm setup cat /state/open311-api-key`).
clients=/state/open311-clients.yaml
hotlinectl open311 client add demo --if-missing --clients "$clients" --key-out /state/open311-api-key
hotlinectl broker definitions --out /definitions/definitions.json --passwords "$passwords" --open311-clients "$clients"
# read by rabbitmqctl in the import-definitions container (user rabbitmq); it holds salted hashes only
chmod 0644 /definitions/definitions.json
for service in intake dispatcher sla-timer escalation-notifier survey knowledge open311 console; do
    secret="/secrets/$service/amqp-password"
    (umask 077 && /app/deploy/docker/password.sh "svc.$service" "$passwords" >"$secret.new")
    mv "$secret.new" "$secret"
    role="hotline_$(printf '%s' "$service" | tr - _)"
    secret="/secrets/$service/database-password"
    (umask 077 && /app/deploy/docker/password.sh "$role" "$database_passwords" >"$secret.new")
    mv "$secret.new" "$secret"
done
# the open311 service reads its clients (key hashes and its clients' broker passwords) from its own volume
(umask 077 && cp "$clients" /secrets/open311/open311-clients.yaml.new)
mv /secrets/open311/open311-clients.yaml.new /secrets/open311/open311-clients.yaml
# the console's first account `admin` (docs/console.md), its password kept in `state`
if [ ! -s /state/console-admin-password ]; then
    (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >/state/console-admin-password)
fi
hotlinectl console user add admin --role administrator --display-name 管理员 --if-missing --password-stdin \
    </state/console-admin-password >/dev/null
# intake's citizen-key secret (docs/security.md "Citizen keys"): made once and kept, since a new one
# makes intake re-key every stored key
key=/secrets/intake/citizen-key
if [ ! -s "$key" ]; then
    (umask 077 && head -c 48 /dev/urandom | base64 >"$key.new")
    mv "$key.new" "$key"
fi
echo "setup: done"
