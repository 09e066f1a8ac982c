# syntax=docker/dockerfile:1
# One image for every app of Lemo Recommender; the command picks the app:
#   docker run IMAGE                                  -> all-in-one (plan 1)
#   docker run IMAGE dist/apps/api/src/main.js        -> api (likewise grpc, worker, beat, consumer, streams, model-server)
# The Helm chart sets the argument per Deployment.
#
# @tensorflow/tfjs-node (native TensorFlow, an optional dependency) downloads libtensorflow while it
# installs, so it is only there when the build has internet access. Without it, or with
# --build-arg TFJS_NODE=false, the image has the pure-JS/wasm backend (@tensorflow/tfjs-backend-wasm) only.

ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS build
# A C++ toolchain and Python build the native addons (better-sqlite3, hnswlib-node).
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund \
 && npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/@lemo node_modules/.cache
ARG TFJS_NODE=true
# tfjs-node's install script fetches libtensorflow: run it explicitly, and keep the package only if it
# then loads; otherwise (no internet, or TFJS_NODE=false) the image has the wasm backend only.
RUN if [ "$TFJS_NODE" = "true" ] && npm rebuild @tensorflow/tfjs-node && node -e "require('@tensorflow/tfjs-node')"; then \
      echo "tfjs-node: native backend"; \
    else \
      rm -rf node_modules/@tensorflow/tfjs-node; echo "tfjs-node: absent, wasm backend"; \
    fi

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 10001 lemo \
 && useradd --uid 10001 --gid lemo --no-create-home --shell /usr/sbin/nologin lemo \
 && mkdir -p /data \
 && chown lemo:lemo /data
WORKDIR /app
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    DATA_DIR=/data
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/proto ./proto
USER 10001:10001
VOLUME ["/data"]
EXPOSE 10071 10072 10073
ENTRYPOINT ["/usr/bin/tini", "--", "node"]
CMD ["dist/apps/all-in-one/src/main.js"]
