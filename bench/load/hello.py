"""The baseline: a bare Flask "hello" app, served by the same gunicorn configuration as ParentPass.

gunicorn -c deploy/gunicorn.conf.py bench.load.hello:app
"""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello() -> str:
    return "hello"
