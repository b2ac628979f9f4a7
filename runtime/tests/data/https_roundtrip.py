# An https request with urllib to a TLS server this program starts on the loopback address,
# with the self-signed certificate next to it (test data only: tls_cert.pem, tls_key.pem).
import http.server, os, ssl, sys, threading, urllib.request
data = sys.argv[1]
cert, key = os.path.join(data, "tls_cert.pem"), os.path.join(data, "tls_key.pem")

class Hello(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"hello over TLS, path {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass

server = http.server.HTTPServer(("127.0.0.1", 0), Hello)
sctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
sctx.load_cert_chain(cert, key)
server.socket = sctx.wrap_socket(server.socket, server_side=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
port = server.server_address[1]

cctx = ssl.create_default_context(cafile=cert)
with urllib.request.urlopen(f"https://127.0.0.1:{port}/greeting", context=cctx, timeout=20) as r:
    print(r.status, r.read().decode())
# Without the certificate as trust anchor, verification fails.
try:
    urllib.request.urlopen(f"https://127.0.0.1:{port}/", context=ssl.create_default_context(), timeout=20)
except urllib.error.URLError as e:
    print("unverified:", type(e.reason).__name__)
server.shutdown()
