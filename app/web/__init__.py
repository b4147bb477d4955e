"""What makes the app a web site rather than its rules: security headers on every response, cache
and referrer choices per page (`http`), production's refusals, the health check, the `id` URL
converter, content-hashed static files, pages rendered once for every reader (`pagecache`), and
the warm-up before gunicorn forks. Low in the layers: feature views use `http` and `pagecache`."""
