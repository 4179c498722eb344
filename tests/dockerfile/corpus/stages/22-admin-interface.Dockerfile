FROM node:20-alpine AS ui
WORKDIR /ui
COPY ui/package*.json ./
RUN npm ci
COPY ui .
RUN npm run build

FROM python:3.12-slim AS api
WORKDIR /api
COPY api/requirements.txt .
RUN pip install --no-cache-dir --target=/api/deps -r requirements.txt
COPY api .

FROM gcr.io/distroless/python3-debian12:nonroot
COPY --from=api /api /app
COPY --from=ui /ui/dist /app/static
ENV PYTHONPATH=/app/deps
WORKDIR /app
CMD ["main.py"]
