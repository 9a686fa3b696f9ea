//! The hanpay sandbox: a real HTTP server on 127.0.0.1 that serves the demo pages (`www/`),
//! the wasm package (`pkg/`) and stands in for the PGs so that demos and tests need no network.

use std::net::SocketAddr;
use std::path::PathBuf;

#[tokio::main]
async fn main() {
    let port: u16 = match std::env::var("PORT") {
        Ok(p) => match p.parse() {
            Ok(n) => n,
            Err(_) => {
                eprintln!("PORT must be a number from 0 to 65535, got {p:?}");
                std::process::exit(2);
            }
        },
        Err(_) => 8080,
    };
    let root = std::env::var_os("HANPAY_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/..")));
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on {addr}: {e}");
            std::process::exit(1);
        }
    };
    // PORT=0 lets the OS choose: the router must know the port it really got (origin.rs).
    let local = listener.local_addr().unwrap_or(addr);
    let app = hanpay_sandbox::app(&root, local.port());
    println!("hanpay sandbox listening on http://{local}");
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    // The peer address reaches handlers (merchant notification endpoints check it).
    if let Err(e) = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    {
        eprintln!("server error: {e}");
        std::process::exit(1);
    }
}
