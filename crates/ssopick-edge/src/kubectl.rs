//! kubectl, run for `ssopick kubeconfig`: its own `config` subcommands
//! read and change the kubeconfig (`$KUBECONFIG`, else `~/.kube/config`),
//! so its format and locking stay kubectl's. Arguments go as a vector,
//! never through a shell.

use std::process::{Command, Stdio};

/// Runs `kubectl ARGS`; its stdout, or what went wrong.
pub fn run(args: &[String]) -> Result<String, String> {
    let out = Command::new("kubectl")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run kubectl ({e}); kubeconfig needs kubectl on PATH"))?;
    if !out.status.success() {
        return Err(format!(
            "kubectl {} failed: {}",
            args.first().map_or("", String::as_str),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The kubeconfig as kubectl merges it, as far as `kubeconfig` needs it.
pub struct View {
    /// The cluster entries' names.
    pub clusters: Vec<String>,
    /// Each context's name and its cluster's.
    pub contexts: Vec<(String, String)>,
}

/// `kubectl config view`, read.
pub fn view() -> Result<View, String> {
    let text = run(&["config".into(), "view".into(), "-o".into(), "json".into()])?;
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("kubectl config view: {e}"))?;
    let names = |key: &str| -> Vec<&serde_json::Value> {
        v.get(key)
            .and_then(|a| a.as_array())
            .map(|a| a.iter().collect())
            .unwrap_or_default()
    };
    let clusters = names("clusters")
        .iter()
        .filter_map(|c| c.get("name")?.as_str().map(str::to_string))
        .collect();
    let contexts = names("contexts")
        .iter()
        .filter_map(|c| {
            Some((
                c.get("name")?.as_str()?.to_string(),
                c.get("context")?.get("cluster")?.as_str()?.to_string(),
            ))
        })
        .collect();
    Ok(View { clusters, contexts })
}
