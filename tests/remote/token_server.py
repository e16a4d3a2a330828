#!/usr/bin/env python3
"""A tiny Docker-registry token server for tests (stdlib only: http.server + ssl).

GET /token (any query: service=, scope=, ... are logged but not checked):
  * Authorization: Basic with the right user:password  -> 200 {"<field>": "<random>"}
  * Authorization: Basic with anything else           -> 401
  * Authorization of another scheme (Bearer, ...)     -> 401
  * no Authorization                                  -> 200 token, or 401 with --require-auth
Any other path -> 404.  The token is random and never checked by anyone: the registry it serves
uses distribution's "silly" auth, which admits any request carrying an Authorization header.

--field chooses the JSON field of the token: token (default), access_token, or both.
Each request is logged as one JSON line to --log:
  {"time": ..., "method": "GET", "path": "/token?scope=...", "authorization": true,
   "auth_scheme": "basic", "status": 200}
The listening port is written to --port-file once the socket is bound (use --port 0 to let the
kernel choose, then read the file).  Listens on 127.0.0.1 only.
"""
import argparse
import base64
import binascii
import json
import os
import secrets
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file", required=True)
    p.add_argument("--cert", help="PEM server certificate (omit both --cert and --key for plain http)")
    p.add_argument("--key", help="PEM private key")
    p.add_argument("--log", required=True, help="JSON-lines request log")
    p.add_argument("--user", default="tester")
    p.add_argument("--password", default="s3cret")
    p.add_argument("--field", choices=("token", "access_token", "both"), default="token")
    p.add_argument("--require-auth", action="store_true",
                   help="answer 401 to a request without Authorization")
    p.add_argument("--expires-in", type=int, default=0,
                   help="add expires_in (seconds) and issued_at to the answer when > 0")
    return p.parse_args()


def make_handler(args):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "pd-token-server/1"

        def log_message(self, fmt, *a):  # the JSON log replaces stderr chatter
            pass

        def _log(self, status, scheme):
            rec = {
                "time": time.time(),
                "method": self.command,
                "path": self.path,
                "authorization": self.headers.get("Authorization") is not None,
                "auth_scheme": scheme,
                "status": status,
            }
            with LOCK, open(args.log, "a", encoding="utf-8") as f:
                f.write(json.dumps(rec) + "\n")

        def _send(self, status, body, extra=None):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _check(self):
            """-> (ok, scheme) for the request's Authorization header."""
            auth = self.headers.get("Authorization")
            if auth is None:
                return (not args.require_auth), None
            scheme, _, rest = auth.partition(" ")
            scheme = scheme.lower()
            if scheme != "basic":
                return False, scheme
            try:
                user, _, pw = base64.b64decode(rest.strip(), validate=True).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                return False, scheme
            ok = secrets.compare_digest(user, args.user) and secrets.compare_digest(pw, args.password)
            return ok, scheme

        def do_GET(self):
            path = self.path.split("?", 1)[0]
            ok, scheme = self._check()
            if path != "/token":
                self._log(404, scheme)
                self._send(404, {"errors": [{"code": "NOT_FOUND", "message": "no such path"}]})
                return
            if not ok:
                self._log(401, scheme)
                self._send(401, {"errors": [{"code": "UNAUTHORIZED",
                                             "message": "authentication required"}]},
                           {"WWW-Authenticate": 'Basic realm="pd-token-server"'})
                return
            tok = secrets.token_urlsafe(24)
            body = {}
            if args.field in ("token", "both"):
                body["token"] = tok
            if args.field in ("access_token", "both"):
                body["access_token"] = tok
            if args.expires_in > 0:
                body["expires_in"] = args.expires_in
                body["issued_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            self._log(200, scheme)
            self._send(200, body)

        do_HEAD = do_GET

        def do_POST(self):  # OAuth2 POST flow is not offered: clients must fall back to GET
            n = int(self.headers.get("Content-Length") or 0)
            if n:
                self.rfile.read(n)
            self._log(404, None)
            self._send(404, {"errors": [{"code": "UNSUPPORTED", "message": "use GET"}]})

    return Handler


def main():
    args = parse_args()
    ctx = None
    if args.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.cert, args.key)

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def finish_request(self, request, client_address):
            # TLS handshake in the request's own thread, so a stuck client blocks nobody else.
            if ctx is None:
                super().finish_request(request, client_address)
                return
            request.settimeout(30)
            try:
                tls = ctx.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return
            try:
                super().finish_request(tls, client_address)
            finally:
                tls.close()

    srv = Server(("127.0.0.1", args.port), make_handler(args))
    tmp = args.port_file + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("%d\n" % srv.server_address[1])
    os.replace(tmp, args.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
