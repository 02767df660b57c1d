FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md requirements.lock ./
COPY api ./api
COPY graph ./graph
COPY schema ./schema
COPY importers ./importers
COPY analysis ./analysis
# Exact versions from the lock file (the service's own, no test tools), then the project.
RUN pip install --no-cache-dir -r requirements.lock && pip install --no-cache-dir --no-deps . \
    && useradd --create-home registry
USER registry
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health').status==200 else 1)"
# No proxy in front in docker-compose.yml: the container logs each request itself.
CMD ["pariscall", "serve", "--host", "0.0.0.0", "--port", "8000", "--access-log"]
