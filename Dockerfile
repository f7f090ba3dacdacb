# The llmload runner image: what `llmload plan` puts in each pod (ENTRYPOINT is the CLI, the
# pod's args are `run …`). Build: docker build -t ghcr.io/llmload/llmload:$(node -p "require('./package.json').version") .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN node scripts/build.mjs && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production NO_COLOR=1
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
# results go to a volume (emptyDir in the Jobs); run as the image's unprivileged user
RUN mkdir -p /results && chown node:node /results
USER node
ENTRYPOINT ["node", "/app/bin/llmload.js"]
CMD ["--help"]
