# syntax=docker/dockerfile:1
# stytch-mock: docker run -p 9010:9010 -p 9443:9443 stytch-mock
# test/image/image.test.ts performs these steps without Docker; keep the two in step.

# Build: all dependencies, compile the TypeScript, then drop the dev dependencies.
FROM node:24-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary fits the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY fixtures/fixtures.schema.json ./fixtures/
COPY server ./server
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# Run: production dependencies and the compiled output only, as the unprivileged `node` user.
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=9010 \
    HTTPS_PORT=9443 \
    STYTCH_MOCK_DATA_DIR=/data \
    STYTCH_MOCK_TLS_HOSTNAMES=stytch-mock
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json openapi.yaml ./
COPY fixtures ./fixtures
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 9010 9443
# Slim images have no curl: node itself probes the liveness route.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||9010)+'/_mock/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node is PID 1 and handles SIGTERM itself: it closes the listeners and exits 0 within a second.
CMD ["node", "dist/server/main.js"]
