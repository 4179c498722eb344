FROM python:3.11-slim AS builder
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --prefix=/install -r requirements.txt
COPY src/ ./src/

FROM gcr.io/distroless/python3-debian12:nonroot
COPY --from=builder /install /usr/local
COPY --from=builder /app/src /app/src
ENV PYTHONPATH=/usr/local/lib/python3.11/site-packages
WORKDIR /app
USER 65532
CMD ["src/main.py"]
