# The same stack as `make run`, for hosts with Docker: see docker-compose.yml.
FROM node:20-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends libgdal32 libgeos-c1v5 libproj25 fonts-noto-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY gisioc gisioc
COPY layers layers
COPY tiles tiles
COPY boundary_data boundary_data
RUN pip install --no-cache-dir -c constraints.txt -e .
COPY scripts/start.sh scripts/serve.sh scripts/
COPY --from=frontend /src/frontend/dist frontend/dist
RUN useradd --create-home gisioc && mkdir -p var && chown gisioc var
USER gisioc
# The app alone unless the demo is asked for (GISIOC_DEMO=true): the demo data, the fakes and
# their pulls, as `make run`. Outside the demo GISIOC_SECRET_KEY is required.
ENV GISIOC_HOST=0.0.0.0 GISIOC_PORT=8000 GISIOC_VAR_DIR=/app/var GISIOC_BIN=/usr/local/bin \
    GISIOC_DEMO=false
EXPOSE 8000 8001
CMD ["bash", "scripts/start.sh"]
