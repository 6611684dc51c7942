//! dateparser's own Arabic and Persian test cases (`scrapinghub/dateparser`, `tests/`), read in place
//! from a checkout of that repository and scored against `rasad_dates::extract`.
//!
//! The cases are the `param(...)` rows of its tests, read with a small tokenizer for the Python
//! literals they use (strings, implicit concatenation, numbers, `datetime(...)`, dicts and lists):
//!
//! - Solar Hijri: `test_jalali.py`, `date_string=` / `dt=datetime(...)`;
//! - Islamic: `test_hijri.py`, `dt_string=` / `dt_obj=datetime(...)` (the test names the calendar;
//!   rasad reads the text alone);
//! - relative: `test_freshness_date_parser.py` rows in Arabic script with a one-unit `ago={...}`,
//!   and `test_languages.py` translation rows for `ar`/`fa` whose English says `N unit ago`;
//! - Gregorian: `test_languages.py` translation rows for `ar`/`fa` that name a day, month and year,
//!   and `test_search.py` rows for `ar`/`fa` with their `(substring, datetime)` lists.
//!
//! A case is found when a date rasad extracts has the expected day (or, where the case gives only a
//! month, the expected month). Times are scored separately where the case gives one. Relative
//! cases resolve against a fixed reference day.

use std::fmt;
use std::path::Path;

use chrono::{Duration, NaiveDate};
use rasad_model::{DateMention, Lang};

use crate::EvalError;

/// The day relative cases resolve against.
const REFERENCE: (i32, u32, u32) = (2015, 1, 10);

/// The kind of a case, as the report groups them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CaseKind {
    SolarHijri,
    Islamic,
    Relative,
    Gregorian,
}

impl fmt::Display for CaseKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            CaseKind::SolarHijri => "Solar Hijri",
            CaseKind::Islamic => "Islamic (Hijri)",
            CaseKind::Relative => "relative",
            CaseKind::Gregorian => "Gregorian",
        })
    }
}

/// One expected date in one text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerCase {
    pub kind: CaseKind,
    pub lang: Lang,
    /// Where it comes from: `file:line`.
    pub origin: String,
    pub text: String,
    /// The expected day.
    pub day: NaiveDate,
    /// Only the month is given (`سپتامبر 1939`).
    pub month_only: bool,
    /// The expected time of day, when the case gives one other than midnight.
    pub time: Option<(u32, u32)>,
}

/// How rasad did on one case.
#[derive(Debug, Clone)]
pub struct PeerOutcome {
    pub case: PeerCase,
    pub found: bool,
    /// `Some(right)` when the case has a time.
    pub time_right: Option<bool>,
    /// What rasad gave instead (values of the dates it found).
    pub got: Vec<String>,
}

/// The report of `rasad eval dates --dateparser PATH`.
#[derive(Debug, Clone)]
pub struct PeerDateReport {
    pub outcomes: Vec<PeerOutcome>,
}

impl PeerDateReport {
    #[must_use]
    pub fn found(&self) -> usize {
        self.outcomes.iter().filter(|o| o.found).count()
    }

    #[must_use]
    pub fn total(&self) -> usize {
        self.outcomes.len()
    }
}

impl fmt::Display for PeerDateReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "dateparser's ar/fa test cases: {} of {} dates found",
            self.found(),
            self.total()
        )?;
        let mut kinds: Vec<CaseKind> = self.outcomes.iter().map(|o| o.case.kind).collect();
        kinds.sort();
        kinds.dedup();
        for kind in kinds {
            let of: Vec<&PeerOutcome> = self.outcomes.iter().filter(|o| o.case.kind == kind).collect();
            let timed: Vec<bool> = of.iter().filter_map(|o| o.time_right).collect();
            write!(
                f,
                "  {kind:<16} {:>3} of {:>3}",
                of.iter().filter(|o| o.found).count(),
                of.len()
            )?;
            if !timed.is_empty() {
                write!(
                    f,
                    "   times right {} of {}",
                    timed.iter().filter(|t| **t).count(),
                    timed.len()
                )?;
            }
            writeln!(f)?;
        }
        let misses: Vec<&PeerOutcome> = self
            .outcomes
            .iter()
            .filter(|o| !o.found || o.time_right == Some(false))
            .collect();
        if !misses.is_empty() {
            writeln!(f, "  misses:")?;
            for o in misses {
                let want = match (o.case.month_only, o.case.time) {
                    (true, _) => o.case.day.format("%Y-%m").to_string(),
                    (false, Some((h, m))) => format!("{}T{h:02}:{m:02}", o.case.day),
                    (false, None) => o.case.day.to_string(),
                };
                let text: String = o.case.text.chars().take(60).collect();
                writeln!(
                    f,
                    "    {} {}: \"{text}\" want {want}, got [{}]",
                    o.case.origin,
                    o.case.kind,
                    o.got.join(", ")
                )?;
            }
        }
        Ok(())
    }
}

/// Reads the cases from a dateparser checkout (its root, or its `tests/` folder).
///
/// # Errors
/// When none of the test files can be read.
pub fn dateparser_cases(checkout: &Path) -> Result<Vec<PeerCase>, EvalError> {
    let tests = if checkout.join("tests").is_dir() {
        checkout.join("tests")
    } else {
        checkout.to_path_buf()
    };
    let read = |name: &str| -> Result<Option<String>, EvalError> {
        let path = tests.join(name);
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(EvalError::Io { path, source }),
        }
    };
    type Reader = fn(&str, &str) -> Vec<PeerCase>;
    let readers: [(&str, Reader); 5] = [
        ("test_jalali.py", |text, file| {
            keyword_cases(text, file, "date_string", "dt", CaseKind::SolarHijri, Lang::Fa)
        }),
        ("test_hijri.py", |text, file| {
            keyword_cases(text, file, "dt_string", "dt_obj", CaseKind::Islamic, Lang::Ar)
        }),
        ("test_freshness_date_parser.py", freshness_cases),
        ("test_languages.py", translation_cases),
        ("test_search.py", search_cases),
    ];
    let mut cases = Vec::new();
    let mut any = false;
    for (file, reader) in readers {
        if let Some(text) = read(file)? {
            any = true;
            cases.extend(reader(&text, file));
        }
    }
    if !any {
        return Err(EvalError::Io {
            path: tests,
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no dateparser test files here"),
        });
    }
    // The same text and date in two test files is one case.
    let mut seen = std::collections::HashSet::new();
    cases.retain(|c| seen.insert((c.text.clone(), c.day, c.time)));
    Ok(cases)
}

/// Scores rasad on the cases of a dateparser checkout.
///
/// # Errors
/// When the checkout's test files cannot be read.
pub fn evaluate_dateparser(checkout: &Path) -> Result<PeerDateReport, EvalError> {
    let cases = dateparser_cases(checkout)?;
    Ok(score(cases))
}

/// Scores rasad on the given cases.
#[must_use]
pub fn score(cases: Vec<PeerCase>) -> PeerDateReport {
    let reference = reference();
    let outcomes = cases
        .into_iter()
        .map(|case| {
            let mentions = rasad_dates::extract(&case.text, case.lang, Some(reference));
            outcome(case, &mentions)
        })
        .collect();
    PeerDateReport { outcomes }
}

fn reference() -> NaiveDate {
    let (y, m, d) = REFERENCE;
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn outcome(case: PeerCase, mentions: &[DateMention]) -> PeerOutcome {
    let want_day = case.day.format("%Y-%m-%d").to_string();
    let want = if case.month_only {
        case.day.format("%Y-%m").to_string()
    } else {
        want_day.clone()
    };
    let got: Vec<String> = mentions.iter().filter_map(|m| m.value.clone()).collect();
    let hit = got.iter().find(|v| {
        if case.month_only {
            v.as_str() == want || v.starts_with(&format!("{want}-"))
        } else {
            v.get(..10) == Some(want.as_str())
        }
    });
    let found = hit.is_some();
    let time_right = case.time.map(|(h, m)| {
        let t = format!("{want_day}T{h:02}:{m:02}");
        got.iter().any(|v| v.starts_with(&t))
    });
    PeerOutcome {
        case,
        found,
        time_right,
        got,
    }
}

// ---- hijri-converter's Umm al-Qura vectors ----

/// One file of hijri-converter's conversion vectors, scored.
#[derive(Debug, Clone, Default)]
pub struct ConversionScore {
    pub file: String,
    pub vectors: usize,
    /// Hijri → Gregorian and back both right, with rasad's calendar.
    pub right: usize,
    /// Hijri → Gregorian right with ICU4X's computed calendar alone.
    pub computed_right: usize,
    /// Vectors outside the published years (1343-1500 AH).
    pub outside: usize,
    pub misses: Vec<String>,
}

/// `rasad eval dates --hijri-converter PATH`: the Umm al-Qura vectors of hijri-converter's tests.
#[derive(Debug, Clone, Default)]
pub struct ConversionReport {
    pub files: Vec<ConversionScore>,
}

impl fmt::Display for ConversionReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Umm al-Qura conversions against hijri-converter's test vectors"
        )?;
        for s in &self.files {
            writeln!(
                f,
                "  {:<36} {:>4} vectors: rasad {:>4} right both ways; ICU4X's computed calendar alone {:>4}; outside the published years {}",
                s.file, s.vectors, s.right, s.computed_right, s.outside
            )?;
            for m in s.misses.iter().take(10) {
                writeln!(f, "    miss: {m}")?;
            }
        }
        Ok(())
    }
}

/// Reads `tests/other/data/*.json` of a hijri-converter checkout: `[label, [[y, m, d], [y, m, d]]]`
/// rows pairing an Umm al-Qura date with its Gregorian day.
///
/// # Errors
/// When the folder or a file cannot be read or is not such JSON.
pub fn evaluate_umm_al_qura(checkout: &Path) -> Result<ConversionReport, EvalError> {
    let dir = [checkout.join("tests/other/data"), checkout.to_path_buf()]
        .into_iter()
        .find(|d| d.join("ummalqura_calendar_website.json").is_file())
        .ok_or_else(|| EvalError::Missing(checkout.join("tests/other/data")))?;
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|source| EvalError::Io {
            path: dir.clone(),
            source,
        })?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let mut report = ConversionReport::default();
    for path in paths {
        let text = std::fs::read_to_string(&path).map_err(|source| EvalError::Io {
            path: path.clone(),
            source,
        })?;
        let rows: Vec<(serde_json::Value, [[i64; 3]; 2])> =
            serde_json::from_str(&text).map_err(|e| EvalError::Format {
                path: path.clone(),
                message: e.to_string(),
            })?;
        let mut score = ConversionScore {
            file: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            vectors: rows.len(),
            ..ConversionScore::default()
        };
        for (_, [h, g]) in rows {
            let (Ok(hy), Ok(hm), Ok(hd)) = (i32::try_from(h[0]), u8::try_from(h[1]), u8::try_from(h[2]))
            else {
                continue;
            };
            let want = i32::try_from(g[0]).ok().and_then(|y| {
                NaiveDate::from_ymd_opt(y, u32::try_from(g[1]).ok()?, u32::try_from(g[2]).ok()?)
            });
            let Some(want) = want else { continue };
            if !(1343..=1500).contains(&hy) {
                score.outside += 1;
            }
            let cal = rasad_model::Calendar::IslamicUmmAlQura;
            let got = rasad_dates::calendar::to_gregorian(cal, hy, hm, hd);
            let back = rasad_dates::calendar::from_gregorian(cal, want);
            if got == Some(want) && back == Some((hy, hm, hd)) {
                score.right += 1;
            } else {
                score.misses.push(format!(
                    "{hy}-{hm:02}-{hd:02} AH is {want}; rasad {} and back {}",
                    got.map_or("none".to_string(), |d| d.to_string()),
                    back.map_or("none".to_string(), |(y, m, d)| format!("{y}-{m:02}-{d:02}"))
                ));
            }
            if rasad_dates::calendar::computed_umm_al_qura(hy, hm, hd) == Some(want) {
                score.computed_right += 1;
            }
        }
        report.files.push(score);
    }
    Ok(report)
}

// ---- the cases of each test file ----

fn keyword_cases(
    text: &str,
    file: &str,
    text_key: &str,
    date_key: &str,
    kind: CaseKind,
    lang: Lang,
) -> Vec<PeerCase> {
    params(text)
        .into_iter()
        .filter_map(|(line, args)| {
            let body = args.keyword(text_key)?.as_str()?.trim().to_string();
            let (day, time) = args.keyword(date_key)?.as_datetime()?;
            Some(PeerCase {
                kind,
                lang,
                origin: format!("{file}:{line}"),
                text: body,
                day,
                month_only: false,
                time,
            })
        })
        .collect()
}

fn freshness_cases(text: &str, file: &str) -> Vec<PeerCase> {
    params(text)
        .into_iter()
        .filter_map(|(line, args)| {
            let body = args.positional.first()?.as_str()?;
            if !has_arabic_script(body) {
                return None;
            }
            let Value::Dict(ago) = args.keyword("ago")? else {
                return None;
            };
            let [(unit, Value::Int(n))] = ago.as_slice() else {
                return None;
            };
            let day = ago_day(unit, *n)?;
            Some(PeerCase {
                kind: CaseKind::Relative,
                lang: Lang::Ar,
                origin: format!("{file}:{line}"),
                text: body.to_string(),
                day,
                month_only: false,
                time: None,
            })
        })
        .collect()
}

fn translation_cases(text: &str, file: &str) -> Vec<PeerCase> {
    params(text)
        .into_iter()
        .filter_map(|(line, args)| {
            let [lang, body, english] = args.positional.as_slice() else {
                return None;
            };
            let lang = ar_or_fa(lang.as_str()?)?;
            let english = english.as_str()?.to_ascii_lowercase();
            let words: Vec<&str> = english.split_whitespace().collect();
            let (kind, day, time) = if words.contains(&"ago") {
                let n = words.iter().find_map(|w| w.parse::<i64>().ok())?;
                let unit = words.iter().find(|w| w.parse::<i64>().is_err() && **w != "ago")?;
                (CaseKind::Relative, ago_day(&format!("{unit}s"), n)?, None)
            } else {
                let (day, time) = english_date(&words)?;
                (CaseKind::Gregorian, day, time)
            };
            Some(PeerCase {
                kind,
                lang,
                origin: format!("{file}:{line}"),
                text: body.as_str()?.to_string(),
                day,
                month_only: false,
                time,
            })
        })
        .collect()
}

fn search_cases(text: &str, file: &str) -> Vec<PeerCase> {
    params(text)
        .into_iter()
        .flat_map(|(line, args)| {
            let mut out = Vec::new();
            let (Some(lang), Some(body), Some(Value::List(found))) = (
                args.positional.first().and_then(Value::as_str),
                args.positional.get(1).and_then(Value::as_str),
                args.positional.get(2),
            ) else {
                return out;
            };
            let Some(lang) = ar_or_fa(lang) else {
                return out;
            };
            for item in found {
                let Value::Tuple(pair) = item else { continue };
                let [Value::Str(phrase), when] = pair.as_slice() else {
                    continue;
                };
                let Some((day, time)) = when.as_datetime() else {
                    continue;
                };
                // dateparser fills a missing day with the 1st: a phrase with one number is a month.
                let numbers = phrase
                    .split(|c: char| !c.is_ascii_digit())
                    .filter(|s| !s.is_empty())
                    .count();
                out.push(PeerCase {
                    kind: CaseKind::Gregorian,
                    lang,
                    origin: format!("{file}:{line}"),
                    text: body.to_string(),
                    day,
                    month_only: numbers == 1,
                    time,
                });
            }
            out
        })
        .collect()
}

/// The test rows' language code, when it is one this evaluation reads.
fn ar_or_fa(code: &str) -> Option<Lang> {
    match code {
        "ar" => Some(Lang::Ar),
        "fa" => Some(Lang::Fa),
        _ => None,
    }
}

fn has_arabic_script(text: &str) -> bool {
    text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

fn ago_day(unit: &str, n: i64) -> Option<NaiveDate> {
    let reference = reference();
    match unit {
        "days" => reference.checked_sub_signed(Duration::days(n)),
        "weeks" => reference.checked_sub_signed(Duration::weeks(n)),
        // Hours and minutes ago stay on the reference day at the reference's noon.
        "hours" if n < 12 => Some(reference),
        "minutes" | "seconds" => Some(reference),
        _ => None,
    }
}

/// "6 january 2015 05:16 pm" → the day and the time.
fn english_date(words: &[&str]) -> Option<(NaiveDate, Option<(u32, u32)>)> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let month = words
        .iter()
        .find_map(|w| MONTHS.iter().position(|m| m == w))
        .and_then(|i| u32::try_from(i + 1).ok())?;
    let numbers: Vec<u32> = words.iter().filter_map(|w| w.parse().ok()).collect();
    let year = numbers.iter().copied().find(|n| *n > 31)?;
    let day = numbers.iter().copied().find(|n| (1..=31).contains(n))?;
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    let time = words.iter().enumerate().find_map(|(i, w)| {
        let (h, m) = w.split_once(':')?;
        let (mut h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        match words.get(i + 1) {
            Some(&"pm") if h < 12 => h += 12,
            Some(&"am") if h == 12 => h = 0,
            _ => {}
        }
        Some((h, m))
    });
    Some((date, time.filter(|t| *t != (0, 0))))
}

// ---- a tokenizer for the Python literals of `param(...)` rows ----

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Str(String),
    Int(i64),
    Name(String),
    Call(String, Vec<Value>),
    List(Vec<Value>),
    Tuple(Vec<Value>),
    Dict(Vec<(String, Value)>),
}

impl Value {
    fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// `datetime(2015, 8, 25, 0, 0)` or `datetime.datetime(...)`.
    fn as_datetime(&self) -> Option<(NaiveDate, Option<(u32, u32)>)> {
        let Value::Call(name, args) = self else {
            return None;
        };
        if name != "datetime" && name != "datetime.datetime" {
            return None;
        }
        let n: Vec<i64> = args
            .iter()
            .map_while(|a| match a {
                Value::Int(i) => Some(*i),
                _ => None,
            })
            .collect();
        let part = |i: usize| n.get(i).copied().and_then(|v| u32::try_from(v).ok());
        let day = NaiveDate::from_ymd_opt(i32::try_from(*n.first()?).ok()?, part(1)?, part(2)?)?;
        let time = match (part(3), part(4)) {
            (Some(h), m) if (h, m.unwrap_or(0)) != (0, 0) => Some((h, m.unwrap_or(0))),
            _ => None,
        };
        Some((day, time))
    }
}

#[derive(Debug, Default)]
struct Args {
    positional: Vec<Value>,
    keywords: Vec<(String, Value)>,
}

impl Args {
    fn keyword(&self, key: &str) -> Option<&Value> {
        self.keywords.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Str(String),
    Int(i64),
    Name(String),
    Punct(char),
}

/// Every `param(...)` row of a file whose arguments are literals, with its line.
fn params(text: &str) -> Vec<(usize, Args)> {
    let tokens = tokenize(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if let Some((line, Token::Name(name))) = tokens.get(i)
            && name == "param"
            && matches!(tokens.get(i + 1), Some((_, Token::Punct('('))))
        {
            let mut at = i + 2;
            if let Some(args) = arguments(&tokens, &mut at) {
                out.push((*line, args));
            }
            i = at.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

fn arguments(tokens: &[(usize, Token)], at: &mut usize) -> Option<Args> {
    let mut args = Args::default();
    loop {
        match tokens.get(*at).map(|(_, t)| t) {
            Some(Token::Punct(')')) => {
                *at += 1;
                return Some(args);
            }
            Some(Token::Punct(',')) => *at += 1,
            Some(Token::Name(key)) if matches!(tokens.get(*at + 1), Some((_, Token::Punct('=')))) => {
                let key = key.clone();
                *at += 2;
                let value = value(tokens, at)?;
                args.keywords.push((key, value));
            }
            Some(_) => {
                let value = value(tokens, at)?;
                args.positional.push(value);
            }
            None => return None,
        }
    }
}

fn value(tokens: &[(usize, Token)], at: &mut usize) -> Option<Value> {
    let (_, token) = tokens.get(*at)?;
    *at += 1;
    match token {
        Token::Str(s) => {
            let mut s = s.clone();
            // Implicit concatenation: "a" "b".
            while let Some((_, Token::Str(next))) = tokens.get(*at) {
                s.push_str(next);
                *at += 1;
            }
            Some(Value::Str(s))
        }
        Token::Int(n) => Some(Value::Int(*n)),
        Token::Punct('-') => match value(tokens, at)? {
            Value::Int(n) => Some(Value::Int(-n)),
            _ => None,
        },
        Token::Name(name) => {
            if matches!(tokens.get(*at), Some((_, Token::Punct('(')))) {
                *at += 1;
                let args = arguments(tokens, at)?;
                Some(Value::Call(name.clone(), args.positional))
            } else {
                Some(Value::Name(name.clone()))
            }
        }
        Token::Punct(open @ ('[' | '(')) => {
            let close = if *open == '[' { ']' } else { ')' };
            let mut items = Vec::new();
            loop {
                match tokens.get(*at).map(|(_, t)| t) {
                    Some(Token::Punct(c)) if *c == close => {
                        *at += 1;
                        break;
                    }
                    Some(Token::Punct(',')) => *at += 1,
                    Some(_) => items.push(value(tokens, at)?),
                    None => return None,
                }
            }
            Some(if *open == '[' {
                Value::List(items)
            } else {
                Value::Tuple(items)
            })
        }
        Token::Punct('{') => {
            let mut items = Vec::new();
            loop {
                match tokens.get(*at).map(|(_, t)| t) {
                    Some(Token::Punct('}')) => {
                        *at += 1;
                        break;
                    }
                    Some(Token::Punct(',')) => *at += 1,
                    Some(Token::Str(key)) if matches!(tokens.get(*at + 1), Some((_, Token::Punct(':')))) => {
                        let key = key.clone();
                        *at += 2;
                        items.push((key, value(tokens, at)?));
                    }
                    _ => return None,
                }
            }
            Some(Value::Dict(items))
        }
        Token::Punct(_) => None,
    }
}

/// Strings (single or double quotes, with backslash escapes and an `r`/`u` prefix), integers,
/// dotted names and punctuation, each with its line; comments are skipped.
fn tokenize(text: &str) -> Vec<(usize, Token)> {
    let mut out = Vec::new();
    let mut line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            '#' => {
                while chars.peek().is_some_and(|c| *c != '\n') {
                    chars.next();
                }
            }
            '"' | '\'' => {
                let at = line;
                let mut s = String::new();
                while let Some(d) = chars.next() {
                    match d {
                        '\\' => match chars.next() {
                            Some('n') => s.push('\n'),
                            Some('t') => s.push('\t'),
                            Some(e) => s.push(e),
                            None => break,
                        },
                        '\n' => {
                            line += 1;
                            s.push('\n');
                        }
                        d if d == c => break,
                        d => s.push(d),
                    }
                }
                out.push((at, Token::Str(s)));
            }
            c if c.is_ascii_digit() => {
                let mut n = String::from(c);
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    n.push(d);
                    chars.next();
                }
                out.push((line, Token::Int(n.parse().unwrap_or(i64::MAX))));
            }
            c if c.is_alphabetic() || c == '_' => {
                let mut name = String::from(c);
                while let Some(d) = chars
                    .peek()
                    .copied()
                    .filter(|d| d.is_alphanumeric() || *d == '_' || *d == '.')
                {
                    name.push(d);
                    chars.next();
                }
                // A string prefix: r"…", u"…", f"…".
                if matches!(name.as_str(), "r" | "u" | "f" | "b") && matches!(chars.peek(), Some('"' | '\''))
                {
                    continue;
                }
                out.push((line, Token::Name(name)));
            }
            c if c.is_whitespace() => {}
            c => out.push((line, Token::Punct(c))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
class T:
    @parameterized.expand(
        [
            param(
                date_string="سه شنبه سوم شهریور ۱۳۹۴", dt=datetime(2015, 8, 25, 0, 0)
            ),
            param(date_string="پنجشنبه ۲۶ شهريور ۱۳۹۴ ساعت ۹:۳۲", dt=datetime(2015, 9, 17, 9, 32)),  # with time
            param("ar", "أمس", "1 day ago"),
            param("ar", "يومين", "2 day"),
            param("ar", "6 يناير، 2015، الساعة 05:16 مساءً", "6 january 2015 05:16 pm"),
            param("منذ 3 أيام", ago={"days": 3}, period="day"),
            param("fa", "بین سپتامبر 1939 و "
                  "2 سپتامبر 1945 بود.",
                [("سپتامبر 1939", datetime.datetime(1939, 9, 1, 0, 0)),
                 ("2 سپتامبر 1945", datetime.datetime(1945, 9, 2, 0, 0))],
                settings={"RELATIVE_BASE": datetime.datetime(2000, 1, 1)}),
        ]
    )
"#;

    #[test]
    fn param_rows_are_read_with_their_literals() {
        let jalali = keyword_cases(
            SAMPLE,
            "t.py",
            "date_string",
            "dt",
            CaseKind::SolarHijri,
            Lang::Fa,
        );
        assert_eq!(jalali.len(), 2);
        assert_eq!(jalali[0].day, NaiveDate::from_ymd_opt(2015, 8, 25).unwrap());
        assert_eq!(jalali[0].time, None);
        assert_eq!(jalali[1].time, Some((9, 32)));
        assert_eq!(jalali[1].origin, "t.py:8");

        let translated = translation_cases(SAMPLE, "t.py");
        assert_eq!(translated.len(), 2, "{translated:?}");
        assert_eq!(translated[0].kind, CaseKind::Relative);
        assert_eq!(translated[0].day, NaiveDate::from_ymd_opt(2015, 1, 9).unwrap());
        assert_eq!(translated[1].kind, CaseKind::Gregorian);
        assert_eq!(translated[1].time, Some((17, 16)));

        let fresh = freshness_cases(SAMPLE, "t.py");
        assert_eq!(fresh.len(), 1);
        assert_eq!(fresh[0].day, NaiveDate::from_ymd_opt(2015, 1, 7).unwrap());

        let search = search_cases(SAMPLE, "t.py");
        assert_eq!(search.len(), 2);
        assert!(
            search[0].text.ends_with("بود."),
            "concatenated: {}",
            search[0].text
        );
        assert!(search[0].month_only && !search[1].month_only);
    }

    #[test]
    fn a_case_is_found_only_with_the_expected_day() {
        let cases = keyword_cases(
            SAMPLE,
            "t.py",
            "date_string",
            "dt",
            CaseKind::SolarHijri,
            Lang::Fa,
        );
        let report = score(cases);
        assert_eq!(report.total(), 2);
        // 3 Shahrivar 1394 is 2015-08-25: rasad reads it.
        assert!(report.outcomes[0].found, "{report}");
        let text = report.to_string();
        assert!(text.contains("of 2 dates found"), "{text}");
    }

    #[test]
    fn hijri_converters_vectors_when_a_checkout_is_at_hand() {
        let Some(checkout) = std::env::var_os("RASAD_HIJRI_CONVERTER").map(std::path::PathBuf::from) else {
            eprintln!("skipped: set RASAD_HIJRI_CONVERTER to a checkout of dralshehri/hijri-converter");
            return;
        };
        let report = evaluate_umm_al_qura(&checkout).unwrap();
        println!("{report}");
        // The fetched snapshot (2.1.1, 2020) has one newspaper vector (1354-12-11) that the 2.3.1
        // table rasad's data comes from dates a day earlier.
        for file in &report.files {
            assert!(file.right + 1 >= file.vectors, "{report}");
        }
    }

    #[test]
    fn dateparsers_own_cases_when_a_checkout_is_at_hand() {
        let Some(checkout) = std::env::var_os("RASAD_DATEPARSER").map(std::path::PathBuf::from) else {
            eprintln!("skipped: set RASAD_DATEPARSER to a checkout of scrapinghub/dateparser");
            return;
        };
        let report = evaluate_dateparser(&checkout).unwrap();
        println!("{report}");
        assert!(report.total() >= 40, "{report}");
    }
}
