//! Reading an import file: the header, then one [`CsvRow`] per line.
//!
//! The `csv` crate does the quoting (commas and newlines inside quotes,
//! doubled quotes) and both line endings. Every cell is trimmed. A line
//! with the wrong number of cells is an error on that line (not a guess at
//! which cell is missing); a header that is absent, names an unknown
//! column or lacks a required one is an error on line 1, and then no line
//! is read at all.

use lanyard_wire::ImportLineError;

/// The columns every file must have, in the order a template lists them.
pub const REQUIRED_COLUMNS: [&str; 6] =
    ["name", "email", "title", "department", "location", "phone"];
/// Columns a file may leave out (see [`CsvRow`] for what that means).
pub const OPTIONAL_COLUMNS: [&str; 2] = ["manager_email", "role"];

/// One line of the file, cells trimmed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvRow {
    /// Where the line starts in the file (the header is line 1). A quoted
    /// cell may continue on the next lines; they belong to this one.
    pub line: u32,
    pub name: String,
    pub email: String,
    pub title: String,
    pub department: String,
    pub location: String,
    pub phone: String,
    /// `None`: the file has no such column, so managers are left as they
    /// are; `Some("")`: no manager (the top of the company).
    pub manager_email: Option<String>,
    /// `None` or `Some("")`: keep the person's role (`employee` for a new
    /// person). An import never takes HR's role away by leaving a cell out.
    pub role: Option<String>,
}

/// What the file holds: the lines that could be read, and those that could not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CsvFile {
    pub rows: Vec<CsvRow>,
    pub errors: Vec<ImportLineError>,
}

/// Where each column is in the file.
#[derive(Debug, Clone, Copy)]
struct Columns {
    /// Indexes of [`REQUIRED_COLUMNS`], in that order.
    required: [usize; 6],
    manager_email: Option<usize>,
    role: Option<usize>,
}

fn line_error(line: u32, message: impl Into<String>) -> ImportLineError {
    ImportLineError {
        line,
        message: message.into(),
    }
}

/// Line numbers from byte offsets. The `csv` crate's own line count is one
/// short after a CRLF (it starts a record before counting the `\n` that
/// ends the previous one), so lines are counted here from where the
/// record's first cell really starts.
struct Lines<'a> {
    text: &'a str,
    newlines: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        let newlines = text
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i)
            .collect();
        Self { text, newlines }
    }

    /// The 1-based line of the first content at or after byte `at`.
    fn line_of(&self, position: Option<&csv::Position>) -> u32 {
        let Some(position) = position else {
            return 0;
        };
        let mut at = usize::try_from(position.byte()).unwrap_or(usize::MAX);
        let bytes = self.text.as_bytes();
        while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
            at += 1;
        }
        let before = self.newlines.partition_point(|&n| n < at);
        u32::try_from(before + 1).unwrap_or(u32::MAX)
    }
}

/// Reads `text` (a leading UTF-8 byte order mark is allowed: spreadsheet
/// programs write one).
pub fn parse(text: &str) -> CsvFile {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let lines = Lines::new(text);
    let mut file = CsvFile::default();
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(err) => {
            file.errors
                .push(line_error(1, format!("The header cannot be read: {err}")));
            return file;
        }
    };
    if headers.is_empty() || headers.iter().all(str::is_empty) {
        file.errors.push(line_error(
            1,
            format!(
                "The file has no header row; it starts with: {}.",
                [REQUIRED_COLUMNS.as_slice(), OPTIONAL_COLUMNS.as_slice()]
                    .concat()
                    .join(",")
            ),
        ));
        return file;
    }
    let columns = match columns(&headers) {
        Ok(columns) => columns,
        Err(message) => {
            file.errors.push(line_error(1, message));
            return file;
        }
    };
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = lines.line_of(record.position());
                file.rows.push(row(&record, line, columns));
            }
            Err(err) => {
                let line = lines.line_of(err.position());
                let message = match err.kind() {
                    csv::ErrorKind::UnequalLengths {
                        expected_len, len, ..
                    } => format!("This line has {len} cells; the header has {expected_len}."),
                    _ => format!("This line cannot be read: {err}"),
                };
                file.errors.push(line_error(line, message));
                // Anything but a short or long line leaves the reader
                // somewhere it cannot go on from.
                if !matches!(err.kind(), csv::ErrorKind::UnequalLengths { .. }) {
                    break;
                }
            }
        }
    }
    file
}

/// Where each known column is; unknown, duplicate or missing ones refused.
fn columns(headers: &csv::StringRecord) -> Result<Columns, String> {
    let mut found: Vec<(String, usize)> = Vec::new();
    for (index, header) in headers.iter().enumerate() {
        let name = header.to_ascii_lowercase();
        if !REQUIRED_COLUMNS.contains(&name.as_str()) && !OPTIONAL_COLUMNS.contains(&name.as_str())
        {
            return Err(format!(
                "Unknown column \"{header}\". The columns are: {}.",
                [REQUIRED_COLUMNS.as_slice(), OPTIONAL_COLUMNS.as_slice()]
                    .concat()
                    .join(", ")
            ));
        }
        if found.iter().any(|(n, _)| *n == name) {
            return Err(format!("The column \"{name}\" appears twice."));
        }
        found.push((name, index));
    }
    let position = |name: &str| found.iter().find(|(n, _)| n == name).map(|(_, i)| *i);
    let missing: Vec<_> = REQUIRED_COLUMNS
        .iter()
        .filter(|c| position(c).is_none())
        .copied()
        .collect();
    if !missing.is_empty() {
        return Err(format!("Missing column(s): {}.", missing.join(", ")));
    }
    let mut required = [0; 6];
    for (slot, name) in required.iter_mut().zip(REQUIRED_COLUMNS) {
        *slot = position(name).unwrap_or_default();
    }
    Ok(Columns {
        required,
        manager_email: position("manager_email"),
        role: position("role"),
    })
}

fn row(record: &csv::StringRecord, line: u32, columns: Columns) -> CsvRow {
    let cell = |index: usize| record.get(index).unwrap_or_default().to_owned();
    let [name, email, title, department, location, phone] = columns.required.map(cell);
    CsvRow {
        line,
        name,
        email,
        title,
        department,
        location,
        phone,
        manager_email: columns.manager_email.map(cell),
        role: columns.role.map(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "name,email,title,department,location,phone,manager_email,role";

    #[test]
    fn a_plain_file_gives_one_row_per_line_with_line_numbers() {
        let file = parse(&format!(
            "{HEADER}\nAda,ada@x.io,Eng,R&D,London,,,hr\nBob,bob@x.io,Eng,R&D,Paris,1,ada@x.io,\n"
        ));
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        assert_eq!(file.rows.len(), 2);
        assert_eq!((file.rows[0].line, file.rows[1].line), (2, 3));
        assert_eq!(file.rows[0].role.as_deref(), Some("hr"));
        assert_eq!(file.rows[1].manager_email.as_deref(), Some("ada@x.io"));
        assert_eq!(file.rows[1].role.as_deref(), Some(""));
    }

    #[test]
    fn bom_crlf_case_and_column_order_do_not_matter() {
        let file = parse(
            "\u{feff}EMAIL,Name,Title,Department,Location,Phone\r\n\
             ada@x.io , Ada Lovelace ,Eng,R&D,London,\r\n",
        );
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        let row = &file.rows[0];
        assert_eq!(
            (row.name.as_str(), row.email.as_str()),
            ("Ada Lovelace", "ada@x.io")
        );
        assert_eq!((row.manager_email.clone(), row.role.clone()), (None, None));
    }

    #[test]
    fn quoted_cells_keep_commas_newlines_and_quotes() {
        let file = parse(&format!(
            "{HEADER}\n\"Lovelace, Ada\",ada@x.io,\"Chief\nEngineer\",\"R \"\"&\"\" D\",London,,,\n\
             Bob,bob@x.io,Eng,R&D,Paris,,,\n"
        ));
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        assert_eq!(file.rows[0].name, "Lovelace, Ada");
        assert_eq!(file.rows[0].title, "Chief\nEngineer");
        assert_eq!(file.rows[0].department, "R \"&\" D");
        // The second record starts on line 4: the first spans lines 2 and 3.
        assert_eq!(file.rows[1].line, 4);
    }

    #[test]
    fn a_line_with_the_wrong_number_of_cells_is_an_error_on_that_line() {
        let file = parse(&format!(
            "{HEADER}\nAda,ada@x.io,Eng,R&D,London,,,\nBob,bob@x.io,Eng\nCy,cy@x.io,Eng,R&D,Oslo,,,,extra\nDee,dee@x.io,Eng,R&D,Rome,,,\n"
        ));
        let lines: Vec<_> = file.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4], "{:?}", file.errors);
        assert!(
            file.errors[0].message.contains("3 cells"),
            "{:?}",
            file.errors[0]
        );
        let rows: Vec<_> = file.rows.iter().map(|r| r.line).collect();
        assert_eq!(rows, [2, 5]);
    }

    #[test]
    fn header_problems_are_errors_on_line_one() {
        for (text, expected) in [
            ("", "no header"),
            (
                "name,email,title,department,location\n",
                "Missing column(s): phone",
            ),
            (
                &format!("{HEADER},salary\n") as &str,
                "Unknown column \"salary\"",
            ),
            (
                "name,email,title,department,location,phone,Email\n",
                "appears twice",
            ),
        ] {
            let file = parse(text);
            assert_eq!(file.errors.len(), 1, "{text:?}: {:?}", file.errors);
            assert_eq!(file.errors[0].line, 1);
            assert!(
                file.errors[0].message.contains(expected),
                "{:?}",
                file.errors[0]
            );
            assert!(file.rows.is_empty());
        }
    }

    #[test]
    fn line_numbers_are_right_with_crlf_blank_lines_and_quoted_newlines() {
        let file = parse(&format!(
            "{HEADER}\r\nAda,a@x.io,\"Eng\r\nLead\",R,L,,,\r\n\r\nBob,b@x.io,E,R,L,,,\r\nCy,c@x.io\r\n"
        ));
        let rows: Vec<_> = file.rows.iter().map(|r| r.line).collect();
        assert_eq!(rows, [2, 5]);
        let errors: Vec<_> = file.errors.iter().map(|e| e.line).collect();
        assert_eq!(errors, [6]);
    }

    #[test]
    fn a_header_only_file_has_no_rows_and_no_errors() {
        let file = parse(HEADER);
        assert_eq!(file, CsvFile::default());
    }
}
