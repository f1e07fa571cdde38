"""A fake of the AWS sign-in service's token endpoint (`aws login`'s
refresh: POST /v1/token), as strict as its documented rules: a DPoP proof
(RFC 9449) signed with ES256 by the key the cached login holds, for this
method and URL, and the cached refresh token and client id.

Usage: fake_signin.py HOME LOGIN_SESSION PORT_FILE LOG_FILE
Writes the cached login (expiring in a minute, so it is refreshed) under
HOME/.aws/login/cache, then serves until killed."""

import base64, datetime, hashlib, http.server, json, os, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

home, session, port_file, log_file = sys.argv[1:5]
key = ec.generate_private_key(ec.SECP256R1())
pem = key.private_bytes(
    serialization.Encoding.PEM,
    serialization.PrivateFormat.TraditionalOpenSSL,
    serialization.NoEncryption(),
).decode()
CLIENT = "arn:aws:signin:::devtools/same-device"
cache = os.path.join(home, ".aws", "login", "cache")
os.makedirs(cache, exist_ok=True)
exp = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=60)
with open(os.path.join(cache, hashlib.sha256(session.strip().encode()).hexdigest() + ".json"), "w") as f:
    json.dump({
        "accessToken": {
            "accessKeyId": "ASIAOLDLOGINKEY00001",
            "secretAccessKey": "oldLoginSecretKey000000000000000000000001",
            "sessionToken": "oldLoginSessionToken0000001",
            "accountId": "123456789012",
            "expiresAt": exp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        },
        "tokenType": "aws_sigv4",
        "refreshToken": "refresh-1",
        "clientId": CLIENT,
        "dpopKey": pem,
    }, f)


def log(line):
    with open(log_file, "a") as f:
        f.write(line + "\n")


def b64(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def check_dpop(proof, url):
    h, p, s = proof.split(".")
    header, payload = json.loads(b64(h)), json.loads(b64(p))
    if header.get("typ") != "dpop+jwt" or header.get("alg") != "ES256":
        return "bad DPoP header"
    jwk = header.get("jwk", {})
    pub = key.public_key().public_numbers()
    if (int.from_bytes(b64(jwk.get("x", "")), "big"), int.from_bytes(b64(jwk.get("y", "")), "big")) != (pub.x, pub.y):
        return "DPoP key is not the cached login's"
    sig = b64(s)
    if len(sig) != 64:
        return "DPoP signature is not raw ES256"
    der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
    try:
        key.public_key().verify(der, (h + "." + p).encode(), ec.ECDSA(hashes.SHA256()))
    except Exception:
        return "DPoP signature does not verify"
    if payload.get("htm") != "POST" or payload.get("htu") != url or not payload.get("jti"):
        return "DPoP claims do not match the request: %r" % payload
    return None


class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def fail(self, why):
        log("refused: " + why)
        body = json.dumps({"error": "invalid_request", "message": why}).encode()
        self.send_response(400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(n) or b"{}")
        if self.path != "/v1/token":
            return self.fail("path " + self.path)
        proof = self.headers.get("DPoP")
        if not proof:
            return self.fail("no DPoP header")
        url = "http://%s%s" % (self.headers.get("Host"), self.path)
        why = check_dpop(proof, url)
        if why:
            return self.fail(why)
        if body.get("grantType") != "refresh_token" or body.get("refreshToken") != "refresh-1" or body.get("clientId") != CLIENT:
            return self.fail("body %r" % body)
        log("refresh ok")
        out = json.dumps({
            "accessToken": {
                "accessKeyId": "ASIAREFRESHEDLOGIN01",
                "secretAccessKey": "refreshedLoginSecretKey00000000000000001",
                "sessionToken": "refreshedLoginSessionToken001",
            },
            "tokenType": "aws_sigv4",
            "expiresIn": 900,
            "refreshToken": "refresh-2",
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)


srv = http.server.HTTPServer(("127.0.0.1", 0), H)
with open(port_file + ".tmp", "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(port_file + ".tmp", port_file)
srv.serve_forever()
