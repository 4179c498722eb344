FROM node:20
RUN npm install -g pnpm
WORKDIR /w
COPY . .
RUN pnpm install && pnpm build
FROM nginx:1.25-alpine
COPY --from=0 /w/dist /usr/share/nginx/html
