# A Flask API, written the way many public repositories write one.
FROM python:3.12-slim
MAINTAINER Ada Lovelace <ada@example.com>

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1

RUN apt update \
    && apt install -y build-essential libpq-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
ADD requirements.txt /app/
RUN pip install --no-cache-dir -r requirements.txt
ADD . /app

EXPOSE 8000
USER nobody
CMD exec gunicorn --bind 0.0.0.0:8000 --workers 3 wsgi:app
