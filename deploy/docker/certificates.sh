#!/bin/sh
# One-shot `certificates` service of docker-compose.yml (idempotent; runs as root on every
# `docker compose up`, before postgres and rabbitmq start): the TLS certificate authority and the
# servers' certificate, and the copies each container reads.
#
# Volumes (the directories can be changed with the variables in brackets, e.g. to run this script
# outside Docker):
#   /authority  `tls-authority`, mounted by this service alone [TLS_AUTHORITY_DIR], mode 0700:
#               ca.pem + ca.key (mode 0600): the certificate authority;
#               server.pem + server.key (mode 0600): the servers' certificate and key.
#   /ca         `tls-ca` [TLS_CA_DIR]: ca.pem only, world-readable. Every service, setup (and any
#               client) mounts it read-only at /run/hotline-tls and trusts it
#               (amqps://…?cacertfile=/run/hotline-tls/ca.pem, sslrootcert=/run/hotline-tls/ca.pem).
#   /postgres   `tls-postgres` [TLS_POSTGRES_DIR]: server.pem, server.key (0600), owned by
#               TLS_POSTGRES_OWNER (default 999:999, user postgres of the postgres:15 image).
#   /rabbitmq   `tls-rabbitmq` [TLS_RABBITMQ_DIR]: ca.pem, server.pem, server.key (0600), owned by
#               TLS_RABBITMQ_OWNER (default 999:999, user rabbitmq of the rabbitmq:3.13 image).
#   (An owner set to the empty string is left as it is: for a run without root.)
#
# Our own authority (the default): EC P-256, valid 10 years; made when /authority holds no usable
# ca.pem + ca.key pair, or when ca.pem expires within 30 days. The servers' certificate: EC P-256,
# valid 825 days, subjectAltName DNS:rabbitmq, DNS:postgres, DNS:localhost (plus the DNS names of
# HOTLINE_TLS_EXTRA_NAMES, separated by spaces or commas: the names under which units' systems on
# other hosts reach the published broker port), extendedKeyUsage serverAuth, basicConstraints
# CA:FALSE. It is issued again, with a new key, when it or its key is missing, when it expires within
# 30 days, when it is not signed by the current authority, or when its names differ from these.
# PostgreSQL and RabbitMQ read their certificate when they start: after a new one was issued (the
# log says so), run `docker compose restart postgres rabbitmq`.
#
# The district's own PKI instead: put into the `tls-authority` volume, with NO ca.key,
#   ca.pem      the authority the services are to trust (a self-signed root; several may follow)
#   server.pem  the servers' certificate, leaf first, then any intermediate certificates; it must
#               name `rabbitmq` and `postgres` (DNS), and allow serverAuth
#   server.key  its private key, unencrypted PEM
# for example (pki/ next to docker-compose.yml holding the three files):
#   docker compose run --rm --no-deps -v "$PWD/pki:/pki:ro" certificates \
#       sh -c 'cp /pki/ca.pem /pki/server.pem /pki/server.key /authority/ && rm -f /authority/ca.key'
#   docker compose up -d && docker compose restart postgres rabbitmq
# They are then checked (the key fits, the chain verifies against ca.pem, the names, the purpose)
# and copied as given, never replaced; the log warns when server.pem expires within 30 days.
set -eu
umask 077

authority="${TLS_AUTHORITY_DIR:-/authority}"
ca_out="${TLS_CA_DIR:-/ca}"
postgres_out="${TLS_POSTGRES_DIR:-/postgres}"
rabbitmq_out="${TLS_RABBITMQ_DIR:-/rabbitmq}"
postgres_owner="${TLS_POSTGRES_OWNER-999:999}"
rabbitmq_owner="${TLS_RABBITMQ_OWNER-999:999}"

renew_before=$((30 * 86400))
ca_days=3650
server_days=825

log() { echo "certificates: $*"; }
die() { echo "certificates: $*" >&2; exit 1; }

command -v openssl >/dev/null 2>&1 || die "openssl is missing from the image"
for dir in "$authority" "$ca_out" "$postgres_out" "$rabbitmq_out"; do
    [ -d "$dir" ] || die "$dir is not a directory (mount its volume)"
done
chmod 0700 "$authority"

# The servers' names: subjectAltName as openssl prints it without spaces.
san="DNS:rabbitmq,DNS:postgres,DNS:localhost"
set -f
for name in $(printf '%s' "${HOTLINE_TLS_EXTRA_NAMES:-}" | tr ',' ' '); do
    case "$name" in
        *[!A-Za-z0-9.*-]* | .* | *..*) die "HOTLINE_TLS_EXTRA_NAMES: \"$name\" is not a DNS name" ;;
    esac
    case ",$san," in
        *",DNS:$name,"*) ;;
        *) san="$san,DNS:$name" ;;
    esac
done
set +f

work=$(mktemp -d "$authority/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The public key of a certificate (x509) or of a private key (pkey), for comparison.
public_key() {
    if [ "$1" = x509 ]; then
        openssl x509 -noout -pubkey -in "$2" 2>/dev/null
    else
        openssl pkey -pubout -passin pass: -in "$2" 2>/dev/null
    fi
}

key_fits() { # CERTIFICATE KEY
    a=$(public_key x509 "$1") && b=$(public_key pkey "$2") && [ -n "$a" ] && [ "$a" = "$b" ]
}

# Verifies CERTIFICATE (and the intermediates after it in the same file) against CA alone, as a TLS
# server certificate; more arguments are passed on (-verify_hostname NAME).
verifies() { # CERTIFICATE CA [OPTION...]
    certificate=$1 ca=$2
    shift 2
    openssl verify -no-CApath -no-CAstore -CAfile "$ca" -untrusted "$certificate" -purpose sslserver \
        "$@" "$certificate" >/dev/null 2>&1
}

lasts() { # CERTIFICATE: valid for more than 30 days
    openssl x509 -noout -checkend "$renew_before" -in "$1" >/dev/null 2>&1
}

names() { # CERTIFICATE: its subjectAltName as openssl prints it, without spaces
    openssl x509 -noout -ext subjectAltName -in "$1" 2>/dev/null | sed 1d | tr -d ' \n'
}

new_key() { # FILE
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:named_curve \
        -out "$1" 2>"$work/openssl.log" || { cat "$work/openssl.log" >&2; die "openssl could not make a key"; }
    chmod 0600 "$1"
}

make_authority() {
    cat >"$work/ca.cnf" <<'EOF'
[req]
prompt = no
distinguished_name = dn
x509_extensions = ca
[dn]
CN = hotline certificate authority
[ca]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
EOF
    new_key "$work/ca.key"
    openssl req -x509 -new -config "$work/ca.cnf" -key "$work/ca.key" -sha256 -days "$ca_days" \
        -out "$work/ca.pem" 2>"$work/openssl.log" \
        || { cat "$work/openssl.log" >&2; die "openssl could not make the certificate authority"; }
    chmod 0644 "$work/ca.pem"
    mv -f "$work/ca.key" "$authority/ca.key"
    mv -f "$work/ca.pem" "$authority/ca.pem"
}

issue_server() {
    cat >"$work/server.cnf" <<EOF
[req]
prompt = no
distinguished_name = dn
[dn]
CN = rabbitmq
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = $(printf '%s' "$san" | sed 's/,/, /g')
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
    new_key "$work/server.key"
    openssl req -new -config "$work/server.cnf" -key "$work/server.key" -out "$work/server.csr" \
        2>"$work/openssl.log" || { cat "$work/openssl.log" >&2; die "openssl could not make the request"; }
    openssl x509 -req -in "$work/server.csr" -CA "$authority/ca.pem" -CAkey "$authority/ca.key" \
        -set_serial "0x$(openssl rand -hex 16)" -sha256 -days "$server_days" \
        -extfile "$work/server.cnf" -extensions server -out "$work/server.pem" 2>"$work/openssl.log" \
        || { cat "$work/openssl.log" >&2; die "openssl could not sign the servers' certificate"; }
    chmod 0644 "$work/server.pem"
    verifies "$work/server.pem" "$authority/ca.pem" -verify_hostname rabbitmq \
        || die "the new servers' certificate does not verify against $authority/ca.pem"
    # key first: a certificate is never left next to a key that does not fit it unnoticed (key_fits)
    mv -f "$work/server.key" "$authority/server.key"
    mv -f "$work/server.pem" "$authority/server.pem"
}

if [ ! -e "$authority/ca.key" ] && [ -e "$authority/server.pem" ] && [ -e "$authority/server.key" ]; then
    # ------------------------------------------------------------------ the district's own PKI
    log "using the certificates given in the tls-authority volume (no ca.key there)"
    [ -s "$authority/ca.pem" ] || die "$authority/ca.pem is missing: the authority that signed server.pem (to have this service make an authority of its own instead, remove server.pem and server.key)"
    key_fits "$authority/server.pem" "$authority/server.key" \
        || die "$authority/server.key is not the (unencrypted) key of $authority/server.pem"
    for host in rabbitmq postgres; do
        if ! verifies "$authority/server.pem" "$authority/ca.pem" -verify_hostname "$host"; then
            why=$(openssl verify -no-CApath -no-CAstore -CAfile "$authority/ca.pem" -untrusted "$authority/server.pem" \
                -purpose sslserver -verify_hostname "$host" "$authority/server.pem" 2>&1 || true)
            die "$authority/server.pem does not verify against ca.pem as a TLS server certificate for DNS name $host: $why"
        fi
    done
    lasts "$authority/server.pem" \
        || log "WARNING: $authority/server.pem expires within 30 days: $(openssl x509 -noout -enddate -in "$authority/server.pem")"
    issued=
else
    # ------------------------------------------------------------------ our own authority
    if [ ! -e "$authority/ca.key" ] && [ -e "$authority/ca.pem" ]; then
        die "$authority holds ca.pem but neither ca.key (our own authority) nor server.pem and server.key (the district's PKI): complete or remove it"
    fi
    if [ -s "$authority/ca.key" ] && [ -s "$authority/ca.pem" ] && key_fits "$authority/ca.pem" "$authority/ca.key" \
        && lasts "$authority/ca.pem"; then
        :
    else
        log "making a new certificate authority (EC P-256, $ca_days days)"
        make_authority
    fi
    issued=
    if [ -s "$authority/server.pem" ] && [ -s "$authority/server.key" ] \
        && key_fits "$authority/server.pem" "$authority/server.key" \
        && verifies "$authority/server.pem" "$authority/ca.pem" \
        && lasts "$authority/server.pem" \
        && [ "$(names "$authority/server.pem")" = "$san" ]; then
        :
    else
        log "issuing the servers' certificate (EC P-256, $server_days days) for $san"
        issue_server
        issued=yes
    fi
    chmod 0600 "$authority/ca.key" "$authority/server.key"
    chmod 0644 "$authority/ca.pem" "$authority/server.pem"
fi

# Copies SOURCE to DIRECTORY/NAME (replaced in one rename when its content differs) with MODE and,
# when given, OWNER.
publish() { # SOURCE DIRECTORY NAME MODE [OWNER]
    target="$2/$3"
    if ! cmp -s "$1" "$target"; then
        rm -f "$2/.$3.new"
        cp "$1" "$2/.$3.new"
        [ -z "${5:-}" ] || chown "$5" "$2/.$3.new"
        chmod "$4" "$2/.$3.new"
        mv -f "$2/.$3.new" "$target"
        log "wrote $target"
    fi
    [ -z "${5:-}" ] || chown "$5" "$target"
    chmod "$4" "$target"
}

publish "$authority/ca.pem" "$ca_out" ca.pem 0644
chmod 0755 "$ca_out"

publish "$authority/server.pem" "$postgres_out" server.pem 0644 "$postgres_owner"
publish "$authority/server.key" "$postgres_out" server.key 0600 "$postgres_owner"
[ -z "$postgres_owner" ] || chown "$postgres_owner" "$postgres_out"
chmod 0750 "$postgres_out"

publish "$authority/ca.pem" "$rabbitmq_out" ca.pem 0644 "$rabbitmq_owner"
publish "$authority/server.pem" "$rabbitmq_out" server.pem 0644 "$rabbitmq_owner"
publish "$authority/server.key" "$rabbitmq_out" server.key 0600 "$rabbitmq_owner"
[ -z "$rabbitmq_owner" ] || chown "$rabbitmq_owner" "$rabbitmq_out"
chmod 0750 "$rabbitmq_out"

if [ -n "$issued" ]; then
    log "a new servers' certificate was issued: if postgres or rabbitmq is already running, run" \
        "\`docker compose restart postgres rabbitmq\`"
fi
log "servers' certificate valid until $(openssl x509 -noout -enddate -in "$authority/server.pem" | sed 's/^notAfter=//')"
