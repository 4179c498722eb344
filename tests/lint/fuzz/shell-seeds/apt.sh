apt-get update && apt-get install -y --no-install-recommends curl=7 \
  && rm -rf /var/lib/apt/lists/*
