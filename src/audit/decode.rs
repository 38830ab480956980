//! Turning a CSV record's bytes into text in the file's encoding, without copying when the
//! bytes are already valid UTF-8 (every ASCII export).

use super::config::Encoding;
use csv::{ByteRecord, StringRecord};

/// Decodes records; keeps one scratch record so that decoding allocates only while it grows.
pub struct Decoder {
    encoding: Encoding,
    scratch: StringRecord,
    field: String,
}

/// A decoded record: borrowed bytes checked to be UTF-8, or the decoder's scratch record.
pub enum Row<'a> {
    Utf8(&'a ByteRecord),
    Decoded(&'a StringRecord),
}

impl Row<'_> {
    /// Field `i`, trimmed; empty when the row is short.
    pub fn get(&self, i: usize) -> &str {
        match self {
            Row::Utf8(r) => r
                .get(i)
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or(""),
            Row::Decoded(r) => r.get(i).unwrap_or(""),
        }
        .trim()
    }
}

impl Decoder {
    pub fn new(encoding: Encoding) -> Self {
        Decoder {
            encoding,
            scratch: StringRecord::new(),
            field: String::new(),
        }
    }

    /// The record as text, or `None` when it holds bytes that are invalid in the encoding.
    pub fn decode<'a>(&'a mut self, record: &'a ByteRecord) -> Option<Row<'a>> {
        let bytes = record.as_slice();
        if bytes.is_ascii() {
            return Some(Row::Utf8(record));
        }
        match self.encoding {
            Encoding::Utf8 => {
                // Each field on its own: a character split across two fields is invalid too.
                let valid = record.iter().all(|f| std::str::from_utf8(f).is_ok());
                valid.then_some(Row::Utf8(record))
            }
            Encoding::Latin1 | Encoding::Windows1252 => {
                self.scratch.clear();
                for field in record {
                    self.field.clear();
                    for &b in field {
                        self.field.push(decode_byte(self.encoding, b)?);
                    }
                    self.scratch.push_field(&self.field);
                }
                Some(Row::Decoded(&self.scratch))
            }
        }
    }
}

/// One byte of Latin-1 or Windows-1252. Windows-1252 leaves five bytes undefined.
fn decode_byte(encoding: Encoding, b: u8) -> Option<char> {
    if encoding == Encoding::Windows1252 && (0x80..0xA0).contains(&b) {
        return WINDOWS_1252_HIGH[usize::from(b - 0x80)];
    }
    Some(char::from(b))
}

const WINDOWS_1252_HIGH: [Option<char>; 32] = [
    Some('€'),
    None,
    Some('‚'),
    Some('ƒ'),
    Some('„'),
    Some('…'),
    Some('†'),
    Some('‡'),
    Some('ˆ'),
    Some('‰'),
    Some('Š'),
    Some('‹'),
    Some('Œ'),
    None,
    Some('Ž'),
    None,
    None,
    Some('‘'),
    Some('’'),
    Some('“'),
    Some('”'),
    Some('•'),
    Some('–'),
    Some('—'),
    Some('˜'),
    Some('™'),
    Some('š'),
    Some('›'),
    Some('œ'),
    None,
    Some('ž'),
    Some('Ÿ'),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn record(bytes: &[u8]) -> ByteRecord {
        ByteRecord::from(vec![bytes])
    }

    #[test]
    fn latin1_bytes_become_their_characters() {
        let mut d = Decoder::new(Encoding::Latin1);
        let r = record(b"Qualifi\xe9");
        assert_eq!(d.decode(&r).unwrap().get(0), "Qualifié");
    }

    #[test]
    fn windows_1252_has_the_euro_and_undefined_bytes() {
        let mut d = Decoder::new(Encoding::Windows1252);
        assert_eq!(d.decode(&record(b"\x80 5")).unwrap().get(0), "€ 5");
        assert!(d.decode(&record(b"\x81")).is_none());
    }

    #[test]
    fn invalid_utf8_is_refused() {
        let mut d = Decoder::new(Encoding::Utf8);
        assert!(d.decode(&record(b"Qualifi\xe9")).is_none());
        assert_eq!(
            d.decode(&record("Qualifié".as_bytes())).unwrap().get(0),
            "Qualifié"
        );
    }
}
