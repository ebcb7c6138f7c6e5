FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-cjk fontconfig poppler-utils postgresql-client \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN DEBUG=true python manage.py collectstatic --no-input
RUN useradd --system --home /app xiaobao && mkdir -p /app/var/files && chown -R xiaobao /app/var
USER xiaobao
EXPOSE 8000
CMD ["gunicorn", "laizhou_xiaobao.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
