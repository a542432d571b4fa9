# syntax=docker/dockerfile:1
# stytch-mock: docker build -t stytch-mock . && docker run --rm -p 9010:9010 -p 9443:9443 stytch-mock
# test/image/image.test.ts builds and runs this file unchanged (podman, on a local look-alike of
# the base). The base names an exact Node version, so a build tomorrow gets what CI tested; to move
# it, see "Moving the Node version" in the README.

# Build: all dependencies, compile the TypeScript, then keep only what runs.
FROM node:24.21.0-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Nothing compiles: better-sqlite3 ships its prebuilt binaries inside its npm package, and no
# dependency needs an install script (npm before 11.16 would run better-sqlite3's node-gyp step,
# which needs a Python this image does not have).
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY fixtures/fixtures.schema.json ./fixtures/
COPY openapi.yaml ./
COPY server ./server
# Production dependencies only; of better-sqlite3 only this platform's binary (not its C sources,
# the other platforms' binaries, or the headers it would compile against); no source maps, and of
# the compiled output no type declarations and no per-module JavaScript (a container runs the
# command's bundle, dist/server/main.js and its chunks, and nothing imports the library); of
# zxcvbn-ts and hash-wasm only the build Node loads (their CommonJS / UMD main), not their sources,
# browser bundles or ES module copies; of otpauth only its Node build (which hashes with
# node:crypto; the wallets' keccak from @noble/hashes is in the bundle), of pngjs and
# qrcode-generator no browser builds or tests; of awesome-phonenumber only the browser build the
# clientside-services page serves (Node never loads it), its package.json and its licenses; of
# SimpleWebAuthn (outside the bundle) only its ES modules, without their type declarations; of the
# SAML libraries (xml-crypto, xmldom, xpath) no type declarations or documentation.
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/node-addon-api node_modules/better-sqlite3/deps node_modules/better-sqlite3/src \
 && find node_modules/better-sqlite3/prebuilds -type f ! -name "linux-$(node -p process.arch).node" -delete \
 && find node_modules dist -name '*.map' -type f -delete \
 && find dist -name '*.d.ts' -type f -delete \
 && find dist -name '*.js' -type f ! -path 'dist/server/main.js' ! -path 'dist/server/chunks/*' -delete \
 && rm -rf node_modules/@zxcvbn-ts/*/src node_modules/@zxcvbn-ts/*/dist/zxcvbn-ts.js node_modules/hash-wasm/src \
 && find node_modules/@zxcvbn-ts -name '*.mjs' -type f -delete \
 && find node_modules/hash-wasm/dist -type f ! -name index.umd.js -delete \
 && find node_modules/otpauth/dist -type f ! -name 'otpauth.node.*' ! -name '*.d.*' -delete \
 && rm -rf node_modules/@noble/hashes node_modules/pngjs/browser.js \
      node_modules/qrcode-generator/test node_modules/qrcode-generator/experiment \
 && find node_modules/qrcode-generator/dist -type f -name 'qrcode_*' -delete \
 && rm -rf node_modules/awesome-phonenumber/lib node_modules/awesome-phonenumber/index.js \
      node_modules/awesome-phonenumber/index.d.ts node_modules/awesome-phonenumber/README.md \
 && rm -rf node_modules/@simplewebauthn/server/script node_modules/@noble/secp256k1/index.ts \
 && find node_modules/@simplewebauthn/server/esm -name '*.d.ts' -type f -delete \
 && find node_modules/xml-crypto node_modules/xpath node_modules/@xmldom -name '*.d.ts' -type f -delete \
 && rm -f node_modules/xml-crypto/README.md node_modules/xpath/README.md \
      node_modules/@xmldom/xmldom/CHANGELOG.md node_modules/@xmldom/xmldom/readme.md

# Run: production dependencies and the compiled output only, as the unprivileged `node` user.
FROM node:24.21.0-bookworm-slim
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
# --max-semi-space-size as npm start: a smaller young generation (100,000 sessions in 155 MB
# resident instead of 224, no throughput lost in npm run bench).
CMD ["node", "--max-semi-space-size=8", "dist/server/main.js"]
