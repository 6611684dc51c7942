//! Dates: finds date and time expressions in Arabic, Persian and English text and normalizes them to
//! ISO 8601 with their granularity, the calendar they were written in, and their span.
//!
//! Calendars: Gregorian (Egyptian/Gulf and Levantine month names, Persian transliterations, English),
//! Solar Hijri and Islamic Hijri (Umm al-Qura), converted with ICU4X ([`calendar`]). Relative
//! expressions ("أمس الأربعاء", "دیروز (پنجشنبه)", "يوليو الماضي", "last week") resolve against a
//! reference date; a weekday that contradicts its expression leaves the value empty with a note rather
//! than a guess. Values: `2022-09-08` (day), `2022-09-08T20:00` (time), `2022-07` (Gregorian month),
//! `2014` (Gregorian year), `2022-W36` (week), and for months and years of other calendars the
//! Gregorian interval they cover (`2022-08-23/2022-09-22`).
//!
//! The words are data (`data/dates/lexicon.tsv`); the grammar of how they combine is here.

pub mod calendar;
mod lexicon;
pub mod umm_al_qura;

use chrono::{Datelike, Duration, NaiveDate};
use rasad_model::{Calendar, DateMention, DateRole, Granularity, Lang, Span};
use rasad_normalize::Token;

use lexicon::{Word, lexicon};

/// Finds the date expressions of `text`, resolving relative ones against `reference`.
#[must_use]
pub fn extract(text: &str, lang: Lang, reference: Option<NaiveDate>) -> Vec<DateMention> {
    let scanner = Scanner {
        text,
        tokens: rasad_normalize::shared_tokens(text),
        lang,
        reference,
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < scanner.tokens.len() {
        match scanner.parse_at(i) {
            Some((mention, next)) => {
                out.push(mention);
                i = next.max(i + 1);
            }
            None => i += 1,
        }
    }
    check_equivalents(text, &mut out);
    out
}

/// A Hijri date followed by the Gregorian date it is said to equal ("14 رمضان 1432 هـ الموافق 14
/// أغسطس 2011"): when the two disagree (a conversion off by a day or two, or a misprint), the Hijri
/// mention takes the Gregorian value, which the writer gave explicitly, with a note saying so.
fn check_equivalents(text: &str, mentions: &mut [DateMention]) {
    for k in 1..mentions.len() {
        let (Some(hijri), Some(greg)) = (mentions.get(k - 1), mentions.get(k)) else {
            continue;
        };
        let islamic = matches!(
            hijri.calendar,
            Calendar::IslamicUmmAlQura | Calendar::IslamicTabular
        );
        let days = |m: &DateMention| {
            matches!(m.granularity, Granularity::Day | Granularity::Time)
                .then(|| m.value.as_deref().and_then(|v| v.get(..10)))
                .flatten()
                .map(str::to_string)
        };
        let between = text.get(hijri.span.end..greg.span.start).unwrap_or("");
        if !islamic
            || greg.calendar != Calendar::Gregorian
            || !between.contains("موافق")
            || between.chars().count() > 24
        {
            continue;
        }
        let (Some(h), Some(g)) = (days(hijri), days(greg)) else {
            continue;
        };
        if h != g
            && let Some(m) = mentions.get_mut(k - 1)
        {
            m.note = Some(format!(
                "converted, this Hijri date is {h}, but the Gregorian date written beside it says {g}; {g} is kept"
            ));
            m.value = Some(g);
        }
    }
}

/// The value and shape of a parsed expression, before it becomes a [`DateMention`].
struct Parsed {
    value: Option<String>,
    granularity: Granularity,
    calendar: Calendar,
    relative: bool,
    note: Option<String>,
}

impl Parsed {
    fn day(date: Option<NaiveDate>, calendar: Calendar) -> Self {
        let note = match date {
            None => Some("no such day in this calendar".into()),
            Some(d) if calendar == Calendar::IslamicUmmAlQura && !umm_al_qura::covers(d) => {
                Some(COMPUTED_UMM_AL_QURA.into())
            }
            Some(_) => None,
        };
        Self {
            value: date.map(|d| d.format("%Y-%m-%d").to_string()),
            granularity: Granularity::Day,
            calendar,
            relative: false,
            note,
        }
    }

    fn unresolved(granularity: Granularity, calendar: Calendar, note: &str) -> Self {
        Self {
            value: None,
            granularity,
            calendar,
            relative: true,
            note: Some(note.to_string()),
        }
    }
}

struct Scanner<'t> {
    text: &'t str,
    tokens: std::rc::Rc<[Token]>,
    lang: Lang,
    reference: Option<NaiveDate>,
}

/// Outside the published Umm al-Qura years the date is ICU4X's computation of the calendar.
const COMPUTED_UMM_AL_QURA: &str = "Umm al-Qura outside 1343-1500 AH, where no published calendar \
     exists: ICU4X's computed calendar, which can differ from the Saudi one by a day or two";

const NO_REFERENCE: &str = "relative date and no reference date (give --reference-date)";

impl Scanner<'_> {
    fn key(&self, i: usize) -> Option<&str> {
        self.tokens.get(i).map(|t| t.key.as_str())
    }

    /// The text between token `i - 1` and token `i`.
    fn gap(&self, i: usize) -> &str {
        let start = if i == 0 {
            0
        } else {
            self.tokens.get(i - 1).map_or(0, |t| t.span.end)
        };
        let end = self.tokens.get(i).map_or(self.text.len(), |t| t.span.start);
        self.text.get(start..end).unwrap_or("")
    }

    fn number(&self, i: usize) -> Option<(u32, usize)> {
        let key = self.key(i)?;
        if key.is_empty() || key.len() > 4 || !key.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some((key.parse().ok()?, key.len()))
    }

    /// The longest lexicon form starting at token `i`, with the number of tokens it spans.
    fn word(&self, i: usize) -> Option<(Word, usize)> {
        let lex = lexicon();
        let longer = self.key(i).is_some_and(|k| lex.starts_longer_form(k));
        for n in (1..=lex.max_tokens).rev() {
            if i + n > self.tokens.len() || (n > 1 && !longer) {
                continue;
            }
            // A form's words must be separated by blanks only.
            if (i + 1..i + n).any(|j| !self.gap(j).trim().is_empty()) {
                continue;
            }
            let found = if n == 1 {
                self.key(i).and_then(|k| lex.get(k, self.lang))
            } else {
                let key: Vec<&str> = (i..i + n).filter_map(|j| self.key(j)).collect();
                lex.get(&key.join(" "), self.lang)
            };
            if let Some(word) = found {
                return Some((word, n));
            }
        }
        let key = self.key(i)?;
        // Arabic proclitics on a single word: وأمس, بيوليو, والخميس.
        if let Some(rest) = key.strip_prefix(['و', 'ف', 'ب', 'ل'])
            && let Some(word) = lex.get(rest, self.lang)
        {
            return Some((word, 1));
        }
        // Persian month names written together with ماه: مهرماه.
        if let Some(rest) = key.strip_suffix("ماه")
            && let Some(word @ Word::SMonth(_)) = lex.get(rest, self.lang)
        {
            return Some((word, 1));
        }
        None
    }

    fn span(&self, first: usize, last: usize) -> Span {
        let start = self.tokens.get(first).map_or(0, |t| t.span.start);
        let end = self.tokens.get(last).map_or(start, |t| t.span.end);
        Span::new(start, end)
    }

    fn mention(&self, first: usize, last: usize, parsed: Parsed) -> (DateMention, usize) {
        let span = self.span(first, last);
        let mention = DateMention {
            span,
            text: span.slice(self.text).unwrap_or("").to_string(),
            value: parsed.value,
            granularity: parsed.granularity,
            calendar: parsed.calendar,
            role: DateRole::Mention,
            relative: parsed.relative,
            note: parsed.note,
        };
        (mention, last + 1)
    }

    fn parse_at(&self, i: usize) -> Option<(DateMention, usize)> {
        if let Some(found) = self.numeric(i) {
            return Some(found);
        }
        if self.number(i).is_some() {
            return self
                .ago_after(i)
                .or_else(|| self.day_month(i, i, None))
                .or_else(|| self.bare_year(i));
        }
        let (word, n) = self.word(i)?;
        match word {
            Word::Weekday(wd) => {
                // "الخميس 8 سبتمبر 2022", "Thursday, 8 September 2022".
                let mut j = i + n;
                if self.gap(j).trim().trim_matches([',', '،']).is_empty()
                    && let Some(found) = self.date_after_weekday(i, j, wd)
                {
                    return Some(found);
                }
                // جمعه alone is as often the Friday prayer (نماز جمعه, امام جمعه) as the day.
                if self.lang == Lang::Fa && wd == 5 && !matches!(self.word(j), Some((Word::Past, _))) {
                    return None;
                }
                // "الأربعاء الماضي".
                let mut strictly_before = false;
                if let Some((Word::Past, m)) = self.word(j) {
                    strictly_before = true;
                    j += m;
                }
                Some(self.mention(i, j - 1, self.weekday(wd, strictly_before)))
            }
            Word::DayWord => match self.word(i + n) {
                // "روز سه‌شنبه سوم شهریور ۱۳۹۴": the weekday belongs to the date after it.
                Some((Word::Weekday(wd), m)) => {
                    let j = i + n + m;
                    if self.gap(j).trim().trim_matches([',', '،']).is_empty()
                        && let Some(found) = self.date_after_weekday(i, j, wd)
                    {
                        return Some(found);
                    }
                    // "روز چهارشنبه", "يوم الأربعاء".
                    Some(self.mention(i, j - 1, self.weekday(wd, false)))
                }
                _ => None,
            },
            Word::Ordinal(_) => self.ordinal_date(i, i, None),
            Word::Num(_) => self.ago_after(i),
            Word::Ago => self.ago_before(i, n).or_else(|| match self.word(i + n) {
                // "منذ يوليو": since July.
                Some((Word::GMonth(_) | Word::SMonth(_) | Word::HMonth(_), _)) => {
                    self.month_led(i + n, Some(false))
                }
                _ => None,
            }),
            Word::Day(offset) => Some(self.relative_day(i, n, offset)),
            Word::Week(offset) => Some(self.mention(i, i + n - 1, self.relative_week(offset))),
            Word::Month(offset) => Some(self.mention(i, i + n - 1, self.relative_month(offset))),
            Word::Year(offset) => Some(self.mention(i, i + n - 1, self.relative_year(offset))),
            Word::YearWord => self.year_after_word(i, n),
            Word::GMonth(_) | Word::SMonth(_) | Word::HMonth(_) => self.month_led(i, None),
            Word::Past => match self.word(i + n) {
                // English "last July" / "last Wednesday".
                Some((Word::GMonth(m), k)) if self.lang == Lang::En => {
                    Some(self.mention(i, i + n + k - 1, self.recent_month(m, true)))
                }
                Some((Word::Weekday(wd), k)) if self.lang == Lang::En => {
                    Some(self.mention(i, i + n + k - 1, self.weekday(wd, true)))
                }
                _ => None,
            },
            Word::Prep | Word::MonthWord => match self.word(i + n) {
                Some((Word::GMonth(_) | Word::SMonth(_) | Word::HMonth(_), _)) => {
                    self.month_led(i + n, Some(word == Word::MonthWord))
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// Day-month-year with the day number at `day_at` (the expression starts at `first`, which may be
    /// a weekday checked against the date).
    fn day_month(&self, first: usize, day_at: usize, weekday: Option<u8>) -> Option<(DateMention, usize)> {
        let (day, digits) = self.number(day_at)?;
        if digits > 2 || !(1..=31).contains(&day) {
            return None;
        }
        self.dated(first, u8::try_from(day).ok()?, day_at + 1, weekday)
    }

    /// A date whose day is an ordinal word at `at`: "سوم شهریور", "بیست و سوم اردیبهشت ۱۴۰۱",
    /// "الثالث من مارس".
    fn ordinal_date(&self, first: usize, at: usize, weekday: Option<u8>) -> Option<(DateMention, usize)> {
        let (Word::Ordinal(day), n) = self.word(at)? else {
            return None;
        };
        let mut month_at = at + n;
        if let Some((Word::Of, k)) = self.word(month_at) {
            month_at += k;
        }
        self.dated(first, day, month_at, weekday)
    }

    /// The date a weekday at `first` introduces, its day at `at` (a number or an ordinal word).
    fn date_after_weekday(&self, first: usize, at: usize, wd: u8) -> Option<(DateMention, usize)> {
        self.day_month(first, at, Some(wd))
            .or_else(|| self.ordinal_date(first, at, Some(wd)))
    }

    /// A day of a month named at `month_at`, then an optional year and time.
    fn dated(
        &self,
        first: usize,
        day: u8,
        month_at: usize,
        weekday: Option<u8>,
    ) -> Option<(DateMention, usize)> {
        if !(1..=31).contains(&day) {
            return None;
        }
        let (word, n) = self.word(month_at)?;
        let (calendar, month) = month_of(word)?;
        let mut last = self.paired_month(month_at + n - 1, month);
        if let Some((Word::MonthWord, m)) = self.word(last + 1) {
            last += m;
        }
        let last_before_year = last;
        let (year, calendar, last) = match self.year_after(last + 1, calendar) {
            Some((year, calendar, end)) => (Some(year), calendar, end),
            None => (None, calendar, last),
        };
        let year_at = last_before_year + 1;
        let mut parsed = match year {
            Some(year) => {
                let mut parsed = Parsed::day(calendar::to_gregorian(calendar, year, month, day), calendar);
                // A two-digit Solar year ("22 شهریور 02") whose weekday fits the next century only.
                if calendar == Calendar::Persian
                    && matches!(self.number(year_at), Some((_, 2)))
                    && let Some(wd) = weekday
                    && let Some(next) = calendar::to_gregorian(calendar, year + 100, month, day)
                    && next.weekday().number_from_monday() == u32::from(wd)
                    && parsed
                        .value
                        .as_deref()
                        .and_then(|v| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok())
                        .is_none_or(|d| d.weekday().number_from_monday() != u32::from(wd))
                {
                    parsed = Parsed::day(Some(next), calendar);
                    parsed.note = Some(format!(
                        "two-digit year read as {} because the weekday written fits it",
                        year + 100
                    ));
                }
                parsed
            }
            None => self.day_without_year(calendar, month, day),
        };
        if let (Some(wd), Some(value)) = (weekday, parsed.value.as_deref())
            && let Ok(date) = NaiveDate::parse_from_str(value, "%Y-%m-%d")
            && date.weekday().number_from_monday() != u32::from(wd)
        {
            parsed.note = Some(format!(
                "the weekday written does not match {value}; date left unresolved"
            ));
            parsed.value = None;
        }
        let (parsed, last) = self.with_time(parsed, last);
        Some(self.mention(first, last, parsed))
    }

    /// A day and month with no year: the latest such day not more than a month after the reference.
    fn day_without_year(&self, calendar: Calendar, month: u8, day: u8) -> Parsed {
        let Some(reference) = self.reference else {
            return Parsed::unresolved(Granularity::Day, calendar, NO_REFERENCE);
        };
        let Some((ref_year, _, _)) = calendar::from_gregorian(calendar, reference) else {
            return Parsed::unresolved(Granularity::Day, calendar, "reference date out of range");
        };
        let limit = reference + Duration::days(31);
        let date = [ref_year + 1, ref_year, ref_year - 1]
            .into_iter()
            .filter_map(|y| calendar::to_gregorian(calendar, y, month, day))
            .find(|d| *d <= limit);
        let mut parsed = Parsed::day(date, calendar);
        parsed.relative = true;
        parsed.note = Some("year inferred from the reference date".into());
        parsed
    }

    /// A year number (with an optional era marker) at token `i`, in the calendar of the month before it.
    fn year_after(&self, i: usize, calendar: Calendar) -> Option<(i32, Calendar, usize)> {
        let (year, digits, glued) = match self.number(i) {
            Some((year, digits)) => (year, digits, None),
            None => {
                let (year, digits, word) = self.glued_year(i)?;
                (year, digits, Some(word))
            }
        };
        let year = i32::try_from(year).ok()?;
        let (calendar, last) = match glued.map(|w| (w, 0)).or_else(|| self.word(i + 1)) {
            Some((Word::Hijri, n)) => (Calendar::IslamicUmmAlQura, i + n),
            Some((Word::Solar, n)) => (Calendar::Persian, i + n),
            Some((Word::Gregorian, n)) => (Calendar::Gregorian, i + n),
            _ => (calendar, i),
        };
        let year = match (calendar, digits) {
            (Calendar::Persian, 2) => 1300 + year,
            (_, 4) => year,
            _ => return None,
        };
        Some((year, calendar, last))
    }

    /// A four-digit year written together with the word after it: a time word ("۱۴۰۱ساعت") or an
    /// era marker ("2011م", "1432هـ").
    fn glued_year(&self, i: usize) -> Option<(u32, usize, Word)> {
        let key = self.key(i)?;
        let digits = key.bytes().take_while(u8::is_ascii_digit).count();
        let rest = key.get(digits..)?;
        let word = self.lexicon_word(rest)?;
        if digits != 4 || !matches!(word, Word::TimeWord | Word::Hijri | Word::Solar | Word::Gregorian) {
            return None;
        }
        Some((key.get(..digits)?.parse().ok()?, digits, word))
    }

    fn lexicon_word(&self, key: &str) -> Option<Word> {
        lexicon().get(key, self.lang)
    }

    /// The last token of a month name and, when the same month follows after a slash in another
    /// set of names ("آب/أغسطس"), of that one.
    fn paired_month(&self, last: usize, month: u8) -> usize {
        if self.gap(last + 1).trim() == "/"
            && let Some((word, n)) = self.word(last + 1)
            && month_of(word).is_some_and(|(_, m)| m == month)
        {
            return last + n;
        }
        last
    }

    /// "عام 2014", "سال ۱۴۰۱", "سال 95", "عام 1444 هـ".
    fn year_after_word(&self, i: usize, n: usize) -> Option<(DateMention, usize)> {
        let (number, digits) = self.number(i + n)?;
        let default = if self.lang == Lang::Fa && (digits == 2 || (1200..1600).contains(&number)) {
            Calendar::Persian
        } else {
            Calendar::Gregorian
        };
        let (year, calendar, last) = self.year_after(i + n, default)?;
        Some(self.mention(i, last, year_value(calendar, year)?))
    }

    /// A bare four-digit year after a preposition, or before an era marker.
    fn bare_year(&self, i: usize) -> Option<(DateMention, usize)> {
        let (number, digits) = self.number(i)?;
        if digits != 4 {
            return None;
        }
        let marked = matches!(
            self.word(i + 1),
            Some((Word::Hijri | Word::Solar | Word::Gregorian, _))
        );
        let after_prep = i > 0 && matches!(self.word(i - 1), Some((Word::Prep, 1)));
        let standalone =
            self.gap(i + 1).trim_start().starts_with([')', '،', ',', '.']) || i + 1 >= self.tokens.len();
        if !(marked || after_prep || standalone) {
            return None;
        }
        let default = if self.lang == Lang::Fa && (1200..1600).contains(&number) {
            Calendar::Persian
        } else if marked || (1800..=2100).contains(&number) {
            Calendar::Gregorian
        } else {
            return None;
        };
        let (year, calendar, last) = self.year_after(i, default)?;
        Some(self.mention(i, last, year_value(calendar, year)?))
    }

    /// An expression led by a month name at `i`: "يوليو 2022", "September 7, 2022", "يوليو الماضي",
    /// "ماه مارس", "مهرماه". `introduced` says whether a preposition or month word came before
    /// (Some(true) for a month word, which becomes part of the span).
    fn month_led(&self, i: usize, introduced: Option<bool>) -> Option<(DateMention, usize)> {
        let (word, n) = self.word(i)?;
        let (calendar, month) = month_of(word)?;
        let first = if introduced == Some(true) { i - 1 } else { i };
        let mut last = self.paired_month(i + n - 1, month);
        if let Some((Word::MonthWord, m)) = self.word(last + 1) {
            last += m;
        }
        // English "September 7, 2022"; elsewhere only with the comma ("ژانویه 8, 2015").
        if let Some((day, 1..=2)) = self.number(last + 1)
            && (self.lang == Lang::En || matches!(self.gap(last + 2).trim(), "," | "،"))
            && let Some((year, calendar, end)) = self.year_after(last + 2, calendar)
        {
            let day = u8::try_from(day).ok()?;
            let parsed = Parsed::day(calendar::to_gregorian(calendar, year, month, day), calendar);
            let (parsed, end) = self.with_time(parsed, end);
            return Some(self.mention(first, end, parsed));
        }
        if let Some((year, calendar, end)) = self.year_after(last + 1, calendar) {
            return Some(self.mention(first, end, month_value(calendar, year, month)?));
        }
        if let Some((Word::Past, m)) = self.word(last + 1) {
            return Some(self.mention(first, last + m, self.recent_month_in(calendar, month, true)));
        }
        // "مهرماه امسال", "مارس العام الماضي": the month of a relative year.
        if let Some((Word::Year(offset), m)) = self.word(last + 1) {
            let parsed = match self.reference.and_then(|r| calendar::from_gregorian(calendar, r)) {
                Some((ref_year, _, _)) => month_value(calendar, ref_year + offset, month).map(|mut p| {
                    p.relative = true;
                    p
                }),
                None => Some(Parsed::unresolved(Granularity::Month, calendar, NO_REFERENCE)),
            }?;
            return Some(self.mention(first, last + m, parsed));
        }
        // A month name alone is a date only when something marks it as one: a preposition, a month word,
        // or ماه written with it; English names must also be capitalized.
        let joined = self.key(i).is_some_and(|k| k.ends_with("ماه") && k != "ماه");
        let capitalized = self
            .tokens
            .get(i)
            .and_then(|t| t.span.slice(self.text))
            .and_then(|s| s.chars().next())
            .is_none_or(|c| !c.is_ascii_alphabetic() || c.is_uppercase());
        // A month word (ماه مهر, مهر ماه, مهرماه) makes even an ambiguous name a month.
        let named_month = introduced == Some(true) || joined || last > i + n - 1;
        if (introduced.is_some() || named_month) && capitalized && (named_month || !ambiguous_alone(word)) {
            return Some(self.mention(first, last, self.recent_month_in(calendar, month, false)));
        }
        None
    }

    /// "2022-09-08", "08/09/2022", "۱۴۰۱/۰۶/۱۸": three numbers joined by one separator.
    fn numeric(&self, i: usize) -> Option<(DateMention, usize)> {
        let (a, da) = self.number(i)?;
        let (b, _) = self.number(i + 1)?;
        let (c, dc) = self.number(i + 2)?;
        let sep = self.gap(i + 1);
        if !matches!(sep, "/" | "-" | ".") || self.gap(i + 2) != sep {
            return None;
        }
        let (year, month, day) = match (da, dc) {
            (4, 1..=2) => (a, b, c),
            (1..=2, 4) if b > 12 && a <= 12 => (c, a, b),
            (1..=2, 4) => (c, b, a),
            _ => return None,
        };
        // An era marker after the year ("14-09-1432 هـ") names the calendar.
        let era = self
            .gap(i + 3)
            .trim()
            .is_empty()
            .then(|| self.word(i + 3))
            .flatten()
            .and_then(|(w, n)| match w {
                Word::Hijri => Some((Calendar::IslamicUmmAlQura, n)),
                Word::Solar => Some((Calendar::Persian, n)),
                Word::Gregorian => Some((Calendar::Gregorian, n)),
                _ => None,
            });
        let calendar = match (year, era) {
            (1300..=1500, Some((calendar @ (Calendar::IslamicUmmAlQura | Calendar::Persian), _)))
            | (1800..=2100, Some((calendar @ Calendar::Gregorian, _))) => calendar,
            (_, Some(_)) => return None,
            (1800..=2100, None) => Calendar::Gregorian,
            (1300..=1500, None) if self.lang == Lang::Fa => Calendar::Persian,
            (1400..=1500, None) if self.lang == Lang::Ar => Calendar::IslamicUmmAlQura,
            _ => return None,
        };
        let date = calendar::to_gregorian(
            calendar,
            i32::try_from(year).ok()?,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        );
        let end = i + 2 + era.map_or(0, |(_, n)| n);
        let (parsed, last) = self.with_time(Parsed::day(date, calendar), end);
        Some(self.mention(i, last, parsed))
    }

    /// Extends a day with a time of day written after it: "… ۱۴۰۱ - ۲۰:۰۰", "… 2022 at 10:30".
    fn with_time(&self, parsed: Parsed, last: usize) -> (Parsed, usize) {
        let Some(value) = parsed
            .value
            .as_deref()
            .filter(|_| parsed.granularity == Granularity::Day)
        else {
            return (parsed, last);
        };
        let mut i = last + 1;
        if !self
            .gap(i)
            .trim()
            .trim_matches(['-', '–', '—', '،', ',', '|'])
            .trim()
            .is_empty()
        {
            return (parsed, last);
        }
        // "ساعت", and the doubled "ساعت ساعت" of some sites.
        while let Some((Word::TimeWord, n)) = self.word(i) {
            i += n;
        }
        // "ساعت 11 و 01 دقیقه (و 47 ثانیه)": hours and minutes in words.
        if let (Some((hour, 1..=2)), Some("و" | "و."), Some((minute, 1..=2)), Some((Word::Unit(6), n))) = (
            self.number(i),
            self.key(i + 1),
            self.number(i + 2),
            self.word(i + 3),
        ) && hour <= 23
            && minute <= 59
            && self.gap(i + 1).trim().is_empty()
        {
            let value = format!("{value}T{hour:02}:{minute:02}");
            return (
                Parsed {
                    value: Some(value),
                    granularity: Granularity::Time,
                    ..parsed
                },
                i + 2 + n,
            );
        }
        // A minute of one digit ("12:1") is read as dateparser and the sites that write it mean it.
        let (Some((hour, 1..=2)), Some((minute, 1..=2))) = (self.number(i), self.number(i + 1)) else {
            return (parsed, last);
        };
        if self.gap(i + 1) != ":" || hour > 23 || minute > 59 {
            return (parsed, last);
        }
        // "05:16 مساءً", "ساعت ۵:۳۰ بعدازظهر", "10:30 p.m.".
        let mut last = i + 1;
        let mut hour = hour;
        if self.gap(i + 2).trim().is_empty()
            && let Some((Word::Meridiem(pm), n)) = self.word(i + 2)
            && (1..=12).contains(&hour)
        {
            hour = match (pm, hour) {
                (true, 12) | (false, 1..=11) => hour,
                (true, _) => hour + 12,
                (false, _) => 0,
            };
            last = i + 1 + n;
        }
        let value = format!("{value}T{hour:02}:{minute:02}");
        (
            Parsed {
                value: Some(value),
                granularity: Granularity::Time,
                ..parsed
            },
            last,
        )
    }

    /// A count of a unit: digits or a number word, and how many tokens it takes.
    fn count_at(&self, i: usize) -> Option<(u32, usize)> {
        if let Some((n, _)) = self.number(i) {
            return Some((n, 1));
        }
        match self.word(i)? {
            (Word::Num(k), n) => Some((u32::from(k), n)),
            _ => None,
        }
    }

    /// The unit of time at `i` when it is counted ("3 أيام", "دو روز", "دو ساعت"): a unit word, or a
    /// word that otherwise introduces a date (يوم, روز, ماه, سال, Persian ساعت).
    fn unit_at(&self, i: usize) -> Option<(u8, usize)> {
        match self.word(i)? {
            (Word::Unit(u), n) => Some((u, n)),
            (Word::DayWord, n) => Some((1, n)),
            (Word::MonthWord, n) => Some((3, n)),
            (Word::YearWord, n) => Some((4, n)),
            (Word::TimeWord, n) if self.lang == Lang::Fa => Some((5, n)),
            _ => None,
        }
    }

    /// A count of units followed by "ago": "دو روز پیش", "۳ روز قبل", "3 days ago".
    fn ago_after(&self, i: usize) -> Option<(DateMention, usize)> {
        let (count, c) = self.count_at(i)?;
        let (unit, u) = self.unit_at(i + c)?;
        match self.word(i + c + u)? {
            (Word::Past, p) => Some(self.mention(i, i + c + u + p - 1, self.ago(count, unit))),
            _ => None,
        }
    }

    /// "Ago" before a count of units: "منذ يومين", "منذ 3 أيام", "منذ أسبوع". A count with no unit
    /// after it ("منذ 2014") is not one.
    fn ago_before(&self, i: usize, n: usize) -> Option<(DateMention, usize)> {
        let j = i + n;
        match self.word(j) {
            Some((Word::Dual(u), m)) => return Some(self.mention(i, j + m - 1, self.ago(2, u))),
            Some((Word::Unit(u), m)) => return Some(self.mention(i, j + m - 1, self.ago(1, u))),
            _ => {}
        }
        let (count, c) = self.count_at(j)?;
        let (unit, u) = self.unit_at(j + c)?;
        Some(self.mention(i, j + c + u - 1, self.ago(count, unit)))
    }

    /// `count` units before the reference: a day for days, hours and minutes, the week, month or
    /// year for those.
    fn ago(&self, count: u32, unit: u8) -> Parsed {
        let back = i32::try_from(count).unwrap_or(i32::MAX);
        let mut parsed = match unit {
            2 => self.relative_week(-back),
            3 => self.relative_month(-back),
            4 => self.relative_year(-back),
            _ => {
                let Some(reference) = self.reference else {
                    return Parsed::unresolved(Granularity::Day, Calendar::Gregorian, NO_REFERENCE);
                };
                let days = match unit {
                    5 => i64::from(count) / 24,
                    6 => i64::from(count) / (24 * 60),
                    _ => i64::from(count),
                };
                reference.checked_sub_signed(Duration::days(days)).map_or_else(
                    || Parsed::unresolved(Granularity::Day, Calendar::Gregorian, "too far back"),
                    |d| Parsed::day(Some(d), Calendar::Gregorian),
                )
            }
        };
        parsed.relative = true;
        parsed
    }

    fn relative_day(&self, i: usize, n: usize, offset: i32) -> (DateMention, usize) {
        // A weekday may follow, directly or in brackets: "أمس الأربعاء", "دیروز (پنجشنبه)".
        let mut last = i + n - 1;
        let mut weekday = None;
        let gap = self.gap(last + 1).trim();
        if matches!(gap, "" | "(" | "،" | ",")
            && let Some((Word::Weekday(wd), m)) = self.word(last + 1)
        {
            weekday = Some(wd);
            last += m;
        }
        let Some(reference) = self.reference else {
            return self.mention(
                i,
                last,
                Parsed::unresolved(Granularity::Day, Calendar::Gregorian, NO_REFERENCE),
            );
        };
        let date = reference + Duration::days(i64::from(offset));
        let mut parsed = Parsed::day(Some(date), Calendar::Gregorian);
        parsed.relative = true;
        if let Some(wd) = weekday
            && date.weekday().number_from_monday() != u32::from(wd)
        {
            parsed.value = None;
            parsed.note = Some(format!(
                "{} would be {date} ({}), which contradicts the weekday written; left unresolved",
                self.span(i, i + n - 1).slice(self.text).unwrap_or(""),
                date.format("%A")
            ));
        }
        self.mention(i, last, parsed)
    }

    /// A weekday on its own: the latest such day on or before the reference (strictly before with "last").
    fn weekday(&self, wd: u8, strictly_before: bool) -> Parsed {
        let Some(reference) = self.reference else {
            return Parsed::unresolved(Granularity::Day, Calendar::Gregorian, NO_REFERENCE);
        };
        let today = i64::from(reference.weekday().number_from_monday());
        let mut back = (today - i64::from(wd)).rem_euclid(7);
        if back == 0 && strictly_before {
            back = 7;
        }
        let mut parsed = Parsed::day(Some(reference - Duration::days(back)), Calendar::Gregorian);
        parsed.relative = true;
        parsed
    }

    fn relative_week(&self, offset: i32) -> Parsed {
        let Some(reference) = self.reference else {
            return Parsed::unresolved(Granularity::Week, Calendar::Gregorian, NO_REFERENCE);
        };
        let date = reference + Duration::weeks(i64::from(offset));
        let week = date.iso_week();
        Parsed {
            value: Some(format!("{}-W{:02}", week.year(), week.week())),
            granularity: Granularity::Week,
            calendar: Calendar::Gregorian,
            relative: true,
            note: None,
        }
    }

    fn relative_month(&self, offset: i32) -> Parsed {
        let Some(reference) = self.reference else {
            return Parsed::unresolved(Granularity::Month, Calendar::Gregorian, NO_REFERENCE);
        };
        let index = reference.year() * 12 + i32::try_from(reference.month0()).unwrap_or(0) + offset;
        Parsed {
            value: Some(format!(
                "{}-{:02}",
                index.div_euclid(12),
                index.rem_euclid(12) + 1
            )),
            granularity: Granularity::Month,
            calendar: Calendar::Gregorian,
            relative: true,
            note: None,
        }
    }

    fn relative_year(&self, offset: i32) -> Parsed {
        let calendar = if self.lang == Lang::Fa {
            Calendar::Persian
        } else {
            Calendar::Gregorian
        };
        let Some(reference) = self.reference else {
            return Parsed::unresolved(Granularity::Year, calendar, NO_REFERENCE);
        };
        let year =
            calendar::from_gregorian(calendar, reference).map_or(reference.year(), |(y, _, _)| y) + offset;
        let mut parsed = year_value(calendar, year)
            .unwrap_or_else(|| Parsed::unresolved(Granularity::Year, calendar, "year out of range"));
        parsed.relative = true;
        parsed
    }

    fn recent_month(&self, month: u8, strictly_before: bool) -> Parsed {
        self.recent_month_in(Calendar::Gregorian, month, strictly_before)
    }

    /// The latest month `month` of `calendar` not after the reference's (strictly before with "last").
    fn recent_month_in(&self, calendar: Calendar, month: u8, strictly_before: bool) -> Parsed {
        let Some(reference) = self.reference else {
            return Parsed::unresolved(Granularity::Month, calendar, NO_REFERENCE);
        };
        let Some((ref_year, ref_month, _)) = calendar::from_gregorian(calendar, reference) else {
            return Parsed::unresolved(Granularity::Month, calendar, "reference date out of range");
        };
        let this_year = month < ref_month || (month == ref_month && !strictly_before);
        let year = if this_year { ref_year } else { ref_year - 1 };
        let mut parsed = month_value(calendar, year, month)
            .unwrap_or_else(|| Parsed::unresolved(Granularity::Month, calendar, "month out of range"));
        parsed.relative = true;
        parsed
    }
}

/// The calendar and number of a month word.
fn month_of(word: Word) -> Option<(Calendar, u8)> {
    match word {
        Word::GMonth(m) => Some((Calendar::Gregorian, m)),
        Word::SMonth(m) => Some((Calendar::Persian, m)),
        Word::HMonth(m) => Some((Calendar::IslamicUmmAlQura, m)),
        _ => None,
    }
}

/// Month names that are common words and need a number to be taken for a date (صفر "zero", رجب a
/// name, مهر "seal", تیر "arrow", دی, مه "fog", آب "water/father").
fn ambiguous_alone(word: Word) -> bool {
    matches!(
        word,
        Word::HMonth(2 | 7) | Word::SMonth(4 | 7 | 10) | Word::GMonth(5)
    )
}

fn month_value(calendar: Calendar, year: i32, month: u8) -> Option<Parsed> {
    let value = if calendar == Calendar::Gregorian {
        NaiveDate::from_ymd_opt(year, u32::from(month), 1)?;
        format!("{year:04}-{month:02}")
    } else {
        let (start, end) = calendar::month_range(calendar, year, month)?;
        format!("{start}/{end}")
    };
    Some(Parsed {
        value: Some(value),
        granularity: Granularity::Month,
        calendar,
        relative: false,
        note: None,
    })
}

fn year_value(calendar: Calendar, year: i32) -> Option<Parsed> {
    let value = if calendar == Calendar::Gregorian {
        format!("{year:04}")
    } else {
        let (start, end) = calendar::year_range(calendar, year)?;
        format!("{start}/{end}")
    };
    Some(Parsed {
        value: Some(value),
        granularity: Granularity::Year,
        calendar,
        relative: false,
        note: None,
    })
}

#[cfg(test)]
mod tests;
