//! The date words of `data/dates/lexicon.tsv`, compiled in and keyed by their search keys.

use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::OnceLock;

use rasad_model::Lang;
use rasad_normalize::tokenize;

const DATA: &str = include_str!("../../../data/dates/lexicon.tsv");

/// What a date word means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::enum_variant_names)]
pub(crate) enum Word {
    GMonth(u8),
    SMonth(u8),
    HMonth(u8),
    Weekday(u8),
    Day(i32),
    Week(i32),
    Month(i32),
    Year(i32),
    Past,
    YearWord,
    DayWord,
    MonthWord,
    TimeWord,
    Prep,
    Hijri,
    Solar,
    Gregorian,
    Ordinal(u8),
    Of,
    Ago,
    /// A unit of time: 1 day, 2 week, 3 month, 4 year, 5 hour, 6 minute.
    Unit(u8),
    /// Two of a unit (the Arabic dual).
    Dual(u8),
    Num(u8),
    /// After (true) or before noon.
    Meridiem(bool),
}

#[derive(Debug)]
pub(crate) struct Lexicon {
    /// Space-joined token keys of a form → its meanings, with the language of each.
    forms: FxHashMap<String, Vec<(Lang, Word)>>,
    pub max_tokens: usize,
    /// The first token keys of the forms of two tokens or more.
    starts: FxHashSet<String>,
}

pub(crate) fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(load)
}

fn load() -> Lexicon {
    let mut forms: FxHashMap<String, Vec<(Lang, Word)>> = FxHashMap::default();
    let mut starts = FxHashSet::default();
    let mut max_tokens = 1;
    for line in DATA
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let mut fields = line.split('\t');
        let (Some(lang), Some(kind), Some(form), Some(value)) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let Some(lang) = Lang::from_code(lang) else {
            continue;
        };
        let n: i32 = value.trim().parse().unwrap_or(0);
        let month = u8::try_from(n).unwrap_or(0);
        let word = match kind {
            "gmonth" => Word::GMonth(month),
            "smonth" => Word::SMonth(month),
            "hmonth" => Word::HMonth(month),
            "weekday" => Word::Weekday(month),
            "day" => Word::Day(n),
            "week" => Word::Week(n),
            "month" => Word::Month(n),
            "year" => Word::Year(n),
            "past" => Word::Past,
            "yearword" => Word::YearWord,
            "dayword" => Word::DayWord,
            "monthword" => Word::MonthWord,
            "timeword" => Word::TimeWord,
            "prep" => Word::Prep,
            "hijri" => Word::Hijri,
            "solar" => Word::Solar,
            "gregorian" => Word::Gregorian,
            "ordinal" => Word::Ordinal(month),
            "of" => Word::Of,
            "ago" => Word::Ago,
            "unit" => Word::Unit(month),
            "dual" => Word::Dual(month),
            "num" => Word::Num(month),
            "pm" => Word::Meridiem(true),
            "am" => Word::Meridiem(false),
            _ => continue,
        };
        let keys: Vec<String> = tokenize(form).into_iter().map(|t| t.key).collect();
        if keys.is_empty() {
            continue;
        }
        max_tokens = max_tokens.max(keys.len());
        if let (Some(first), true) = (keys.first(), keys.len() > 1) {
            starts.insert(first.clone());
        }
        let entry = forms.entry(keys.join(" ")).or_default();
        if !entry.contains(&(lang, word)) {
            entry.push((lang, word));
        }
    }
    Lexicon {
        forms,
        max_tokens,
        starts,
    }
}

impl Lexicon {
    /// The meaning of a space-joined key sequence in `lang`. Islamic month names and Hijri markers are
    /// shared by Arabic and Persian; other words count only in their own language (آب is August in
    /// Damascus and water in Tehran; شهر is a month in Arabic and a city in Persian). Text of unknown
    /// language takes any.
    /// Whether a form of two tokens or more starts with this token key.
    pub(crate) fn starts_longer_form(&self, key: &str) -> bool {
        self.starts.contains(key)
    }

    pub(crate) fn get(&self, key: &str, lang: Lang) -> Option<Word> {
        let meanings = self.forms.get(key)?;
        let shared =
            |l: Lang, w: Word| matches!(w, Word::HMonth(_) | Word::Hijri) && matches!(l, Lang::Ar | Lang::Fa);
        let ours = |l: Lang| l == lang || (lang == Lang::Ur && l == Lang::Fa);
        meanings
            .iter()
            .find(|(l, _)| ours(*l))
            .or_else(|| {
                meanings
                    .iter()
                    .find(|(l, w)| shared(*l, *w) && matches!(lang, Lang::Ar | Lang::Fa | Lang::Ur))
            })
            .or_else(|| meanings.first().filter(|_| lang == Lang::Und))
            .map(|(_, w)| *w)
    }
}
