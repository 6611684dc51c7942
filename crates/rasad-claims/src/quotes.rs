//! Quotes: who said what, with the speech verb and its stance.
//!
//! A quote needs a speech verb (`data/claims/speech_verbs.tsv`) and content the verb introduces in
//! the same sentence: quotation marks ("…", «…», “…”), a colon ("آمده است: …"), or a complementizer
//! (إن، أن، بأن، که، that) and the rest of the sentence. A verb with nothing it introduces is not a
//! quote: precision first. The speaker is the entity next to the verb by the language's word order
//! (Arabic puts the subject after the verb, Persian and English before it); a verb without one
//! ("وأضاف أن", "افزود", "he added") carries the previous quote's speaker.

use std::sync::OnceLock;

use rasad_entities::phrases::PhraseIndex;
use rasad_model::{Entity, EntityKind, Lang, Quote, Span, Stance};
use rasad_normalize::{Token, search_key, shared_tokens};

use crate::words::{parse_lang, rows};

const DATA: &str = include_str!("../../../data/claims/speech_verbs.tsv");
/// How many words may sit between a verb and what it introduces ("قال راما، في خطاب مصور نادر، إن").
const MAX_GAP_WORDS: usize = 20;
/// How many sentences back a verb without a speaker looks for the previous speaker.
const CARRY_SENTENCES: usize = 3;
/// How many characters before a mention are read for "به گزارش".
const REPORTED_BY_CHARS: usize = 24;

struct Verbs {
    index: PhraseIndex,
    stances: Vec<Stance>,
}

fn verbs() -> &'static Verbs {
    static VERBS: OnceLock<Verbs> = OnceLock::new();
    VERBS.get_or_init(|| {
        let mut verbs = Verbs {
            index: PhraseIndex::default(),
            stances: Vec::new(),
        };
        for f in rows(DATA) {
            let (Some(lang), Some(stance), Some(form)) = (
                f.first().and_then(|l| parse_lang(l)),
                f.get(1).and_then(|s| parse_stance(s)),
                f.get(2),
            ) else {
                continue;
            };
            verbs.stances.push(stance);
            verbs.index.insert(form, lang, verbs.stances.len() - 1);
        }
        verbs
    })
}

fn parse_stance(s: &str) -> Option<Stance> {
    Some(match s {
        "assert" => Stance::Assert,
        "claim" => Stance::Claim,
        "deny" => Stance::Deny,
        "reject" => Stance::Reject,
        "condemn" => Stance::Condemn,
        "confirm" => Stance::Confirm,
        "warn" => Stance::Warn,
        "demand" => Stance::Demand,
        _ => return None,
    })
}

/// Complementizers that open reported speech, as search keys (with their clitics: بأن، وأن).
fn is_complementizer(key: &str) -> bool {
    matches!(
        key,
        "ان" | "انه" | "انها" | "بان" | "بانه" | "بانها" | "انهم" | "بانهم" | "كه" | "that"
    )
}

const OPEN_QUOTES: [char; 4] = ['"', '«', '“', '„'];

fn closing_quote(open: char) -> char {
    match open {
        '«' => '»',
        '“' | '„' => '”',
        _ => '"',
    }
}

/// Sentences as byte ranges: a paragraph break, or . ! ? ؟ followed by a space or an Arabic-script
/// letter outside quotation marks, ends one.
pub(crate) fn sentences(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut open: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match open {
            Some(o) if c == closing_quote(o) => open = None,
            None if OPEN_QUOTES.contains(&c) => open = Some(c),
            _ => {}
        }
        let next_is_space = chars.peek().is_none_or(|(_, n)| n.is_whitespace());
        // Copied Arabic and Persian text often lacks the space after a full stop ("الماضي.وقال");
        // a dot right before an Arabic-script letter ends a sentence too (a Latin letter or digit
        // after it is an abbreviation, a number or a domain).
        let next_is_arabic = chars
            .peek()
            .is_some_and(|(_, n)| ('\u{0621}'..='\u{06FF}').contains(n));
        let end_here = c == '\n'
            || (open.is_none() && matches!(c, '.' | '!' | '?' | '؟') && (next_is_space || next_is_arabic));
        if end_here {
            let end = at + c.len_utf8();
            if text.get(start..end).is_some_and(|s| !s.trim().is_empty()) {
                out.push(Span::new(start, end));
            }
            start = end;
        }
    }
    if text.get(start..).is_some_and(|s| !s.trim().is_empty()) {
        out.push(Span::new(start, text.len()));
    }
    out
}

/// A mention that may speak: not an adjective, not a place name inside "به گزارش X".
#[derive(Debug, Clone)]
struct Speaker<'e> {
    id: &'e str,
    kind: EntityKind,
    span: Span,
}

fn speakers<'e>(text: &str, entities: &'e [Entity]) -> Vec<Speaker<'e>> {
    let mut out: Vec<Speaker<'e>> = entities
        .iter()
        .filter(|e| e.kind != EntityKind::Malware)
        .flat_map(|e| {
            e.mentions.iter().filter(|m| !m.adjective).map(move |m| Speaker {
                id: e.id.as_str(),
                kind: e.kind,
                span: m.span,
            })
        })
        // "به گزارش جام جم" names the outlet that reports, not a speaker.
        .filter(|s| {
            // Only the few words before the mention matter; folding the whole prefix would be
            // quadratic in the article's length.
            let before = text.get(..s.span.start).unwrap_or("").trim_end();
            let from = before
                .char_indices()
                .rev()
                .nth(REPORTED_BY_CHARS)
                .map_or(0, |(i, _)| i);
            !search_key(before.get(from..).unwrap_or(""))
                .text
                .ends_with("به گزارش")
        })
        .collect();
    // Outermost first at each position: "سفارت جمهوری اسلامی ایران" before the "ایران" inside it.
    out.sort_by_key(|s| (s.span.start, std::cmp::Reverse(s.span.end)));
    out.dedup_by(|inner, outer| outer.span.contains(&inner.span));
    out
}

/// Verbs that continue the previous speaker when they have no subject of their own: "وأضاف أن",
/// "قائلا إن", "افزود", "می افزاید", "added".
fn continues(verb_key: &str) -> bool {
    matches!(
        verb_key,
        "اضاف" | "اضافت" | "قايلا" | "قايله" | "افزود" | "مي افزايد" | "added" | "adding"
    )
}

/// What a verb introduces: the content span, whether it is in quotation marks, and where the
/// introducing mark or word begins. `stop_token` is where the next speech verb begins.
fn content_after(
    text: &str,
    tokens: &[Token],
    verb_end_token: usize,
    stop_token: usize,
    sentence: Span,
) -> Option<(Span, bool, usize)> {
    let after_verb = tokens.get(verb_end_token.checked_sub(1)?)?.span.end;
    let limit_token = (verb_end_token + MAX_GAP_WORDS).min(tokens.len()).min(stop_token);
    let window_end = tokens
        .get(limit_token)
        .map_or(sentence.end, |t| t.span.start)
        .min(sentence.end);
    let window = text.get(after_verb..window_end)?;
    // Whichever of a quotation mark, a colon and a complementizer comes first introduces the content;
    // a complementizer that opens a quotation ("وأضاف أن "…"") introduces the quotation.
    let quote_at = window.find(OPEN_QUOTES).map(|i| after_verb + i);
    let colon_at = window.find([':', '：']).map(|i| after_verb + i);
    let comp = (verb_end_token..limit_token).find(|&i| {
        tokens
            .get(i)
            .is_some_and(|t| t.span.end <= sentence.end && is_complementizer(&t.key))
    });
    let comp_at = comp.and_then(|i| tokens.get(i)).map(|t| t.span.start);
    let first = [quote_at, colon_at, comp_at].into_iter().flatten().min()?;
    if let Some(q) = quote_at
        && Some(first) != colon_at
    {
        return quoted(text, q, sentence).map(|s| (s, true, q));
    }
    if Some(first) == colon_at {
        let start = first + 1;
        let rest = text.get(start..sentence.end)?;
        let lead = rest.len() - rest.trim_start().len();
        if rest.trim_start().starts_with(OPEN_QUOTES) {
            return quoted(text, start + lead, sentence).map(|s| (s, true, start));
        }
        return trimmed(text, Span::new(start, sentence.end)).map(|s| (s, false, start));
    }
    let comp_token = tokens.get(comp?)?;
    trimmed(text, Span::new(comp_token.span.end, sentence.end)).map(|s| (s, false, comp_token.span.start))
}

/// The text inside the quotation that opens at `open_at`.
fn quoted(text: &str, open_at: usize, sentence: Span) -> Option<Span> {
    let open = text.get(open_at..)?.chars().next()?;
    let inner_start = open_at + open.len_utf8();
    let close = closing_quote(open);
    let rest = text.get(inner_start..)?;
    let inner_end = rest
        .find(close)
        .map_or(sentence.end.max(inner_start), |i| inner_start + i);
    trimmed(text, Span::new(inner_start, inner_end))
}

/// A span without surrounding spaces and closing punctuation.
fn trimmed(text: &str, span: Span) -> Option<Span> {
    let s = text.get(span.start..span.end)?;
    let lead = s.len() - s.trim_start().len();
    let body = s
        .trim()
        .trim_end_matches(['.', '،', ',', '؛', ';', '"', '»', '”'])
        .trim_end();
    (!body.is_empty()).then(|| Span::new(span.start + lead, span.start + lead + body.len()))
}

/// The token index at which a byte offset begins (the first token starting at or after it).
fn token_at(tokens: &[Token], offset: usize) -> usize {
    tokens.partition_point(|t| t.span.start < offset)
}

/// Whether every token in `from..to` is part of a title or a filler (سفير ومندوب إيران الدائم …).
fn only_titles(tokens: &[Token], from: usize, to: usize, lang: Lang) -> bool {
    (from..to).all(|i| {
        tokens.get(i).is_some_and(|t| {
            rasad_entities::phrases::token_forms(t, lang)
                .iter()
                .any(|f| rasad_entities::titles::is_title_word(f))
        })
    })
}

/// The quotes of `text`, given its entities.
#[must_use]
pub fn extract(text: &str, lang: Lang, entities: &[Entity]) -> Vec<Quote> {
    let tokens = shared_tokens(text);
    let table = verbs();
    let sentence_spans = sentences(text);
    let candidates = speakers(text, entities);
    let verb_matches = table.index.find_all(text, &tokens, lang);
    let mut out: Vec<Quote> = Vec::new();
    // The subject of the latest speech verb, with its sentence: a later verb without a subject of its
    // own in the same sentence ("نددت طهران … ووصفت") shares it.
    let mut last_subject: Option<(usize, String, Span)> = None;
    for (n, m) in verb_matches.iter().enumerate() {
        let Some(&stance) = m.values.first().and_then(|&v| table.stances.get(v)) else {
            continue;
        };
        let Some((sentence_no, sentence)) = sentence_spans
            .iter()
            .enumerate()
            .find(|(_, s)| s.contains(&m.span))
        else {
            continue;
        };
        // Inside an earlier quote's content: a verb the speaker used, not a new quote.
        if out.iter().any(|q| q.span.contains(&m.span)) {
            continue;
        }
        let next_verb = verb_matches.get(n + 1).map_or(tokens.len(), |v| v.start);
        let content = content_after(text, &tokens, m.end, next_verb, *sentence);
        let content_start = content.map_or(sentence.end, |(_, _, at)| at);
        let in_sentence = |s: &&Speaker<'_>| sentence.contains(&s.span);
        let between: Vec<&Speaker<'_>> = candidates
            .iter()
            .filter(in_sentence)
            .filter(|s| s.span.start >= m.span.end && s.span.end <= content_start)
            .collect();
        // The subject right after the verb, with only title words before it (VSO).
        let immediate = between
            .first()
            .copied()
            .filter(|s| only_titles(&tokens, m.end, token_at(&tokens, s.span.start), lang));
        let after = immediate.map(|first| {
            between
                .iter()
                .copied()
                .find(|s| s.kind == EntityKind::Person)
                .unwrap_or(first)
        });
        let before: Vec<&Speaker<'_>> = candidates
            .iter()
            .filter(in_sentence)
            .filter(|s| s.span.end <= m.span.start)
            .filter(|s| !matches!(s.kind, EntityKind::Company | EntityKind::NewsOutlet))
            .collect();
        let same_sentence = last_subject
            .as_ref()
            .filter(|(no, _, _)| *no == sentence_no)
            .cloned();
        // The first speech verb of this sentence: an Arabic subject before the verb (SVO) stands before
        // it; a name between two coordinated verbs is an object ("وأشار إلى المواقف البناءة لإيران وقال").
        let first_verb_start = verb_matches
            .iter()
            .find(|v| v.span.start >= sentence.start)
            .map_or(m.span.start, |v| v.span.start);
        let verb_key = m.span.slice(text).map(|v| search_key(v).text).unwrap_or_default();
        // Arabic drops a pronoun subject ("وأشار إلى أن" is "and he pointed out that"): any verb
        // without a subject continues the previous one. Persian and English need a verb of
        // continuation ("افزود", "added").
        let carries = lang == Lang::Ar || continues(&candidate_stem(&verb_key, lang));
        let carried = || {
            last_subject
                .as_ref()
                .filter(|(no, _, _)| carries && sentence_no.saturating_sub(*no) <= CARRY_SENTENCES)
                .cloned()
        };
        let own = match lang {
            Lang::Ar => after.or_else(|| {
                before
                    .iter()
                    .copied()
                    .rfind(|s| s.span.end <= first_verb_start)
                    .filter(|_| same_sentence.is_none())
            }),
            Lang::Fa | Lang::Ur => before.first().copied().or(after),
            _ => before.last().copied().or(after),
        };
        let speaker: Option<(usize, String, Span)> = own
            .map(|s| (sentence_no, s.id.to_string(), s.span))
            .or(same_sentence)
            .or_else(carried);
        if let Some(s) = &speaker {
            last_subject = Some((sentence_no, s.1.clone(), s.2));
        }
        let Some((content, direct, _)) = content else {
            continue;
        };
        let (Some(verb), Some(quote_text)) = (m.span.slice(text), content.slice(text)) else {
            continue;
        };
        out.push(Quote {
            speaker: speaker.as_ref().map(|(_, id, _)| id.clone()),
            speaker_span: own.map(|s| s.span),
            verb: verb.to_string(),
            verb_span: m.span,
            stance,
            text: quote_text.to_string(),
            span: content,
            direct,
        });
    }
    out
}

/// A verb's key without a leading conjunction (وأضاف → اضاف), for the continuation list.
fn candidate_stem(key: &str, lang: Lang) -> String {
    rasad_normalize::candidates(key, lang)
        .into_iter()
        .find(|c| continues(c))
        .unwrap_or_else(|| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_do_not_end_inside_quotation_marks() {
        let text = "قال: \"هذا. وذاك\". ثم مضى.\nسطر";
        let got: Vec<&str> = sentences(text).iter().filter_map(|s| s.slice(text)).collect();
        assert_eq!(got, ["قال: \"هذا. وذاك\".", " ثم مضى.", "سطر"]);
    }

    #[test]
    fn a_full_stop_without_its_space_ends_an_arabic_sentence() {
        let text = "وقع الاختراق الشهر الماضي.وقال باحثون إن jpost.com مصدر 3.5";
        let got: Vec<&str> = sentences(text).iter().filter_map(|s| s.slice(text)).collect();
        assert_eq!(
            got,
            ["وقع الاختراق الشهر الماضي.", "وقال باحثون إن jpost.com مصدر 3.5"]
        );
    }

    #[test]
    fn every_verb_has_a_stance() {
        let table = verbs();
        assert!(!table.index.is_empty());
        assert_eq!(rows(DATA).count(), table.stances.len());
    }
}
