#!/usr/bin/env bash
# Thin wrapper: tools/dev-stack/stack.sh up|down|status|install|smoke [--only a,b] [--wipe]
exec node "$(dirname "$0")/stack.mjs" "$@"
