//! The tables as CSV (RFC 4180: comma-separated, `"` quoting, CRLF-free `\n` rows, UTF-8 without
//! a byte-order mark). Lists are JSON arrays in one cell; timestamps are RFC 3339 in UTC.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use crate::Result;
use crate::tables::{RowSink, Table, Value};

/// Writes rows as CSV to one writer per table.
#[derive(Debug)]
pub struct CsvSink<W: Write> {
    writers: BTreeMap<Table, W>,
}

impl CsvSink<BufWriter<File>> {
    /// One `<table>.csv` per table in `dir` (created if missing), each with its header.
    ///
    /// # Errors
    /// When a file cannot be created.
    pub fn create_dir(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        let mut writers = BTreeMap::new();
        for t in Table::ALL {
            let f = BufWriter::new(File::create(dir.join(format!("{}.csv", t.name())))?);
            writers.insert(t, f);
        }
        Self::with_writers(writers)
    }
}

impl<W: Write> CsvSink<W> {
    /// Writes each table given a writer to it (the others' rows are dropped), headers first.
    ///
    /// # Errors
    /// When a header cannot be written.
    pub fn with_writers(mut writers: BTreeMap<Table, W>) -> Result<Self> {
        for (t, w) in &mut writers {
            let names: Vec<&str> = t.columns().iter().map(|c| c.name).collect();
            writeln!(w, "{}", names.join(","))?;
        }
        Ok(CsvSink { writers })
    }

    /// Flushes every writer and gives them back.
    ///
    /// # Errors
    /// When a flush fails.
    pub fn finish(mut self) -> Result<BTreeMap<Table, W>> {
        for w in self.writers.values_mut() {
            w.flush()?;
        }
        Ok(self.writers)
    }
}

impl<W: Write> RowSink for CsvSink<W> {
    fn row(&mut self, table: Table, values: Vec<Value>) -> Result<()> {
        let Some(w) = self.writers.get_mut(&table) else {
            return Ok(());
        };
        let mut line = String::new();
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            cell(&mut line, v);
        }
        line.push('\n');
        w.write_all(line.as_bytes())?;
        Ok(())
    }
}

fn cell(out: &mut String, v: &Value) {
    match v {
        Value::Null => {}
        Value::Str(s) => quoted(out, s),
        Value::Int(n) => out.push_str(&n.to_string()),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Time(ms) => {
            if let Some(t) = chrono::DateTime::from_timestamp_millis(*ms) {
                out.push_str(&t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
            }
        }
        Value::List(l) => quoted(out, &serde_json::to_string(l).unwrap_or_default()),
    }
}

/// A field quoted when it holds a comma, a quote, a line break or leading/trailing space; an empty
/// string is written `""` so that it differs from a null.
fn quoted(out: &mut String, s: &str) {
    let needs = s.is_empty()
        || s.contains([',', '"', '\n', '\r'])
        || s.starts_with(char::is_whitespace)
        || s.ends_with(char::is_whitespace);
    if needs {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(values: Vec<Value>) -> String {
        let mut w = BTreeMap::new();
        w.insert(Table::Stories, Vec::new());
        let mut sink = CsvSink::with_writers(w).unwrap();
        sink.row(Table::Stories, values).unwrap();
        let out = sink.finish().unwrap();
        let text = String::from_utf8(out.get(&Table::Stories).unwrap().clone()).unwrap();
        text.lines().nth(1).unwrap().to_string()
    }

    #[test]
    fn cells_are_quoted_only_when_they_must_be() {
        assert_eq!(
            line(vec![
                "plain".into(),
                "a, b".into(),
                "say \"no\"".into(),
                Value::Null,
                "".into(),
                Value::Int(3),
                Value::Bool(true),
                Value::List(vec!["x".into(), "y,z".into()]),
            ]),
            r#"plain,"a, b","say ""no""",,"",3,true,"[""x"",""y,z""]""#
        );
        assert_eq!(line(vec![Value::Time(0)]), "1970-01-01T00:00:00Z");
        assert_eq!(line(vec!["سطر\nآخر".into()]), "\"سطر");
    }
}
