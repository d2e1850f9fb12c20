"""A webhook receiver for the tests: verifies every delivery with the Standard Webhooks
reference library (PyPI `standardwebhooks`, installed by scripts/webhook-venv.sh) and appends
one JSON line per request to --log: {"n", "id", "timestamp", "body"} when the signature holds
under every --secret given (so two secrets prove both signatures of a rotation), {"n", "bad"}
when it does not. Faults on demand: --fail-first N answers 500 to the first N requests, --drop N
closes the connection of the N-th request without answering, --reject N answers the N-th 409
(a refusal of that one event, not an endpoint that is down).

    python webhook-sink.py --port 0 --secret whsec_... --log deliveries.jsonl
prints "listening PORT" once it accepts connections.
"""

import argparse
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from standardwebhooks import Webhook

args = argparse.ArgumentParser()
args.add_argument("--port", type=int, default=0)
args.add_argument("--secret", action="append", required=True)
args.add_argument("--log", required=True)
args.add_argument("--fail-first", type=int, default=0)
args.add_argument("--drop", type=int, default=0)
args.add_argument("--reject", type=int, default=0)
opts = args.parse_args()

verifiers = [Webhook(s) for s in opts.secret]
lock = threading.Lock()
count = 0


def record(entry):
    with open(opts.log, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry) + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        global count
        with lock:
            count += 1
            n = count
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        if n == opts.drop:
            self.close_connection = True
            return
        if n <= opts.fail_first:
            self.answer(500)
            return
        if n == opts.reject:
            self.answer(409)
            return
        headers = {k: v for k, v in self.headers.items()}
        try:
            for v in verifiers:
                v.verify(body, headers)
        except Exception as e:  # any verification failure is recorded, never crashes the sink
            record({"n": n, "bad": str(e)})
            self.answer(401)
            return
        record({
            "n": n,
            "id": self.headers["webhook-id"],
            "timestamp": self.headers["webhook-timestamp"],
            "body": body.decode("utf-8"),
        })
        self.answer(204)

    def answer(self, status):
        self.send_response(status)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *_):
        pass


server = HTTPServer(("127.0.0.1", opts.port), Handler)
print(f"listening {server.server_address[1]}", flush=True)
try:
    server.serve_forever()
except KeyboardInterrupt:
    sys.exit(0)
