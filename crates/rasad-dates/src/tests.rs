//! Golden tests per language and calendar, written from the seeds and from our own sentences.

use super::*;
use proptest::prelude::*;

fn reference() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2022, 9, 8) // a Thursday
}

/// Checks that `text` yields exactly `expected`: (expression as written, value, granularity, calendar).
fn check(lang: Lang, text: &str, expected: &[(&str, Option<&str>, Granularity, Calendar)]) {
    check_at(reference(), lang, text, expected);
}

fn check_at(
    reference: Option<NaiveDate>,
    lang: Lang,
    text: &str,
    expected: &[(&str, Option<&str>, Granularity, Calendar)],
) {
    let found = extract(text, lang, reference);
    let got: Vec<_> = found
        .iter()
        .map(|m| (m.text.as_str(), m.value.as_deref(), m.granularity, m.calendar))
        .collect();
    assert_eq!(got, expected, "in: {text}");
    for m in &found {
        assert_eq!(m.span.slice(text), Some(m.text.as_str()));
    }
}

use Calendar::{Gregorian as G, IslamicUmmAlQura as H, Persian as P};
use Granularity::{Day, Month, Time, Week, Year};

#[test]
fn persian_solar_hijri_date_line_with_time() {
    check(
        Lang::Fa,
        "تاریخ: ۱۸ شهریور ۱۴۰۱ - ۲۰:۰۰",
        &[("۱۸ شهریور ۱۴۰۱ - ۲۰:۰۰", Some("2022-09-09T20:00"), Time, P)],
    );
    check(
        Lang::Fa,
        "۲۷ خرداد ۱۳۹۵",
        &[("۲۷ خرداد ۱۳۹۵", Some("2016-06-16"), Day, P)],
    );
    check(
        Lang::Fa,
        "پنجشنبه 27 خرداد 1395",
        &[("پنجشنبه 27 خرداد 1395", Some("2016-06-16"), Day, P)],
    );
    check(
        Lang::Fa,
        "در ۱۴۰۱/۰۶/۱۸ گفت",
        &[("۱۴۰۱/۰۶/۱۸", Some("2022-09-09"), Day, P)],
    );
}

#[test]
fn persian_relative_and_weekdays() {
    // Seed 000 is dated Friday 9 September 2022 (18 Shahrivar 1401): yesterday was Thursday.
    let friday = NaiveDate::from_ymd_opt(2022, 9, 9);
    check_at(
        friday,
        Lang::Fa,
        "ناتو دیروز (پنجشنبه) با صدور بیانیه",
        &[("دیروز (پنجشنبه", Some("2022-09-08"), Day, G)],
    );
    // Read against Thursday 8 September, "yesterday (Thursday)" contradicts itself and stays unresolved.
    check(
        Lang::Fa,
        "ناتو دیروز (پنجشنبه) با صدور بیانیه",
        &[("دیروز (پنجشنبه", None, Day, G)],
    );
    check(
        Lang::Fa,
        "آلبانی روز چهارشنبه مناسبات را قطع کرد",
        &[("روز چهارشنبه", Some("2022-09-07"), Day, G)],
    );
    check(Lang::Fa, "امروز", &[("امروز", Some("2022-09-08"), Day, G)]);
    check(
        Lang::Fa,
        "هفته گذشته",
        &[("هفته گذشته", Some("2022-W35"), Week, G)],
    );
    check(Lang::Fa, "ماه گذشته", &[("ماه گذشته", Some("2022-08"), Month, G)]);
    check(
        Lang::Fa,
        "امسال",
        &[("امسال", Some("2022-03-21/2023-03-20"), Year, P)],
    );
    check(
        Lang::Fa,
        "سال 95",
        &[("سال 95", Some("2016-03-20/2017-03-20"), Year, P)],
    );
    check(Lang::Fa, "در سال 2016", &[("سال 2016", Some("2016"), Year, G)]);
    check(
        Lang::Fa,
        "مهرماه امسال",
        &[("مهرماه امسال", Some("2022-09-23/2022-10-22"), Month, P)],
    );
    // Alone, the latest Mehr before 17 Shahrivar 1401 is Mehr 1400.
    check(
        Lang::Fa,
        "در مهرماه",
        &[("مهرماه", Some("2021-09-23/2021-10-22"), Month, P)],
    );
    check(
        Lang::Fa,
        "۱۱ سپتامبر",
        &[("۱۱ سپتامبر", Some("2022-09-11"), Day, G)],
    );
}

#[test]
fn arabic_gregorian_both_month_sets() {
    check(
        Lang::Ar,
        "في 8 سبتمبر 2022",
        &[("8 سبتمبر 2022", Some("2022-09-08"), Day, G)],
    );
    check(
        Lang::Ar,
        "في 8 أيلول 2022",
        &[("8 أيلول 2022", Some("2022-09-08"), Day, G)],
    );
    check(
        Lang::Ar,
        "٨ كانون الثاني ٢٠٢٢",
        &[("٨ كانون الثاني ٢٠٢٢", Some("2022-01-08"), Day, G)],
    );
    check(
        Lang::Ar,
        "يوليو 2022",
        &[("يوليو 2022", Some("2022-07"), Month, G)],
    );
    check(
        Lang::Ar,
        "متوترة منذ عام 2014، عندما",
        &[("عام 2014", Some("2014"), Year, G)],
    );
}

#[test]
fn arabic_relative_with_weekday_checks() {
    check(
        Lang::Ar,
        "وقطعت ألبانيا العلاقات، أمس الأربعاء،",
        &[("أمس الأربعاء", Some("2022-09-07"), Day, G)],
    );
    check(
        Lang::Ar,
        "دان الحلف، اليوم الخميس، الهجوم",
        &[("اليوم الخميس", Some("2022-09-08"), Day, G)],
    );
    check(
        Lang::Ar,
        "الهجوم الذي وقع في يوليو الماضي",
        &[("يوليو الماضي", Some("2022-07"), Month, G)],
    );
    check(
        Lang::Ar,
        "الهجوم الذي وقع في يوليو",
        &[("يوليو", Some("2022-07"), Month, G)],
    );
    check(
        Lang::Ar,
        "الأسبوع الماضي",
        &[("الأسبوع الماضي", Some("2022-W35"), Week, G)],
    );
    check(Lang::Ar, "أول أمس", &[("أول أمس", Some("2022-09-06"), Day, G)]);
    // "Yesterday, Tuesday" cannot be: yesterday was Wednesday. No guess.
    let found = extract("أمس الثلاثاء", Lang::Ar, reference());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].value, None);
    assert!(
        found[0].note.as_deref().unwrap_or("").contains("contradicts"),
        "{:?}",
        found[0].note
    );
}

#[test]
fn islamic_hijri_with_and_without_marker() {
    check(
        Lang::Ar,
        "الخميس 12 صفر 1444 هـ",
        &[("الخميس 12 صفر 1444 هـ", Some("2022-09-08"), Day, H)],
    );
    check(
        Lang::Ar,
        "1 رمضان 1444",
        &[("1 رمضان 1444", Some("2023-03-23"), Day, H)],
    );
    check(
        Lang::Ar,
        "شهر رمضان",
        &[("شهر رمضان", Some("2022-04-02/2022-05-01"), Month, H)],
    );
    // A page header giving both calendars.
    check(
        Lang::Ar,
        "الخميس 8 سبتمبر 2022 - 12 صفر 1444 هـ",
        &[
            ("الخميس 8 سبتمبر 2022", Some("2022-09-08"), Day, G),
            ("12 صفر 1444 هـ", Some("2022-09-08"), Day, H),
        ],
    );
}

#[test]
fn english_forms() {
    check(
        Lang::En,
        "On 7 September 2022 at 10:30, Albania",
        &[("7 September 2022 at 10:30", Some("2022-09-07T10:30"), Time, G)],
    );
    check(
        Lang::En,
        "September 7, 2022",
        &[("September 7, 2022", Some("2022-09-07"), Day, G)],
    );
    check(
        Lang::En,
        "in July the attack",
        &[("July", Some("2022-07"), Month, G)],
    );
    check(
        Lang::En,
        "yesterday",
        &[("yesterday", Some("2022-09-07"), Day, G)],
    );
    check(Lang::En, "last July", &[("last July", Some("2022-07"), Month, G)]);
    check(Lang::En, "since 2014.", &[("2014", Some("2014"), Year, G)]);
    check(
        Lang::En,
        "2022-09-08",
        &[("2022-09-08", Some("2022-09-08"), Day, G)],
    );
}

#[test]
fn numbers_that_are_not_dates_stay_numbers() {
    check(Lang::Ar, "استقبلت حوالي 3000 عضو", &[]);
    check(Lang::Ar, "القرار 240 الصادر عن الجمعية العامة الـ 75", &[]);
    check(Lang::Ar, "أمهل دبلوماسييها 24 ساعة", &[]);
    check(Lang::En, "you may go", &[]);
    check(Lang::Fa, "مهر ریاست", &[]);
    check(Lang::Ar, "صفر", &[]);
    check(Lang::Fa, "نماز جمعه تهران", &[]);
    check(Lang::Fa, "آب و برق", &[]);
    check(Lang::Fa, "شهر می‌رود", &[]);
}

#[test]
fn relative_dates_without_reference_say_so() {
    let found = extract("أمس الأربعاء", Lang::Ar, None);
    assert_eq!(found[0].value, None);
    assert!(found[0].relative);
    assert!(
        found[0]
            .note
            .as_deref()
            .unwrap_or("")
            .contains("no reference date")
    );
}

#[test]
fn impossible_days_are_not_invented() {
    let found = extract("31 اسفند 1401", Lang::Fa, reference());
    assert_eq!(found[0].value, None);
    let found = extract("30 فبراير 2022", Lang::Ar, reference());
    assert_eq!(found[0].value, None);
}

/// Every value is a valid ISO 8601 date, month, year, week, time or interval.
fn valid_value(value: &str) -> bool {
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok();
    if let Some((a, b)) = value.split_once('/') {
        return day(a) && day(b) && a <= b;
    }
    if let Some((d, t)) = value.split_once('T') {
        return day(d) && chrono::NaiveTime::parse_from_str(t, "%H:%M").is_ok();
    }
    if let Some((y, w)) = value.split_once("-W") {
        return y.parse::<i32>().is_ok() && w.parse::<u32>().is_ok_and(|w| (1..=53).contains(&w));
    }
    match value.len() {
        4 => value.parse::<i32>().is_ok(),
        7 => NaiveDate::parse_from_str(&format!("{value}-01"), "%Y-%m-%d").is_ok(),
        _ => day(value),
    }
}

proptest! {
    #[test]
    fn any_text_extracts_without_panic(text in "\\PC{0,120}") {
        for lang in [Lang::Ar, Lang::Fa, Lang::En] {
            for m in extract(&text, lang, reference()) {
                prop_assert!(m.span.slice(&text).is_some());
            }
        }
    }

    #[test]
    fn every_normalized_date_is_valid(
        day in 0u32..40, month in 0usize..14, year in 1300u32..2100, cal in 0usize..4, wd in 0usize..8,
    ) {
        let months = ["يناير", "شباط", "آذار", "أبريل", "مايو", "حزيران", "فروردین", "شهریور", "اسفند", "محرم", "رمضان", "ذو الحجة", "دسامبر", "July"];
        let weekdays = ["", "الخميس", "أمس", "دیروز", "پنجشنبه", "yesterday", "الأربعاء", "امروز"];
        let markers = ["", " هـ", " ه.ش", " م"];
        let text = format!("{} {day} {} {year}{}", weekdays[wd], months[month], markers[cal]);
        for lang in [Lang::Ar, Lang::Fa, Lang::En] {
            for m in extract(&text, lang, reference()) {
                if let Some(value) = &m.value {
                    prop_assert!(valid_value(value), "{value} from {text}");
                }
            }
        }
    }
}

#[test]
fn ordinal_word_days_in_persian_and_arabic() {
    // 3 Shahrivar 1394 = 2015-08-25; 23 Ordibehesht 1401 = 2022-05-13.
    check(
        Lang::Fa,
        "این حمله در سوم شهریور ۱۳۹۴ رخ داد",
        &[("سوم شهریور ۱۳۹۴", Some("2015-08-25"), Day, P)],
    );
    check(
        Lang::Fa,
        "بیست و سوم اردیبهشت ۱۴۰۱",
        &[("بیست و سوم اردیبهشت ۱۴۰۱", Some("2022-05-13"), Day, P)],
    );
    check(
        Lang::Ar,
        "وقع الهجوم في الثالث من مارس 2022",
        &[("الثالث من مارس 2022", Some("2022-03-03"), Day, G)],
    );
    check(
        Lang::Ar,
        "الحادي والعشرين من يوليو 2022",
        &[("الحادي والعشرين من يوليو 2022", Some("2022-07-21"), Day, G)],
    );
    // Without a month after it an ordinal is only an ordinal ("the third world", "the second time").
    check(Lang::Fa, "کشورهای جهان سوم", &[]);
    check(Lang::Ar, "للمرة الثالثة", &[]);
}

#[test]
fn a_weekday_before_a_date_belongs_to_it() {
    // Tuesday 3 Shahrivar 1394 (2015-08-25 was a Tuesday): one date, not a second "last Tuesday".
    check(
        Lang::Fa,
        "روز سه شنبه سوم شهریور ۱۳۹۴",
        &[("روز سه شنبه سوم شهریور ۱۳۹۴", Some("2015-08-25"), Day, P)],
    );
    check(
        Lang::Ar,
        "يوم الخميس 8 سبتمبر 2022",
        &[("يوم الخميس 8 سبتمبر 2022", Some("2022-09-08"), Day, G)],
    );
}

#[test]
fn counts_of_days_hours_and_weeks_ago() {
    check(
        Lang::Ar,
        "منذ يومين",
        &[("منذ يومين", Some("2022-09-06"), Day, G)],
    );
    check(
        Lang::Ar,
        "منذ 3 أيام",
        &[("منذ 3 أيام", Some("2022-09-05"), Day, G)],
    );
    check(
        Lang::Ar,
        "منذ ساعتين",
        &[("منذ ساعتين", Some("2022-09-08"), Day, G)],
    );
    check(Lang::Ar, "منذ أسبوع", &[("منذ أسبوع", Some("2022-W35"), Week, G)]);
    check(
        Lang::Fa,
        "دو روز پیش",
        &[("دو روز پیش", Some("2022-09-06"), Day, G)],
    );
    check(
        Lang::Fa,
        "۳ روز قبل",
        &[("۳ روز قبل", Some("2022-09-05"), Day, G)],
    );
    check(
        Lang::En,
        "two days ago",
        &[("two days ago", Some("2022-09-06"), Day, G)],
    );
    check(
        Lang::En,
        "3 weeks ago",
        &[("3 weeks ago", Some("2022-W33"), Week, G)],
    );
    // "منذ" before a year or a month is "since", not "ago".
    check(Lang::Ar, "منذ عام 2014", &[("عام 2014", Some("2014"), Year, G)]);
    check(
        Lang::Ar,
        "منذ يوليو 2022",
        &[("يوليو 2022", Some("2022-07"), Month, G)],
    );
    // Without a reference date nothing is resolved, and it says so.
    let found = extract("منذ يومين", Lang::Ar, None);
    assert_eq!(found.len(), 1);
    assert!(found.first().unwrap().value.is_none() && found.first().unwrap().note.is_some());
}

#[test]
fn the_day_before_and_after_noon() {
    check(
        Lang::Ar,
        "في اليوم السابق",
        &[("اليوم السابق", Some("2022-09-07"), Day, G)],
    );
    check(
        Lang::Ar,
        "8 سبتمبر 2022 05:16 مساءً",
        &[("8 سبتمبر 2022 05:16 مساءً", Some("2022-09-08T17:16"), Time, G)],
    );
    check(
        Lang::Ar,
        "8 سبتمبر 2022 12:05 صباحاً",
        &[("8 سبتمبر 2022 12:05 صباحاً", Some("2022-09-08T00:05"), Time, G)],
    );
    check(
        Lang::Fa,
        "۱۸ شهریور ۱۴۰۱ ساعت ۵:۳۰ بعدازظهر",
        &[(
            "۱۸ شهریور ۱۴۰۱ ساعت ۵:۳۰ بعدازظهر",
            Some("2022-09-09T17:30"),
            Time,
            P,
        )],
    );
}

#[test]
fn a_year_the_text_gives_is_never_inferred() {
    // Paired month names (Levantine and Egyptian): the year written is the year.
    check(
        Lang::Ar,
        "28 آب/أغسطس 2013",
        &[("28 آب/أغسطس 2013", Some("2013-08-28"), Day, G)],
    );
    // Month first, in Persian.
    check(
        Lang::Fa,
        "ژانویه 8, 2015",
        &[("ژانویه 8, 2015", Some("2015-01-08"), Day, G)],
    );
    // A year glued to ساعت.
    check(
        Lang::Fa,
        "۱۸ شهریور ۱۴۰۱ساعت ۲۰:۰۰",
        &[("۱۸ شهریور ۱۴۰۱ساعت ۲۰:۰۰", Some("2022-09-09T20:00"), Time, P)],
    );
}

#[test]
fn a_hijri_date_that_contradicts_its_gregorian_equivalent_takes_it_with_a_note() {
    // 14 Ramadan 1432 is 2011-08-14 (Umm al-Qura): agreeing, nothing changes.
    let agree = extract(
        "الأحد 14 رمضان 1432 هـ الموافق 14 أغسطس 2011",
        Lang::Ar,
        reference(),
    );
    let hijri = agree.iter().find(|m| m.calendar == H).unwrap();
    assert_eq!(hijri.value.as_deref(), Some("2011-08-14"));
    assert!(hijri.note.is_none());
    // 16 Ramadan is two days later than the Gregorian date written beside it.
    let differ = extract("16 رمضان 1432 هـ الموافق 14 أغسطس 2011م", Lang::Ar, reference());
    let hijri = differ.iter().find(|m| m.calendar == H).unwrap();
    assert_eq!(hijri.value.as_deref(), Some("2011-08-14"));
    assert!(hijri.note.as_deref().unwrap().contains("2011-08-16"), "{hijri:?}");
}

#[test]
fn times_in_words_doubled_time_words_and_one_digit_minutes() {
    check(
        Lang::Fa,
        "پنجشنبه 26 شهریور 1394 ساعت ساعت 11 و 01 دقیقه و 47 ثانیه",
        &[(
            "پنجشنبه 26 شهریور 1394 ساعت ساعت 11 و 01 دقیقه",
            Some("2015-09-17T11:01"),
            Time,
            P,
        )],
    );
    check(
        Lang::Fa,
        "شنبه چهاردهم دی ۱۳۹۲ساعت 12:1",
        &[("شنبه چهاردهم دی ۱۳۹۲ساعت 12:1", Some("2014-01-04T12:01"), Time, P)],
    );
}

#[test]
fn an_era_marker_after_a_numeric_date_names_its_calendar_and_a_time_may_follow() {
    check(
        Lang::Ar,
        "14-09-1432 هـ, 09:40 صباحاً",
        &[("14-09-1432 هـ, 09:40 صباحاً", Some("2011-08-14T09:40"), Time, H)],
    );
    check(
        Lang::Ar,
        "17-01-1437 هـ 08:30 مساءً",
        &[("17-01-1437 هـ 08:30 مساءً", Some("2015-10-30T20:30"), Time, H)],
    );
    // A day Umm al-Qura does not have (Safar 1433 has 29 days) is not moved to the next month.
    let none = extract("30-02-1433", Lang::Ar, reference());
    assert!(none.iter().all(|m| m.value.is_none()), "{none:?}");
}

#[test]
fn a_two_digit_solar_year_takes_the_century_its_weekday_fits() {
    // 22 Shahrivar 1402 was a Wednesday; 22 Shahrivar 1302 was not.
    let found = extract("چهارشنبه 22 شهریور 02", Lang::Fa, reference());
    let date = found.iter().find(|m| m.calendar == P).unwrap();
    assert_eq!(date.value.as_deref(), Some("2023-09-13"));
    assert!(date.note.as_deref().unwrap().contains("1402"));
    // Without a weekday the older reading stands: 94 is 1394.
    check(
        Lang::Fa,
        "26 شهریور 94",
        &[("26 شهریور 94", Some("2015-09-17"), Day, P)],
    );
}

#[test]
fn umm_al_qura_is_the_published_calendar_and_computed_outside_it_with_a_note() {
    // 1 Rajab 1380 is 1960-12-19 in the published calendar (ICU4X's computation says the 20th).
    let inside = extract("1 رجب 1380 هـ", Lang::Ar, reference());
    let date = inside.iter().find(|m| m.calendar == H).unwrap();
    assert_eq!(date.value.as_deref(), Some("1960-12-19"));
    assert!(date.note.is_none(), "{date:?}");
    // 1300 AH is before the published years: a value, and a note saying how it was computed.
    let outside = extract("1 رجب 1300 هـ", Lang::Ar, reference());
    let date = outside.iter().find(|m| m.calendar == H).unwrap();
    assert!(date.value.is_some());
    assert!(date.note.as_deref().unwrap().contains("computed"), "{date:?}");
}
