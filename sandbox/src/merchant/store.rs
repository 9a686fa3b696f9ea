//! The demo merchant's order store: embedded SQLite (`rusqlite`, `bundled`), so orders and
//! every applied outcome survive a restart of the sandbox.
//!
//! Exactly-once: a notification or a server call's outcome is applied inside one transaction
//! that first inserts its key — (PG, the PG's transaction id, kind, sequence) — into `applied`.
//! The key is the table's primary key, so a retried notice, a concurrent duplicate or a replay
//! after a restart finds it and changes nothing. Kinds are `notice:<status>` (sequence: the
//! amount the notice reports, so a later split deposit is a new event), `approve`, and the
//! lifecycle calls with the merchant's own cancel sequence number.
//!
//! The file is `HANPAY_SANDBOX_DB` when set (a restart keeps the orders; `make demo` uses
//! `target/sandbox-orders.sqlite`), otherwise a new file in the system temp directory for this
//! store, removed with it (parallel test sandboxes never share orders).

use hanpay::pg::Pg;
use rusqlite::{params, Connection, OptionalExtension};
use std::path::PathBuf;
use std::sync::Mutex;

/// The merchant's own record of an order: the amount it expects is the truth.
#[derive(Clone, Debug)]
pub struct OrderRecord {
    pub pg: Pg,
    pub amount: u64,
    pub method: String,
    pub status: &'static str,
    pub tid: String,
    /// Notifications received (including retries) and deposits actually applied.
    pub notices: u32,
    pub deposits: u32,
    /// Test hook: answer this many notifications wrongly (after applying them), to prove that
    /// retries are not applied twice.
    pub fail_replies: u32,
    /// The PG's own method value from the approval (KISPG `payMethod` for its cancels).
    pub pg_method: String,
    /// Amount cancelled so far, and the number of cancels applied (the next cancel's sequence).
    pub cancelled: u64,
    pub cancels: u32,
}

impl OrderRecord {
    pub fn remaining(&self) -> u64 {
        self.amount.saturating_sub(self.cancelled)
    }
}

/// The environment variable naming the database file.
pub const DB_ENV: &str = "HANPAY_SANDBOX_DB";

pub struct Store {
    db: Mutex<Connection>,
    /// A temp file this process made (no `HANPAY_SANDBOX_DB`): removed when the store goes.
    temp: Option<PathBuf>,
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Some(p) = &self.temp {
            for suffix in ["", "-wal", "-shm"] {
                let mut f = p.clone().into_os_string();
                f.push(suffix);
                let _ = std::fs::remove_file(f);
            }
        }
    }
}

/// What identifies one outcome.
pub struct EventKey<'a> {
    pub pg: Pg,
    pub tid: &'a str,
    pub kind: &'a str,
    pub seq: i64,
}

const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS orders (
    id TEXT PRIMARY KEY,
    pg TEXT NOT NULL,
    amount INTEGER NOT NULL,
    method TEXT NOT NULL,
    status TEXT NOT NULL,
    tid TEXT NOT NULL DEFAULT '',
    pg_method TEXT NOT NULL DEFAULT '',
    notices INTEGER NOT NULL DEFAULT 0,
    deposits INTEGER NOT NULL DEFAULT 0,
    fail_replies INTEGER NOT NULL DEFAULT 0,
    cancelled INTEGER NOT NULL DEFAULT 0,
    cancels INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS orders_tid ON orders (tid);
CREATE TABLE IF NOT EXISTS applied (
    pg TEXT NOT NULL,
    tid TEXT NOT NULL,
    kind TEXT NOT NULL,
    seq INTEGER NOT NULL,
    order_id TEXT NOT NULL,
    at TEXT NOT NULL DEFAULT (datetime('now')),
    PRIMARY KEY (pg, tid, kind, seq)
);
";

/// Order statuses the store holds (`OrderRecord::status` is a `&'static str`).
const STATUSES: &[&str] = &[
    "created",
    "authenticated",
    "returned",
    "paid",
    "pending",
    "partially_deposited",
    "partially_cancelled",
    "cancelled",
    "failed",
];

/// A stored text column this store did not write: refused, never read as some other value
/// (a row of an unknown PG is not an XPay order, an unknown status is not `failed`).
fn unknown_value(column: &str, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("orders.{column}: unknown value {value:?}").into(),
    )
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<OrderRecord> {
    let pg: String = r.get("pg")?;
    let status: String = r.get("status")?;
    Ok(OrderRecord {
        pg: Pg::from_name(&pg).ok_or_else(|| unknown_value("pg", &pg))?,
        amount: r.get::<_, i64>("amount")? as u64,
        method: r.get("method")?,
        status: STATUSES
            .iter()
            .find(|k| **k == status)
            .copied()
            .ok_or_else(|| unknown_value("status", &status))?,
        tid: r.get("tid")?,
        pg_method: r.get("pg_method")?,
        notices: r.get::<_, i64>("notices")? as u32,
        deposits: r.get::<_, i64>("deposits")? as u32,
        fail_replies: r.get::<_, i64>("fail_replies")? as u32,
        cancelled: r.get::<_, i64>("cancelled")? as u64,
        cancels: r.get::<_, i64>("cancels")? as u32,
    })
}

fn load(c: &Connection, id: &str) -> rusqlite::Result<Option<OrderRecord>> {
    c.query_row("SELECT * FROM orders WHERE id = ?1", [id], row)
        .optional()
}

fn save(c: &Connection, id: &str, o: &OrderRecord) -> rusqlite::Result<usize> {
    c.execute(
        "INSERT INTO orders (id, pg, amount, method, status, tid, pg_method, notices, deposits,
             fail_replies, cancelled, cancels)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (id) DO UPDATE SET status = ?5, tid = ?6, pg_method = ?7, notices = ?8,
             deposits = ?9, fail_replies = ?10, cancelled = ?11, cancels = ?12",
        params![
            id,
            o.pg.name(),
            o.amount as i64,
            o.method,
            o.status,
            o.tid,
            o.pg_method,
            o.notices as i64,
            o.deposits as i64,
            o.fail_replies as i64,
            o.cancelled as i64,
            o.cancels as i64,
        ],
    )
}

impl Default for Store {
    fn default() -> Self {
        static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let given = std::env::var_os(DB_ENV).map(PathBuf::from);
        let temp = given.is_none();
        let path = given.unwrap_or_else(|| {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or(0);
            let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            std::env::temp_dir().join(format!(
                "hanpay-sandbox-{}-{nanos}-{n}.sqlite",
                std::process::id()
            ))
        });
        match Store::open(path.clone()) {
            Ok(mut s) => {
                s.temp = temp.then_some(path);
                s
            }
            Err(e) => {
                eprintln!(
                    "order store {}: {e}; keeping orders in memory",
                    path.display()
                );
                let c = Connection::open_in_memory().expect("in-memory SQLite");
                let _ = c.execute_batch(SCHEMA);
                Store {
                    db: Mutex::new(c),
                    temp: None,
                }
            }
        }
    }
}

impl Store {
    pub fn open(path: PathBuf) -> Result<Store, String> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        let c = Connection::open(&path).map_err(|e| e.to_string())?;
        c.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(|e| e.to_string())?;
        c.execute_batch(SCHEMA).map_err(|e| e.to_string())?;
        Ok(Store {
            db: Mutex::new(c),
            temp: None,
        })
    }

    pub fn get(&self, id: &str) -> Option<OrderRecord> {
        let c = self.db.lock().ok()?;
        load(&c, id).ok().flatten()
    }

    /// A new order; an id already stored is refused.
    pub fn insert(&self, id: &str, o: OrderRecord) -> Result<(), String> {
        let c = self.db.lock().map_err(|e| e.to_string())?;
        if load(&c, id).map_err(|e| e.to_string())?.is_some() {
            return Err(format!("order {id} exists"));
        }
        save(&c, id, &o).map(|_| ()).map_err(|e| e.to_string())
    }

    /// Reads, changes and writes one order in one transaction (bookkeeping that is not an
    /// outcome: notice counters, the returned marker).
    pub fn update(&self, id: &str, f: impl FnOnce(&mut OrderRecord)) -> Option<OrderRecord> {
        let mut c = self.db.lock().ok()?;
        let tx = c.transaction().ok()?;
        let mut o = load(&tx, id).ok()??;
        f(&mut o);
        save(&tx, id, &o).ok()?;
        tx.commit().ok()?;
        Some(o)
    }

    /// Applies an outcome once: `f` runs, and its change is written, only if `key` was never
    /// applied before — all in one transaction. Returns whether it was applied now, and the
    /// order as stored afterwards.
    pub fn apply_once(
        &self,
        id: &str,
        key: &EventKey<'_>,
        f: impl FnOnce(&mut OrderRecord),
    ) -> Result<(bool, OrderRecord), String> {
        let e = |e: rusqlite::Error| e.to_string();
        let mut c = self.db.lock().map_err(|e| e.to_string())?;
        let tx = c
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(e)?;
        let mut o = load(&tx, id).map_err(e)?.ok_or("unknown order")?;
        let fresh = tx
            .execute(
                "INSERT OR IGNORE INTO applied (pg, tid, kind, seq, order_id)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![key.pg.name(), key.tid, key.kind, key.seq, id],
            )
            .map_err(e)?
            == 1;
        if fresh {
            f(&mut o);
            save(&tx, id, &o).map_err(e)?;
        }
        tx.commit().map_err(e)?;
        Ok((fresh, o))
    }

    /// How many outcomes were applied to an order, by kind (the order-state endpoint).
    pub fn applied(&self, id: &str) -> Vec<(String, i64)> {
        let Ok(c) = self.db.lock() else {
            return Vec::new();
        };
        let Ok(mut st) =
            c.prepare("SELECT kind, seq FROM applied WHERE order_id = ?1 ORDER BY rowid")
        else {
            return Vec::new();
        };
        st.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .map(|rows| rows.filter_map(Result::ok).collect())
            .unwrap_or_default()
    }

    /// The order a PG transaction id is already stored on (security review finding 1: one TID
    /// pays one order).
    pub fn order_with_tid(&self, tid: &str) -> Option<String> {
        if tid.is_empty() {
            return None;
        }
        let c = self.db.lock().ok()?;
        c.query_row("SELECT id FROM orders WHERE tid = ?1", [tid], |r| r.get(0))
            .optional()
            .ok()
            .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(pg: Pg) -> OrderRecord {
        OrderRecord {
            pg,
            amount: 1004,
            method: "card".into(),
            status: "created",
            tid: String::new(),
            notices: 0,
            deposits: 0,
            fail_replies: 0,
            pg_method: String::new(),
            cancelled: 0,
            cancels: 0,
        }
    }

    /// A row this store did not write (an unknown PG or status) reads as no order, never as an
    /// order of another PG or in another state.
    #[test]
    fn a_row_with_an_unknown_pg_or_status_is_refused() {
        let s = Store::default();
        for pg in Pg::ALL {
            let id = format!("o-{}", pg.name());
            s.insert(&id, order(pg)).expect("insert");
            assert_eq!(s.get(&id).map(|o| o.pg), Some(pg), "{id} round-trips");
        }
        let c = s.db.lock().expect("db");
        c.execute("UPDATE orders SET pg = 'nope' WHERE id = 'o-xpay'", [])
            .expect("update");
        c.execute(
            "UPDATE orders SET status = 'shipped' WHERE id = 'o-kcp'",
            [],
        )
        .expect("update");
        drop(c);
        assert!(
            s.get("o-xpay").is_none(),
            "an unknown PG is not read as any PG"
        );
        assert!(
            s.get("o-kcp").is_none(),
            "an unknown status is not read as failed"
        );
        let key = EventKey {
            pg: Pg::ALL[0],
            tid: "T",
            kind: "paid",
            seq: 0,
        };
        assert!(
            s.apply_once("o-xpay", &key, |_| {}).is_err(),
            "nothing is applied to it"
        );
    }
}
