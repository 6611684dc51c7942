//! Calendar conversions: Solar Hijri (Persian), Islamic Hijri in the Umm al-Qura reckoning and in the
//! tabular (civil) one, to and from Gregorian (ISO) dates, through ICU4X's `icu_calendar`, except
//! Umm al-Qura within 1343-1500 AH, which is read from the published calendar (`umm_al_qura.rs`).

use chrono::NaiveDate;
use icu_calendar::cal::hijri::{TabularAlgorithmEpoch, TabularAlgorithmLeapYears};
use icu_calendar::cal::{Hijri, Persian};
use icu_calendar::{AsCalendar, Date, Iso};
use rasad_model::Calendar;

fn from_iso(iso: &Date<Iso>) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(
        iso.year().extended_year(),
        u32::from(iso.month().ordinal),
        u32::from(iso.day_of_month().0),
    )
}

fn tabular() -> Hijri<icu_calendar::cal::hijri::TabularAlgorithm> {
    Hijri::new_tabular(TabularAlgorithmLeapYears::TypeII, TabularAlgorithmEpoch::Friday)
}

/// The Gregorian date of day `day` of month `month` of year `year` in `calendar`, or `None` when that
/// day does not exist (31 Esfand, 30 Safar in a 29-day year, 30 February).
#[must_use]
pub fn to_gregorian(calendar: Calendar, year: i32, month: u8, day: u8) -> Option<NaiveDate> {
    match calendar {
        Calendar::Gregorian => NaiveDate::from_ymd_opt(year, u32::from(month), u32::from(day)),
        Calendar::Persian => from_iso(&Date::try_new_persian(year, month, day).ok()?.to_calendar(Iso)),
        Calendar::IslamicUmmAlQura => match crate::umm_al_qura::to_gregorian(year, month, day) {
            Some(published) => published,
            None => computed_umm_al_qura(year, month, day),
        },
        Calendar::IslamicTabular => from_iso(
            &Date::try_new_hijri_with_calendar(year, month, day, tabular())
                .ok()?
                .to_calendar(Iso),
        ),
    }
}

/// ICU4X's computed Umm al-Qura calendar alone (what rasad uses outside the published years).
#[must_use]
pub fn computed_umm_al_qura(year: i32, month: u8, day: u8) -> Option<NaiveDate> {
    from_iso(
        &Date::try_new_hijri_with_calendar(year, month, day, Hijri::new_umm_al_qura())
            .ok()?
            .to_calendar(Iso),
    )
}

/// A Gregorian date written in `calendar`, as (year, month, day).
#[must_use]
pub fn from_gregorian(calendar: Calendar, date: NaiveDate) -> Option<(i32, u8, u8)> {
    use chrono::Datelike;
    let iso = Date::try_new_iso(
        date.year(),
        u8::try_from(date.month()).ok()?,
        u8::try_from(date.day()).ok()?,
    )
    .ok()?;
    fn parts<A: AsCalendar>(d: &Date<A>) -> (i32, u8, u8) {
        (d.year().extended_year(), d.month().ordinal, d.day_of_month().0)
    }
    Some(match calendar {
        Calendar::Gregorian => (
            date.year(),
            u8::try_from(date.month()).ok()?,
            u8::try_from(date.day()).ok()?,
        ),
        Calendar::Persian => parts(&iso.to_calendar(Persian::new())),
        Calendar::IslamicUmmAlQura => match crate::umm_al_qura::from_gregorian(date) {
            Some(published) => published,
            None => parts(&iso.to_calendar(Hijri::new_umm_al_qura())),
        },
        Calendar::IslamicTabular => parts(&iso.to_calendar(tabular())),
    })
}

/// The first and last Gregorian days of a month of `calendar`.
#[must_use]
pub fn month_range(calendar: Calendar, year: i32, month: u8) -> Option<(NaiveDate, NaiveDate)> {
    let start = to_gregorian(calendar, year, month, 1)?;
    let (next_year, next_month) = if month >= 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    let end = to_gregorian(calendar, next_year, next_month, 1)?.pred_opt()?;
    Some((start, end))
}

/// The first and last Gregorian days of a year of `calendar`.
#[must_use]
pub fn year_range(calendar: Calendar, year: i32) -> Option<(NaiveDate, NaiveDate)> {
    let start = to_gregorian(calendar, year, 1, 1)?;
    let end = to_gregorian(calendar, year + 1, 1, 1)?.pred_opt()?;
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn known_days() {
        // The seed's date line: 18 Shahrivar 1401 is Friday 9 September 2022.
        assert_eq!(to_gregorian(Calendar::Persian, 1401, 6, 18), Some(d(2022, 9, 9)));
        // Nowruz 1401.
        assert_eq!(to_gregorian(Calendar::Persian, 1401, 1, 1), Some(d(2022, 3, 21)));
        // 1 Ramadan 1444 (Umm al-Qura) was 23 March 2023.
        assert_eq!(
            to_gregorian(Calendar::IslamicUmmAlQura, 1444, 9, 1),
            Some(d(2023, 3, 23))
        );
        // 12 Safar 1444 was 8 September 2022.
        assert_eq!(
            to_gregorian(Calendar::IslamicUmmAlQura, 1444, 2, 12),
            Some(d(2022, 9, 8))
        );
        assert!(to_gregorian(Calendar::IslamicTabular, 1444, 2, 12).is_some());
        assert_eq!(
            to_gregorian(Calendar::Persian, 1401, 12, 31),
            None,
            "1401 is not a leap year"
        );
        assert_eq!(to_gregorian(Calendar::Gregorian, 2022, 2, 30), None);
    }

    #[test]
    fn ranges() {
        assert_eq!(
            month_range(Calendar::Persian, 1401, 6),
            Some((d(2022, 8, 23), d(2022, 9, 22)))
        );
        assert_eq!(
            year_range(Calendar::Persian, 1401),
            Some((d(2022, 3, 21), d(2023, 3, 20)))
        );
    }

    proptest! {
        /// Conversions agree with ICU4X in both directions over three centuries.
        #[test]
        fn round_trips(days in 0i64..110_000) {
            let date = d(1900, 1, 1) + chrono::Duration::days(days);
            for calendar in [Calendar::Persian, Calendar::IslamicUmmAlQura, Calendar::IslamicTabular, Calendar::Gregorian] {
                let (y, m, day) = from_gregorian(calendar, date).unwrap();
                prop_assert_eq!(to_gregorian(calendar, y, m, day), Some(date));
            }
        }
    }
}
