#!/bin/sh
# Prints the password of USER from a passwords file (YAML `user: password` lines, as written by
# `hotlinectl broker definitions --passwords`); exits 1 when the file has none for USER.
#
#   password.sh USER FILE
set -eu
awk -v user="$1" '
    /^[[:space:]]*(#|$)/ { next }
    {
        line = $0
        sub(/\r$/, "", line)
        i = index(line, ":")
        if (i == 0) next
        key = substr(line, 1, i - 1); val = substr(line, i + 1)
        gsub(/^[[:space:]]+|[[:space:]]+$/, "", key)
        gsub(/^["\047]|["\047]$/, "", key)
        sub(/[[:space:]]+#.*$/, "", val)
        gsub(/^[[:space:]]+|[[:space:]]+$/, "", val)
        gsub(/^["\047]|["\047]$/, "", val)
        if (key == user) { print val; found = 1; exit }
    }
    END { if (!found) exit 1 }' "$2"
