//! Every `kind` the client's errors report is a row of the error registry
//! (`hanpay::error::REGISTRY`, docs/errors.md) at the `kind` level.

use hanpay::error::{lookup, Level};
use hanpay::pg::call::Call;
use hanpay::{Rule, ValidationError};
use hanpay_client::{Error, Transport};

fn kind_level(code: &str) {
    let entry = lookup(code).unwrap_or_else(|| panic!("{code:?} is not in the registry"));
    assert_eq!(entry.level, Level::Kind, "{code:?}");
}

#[test]
fn error_and_transport_kinds_are_registered() {
    let transports = [
        Transport::Connect("refused".into()),
        Transport::ConnectTimeout,
        Transport::ReadTimeout,
        Transport::Lost("reset".into()),
        Transport::Status {
            status: 500,
            body: String::new(),
        },
        Transport::Decode("empty".into()),
    ];
    for t in &transports {
        // Exhaustive: a new variant must be listed above.
        match t {
            Transport::Connect(_)
            | Transport::ConnectTimeout
            | Transport::ReadTimeout
            | Transport::Lost(_)
            | Transport::Status { .. }
            | Transport::Decode(_) => {}
        }
        kind_level(t.kind());
        let _: &dyn std::error::Error = t;
    }
    let errors = [
        Error::Invalid(ValidationError::new("amount", Rule::Digits, "x")),
        Error::NotSent(Transport::ConnectTimeout),
        Error::Refused {
            status: 400,
            body: String::new(),
        },
        Error::Exhausted {
            call: Call::Approve,
            attempts: 3,
            cause: Transport::ReadTimeout,
        },
        Error::RolledBack {
            call: Call::PaymentByKey,
            cause: Transport::ReadTimeout,
        },
        Error::Unknown {
            call: Call::Approve,
            cause: Transport::ReadTimeout,
            detail: String::new(),
            lookup: None,
        },
    ];
    for e in &errors {
        match e {
            Error::Invalid(_)
            | Error::NotSent(_)
            | Error::Refused { .. }
            | Error::Exhausted { .. }
            | Error::RolledBack { .. }
            | Error::Unknown { .. } => {}
        }
        kind_level(e.kind());
        let json: serde_json::Value = serde_json::from_str(&e.to_json()).expect("error JSON");
        kind_level(json["error"].as_str().expect("error key"));
    }
}
