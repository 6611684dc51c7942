//! Golden tests on the seed articles in `examples/`: titles, credits, and no page furniture in the text.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use rasad_clean::{Cleaned, clean_text};

fn seed(name: &str) -> Cleaned {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    clean_text(&std::fs::read_to_string(path).unwrap(), true)
}

#[test]
fn seed_000_persian_kicker_title_date_line_code_and_credit() {
    let c = seed("000_d2c4ce68fa1361f3.txt");
    assert_eq!(
        c.title.as_deref(),
        Some(
            "سفارت جمهوری اسلامی ایران در بروکسل: ناتو به جای انتساب اتهام های بی اساس، به منافقین پناه ندهد"
        )
    );
    assert!(
        c.text
            .starts_with("سفارت جمهوری اسلامی ایران در بروکسل به بیانیه ضد ایرانی"),
        "{}",
        c.text
    );
    assert!(c.text.ends_with("بنا به دلایل امنیتی لغو شد."), "{}", c.text);
    assert!(!c.text.contains("کد خبر"));
    assert!(!c.text.contains("منبع: ایرنا"));
    assert!(!c.text.contains("**"));
    assert_eq!(c.boilerplate.dateline, ["تاریخ: ۱۸ شهریور ۱۴۰۱ - ۲۰:۰۰"]);
    assert!(
        c.text.contains("\n\nتاریخ: ۱۸ شهریور ۱۴۰۱ - ۲۰:۰۰\n\n"),
        "the date line stays as evidence"
    );
    assert_eq!(c.boilerplate.credits, ["ایرنا", "جام جم آنلاین"]);
    assert!(c.boilerplate.other.iter().any(|l| l.starts_with("کد خبر")));
}

#[test]
fn seed_002_arabic_related_headlines_are_footer() {
    let c = seed("002_69fb2a966d6a8770.txt");
    assert_eq!(
        c.title.as_deref(),
        Some("بعد الهجوم الإلكتروني الإيراني.. الناتو يدعم ألبانيا")
    );
    // The standfirst under the headline is article text.
    assert!(
        c.text
            .starts_with("قطعت ألبانيا العلاقات الدبلوماسية مع طهران، الأربعاء"),
        "{}",
        c.text
    );
    assert!(c.text.ends_with("الميناء الرئيسي في البلاد."), "{}", c.text);
    for furniture in ["أرامكو", "سوريا -", "مجموعة الحكير", "أسواق المال"] {
        assert!(!c.text.contains(furniture), "{furniture} left in the text");
    }
    assert_eq!(c.boilerplate.footer.len(), 7, "{:?}", c.boilerplate.footer);
    assert_eq!(c.boilerplate.footer[0], "-");
}

#[test]
fn seed_004_arabic_end_marker_and_wire_credit() {
    let c = seed("004_7e47baae7ec09d11.txt");
    // The first line is the lead sentence, not a headline.
    assert_eq!(c.title, None);
    assert!(
        c.text
            .starts_with("قال سفير ومندوب إيران الدائم لدى الامم المتحدة")
    );
    assert!(!c.text.contains("انتهى"));
    assert!(
        c.text
            .ends_with("يسعى بنشاط إلى تحقيق أهداف مجموعة العمل المفتوحة."),
        "{}",
        c.text
    );
    assert_eq!(c.boilerplate.credits, ["وكالة مهر للأنباء"]);
}
