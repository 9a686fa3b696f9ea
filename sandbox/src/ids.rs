//! Ids the sandbox mints from the clock: the emulators' TIDs and the demo merchant's order ids.

/// `YYMMDDHHMMSS` of now (KST), for TIDs.
pub fn yymmddhhmmss() -> String {
    hanpay::pg::KstTime::now()
        .format()
        .get(2..)
        .unwrap_or("")
        .to_string()
}
