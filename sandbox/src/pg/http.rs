//! A minimal HTTP/1.1 client for the sandbox's server-to-server calls (PG → merchant
//! notifications, merchant → PG approval APIs). The sandbox only ever calls itself on
//! 127.0.0.1, so plain `http://host:port/path` URLs are all it supports.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{timeout, Duration};

/// A response: status code and body text (lossy UTF-8), plus the raw body bytes for PGs
/// that answer in EUC-KR (KSNET's `recv_post.jsp`).
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub bytes: Vec<u8>,
}

/// POSTs `body` with `content_type` to an `http://` URL and reads the whole response.
pub async fn post(url: &str, content_type: &str, body: &str) -> Result<Reply, String> {
    post_from(None, url, content_type, body).await
}

/// [`post`] from the local address `local` (the sandbox's notifiers, see `notify::NOTIFIER_IP`).
pub async fn post_from(
    local: Option<std::net::IpAddr>,
    url: &str,
    content_type: &str,
    body: &str,
) -> Result<Reply, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("not an http:// URL: {url}"))?;
    let (host, path) = match rest.find('/') {
        Some(i) => (rest.get(..i).unwrap_or(""), rest.get(i..).unwrap_or("/")),
        None => (rest, "/"),
    };
    if !(host.starts_with("127.0.0.1:") || host.starts_with("localhost:")) {
        return Err(format!(
            "the sandbox only calls loopback addresses, not {host}"
        ));
    }
    let io = async {
        let mut stream = match local {
            None => TcpStream::connect(host).await.map_err(|e| e.to_string())?,
            Some(ip) => {
                let target = tokio::net::lookup_host(host)
                    .await
                    .map_err(|e| e.to_string())?
                    .find(|a| a.is_ipv4())
                    .ok_or_else(|| format!("no IPv4 address for {host}"))?;
                let socket = tokio::net::TcpSocket::new_v4().map_err(|e| e.to_string())?;
                socket
                    .bind(std::net::SocketAddr::new(ip, 0))
                    .map_err(|e| e.to_string())?;
                socket.connect(target).await.map_err(|e| e.to_string())?
            }
        };
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        stream
            .write_all(head.as_bytes())
            .await
            .map_err(|e| e.to_string())?;
        stream
            .write_all(body.as_bytes())
            .await
            .map_err(|e| e.to_string())?;
        let mut raw = Vec::new();
        stream
            .read_to_end(&mut raw)
            .await
            .map_err(|e| e.to_string())?;
        Ok::<Vec<u8>, String>(raw)
    };
    let raw = timeout(Duration::from_secs(10), io)
        .await
        .map_err(|_| "timed out".to_string())??;
    let bytes = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .and_then(|i| raw.get(i + 4..))
        .unwrap_or(&[])
        .to_vec();
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| "malformed HTTP response".to_string())?;
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    Ok(Reply {
        status,
        bytes,
        body: if chunked {
            dechunk(body)
        } else {
            body.to_string()
        },
    })
}

/// Joins the chunks of a chunked body (lengths in hex, each line ended by CRLF).
fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 {
            break;
        }
        out.push_str(rest.get(..n).unwrap_or(rest));
        s = rest.get(n..).unwrap_or("").trim_start_matches("\r\n");
    }
    out
}

/// Form-encodes pairs (UTF-8).
pub fn form(pairs: &[(String, String)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// POSTs form pairs.
pub async fn post_form(url: &str, pairs: &[(String, String)]) -> Result<Reply, String> {
    post(url, "application/x-www-form-urlencoded", &form(pairs)).await
}
