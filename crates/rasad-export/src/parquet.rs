//! The tables as Parquet files with typed columns: strings (UTF-8), 64-bit integers, booleans,
//! UTC timestamps in milliseconds and lists of strings (the standard three-level LIST layout, so
//! DuckDB, pandas/pyarrow and Spark read them as lists). Rows are buffered and written a row group
//! at a time, so memory stays bounded whatever the number of rows.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use parquet::basic::Compression;
use parquet::column::writer::ColumnWriter;
use parquet::data_type::ByteArray;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

use crate::Result;
use crate::tables::{Column, Kind, RowSink, Table, Value};

/// Rows per row group.
const GROUP_ROWS: usize = 4096;

/// The Parquet message type of a table.
#[must_use]
pub fn message_type(table: Table) -> String {
    let mut s = format!("message {} {{\n", table.name());
    for c in table.columns() {
        let rep = if c.required { "REQUIRED" } else { "OPTIONAL" };
        let line = match c.kind {
            Kind::Str => format!("  {rep} BYTE_ARRAY {} (STRING);\n", c.name),
            Kind::Int => format!("  {rep} INT64 {};\n", c.name),
            Kind::Bool => format!("  {rep} BOOLEAN {};\n", c.name),
            Kind::Time => format!("  {rep} INT64 {} (TIMESTAMP(MILLIS,true));\n", c.name),
            Kind::List => format!(
                "  {rep} group {} (LIST) {{ REPEATED group list {{ REQUIRED BYTE_ARRAY element (STRING); }} }}\n",
                c.name
            ),
        };
        s.push_str(&line);
    }
    s.push_str("}\n");
    s
}

struct TableWriter<W: Write + Send> {
    table: Table,
    writer: SerializedFileWriter<W>,
    rows: Vec<Vec<Value>>,
}

impl<W: Write + Send> TableWriter<W> {
    fn new(table: Table, out: W) -> Result<Self> {
        let schema = Arc::new(parse_message_type(&message_type(table))?);
        let props = Arc::new(
            WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_created_by(format!("rasad {}", env!("CARGO_PKG_VERSION")))
                .build(),
        );
        Ok(TableWriter {
            table,
            writer: SerializedFileWriter::new(out, schema, props)?,
            rows: Vec::new(),
        })
    }

    fn push(&mut self, row: Vec<Value>) -> Result<()> {
        self.rows.push(row);
        if self.rows.len() >= GROUP_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.rows);
        let mut group = self.writer.next_row_group()?;
        for (i, col) in self.table.columns().iter().enumerate() {
            let Some(mut w) = group.next_column()? else {
                break;
            };
            write_column(w.untyped(), col, &rows, i)?;
            w.close()?;
        }
        group.close()?;
        Ok(())
    }

    fn finish(mut self) -> Result<W> {
        self.flush()?;
        Ok(self.writer.into_inner()?)
    }
}

/// The levels and values of one column of `rows`: definition levels for optional columns and
/// lists, repetition levels for lists.
fn write_column(w: &mut ColumnWriter<'_>, col: &Column, rows: &[Vec<Value>], i: usize) -> Result<()> {
    let mut def: Vec<i16> = Vec::with_capacity(rows.len());
    let mut rep: Vec<i16> = Vec::new();
    let cell = |r: &Vec<Value>| r.get(i).cloned().unwrap_or(Value::Null);
    let levels = |present: bool, def: &mut Vec<i16>| {
        if !col.required {
            def.push(i16::from(present));
        }
    };
    match col.kind {
        Kind::Str => {
            let mut values: Vec<ByteArray> = Vec::with_capacity(rows.len());
            for r in rows {
                match cell(r) {
                    Value::Str(s) => {
                        levels(true, &mut def);
                        values.push(ByteArray::from(s.into_bytes()));
                    }
                    _ if col.required => values.push(ByteArray::from(Vec::new())),
                    _ => levels(false, &mut def),
                }
            }
            if let ColumnWriter::ByteArrayColumnWriter(w) = w {
                w.write_batch(&values, opt_levels(col, &def), None)?;
            }
        }
        Kind::Int | Kind::Time => {
            let mut values: Vec<i64> = Vec::with_capacity(rows.len());
            for r in rows {
                match cell(r) {
                    Value::Int(n) | Value::Time(n) => {
                        levels(true, &mut def);
                        values.push(n);
                    }
                    _ if col.required => values.push(0),
                    _ => levels(false, &mut def),
                }
            }
            if let ColumnWriter::Int64ColumnWriter(w) = w {
                w.write_batch(&values, opt_levels(col, &def), None)?;
            }
        }
        Kind::Bool => {
            let mut values: Vec<bool> = Vec::with_capacity(rows.len());
            for r in rows {
                match cell(r) {
                    Value::Bool(b) => {
                        levels(true, &mut def);
                        values.push(b);
                    }
                    _ if col.required => values.push(false),
                    _ => levels(false, &mut def),
                }
            }
            if let ColumnWriter::BoolColumnWriter(w) = w {
                w.write_batch(&values, opt_levels(col, &def), None)?;
            }
        }
        Kind::List => {
            // Levels of a (required or optional) list of required strings: a null list has
            // definition 0 (optional lists only), an empty list the list's own level, an element
            // one more; repetition 1 for every element after a row's first.
            let base = i16::from(!col.required);
            let mut values: Vec<ByteArray> = Vec::new();
            for r in rows {
                match cell(r) {
                    Value::List(l) if !l.is_empty() => {
                        for (j, s) in l.into_iter().enumerate() {
                            def.push(base + 1);
                            rep.push(i16::from(j > 0));
                            values.push(ByteArray::from(s.into_bytes()));
                        }
                    }
                    Value::List(_) => {
                        def.push(base);
                        rep.push(0);
                    }
                    _ => {
                        def.push(0);
                        rep.push(0);
                    }
                }
            }
            if let ColumnWriter::ByteArrayColumnWriter(w) = w {
                w.write_batch(&values, Some(&def), Some(&rep))?;
            }
        }
    }
    Ok(())
}

fn opt_levels<'a>(col: &Column, def: &'a [i16]) -> Option<&'a [i16]> {
    (!col.required).then_some(def)
}

/// Writes rows as Parquet, one file (or writer) per table.
pub struct ParquetSink<W: Write + Send> {
    writers: BTreeMap<Table, TableWriter<W>>,
}

impl<W: Write + Send> std::fmt::Debug for ParquetSink<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParquetSink")
            .field("tables", &self.writers.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl ParquetSink<File> {
    /// One `<table>.parquet` per table in `dir` (created if missing).
    ///
    /// # Errors
    /// When a file cannot be created.
    pub fn create_dir(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        let mut writers = BTreeMap::new();
        for t in Table::ALL {
            writers.insert(t, File::create(dir.join(format!("{}.parquet", t.name())))?);
        }
        Self::with_writers(writers)
    }
}

impl<W: Write + Send> ParquetSink<W> {
    /// Writes each table given a writer to it (the others' rows are dropped).
    ///
    /// # Errors
    /// When a writer cannot be set up.
    pub fn with_writers(writers: BTreeMap<Table, W>) -> Result<Self> {
        let writers = writers
            .into_iter()
            .map(|(t, w)| Ok((t, TableWriter::new(t, w)?)))
            .collect::<Result<_>>()?;
        Ok(ParquetSink { writers })
    }

    /// Writes the last row groups and the footers, and gives the writers back.
    ///
    /// # Errors
    /// When a write fails.
    pub fn finish(self) -> Result<BTreeMap<Table, W>> {
        self.writers
            .into_iter()
            .map(|(t, w)| Ok((t, w.finish()?)))
            .collect()
    }
}

impl<W: Write + Send> RowSink for ParquetSink<W> {
    fn row(&mut self, table: Table, values: Vec<Value>) -> Result<()> {
        match self.writers.get_mut(&table) {
            Some(w) => w.push(values),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    use super::*;

    #[test]
    fn every_table_has_a_valid_schema() {
        for t in Table::ALL {
            parse_message_type(&message_type(t)).unwrap();
        }
    }

    #[test]
    fn rows_read_back_with_their_types_nulls_and_lists() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stories.parquet");
        let mut w = BTreeMap::new();
        w.insert(Table::Stories, File::create(&path).unwrap());
        let mut sink = ParquetSink::with_writers(w).unwrap();
        let n = GROUP_ROWS + 3;
        for i in 0..n {
            let langs = match i % 3 {
                0 => vec![],
                1 => vec!["ar".to_string()],
                _ => vec!["fa".to_string(), "en".to_string()],
            };
            sink.row(
                Table::Stories,
                vec![
                    format!("s{i}").into(),
                    if i % 2 == 0 {
                        Value::Null
                    } else {
                        "عنوان".into()
                    },
                    Value::List(langs),
                    Value::List(vec!["irna".into()]),
                    Value::Int(i64::try_from(i).unwrap()),
                    Value::Null,
                    "2022-09-07".into(),
                    Value::Int(2),
                ],
            )
            .unwrap();
        }
        sink.finish().unwrap();
        let reader = SerializedFileReader::new(File::open(&path).unwrap()).unwrap();
        assert_eq!(
            reader.metadata().file_metadata().num_rows(),
            i64::try_from(n).unwrap()
        );
        assert_eq!(reader.metadata().num_row_groups(), 2);
        let rows: Vec<_> = reader.get_row_iter(None).unwrap().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), n);
        let row = rows.get(5).unwrap();
        let fields: Vec<(&String, &Field)> = row.get_column_iter().collect();
        assert_eq!(fields.first().unwrap().1, &Field::Str("s5".into()));
        assert_eq!(fields.get(1).unwrap().1, &Field::Str("عنوان".into()));
        assert_eq!(format!("{}", fields.get(2).unwrap().1), "[\"fa\", \"en\"]");
        assert_eq!(fields.get(4).unwrap().1, &Field::Long(5));
        assert_eq!(fields.get(5).unwrap().1, &Field::Null);
        let first = rows.first().unwrap();
        assert_eq!(format!("{}", first.get_column_iter().nth(2).unwrap().1), "[]");
        assert_eq!(first.get_column_iter().nth(1).unwrap().1, &Field::Null);
    }
}
