#!/usr/bin/env bash
# The venv with PyPI `standardwebhooks` (the Standard Webhooks reference verifier: the webhook
# tests' receivers and examples/webhook-receiver.py check every signature with it): installed
# once by scripts/py-venv.sh, which prints its directory (target/webhook-venv; WEBHOOK_VENV to
# choose another). Exit 3 when PyPI cannot be reached.
#   venv=$(bash scripts/webhook-venv.sh)
PY_VENV_DIR=${WEBHOOK_VENV:-} exec bash "$(dirname "$0")/py-venv.sh" webhook standardwebhooks==1.1.0
