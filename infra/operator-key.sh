#!/usr/bin/env bash
# Makes an operator key (the credential that creates tenants) and prints it once, with the
# SHA-256 the stack is deployed with (OperatorKeySha256). Only the hash is ever deployed; keep
# the key in your password manager.
set -euo pipefail
key=$(python3 -c 'import secrets; print(secrets.token_hex(24))')
hash=$(printf %s "$key" | sha256sum | cut -d' ' -f1)
printf 'operator key (keep it secret, shown once): %s\nOperatorKeySha256=%s\n' "$key" "$hash"
