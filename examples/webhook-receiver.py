"""A worked recipe: signup-guard's signed webhooks turned into a mailing tool's calls.

Verifies each delivery with the Standard Webhooks library (PyPI `standardwebhooks`), skips a
`webhook-id` it has already handled (deliveries are at-least-once), and turns the events into
the calls a mailing tool's API offers, printed here as one line each (replace `call` with your
tool's client: Brevo, Mailchimp, SendGrid...):

    consent.granted    -> add_contact    (email, and the list named after the purpose)
    consent.withdrawn  -> unsubscribe    (email, from that list)
    contact.erased     -> delete_contact (the event names the contact only by its opaque id,
                                          so the receiver keeps id -> email from earlier events)

Run it (the secret is the one signup-guard signs with):

    python3 -m venv venv && venv/bin/pip install standardwebhooks
    WEBHOOK_SECRET=whsec_... venv/bin/python examples/webhook-receiver.py --port 9000
    signup-guard serve --webhook http://127.0.0.1:9000/ --webhook-secret-file secret.txt

`--show-events` also prints every verified event as `webhook TYPE {data}` (scripts/demo.sh).
"""

import argparse
import json
import os
from http.server import BaseHTTPRequestHandler, HTTPServer

from standardwebhooks import Webhook

args = argparse.ArgumentParser()
args.add_argument("--port", type=int, default=9000)
args.add_argument("--show-events", action="store_true",
                  help="also print every verified event (the demo's terminal shows them)")
opts = args.parse_args()
hook = Webhook(os.environ["WEBHOOK_SECRET"])
seen = set()  # webhook-ids handled (keep it in your database in production)
emails = {}  # the opaque contact id -> email, to act on erasure


def call(action, **fields):
    """Your mailing tool's API call; printed here."""
    print(action, json.dumps(fields, sort_keys=True), flush=True)


def handle(event):
    kind, data = event["type"], event["data"]
    if kind == "contact.erased":
        email = emails.pop(data["contact"], None)
        if email:
            call("delete_contact", email=email)
        return
    if data.get("email"):
        emails[data["contact"]] = data["email"]
    if kind == "consent.granted" and data.get("email"):
        call("add_contact", email=data["email"], list=data["purpose"])
    elif kind == "consent.withdrawn" and data.get("email"):
        call("unsubscribe", email=data["email"], list=data["purpose"])


class Receiver(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        try:
            event = hook.verify(body, dict(self.headers.items()))
        except Exception:
            return self.answer(401)  # not signed by signup-guard: ignore it
        msg_id = self.headers["webhook-id"]
        if opts.show_events:
            print("webhook", event["type"], json.dumps(event["data"], sort_keys=True), flush=True)
        if msg_id not in seen:
            handle(event)
            seen.add(msg_id)
        self.answer(204)  # any 2xx: delivered; anything else is retried

    def answer(self, status):
        self.send_response(status)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *_):
        pass


server = HTTPServer(("127.0.0.1", opts.port), Receiver)
print(f"listening {server.server_address[1]}", flush=True)
server.serve_forever()
