//! Turning bytes into text: UTF-8 (BOM optional), UTF-16 with a BOM, and for HTML the charset the page
//! declares (windows-1256 is still common on Arabic sites). Binary data is refused, not decoded.

use crate::ErrorKind;

/// How far into a file to look for NUL bytes when deciding it is binary.
const SNIFF_BYTES: usize = 8 * 1024;

/// Decodes a plain-text document: UTF-16 when it starts with a BOM, otherwise strict UTF-8.
///
/// # Errors
/// [`ErrorKind::Binary`] for data with NUL bytes, [`ErrorKind::InvalidUtf8`] with the offset of the first
/// bad byte, [`ErrorKind::InvalidUtf16`] for broken UTF-16.
pub fn decode_text(bytes: &[u8]) -> Result<String, ErrorKind> {
    if let Some(text) = decode_utf16_bom(bytes)? {
        return Ok(text);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().take(SNIFF_BYTES).any(|&b| b == 0) {
        return Err(ErrorKind::Binary);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(err) => Err(ErrorKind::InvalidUtf8 {
            offset: err.valid_up_to(),
        }),
    }
}

/// A decoded page, with a note when bytes had to be replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// Set when a few invalid bytes were replaced with U+FFFD instead of refusing the page.
    pub note: Option<String>,
}

/// Decodes an HTML page: a BOM wins, then the charset the transport declared (`Content-Type` of an
/// HTTP response), then a `<meta charset>` or `http-equiv` declaration in the first kilobytes, then
/// UTF-8. A page whose UTF-8 has a few invalid bytes (at most one in a hundred) is decoded with
/// replacement characters and a note: one bad byte should not cost an article.
///
/// # Errors
/// [`ErrorKind::Binary`] for data with NUL bytes, [`ErrorKind::InvalidUtf8`] when more than a few
/// bytes are invalid (the page is then in some undeclared encoding), [`ErrorKind::InvalidUtf16`].
pub fn decode_html(bytes: &[u8], transport_charset: Option<&str>) -> Result<Decoded, ErrorKind> {
    if let Some(text) = decode_utf16_bom(bytes)? {
        return Ok(Decoded { text, note: None });
    }
    if bytes.iter().take(SNIFF_BYTES).any(|&b| b == 0) {
        return Err(ErrorKind::Binary);
    }
    let transport =
        transport_charset.and_then(|label| encoding_rs::Encoding::for_label(label.trim().as_bytes()));
    let in_page = declared_charset(bytes);
    let declared = transport.or(in_page);
    if !bytes.starts_with(b"\xEF\xBB\xBF")
        && let Some(encoding) = declared
        && encoding != encoding_rs::UTF_8
    {
        // A server's default `ISO-8859-1` over a page that is valid UTF-8 with non-ASCII text is
        // the commonest charset lie; UTF-8 that valid is never an accident.
        let is_multibyte_utf8 = !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok();
        if is_multibyte_utf8 && encoding.is_single_byte() {
            let text = String::from_utf8_lossy(bytes).into_owned();
            return Ok(Decoded {
                text,
                note: Some(format!(
                    "declared as {} but valid UTF-8; read as UTF-8",
                    encoding.name()
                )),
            });
        }
        let (text, _, had_errors) = encoding.decode(bytes);
        // Legacy single-byte encodings map every byte; errors here mean the declaration lied.
        if !had_errors {
            return Ok(Decoded {
                text: text.into_owned(),
                note: None,
            });
        }
    }
    match decode_text(bytes) {
        Ok(text) => Ok(Decoded { text, note: None }),
        Err(ErrorKind::InvalidUtf8 { offset }) => match lossy_utf8(bytes, offset) {
            Ok(decoded) => Ok(decoded),
            // The transport said UTF-8 (or nothing usable) but the page declares its own
            // charset: the page knows better.
            Err(err) => match in_page.filter(|e| *e != encoding_rs::UTF_8 && Some(*e) != transport) {
                Some(encoding) => {
                    let (text, _, had_errors) = encoding.decode(bytes);
                    if had_errors {
                        return Err(err);
                    }
                    Ok(Decoded {
                        text: text.into_owned(),
                        note: Some(format!(
                            "not valid in the declared transport charset; read as {}, as the page declares",
                            encoding.name()
                        )),
                    })
                }
                None => Err(err),
            },
        },
        Err(other) => Err(other),
    }
}

/// UTF-8 with its invalid sequences replaced, when they are few.
fn lossy_utf8(bytes: &[u8], first: usize) -> Result<Decoded, ErrorKind> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut invalid = 0usize;
    for chunk in bytes.utf8_chunks() {
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    if invalid > 4 && invalid * 100 > bytes.len() {
        return Err(ErrorKind::InvalidUtf8 { offset: first });
    }
    let text = String::from_utf8_lossy(bytes).into_owned();
    Ok(Decoded {
        text,
        note: Some(format!(
            "{invalid} invalid UTF-8 sequence{} replaced with U+FFFD (the first at byte {first})",
            if invalid == 1 { "" } else { "s" }
        )),
    })
}

fn decode_utf16_bom(bytes: &[u8]) -> Result<Option<String>, ErrorKind> {
    let (body, little) = if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (rest, true)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (rest, false)
    } else {
        return Ok(None);
    };
    if body.len() % 2 != 0 {
        return Err(ErrorKind::InvalidUtf16);
    }
    let units = body.chunks_exact(2).map(|pair| match pair {
        [a, b] if little => u16::from_le_bytes([*a, *b]),
        [a, b] => u16::from_be_bytes([*a, *b]),
        _ => 0,
    });
    let text: Result<String, _> = char::decode_utf16(units).collect();
    let text = text.map_err(|_| ErrorKind::InvalidUtf16)?;
    if text.contains('\0') {
        return Err(ErrorKind::Binary);
    }
    Ok(Some(text))
}

/// Finds `charset=NAME` in the head of an HTML page, as browsers' prescan does (simplified).
fn declared_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = bytes.get(..bytes.len().min(4096))?;
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let needle = b"charset=";
    let at = lower.windows(needle.len()).position(|w| w == needle)? + needle.len();
    let rest = lower.get(at..)?;
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.')))?;
    encoding_rs::Encoding::for_label(rest.get(..end)?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_charset_lie_is_seen_through() {
        // Apache's default ISO-8859-1 over a UTF-8 Persian page.
        let page = "<html><body><p>وزارت امور خارجه</p></body></html>";
        let decoded = super::decode_html(page.as_bytes(), Some("iso-8859-1")).unwrap();
        assert_eq!(decoded.text, page);
        assert!(decoded.note.unwrap().contains("valid UTF-8"));
        // The transport says UTF-8, the page (windows-1256) says otherwise.
        let (arabic, _, _) = encoding_rs::WINDOWS_1256
            .encode("<meta charset=windows-1256><p>وزارة الخارجية الإيرانية تنفي الاتهامات</p>");
        let decoded = super::decode_html(&arabic, Some("utf-8")).unwrap();
        assert!(decoded.text.contains("وزارة الخارجية"), "{}", decoded.text);
        // Nothing declared and not UTF-8: refused, not guessed.
        let (bare, _, _) = encoding_rs::WINDOWS_1256.encode("<p>وزارة الخارجية الإيرانية تنفي الاتهامات</p>");
        assert!(super::decode_html(&bare, None).is_err());
    }

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn utf16_with_bom_is_decoded_both_ways() {
        let text = "سلام Albania";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            le.extend(unit.to_le_bytes());
            be.extend(unit.to_be_bytes());
        }
        assert_eq!(decode_text(&le).unwrap(), text);
        assert_eq!(decode_text(&be).unwrap(), text);
        assert!(matches!(
            decode_text(&le[..le.len() - 1]),
            Err(ErrorKind::InvalidUtf16)
        ));
    }

    #[test]
    fn utf8_bom_is_dropped_and_bad_bytes_are_located() {
        assert_eq!(decode_text(b"\xEF\xBB\xBFabc").unwrap(), "abc");
        assert!(matches!(
            decode_text(b"ab\xffc"),
            Err(ErrorKind::InvalidUtf8 { offset: 2 })
        ));
        assert!(matches!(decode_text(b"ab\0c"), Err(ErrorKind::Binary)));
    }

    #[test]
    fn html_declared_windows_1256_is_decoded() {
        // "سلام" in windows-1256.
        let page = b"<html><head><meta charset=\"windows-1256\"></head><body>\xd3\xe1\xc7\xe3</body></html>";
        let text = decode_html(page, None).unwrap().text;
        assert!(text.contains("سلام"), "{text}");
        let page = b"<meta http-equiv=Content-Type content='text/html; charset=utf-8'><p>\xd8\xb3</p>";
        assert!(decode_html(page, None).unwrap().text.contains('س'));
        // The transport's charset is believed over none in the page.
        let page = b"<p>\xd3\xe1\xc7\xe3</p>";
        assert!(
            decode_html(page, Some("windows-1256"))
                .unwrap()
                .text
                .contains("سلام")
        );
    }

    #[test]
    fn a_page_with_a_few_bad_bytes_is_decoded_with_a_note_and_a_broken_one_is_refused() {
        let mut page = "<p>ألبانيا تقطع علاقاتها مع إيران</p>".repeat(20).into_bytes();
        page.insert(3, 0xff);
        let decoded = decode_html(&page, None).unwrap();
        assert!(decoded.text.contains('\u{FFFD}'));
        let note = decoded.note.unwrap();
        assert!(note.contains("1 invalid UTF-8 sequence replaced"), "{note}");
        assert!(note.contains("byte 3"), "{note}");
        // Latin-1 text called UTF-8: every accented letter is invalid.
        let latin1: Vec<u8> = b"caf\xe9 ".repeat(50);
        assert!(matches!(
            decode_html(&latin1, None),
            Err(ErrorKind::InvalidUtf8 { offset: 3 })
        ));
    }

    proptest! {
        #[test]
        fn decoding_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = decode_text(&bytes);
            let _ = decode_html(&bytes, None);
        }

        #[test]
        fn valid_utf8_without_nul_round_trips(text in "[^\u{0}\u{FEFF}]*") {
            prop_assert_eq!(decode_text(text.as_bytes()).unwrap(), text);
        }
    }
}
