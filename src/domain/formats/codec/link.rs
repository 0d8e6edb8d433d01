//! Share links: `#s1=<base64url of compact JSON>[&run]`, or the hand-written
//! `#j=<percent-encoded JSON>`.
//!
//! No compression: with `repeat`, generated scenarios are already tiny, and
//! deflate would halve a hand-made 8-task link (≈670 → ≈320 characters) for
//! ≈21 KB of gzipped wasm. The `s<N>` key versions the link encoding, so a
//! compressed form can be added later while `s1` links keep opening.

use super::base64::{self, DecodeError};
use super::read::{parse_text, read_doc, Reader};
use super::write::{write_doc, Layout};
use super::{CodecError, LinkRequest};
use crate::domain::scenario::doc::ScenarioDoc;

/// The link encoding version (`s1=`), independent of the JSON's `"v"`.
pub const LINK_VERSION: u32 = 1;
/// Longest fragment read; longer ones are refused before decoding.
pub const MAX_FRAGMENT_CHARS: usize = 64 * 1024;

/// The URL fragment (without `#`) that reproduces `doc`; `run` adds the
/// run-on-open parameter. Fragments over [`MAX_FRAGMENT_CHARS`] will not be
/// read back: offer the JSON instead.
pub fn to_fragment(doc: &ScenarioDoc, run: bool) -> String {
    let json = write_doc(doc, Layout::Compact);
    let mut fragment = format!("s{LINK_VERSION}={}", base64::encode(json.as_bytes()));
    if run {
        fragment.push_str("&run");
    }
    fragment
}

/// Reads a URL fragment (with or without the leading `#`). `Ok(None)` when
/// the fragment holds no scenario (empty, or some other anchor).
pub fn from_fragment(fragment: &str) -> Result<Option<LinkRequest>, CodecError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let mut scenario = None;
    let mut run = false;
    for param in fragment.split('&') {
        match param.split_once('=') {
            None if param == "run" => run = true,
            Some(("run", value)) => run = !matches!(value, "0" | "false"),
            Some((key, value)) if scenario.is_none() && is_scenario_key(key) => {
                scenario = Some((key, value))
            }
            _ => {}
        }
    }
    let Some((key, value)) = scenario else {
        return Ok(None);
    };
    if fragment.len() > MAX_FRAGMENT_CHARS {
        return Err(CodecError::new(
            "",
            format!(
                "the link is too long ({} characters; at most {MAX_FRAGMENT_CHARS})",
                fragment.len()
            ),
        ));
    }
    let json = if key == "j" {
        percent_decode(value)?
    } else {
        decode_versioned(key, value)?
    };
    let value = parse_text(&json).map_err(|e| damaged(&e.reason))?;
    let doc = read_doc(&mut Reader::strict(), value, "")?;
    Ok(Some(LinkRequest { doc, run }))
}

/// `j`, or `s` followed by a version number.
fn is_scenario_key(key: &str) -> bool {
    key == "j"
        || key
            .strip_prefix('s')
            .is_some_and(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
}

fn damaged(why: &str) -> CodecError {
    CodecError::new("", format!("the link is damaged: {why}"))
}

fn decode_versioned(key: &str, value: &str) -> Result<String, CodecError> {
    // Digits only (checked by is_scenario_key); too many digits is "newer".
    let version = key.get(1..).and_then(|v| v.parse::<u32>().ok());
    match version {
        Some(LINK_VERSION) => {}
        Some(0) => return Err(damaged("unknown link format s0")),
        _ => {
            return Err(CodecError::new(
                "",
                format!(
                    "this link was made by a newer version of the playground \
                     (link format {key}; this one reads s{LINK_VERSION})"
                ),
            ))
        }
    }
    if value.is_empty() {
        return Err(damaged("it holds no scenario; was it cut off?"));
    }
    let bytes = base64::decode(value).map_err(|e| match e {
        DecodeError::Truncated => damaged("it is incomplete; was it cut off when copied?"),
        DecodeError::BadChar { position } => {
            let c = value.get(position..).and_then(|s| s.chars().next());
            damaged(&format!(
                "unexpected character {:?} at position {position} of the scenario",
                c.unwrap_or('?')
            ))
        }
    })?;
    String::from_utf8(bytes).map_err(|_| damaged("its scenario is not text"))
}

/// `%XX` escapes to bytes, then UTF-8. `+` stays `+` (this is a fragment,
/// not a form).
fn percent_decode(value: &str) -> Result<String, CodecError> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            let Some(byte) = hex else {
                return Err(damaged(&format!(
                    "\"%\" at position {i} is not followed by two hex digits"
                )));
            };
            out.push(byte);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| damaged("its scenario is not UTF-8 text"))
}
