#!/usr/bin/env bash
# Scaffolds the Nx boilerplate of a project: package.json, project.json,
# tsconfig.json and jest.config.js. Usage: new-project.sh <root> <name> <tags comma-separated>
set -euo pipefail
root=$1 name=$2 tags=$3
depth=$(echo "$root" | awk -F/ '{print NF}')
up=$(printf '../%.0s' $(seq 1 "$depth"))
mkdir -p "$root/src"
tags_json=$(echo "$tags" | awk -F, '{for(i=1;i<=NF;i++) printf "%s\"%s\"", (i>1?", ":""), $i}')
[ -f "$root/package.json" ] || cat > "$root/package.json" <<JSON
{
  "name": "@lemo/$name",
  "version": "0.1.0",
  "private": true,
  "main": "./src/index.ts",
  "types": "./src/index.ts"
}
JSON
[ -f "$root/project.json" ] || cat > "$root/project.json" <<JSON
{
  "name": "$name",
  "\$schema": "${up}node_modules/nx/schemas/project-schema.json",
  "sourceRoot": "$root/src",
  "projectType": "$( [[ $root == apps/* ]] && echo application || echo library )",
  "tags": [$tags_json],
  "targets": { "build": {}, "typecheck": {}, "lint": {}, "test": {}$( [[ $root == apps/* ]] && echo ', "serve": {}' ) }
}
JSON
[ -f "$root/tsconfig.json" ] || cat > "$root/tsconfig.json" <<JSON
{
  "extends": "${up}tsconfig.base.json",
  "compilerOptions": { "noEmit": true, "rootDir": "${up}" },
  "include": ["**/*.ts"]
}
JSON
[ -f "$root/jest.config.js" ] || cat > "$root/jest.config.js" <<JSON
module.exports = {
  ...require('${up}jest.preset.js'),
  displayName: '$name',
  rootDir: __dirname,
};
JSON
echo "scaffolded $root"
