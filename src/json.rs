//! A minimal JSON writer and a flat-object reader, so the lib (and its wasm builds) need no
//! serde_json. The reader accepts one object whose values are strings, numbers, booleans or
//! null — the shape of PG parameter maps and KISPG API responses — and skips nested values.
//! It is a single forward pass: linear in the input, no recursion.

use crate::prelude::*;

/// Appends `s` as a JSON string literal.
pub fn push_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends `"key":"value"`.
pub fn push_pair(out: &mut String, key: &str, value: &str) {
    push_str(out, key);
    out.push(':');
    push_str(out, value);
}

/// Builds `{"k":"v",…}` with every value as a string (how the PG APIs take them).
pub fn object(pairs: &[(&str, &str)]) -> String {
    let mut out = String::from("{");
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_pair(&mut out, k, v);
    }
    out.push('}');
    out
}

/// Why a JSON document was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError(pub &'static str);

impl core::fmt::Display for JsonError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "invalid JSON: {}", self.0)
    }
}

impl core::error::Error for JsonError {}

struct Reader<'a> {
    s: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn skip_ws(&mut self) {
        while let Some(b) = self.s.get(self.i) {
            if b.is_ascii_whitespace() {
                self.i += 1;
            } else {
                break;
            }
        }
    }
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn expect(&mut self, b: u8) -> Result<(), JsonError> {
        self.skip_ws();
        if self.peek() == Some(b) {
            self.i += 1;
            Ok(())
        } else {
            Err(JsonError("unexpected character"))
        }
    }
    fn string(&mut self) -> Result<String, JsonError> {
        self.expect(b'"')?;
        let mut buf: Vec<u8> = Vec::new();
        loop {
            let b = self.peek().ok_or(JsonError("unterminated string"))?;
            self.i += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let e = self.peek().ok_or(JsonError("bad escape"))?;
                    self.i += 1;
                    match e {
                        b'"' => buf.push(b'"'),
                        b'\\' => buf.push(b'\\'),
                        b'/' => buf.push(b'/'),
                        b'b' => buf.push(8),
                        b'f' => buf.push(12),
                        b'n' => buf.push(b'\n'),
                        b'r' => buf.push(b'\r'),
                        b't' => buf.push(b'\t'),
                        b'u' => {
                            let mut cp = self.hex4()?;
                            if (0xD800..0xDC00).contains(&cp) {
                                if self.s.get(self.i) == Some(&b'\\')
                                    && self.s.get(self.i + 1) == Some(&b'u')
                                {
                                    self.i += 2;
                                    let low = self.hex4()?;
                                    if !(0xDC00..0xE000).contains(&low) {
                                        return Err(JsonError("bad surrogate pair"));
                                    }
                                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                                } else {
                                    return Err(JsonError("bad surrogate pair"));
                                }
                            }
                            let c = char::from_u32(cp).ok_or(JsonError("bad code point"))?;
                            let mut tmp = [0u8; 4];
                            buf.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
                        }
                        _ => return Err(JsonError("bad escape")),
                    }
                }
                b if b < 0x20 => return Err(JsonError("control character in string")),
                b => buf.push(b),
            }
        }
        String::from_utf8(buf).map_err(|_| JsonError("invalid UTF-8"))
    }
    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let b = self.peek().ok_or(JsonError("bad escape"))?;
            self.i += 1;
            let d = (b as char).to_digit(16).ok_or(JsonError("bad escape"))?;
            v = v * 16 + d;
        }
        Ok(v)
    }
    fn scalar(&mut self) -> Result<Option<String>, JsonError> {
        self.skip_ws();
        match self.peek() {
            Some(b'"') => self.string().map(Some),
            Some(b'{') | Some(b'[') => {
                self.skip_nested()?;
                Ok(None)
            }
            Some(_) => {
                let start = self.i;
                while let Some(b) = self.peek() {
                    if b == b',' || b == b'}' || b == b']' || b.is_ascii_whitespace() {
                        break;
                    }
                    self.i += 1;
                }
                let tok = core::str::from_utf8(self.s.get(start..self.i).unwrap_or(b""))
                    .map_err(|_| JsonError("bad literal"))?;
                match tok {
                    "null" => Ok(None),
                    "true" | "false" => Ok(Some(tok.to_string())),
                    t if !t.is_empty()
                        && t.bytes()
                            .all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b)) =>
                    {
                        Ok(Some(t.to_string()))
                    }
                    _ => Err(JsonError("bad literal")),
                }
            }
            None => Err(JsonError("unexpected end")),
        }
    }
    /// Skips a nested object or array, tracking depth with a counter (no recursion).
    fn skip_nested(&mut self) -> Result<(), JsonError> {
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            match b {
                b'"' => {
                    self.string()?;
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.checked_sub(1).ok_or(JsonError("unbalanced"))?;
                    if depth == 0 {
                        self.i += 1;
                        return Ok(());
                    }
                }
                _ => {}
            }
            self.i += 1;
        }
        Err(JsonError("unexpected end"))
    }
}

/// Reads one JSON object into ordered `(key, value)` pairs. Numbers and booleans become their
/// text, `null` and nested values are dropped.
pub fn parse_flat_object(text: &str) -> Result<Vec<(String, String)>, JsonError> {
    let mut r = Reader {
        s: text.as_bytes(),
        i: 0,
    };
    r.expect(b'{')?;
    let mut out = Vec::new();
    r.skip_ws();
    if r.peek() == Some(b'}') {
        r.i += 1;
    } else {
        loop {
            r.skip_ws();
            let key = r.string()?;
            r.expect(b':')?;
            if let Some(v) = r.scalar()? {
                out.push((key, v));
            }
            r.skip_ws();
            match r.peek() {
                Some(b',') => r.i += 1,
                Some(b'}') => {
                    r.i += 1;
                    break;
                }
                _ => return Err(JsonError("expected , or }")),
            }
        }
    }
    r.skip_ws();
    if r.i != r.s.len() {
        return Err(JsonError("trailing characters"));
    }
    Ok(out)
}
