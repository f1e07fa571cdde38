//! Kubernetes: `eks-token` prints the AWS CLI's ExecCredential, its token
//! a presigned STS URL that botocore's `SigV4QueryAuth` signs alike (same
//! key, region, time and `x-k8s-aws-id`; moto does not check signatures);
//! `kubeconfig` writes a kubectl user through kubectl itself, and kubectl
//! then runs `ssopick eks-token` and sends its token to the cluster.

use crate::common::*;
use ssopick::fake::{FakeOptions, FakeOrg, FakePortal};
use std::process::Command;

/// Re-signs the token's URL with botocore; prints host, X-Amz-Expires,
/// X-Amz-SignedHeaders and whether the signatures are equal.
const RESIGN: &str = r#"
import sys, base64, datetime, urllib.parse
import botocore.auth as A
from botocore.credentials import Credentials
from botocore.awsrequest import AWSRequest
tok, ak, sk, st, region, cluster = sys.argv[1:7]
b = tok[len("k8s-aws-v1."):]
url = base64.urlsafe_b64decode(b + "=" * (-len(b) % 4)).decode()
u = urllib.parse.urlsplit(url)
q = dict(urllib.parse.parse_qsl(u.query))
when = datetime.datetime.strptime(q["X-Amz-Date"], "%Y%m%dT%H%M%SZ")
A.get_current_datetime = lambda *a, **k: when
req = AWSRequest(method="GET", url="https://%s/?Action=GetCallerIdentity&Version=2011-06-15" % u.netloc, headers={"x-k8s-aws-id": cluster})
A.SigV4QueryAuth(Credentials(ak, sk, st), "sts", region, expires=60).add_auth(req)
mine = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(req.url).query))
print(u.netloc, q["X-Amz-Expires"], q["X-Amz-SignedHeaders"], q["X-Amz-Signature"] == mine["X-Amz-Signature"], q["Action"], "=" in b)
"#;

fn role(portal: &FakePortal) -> Vec<String> {
    let mut a = vec!["--session".to_string(), "corp".into()];
    a.extend(pick_args(&portal.org().accounts[1]));
    a
}

#[tokio::test(flavor = "multi_thread")]
async fn eks_tokens_are_signed_as_botocore_signs_them_and_come_from_the_cache() {
    if !crate::endpoint::botocore() {
        return;
    }
    let (portal, home) = logged_in_to(FakeOrg::generated(4, 3), FakeOptions::default()).await;
    let cmd = || {
        let mut c = home.cmd(Some(portal.url()));
        c.args(["eks-token", "--cluster", "prod", "--region", "eu-west-1"])
            .args(role(&portal));
        c
    };
    let o = run(&mut cmd()).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["kind"], "ExecCredential");
    assert_eq!(doc["apiVersion"], "client.authentication.k8s.io/v1beta1");
    assert_eq!(doc["spec"], serde_json::json!({}));
    let exp =
        ssopick::core::time::UtcTime::parse(doc["status"]["expirationTimestamp"].as_str().unwrap())
            .unwrap();
    let left = now().secs_until(exp);
    assert!((13 * 60..=14 * 60).contains(&left), "{left}");
    let token = doc["status"]["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("k8s-aws-v1."), "{token}");
    let c = portal.last_issued().unwrap();
    let check = Command::new("python3")
        .args([
            "-c",
            RESIGN,
            &token,
            &c.access_key_id,
            &c.secret_access_key,
            &c.session_token,
        ])
        .args(["eu-west-1", "prod"])
        .output()
        .unwrap();
    assert_eq!(
        stdout(&check).trim(),
        "sts.eu-west-1.amazonaws.com 60 host;x-k8s-aws-id True GetCallerIdentity False",
        "{}",
        stderr(&check)
    );
    // Warm: the role's credentials come from the cache; v1 when asked.
    let calls = portal.stats().get_credentials;
    let o = run(cmd().env(
        "KUBERNETES_EXEC_INFO",
        r#"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}"#,
    ))
    .await;
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc["apiVersion"], "client.authentication.k8s.io/v1");
    assert_eq!(portal.stats().get_credentials, calls);
    // A name that is no cluster's is refused; an ended session is exit 3.
    // (warm: the credentials are cached, and still the name is checked)
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["eks-token", "--cluster", "a b", "--region", "eu-west-1"])
        .args(role(&portal)))
    .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    std::fs::remove_dir_all(home.cache().join("credentials")).unwrap();
    home.write_token("corp", portal.token(), -60);
    let o = run(&mut cmd()).await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("ssopick login --session corp"),
        "{}",
        stderr(&o)
    );
}

/// A cluster's API server stand-in over HTTPS (kubectl sends exec
/// credentials only over TLS): answers `ok`, writes each request's
/// Authorization header to `log`. Its port, and the child.
const API_SERVER: &str = r#"
import ssl, sys, http.server
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(sys.argv[3], "a") as f:
            f.write((self.headers.get("Authorization") or "-") + "\n")
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(sys.argv[1], sys.argv[2])
s.socket = ctx.wrap_socket(s.socket, server_side=True)
print(s.server_address[1], flush=True)
s.serve_forever()
"#;

fn api_server(dir: &std::path::Path) -> (u16, std::process::Child) {
    use std::io::BufRead;
    let key = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_string()]).unwrap();
    std::fs::write(dir.join("api.pem"), key.cert.pem()).unwrap();
    std::fs::write(dir.join("api.key"), key.key_pair.serialize_pem()).unwrap();
    let mut child = Command::new("python3")
        .args(["-c", API_SERVER])
        .arg(dir.join("api.pem"))
        .arg(dir.join("api.key"))
        .arg(dir.join("api.log"))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (line.trim().parse().unwrap(), child)
}

#[tokio::test(flavor = "multi_thread")]
async fn kubeconfig_writes_a_user_kubectl_runs() {
    if Command::new("kubectl")
        .arg("version")
        .arg("--client")
        .output()
        .is_err()
    {
        return skip_or_fail("kubectl");
    }
    let (portal, home) = logged_in_to(FakeOrg::generated(4, 3), FakeOptions::default()).await;
    let (port, mut server) = api_server(home.path());
    let kubeconfig = home.path().join("kubeconfig");
    // The cluster's ARN names its region (eu-central-1): the token is for
    // that region's STS. A context named `--current` is a name, not a flag.
    let arn = "arn:aws:eks:eu-central-1:111111111111:cluster/prod";
    std::fs::write(
        &kubeconfig,
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: {arn}\n  cluster:\n    server: https://127.0.0.1:{port}\n    insecure-skip-tls-verify: true\n\
             contexts:\n- name: prod-ctx\n  context:\n    cluster: {arn}\n    user: old-user\n\
             - name: --current\n  context:\n    cluster: {arn}\n    user: old-user\n\
             - name: staging-ctx\n  context:\n    cluster: staging\n    user: old-user\n\
             current-context: staging-ctx\nusers:\n- name: old-user\n  user:\n    token: old\n"
        ),
    )
    .unwrap();
    let ssopick = |args: &[&str]| {
        let mut c = home.cmd(Some(portal.url()));
        c.env("KUBECONFIG", &kubeconfig)
            .args(args)
            .args(role(&portal));
        c
    };
    let o = run(&mut ssopick(&[
        "kubeconfig",
        "--cluster",
        "other",
        "--region",
        "eu-west-1",
    ]))
    .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("aws eks update-kubeconfig --name other --region eu-west-1"),
        "{}",
        stderr(&o)
    );
    let o = run(&mut ssopick(&[
        "kubeconfig",
        "--cluster",
        "prod",
        "--region",
        "eu-west-1",
    ]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let view = Command::new("kubectl")
        .args(["config", "view", "-o", "json"])
        .env("KUBECONFIG", &kubeconfig)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&stdout(&view)).unwrap();
    let ctx_user = |name: &str| {
        v["contexts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap()["context"]["user"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let user = ctx_user("prod-ctx");
    assert_eq!(ctx_user("--current"), user, "{v}");
    assert_eq!(
        ctx_user("staging-ctx"),
        "old-user",
        "another cluster's context untouched: {v}"
    );
    let user = user.as_str();
    assert!(user.starts_with("ssopick-prod-"), "{v}");
    let exec = &v["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == user)
        .unwrap()["user"]["exec"];
    assert_eq!(exec["command"], env!("CARGO_BIN_EXE_ssopick"));
    assert_eq!(exec["args"][0], "eks-token");
    // kubectl runs it and sends the token to the cluster.
    let mut k = home.cmd_of(std::ffi::OsStr::new("kubectl"), Some(portal.url()));
    let o = run(k.env("KUBECONFIG", &kubeconfig).args([
        "--context",
        "prod-ctx",
        "get",
        "--raw",
        "/healthz",
    ]))
    .await;
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(stdout(&o).trim(), "ok", "{}", stderr(&o));
    let auth = std::fs::read_to_string(home.path().join("api.log")).unwrap_or_default();
    assert!(
        auth.lines().any(|a| a.starts_with("Bearer k8s-aws-v1.")),
        "the cluster saw: {auth:?}"
    );
}
