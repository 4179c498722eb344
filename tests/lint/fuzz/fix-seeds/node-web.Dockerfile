FROM node:20-bookworm

RUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 \
 && rm -rf /var/lib/apt/lists/*

# tini as PID 1
RUN wget https://github.com/krallin/tini/releases/download/v0.19.0/tini -O /usr/local/bin/tini \
 && chmod +x /usr/local/bin/tini

WORKDIR /usr/src/app
COPY package*.json ./
RUN npm ci --omit=dev
COPY . .
USER node
ENTRYPOINT node server.js
