"""A local mail sink: an SMTP server (PyPI aiosmtpd) on 127.0.0.1 that accepts every message
and writes it, exactly as received, to DIR/0001.eml, DIR/0002.eml, ... (open them with any mail
program, or read them as text). It prints one line per message, with the confirmation link
found in it, so the demo's double opt-in can be followed from the terminal. Beside each .eml a
.json holds what Python's email parser reads from it (envelope recipients, decoded headers, each
part's type and decoded text): what tests/server_optin.rs checks.

    target/mail-venv/bin/python scripts/mail-sink.py --port 2525 --dir demo-mail

With --port 0 it picks a free port; the first line on stdout says which:
    mail-sink: listening on 127.0.0.1:PORT, writing to DIR
"""

import argparse
import asyncio
import email
import email.policy
import json
import os
import re
import signal
import sys

from aiosmtpd.smtp import SMTP

LINK = re.compile(r"https?://\S+/v1/confirm\?\S+")


class Sink:
    """aiosmtpd handler: every DATA becomes the next numbered .eml file (written, then renamed,
    so a reader never sees half a message)."""

    def __init__(self, directory):
        self.directory = directory
        self.count = len([n for n in os.listdir(directory) if n.endswith(".eml")])

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        self.count += 1
        final = os.path.join(self.directory, f"{self.count:04d}.eml")
        tmp = os.path.join(self.directory, f".{self.count:04d}.eml.tmp")
        with open(tmp, "wb") as f:
            f.write(data)
        os.rename(tmp, final)
        message = email.message_from_bytes(data, policy=email.policy.default)
        parsed = {
            "rcpt_to": envelope.rcpt_tos,
            "mail_from": envelope.mail_from,
            "headers": {k: str(v) for k, v in message.items()},
            "content_type": message.get_content_type(),
            "parts": [
                {"type": p.get_content_type(), "text": p.get_content()}
                for p in message.walk()
                if not p.is_multipart()
            ],
        }
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(parsed, f, ensure_ascii=False)
        os.rename(tmp, final[: -len(".eml")] + ".json")
        to = ", ".join(envelope.rcpt_tos)
        print(f"mail-sink: to {to}: {message['subject']} -> {final}", flush=True)
        text = message.get_body(preferencelist=("plain",))
        found = LINK.search(text.get_content()) if text is not None else None
        if found:
            print(f"mail-sink:   confirm at {found.group(0)}", flush=True)
        return "250 Message accepted for delivery"


async def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=2525)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    sink = Sink(args.dir)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(sink, hostname="mail-sink", enable_SMTPUTF8=True),
        host=args.host,
        port=args.port,
    )
    port = server.sockets[0].getsockname()[1]
    print(f"mail-sink: listening on {args.host}:{port}, writing to {args.dir}", flush=True)
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.close()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except OSError as e:
        print(f"mail-sink: {e}", file=sys.stderr)
        sys.exit(1)
