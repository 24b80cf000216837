//! The doctor's report: one line per check, PASS / FAIL / N/A, why, and how
//! to fix what fails; the exit code follows from it.

use std::fmt;

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pass,
    Fail,
    /// The check does not apply here (e.g. the embedded store has no public
    /// access block to read); the detail says why.
    NotApplicable,
}

impl Status {
    fn label(self) -> &'static str {
        match self {
            Self::Pass => "PASS",
            Self::Fail => "FAIL",
            Self::NotApplicable => "N/A",
        }
    }
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// What is checked, e.g. "public access blocked".
    pub name: &'static str,
    pub status: Status,
    /// What was found.
    pub detail: String,
    /// How to fix it; only for failures.
    pub fix: Option<String>,
}

impl Check {
    pub fn pass(name: &'static str, detail: impl Into<String>) -> Self {
        Self {
            name,
            status: Status::Pass,
            detail: detail.into(),
            fix: None,
        }
    }

    pub fn fail(name: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Self {
        Self {
            name,
            status: Status::Fail,
            detail: detail.into(),
            fix: Some(fix.into()),
        }
    }

    pub fn not_applicable(name: &'static str, detail: impl Into<String>) -> Self {
        Self {
            name,
            status: Status::NotApplicable,
            detail: detail.into(),
            fix: None,
        }
    }
}

/// Everything the doctor found about one bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// What was checked: bucket, endpoint, kind of store.
    pub subject: String,
    /// Said before the checks, e.g. that the embedded store was checked.
    pub notes: Vec<String>,
    pub checks: Vec<Check>,
}

impl Report {
    /// The check called `name`, if the report has one.
    pub fn check(&self, name: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.name == name)
    }

    /// Whether any check failed: the process then exits with 1.
    pub fn failed(&self) -> bool {
        self.checks.iter().any(|c| c.status == Status::Fail)
    }

    fn count(&self, status: Status) -> usize {
        self.checks.iter().filter(|c| c.status == status).count()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "lanyard doctor: {}", self.subject)?;
        for note in &self.notes {
            writeln!(f, "  {note}")?;
        }
        writeln!(f)?;
        let width = self.checks.iter().map(|c| c.name.len()).max().unwrap_or(0);
        for check in &self.checks {
            writeln!(
                f,
                "{:<4}  {:<width$}  {}",
                check.status.label(),
                check.name,
                check.detail
            )?;
            if let Some(fix) = &check.fix {
                writeln!(f, "{:<4}  {:<width$}  fix: {fix}", "", "")?;
            }
        }
        writeln!(f)?;
        writeln!(
            f,
            "{} passed, {} failed, {} not applicable.",
            self.count(Status::Pass),
            self.count(Status::Fail),
            self.count(Status::NotApplicable)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_one_aligned_line_per_check_and_a_fix_under_failures() {
        let report = Report {
            subject: "bucket \"b\"".into(),
            notes: vec!["a note".into()],
            checks: vec![
                Check::pass("short", "fine"),
                Check::fail("a longer name", "broken", "do this"),
                Check::not_applicable("n", "not here"),
            ],
        };
        let expected = [
            "lanyard doctor: bucket \"b\"",
            "  a note",
            "",
            "PASS  short          fine",
            "FAIL  a longer name  broken",
            &format!("{}fix: do this", " ".repeat(21)),
            "N/A   n              not here",
            "",
            "1 passed, 1 failed, 1 not applicable.",
            "",
        ];
        assert_eq!(report.to_string(), expected.join("\n"));
        assert!(report.failed());
    }

    #[test]
    fn not_applicable_is_not_a_failure() {
        let report = Report {
            subject: String::new(),
            notes: Vec::new(),
            checks: vec![Check::pass("a", ""), Check::not_applicable("b", "")],
        };
        assert!(!report.failed());
    }
}
