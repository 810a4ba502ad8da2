# Sunshift scheduling service. Build: docker build -t sunshift .
# Run:  docker run -p 8000:8000 -v sunshift-data:/data \
#         -e SUNSHIFT_ALLOW_PUBLIC_BIND=true sunshift
#       (create the first key once: docker run --rm -v sunshift-data:/data sunshift \
#          sunshift admin create-key --team acme)
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY scheduler ./scheduler
COPY api ./api
RUN pip install . \
 && useradd --system --create-home --uid 10001 sunshift \
 && mkdir -p /data && chown sunshift:sunshift /data

USER sunshift
ENV SUNSHIFT_DATABASE_URL=sqlite:////data/sunshift.db \
    SUNSHIFT_HOST=0.0.0.0 \
    SUNSHIFT_PORT=8000
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"
CMD ["sunshift", "serve"]
