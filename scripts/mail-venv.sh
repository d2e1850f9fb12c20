#!/usr/bin/env bash
# The venv with PyPI `aiosmtpd` (the local SMTP server of the double opt-in tests and of the
# demo's mail sink, scripts/mail-sink.py): installed once by scripts/py-venv.sh, which prints its
# directory (target/mail-venv; MAIL_VENV to choose another). Exit 3 when PyPI cannot be reached.
#   venv=$(bash scripts/mail-venv.sh)
PY_VENV_DIR=${MAIL_VENV:-} exec bash "$(dirname "$0")/py-venv.sh" mail aiosmtpd==1.4.6
