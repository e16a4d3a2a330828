#!/usr/bin/env python3
"""An ECR-like front for a plain-http registry, with an S3-like blob store behind redirects.

Two servers in one process, both plain http on 127.0.0.1:

front (--port): every /v2/... request needs Authorization: Basic USER:PASSWORD (default
  tester:s3cret); without it (or with other credentials or another scheme) the answer is 401 with
  `WWW-Authenticate: Basic realm="front"` (as ECR does).  Authorized requests are proxied to the
  upstream registry (--upstream HOST:PORT, plain http) with the Authorization header passed
  through, repeated headers (several Accept lines, as containers/image sends them) kept as
  separate lines, and the Host header kept (so the registry's Location headers name the front),
  EXCEPT `GET /v2/<repo>/blobs/<digest>`, which is answered with
  `307 Location: http://127.0.0.1:<s3>/pd-bucket/<repo>/blobs/<digest>?X-Amz-Algorithm=...
  &X-Amz-Credential=...&X-Amz-Date=...&X-Amz-Expires=900&X-Amz-SignedHeaders=host
  &X-Amz-Signature=<hmac>` (a presigned-style URL).  HEAD of a blob is proxied, not redirected.

s3 (--s3-port): GET/HEAD of such a URL
  * with ANY Authorization header -> 400, S3's XML error "InvalidArgument: Only one auth
    mechanism allowed; ..." (what S3 says when a client forwards its registry credentials along
    the redirect);
  * with a missing/altered signature query -> 403 SignatureDoesNotMatch / AccessDenied;
  * else the blob bytes, fetched from the upstream registry (Range is passed through).

Each request is logged as one JSON line to --log:
  {"time":..., "server": "front"|"s3", "method": "GET", "path": "/v2/...", "authorization": true,
   "status": 307, "location": "http://..."}   (location only on redirects)
The two ports are written to --port-file as "FRONT_PORT S3_PORT" once both sockets are bound.
"""
import argparse
import base64
import binascii
import hashlib
import hmac
import http.client
import json
import os
import re
import secrets
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
BLOB_RE = re.compile(r"^/v2/(?P<repo>.+)/blobs/(?P<digest>[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+)$")
S3_RE = re.compile(r"^/pd-bucket/(?P<repo>.+)/blobs/(?P<digest>[^/]+)$")
HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
       "transfer-encoding", "upgrade", "host", "content-length"}
SECRET = secrets.token_bytes(32)
ACCESS_KEY = "AKIAPDTESTEXAMPLE"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--upstream", required=True, help="HOST:PORT of a plain-http registry")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--s3-port", type=int, default=0)
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--user", default="tester")
    p.add_argument("--password", default="s3cret")
    p.add_argument("--realm", default="front")
    return p.parse_args()


def sign(repo, digest, date):
    return hmac.new(SECRET, ("%s|%s|%s" % (repo, digest, date)).encode(), hashlib.sha256).hexdigest()


def read_body(handler):
    """The request body, de-chunked if needed (b"" when there is none)."""
    te = (handler.headers.get("Transfer-Encoding") or "").lower()
    if "chunked" in te:
        out = bytearray()
        while True:
            line = handler.rfile.readline(65537)
            size = int(line.split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while handler.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                    pass
                return bytes(out)
            out += handler.rfile.read(size)
            handler.rfile.readline(65537)
    n = int(handler.headers.get("Content-Length") or 0)
    return handler.rfile.read(n) if n else b""


class Base(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "pd-redirect-front/1"
    role = "?"
    args = None

    def log_message(self, fmt, *a):
        pass

    def _log(self, status, **extra):
        rec = {"time": time.time(), "server": self.role, "method": self.command, "path": self.path,
               "authorization": self.headers.get("Authorization") is not None, "status": status}
        rec.update(extra)
        with LOCK, open(self.args.log, "a", encoding="utf-8") as f:
            f.write(json.dumps(rec) + "\n")

    def _reply(self, status, body=b"", headers=None, ctype="application/json"):
        self.send_response(status)
        if body or status not in (204, 304):
            self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD" and body:
            self.wfile.write(body)

    def _upstream(self, method, path, headers, body=b""):
        """headers: a list of (name, value); repeated names (several Accept lines, as
        containers/image sends them) are passed on as separate lines."""
        conn = http.client.HTTPConnection(self.args.upstream, timeout=120)
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for k, v in headers:
                conn.putheader(k, v)
            if body or method in ("PUT", "POST", "PATCH"):
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body or None)
            resp = conn.getresponse()
            data = resp.read() if method != "HEAD" else b""
            return resp.status, resp.getheaders(), data
        finally:
            conn.close()


class Front(Base):
    role = "front"

    def _authorized(self):
        auth = self.headers.get("Authorization")
        if not auth:
            return False
        scheme, _, rest = auth.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user, _, pw = base64.b64decode(rest.strip(), validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return (hmac.compare_digest(user, self.args.user)
                and hmac.compare_digest(pw, self.args.password))

    def _handle(self):
        body = read_body(self)
        path = self.path.split("?", 1)[0]
        if not path.startswith("/v2"):
            self._log(404)
            self._reply(404, b'{"errors":[{"code":"NOT_FOUND","message":"not a registry path"}]}')
            return
        if not self._authorized():
            self._log(401)
            self._reply(401, b'{"errors":[{"code":"DENIED","message":"Not Authorized"}]}',
                        {"WWW-Authenticate": 'Basic realm="%s"' % self.args.realm,
                         "Docker-Distribution-Api-Version": "registry/2.0"})
            return
        m = BLOB_RE.match(path)
        if self.command == "GET" and m:
            date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
            repo, digest = m.group("repo"), m.group("digest")
            q = urllib.parse.urlencode([
                ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
                ("X-Amz-Credential", "%s/%s/us-east-1/s3/aws4_request" % (ACCESS_KEY, date[:8])),
                ("X-Amz-Date", date),
                ("X-Amz-Expires", "900"),
                ("X-Amz-SignedHeaders", "host"),
                ("X-Amz-Signature", sign(repo, digest, date)),
            ])
            loc = "http://127.0.0.1:%d/pd-bucket/%s/blobs/%s?%s" % (
                self.server.s3_port, repo, digest, q)
            self._log(307, location=loc)
            self._reply(307, b"", {"Location": loc,
                                   "Docker-Distribution-Api-Version": "registry/2.0"})
            return
        host = self.headers.get("Host") or "127.0.0.1:%d" % self.server.server_address[1]
        headers = [("Host", host)] + [(k, v) for k, v in self.headers.items()
                                      if k.lower() not in HOP]
        try:
            status, rheaders, data = self._upstream(self.command, self.path, headers, body)
        except OSError as e:
            self._log(502, error=str(e))
            self._reply(502, json.dumps({"errors": [{"code": "UPSTREAM", "message": str(e)}]}).encode())
            return
        out = []
        clen = None
        for k, v in rheaders:
            lk = k.lower()
            if lk == "content-length":
                clen = v
            if lk in HOP:
                continue
            if lk == "location" and v.startswith("http://%s/" % self.args.upstream):
                v = "http://%s/%s" % (host, v.split("/", 3)[3])
            out.append((k, v))
        self._log(status)
        self.send_response(status)
        for k, v in out:
            self.send_header(k, v)
        if self.command == "HEAD":
            self.send_header("Content-Length", clen if clen is not None else "0")
        else:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD" and data:
            self.wfile.write(data)

    do_GET = do_HEAD = do_PUT = do_POST = do_PATCH = do_DELETE = _handle


def s3_error(code, message, extra=""):
    rid = secrets.token_hex(8).upper()
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>%s</Code><Message>%s</Message>'
            '%s<RequestId>%s</RequestId><HostId>%s</HostId></Error>'
            % (code, message, extra, rid, base64.b64encode(secrets.token_bytes(24)).decode())).encode()


class S3(Base):
    role = "s3"

    def _handle(self):
        read_body(self)
        path, _, query = self.path.partition("?")
        auth = self.headers.get("Authorization")
        if auth is not None:
            self._log(400)
            esc = auth.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            self._reply(400, s3_error(
                "InvalidArgument",
                "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, "
                "Signature query string parameter or the Authorization header should be specified",
                "<ArgumentName>Authorization</ArgumentName><ArgumentValue>%s</ArgumentValue>" % esc),
                ctype="application/xml")
            return
        m = S3_RE.match(path)
        q = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
        if self.command not in ("GET", "HEAD") or not m:
            self._log(403)
            self._reply(403, s3_error("AccessDenied", "Access Denied"), ctype="application/xml")
            return
        want = sign(m.group("repo"), m.group("digest"), q.get("X-Amz-Date", ""))
        if "X-Amz-Signature" not in q or not hmac.compare_digest(q["X-Amz-Signature"], want):
            self._log(403)
            self._reply(403, s3_error(
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. "
                "Check your key and signing method."), ctype="application/xml")
            return
        headers = [("Host", self.args.upstream)]
        if self.headers.get("Range"):
            headers.append(("Range", self.headers["Range"]))
        try:
            status, rheaders, data = self._upstream(
                "GET", "/v2/%s/blobs/%s" % (m.group("repo"), m.group("digest")), headers)
        except OSError as e:
            self._log(500, error=str(e))
            self._reply(500, s3_error("InternalError", str(e)), ctype="application/xml")
            return
        if status not in (200, 206):
            self._log(404, upstream_status=status)
            self._reply(404, s3_error("NoSuchKey", "The specified key does not exist."),
                        ctype="application/xml")
            return
        extra = {"ETag": '"%s"' % hashlib.md5(data).hexdigest() if status == 200 else '"partial"',
                 "Accept-Ranges": "bytes", "x-amz-request-id": secrets.token_hex(8).upper()}
        for k, v in rheaders:
            if k.lower() == "content-range":
                extra["Content-Range"] = v
        self._log(status, bytes=len(data))
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        for k, v in extra.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_HEAD = do_PUT = do_POST = do_PATCH = do_DELETE = _handle


class Server(ThreadingHTTPServer):
    daemon_threads = True
    s3_port = 0


def main():
    args = parse_args()
    Front.args = S3.args = args
    s3 = Server(("127.0.0.1", args.s3_port), S3)
    front = Server(("127.0.0.1", args.port), Front)
    front.s3_port = s3.server_address[1]
    tmp = args.port_file + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("%d %d\n" % (front.server_address[1], s3.server_address[1]))
    os.replace(tmp, args.port_file)
    threading.Thread(target=s3.serve_forever, daemon=True).start()
    try:
        front.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
