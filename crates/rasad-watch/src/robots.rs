//! robots.txt (RFC 9309): the group for rasad's product token (else `*`), `Allow`/`Disallow` with
//! `*` and `$`, longest match winning and `Allow` winning a tie, and `Crawl-delay`.

use std::time::Duration;

/// One robots.txt group: its user agents, its rules (allow?, path prefix) and its crawl delay.
type Group = (Vec<String>, Vec<(bool, String)>, Option<Duration>);

/// The rules a site gives rasad.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Robots {
    /// (allow, pattern)
    rules: Vec<(bool, String)>,
    pub crawl_delay: Option<Duration>,
    /// Why robots.txt could not be read, when it could not. RFC 9309 §2.3.1.4: when robots.txt is
    /// unreachable (5xx, network error), assume everything is disallowed until it can be read.
    unreachable: Option<String>,
}

/// The longest robots.txt read (RFC 9309 asks parsers to read at least 500 KiB).
pub const MAX_ROBOTS_BYTES: u64 = 512 * 1024;

impl Robots {
    /// No robots.txt (404 and other 4xx): everything is allowed.
    #[must_use]
    pub fn allow_all() -> Self {
        Self::default()
    }

    /// robots.txt could not be reached: nothing is allowed for now.
    #[must_use]
    pub fn unreachable(reason: impl Into<String>) -> Self {
        Self {
            unreachable: Some(reason.into()),
            ..Self::default()
        }
    }

    /// Parses robots.txt for the product token `agent` (matched case-insensitively).
    #[must_use]
    pub fn parse(text: &str, agent: &str) -> Self {
        let agent = agent.to_ascii_lowercase();
        let mut groups: Vec<Group> = Vec::new();
        let mut in_agents = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" => {
                    if !in_agents {
                        groups.push((Vec::new(), Vec::new(), None));
                        in_agents = true;
                    }
                    if let Some(g) = groups.last_mut() {
                        g.0.push(value.to_ascii_lowercase());
                    }
                }
                "allow" | "disallow" => {
                    in_agents = false;
                    if let Some(g) = groups.last_mut()
                        && !value.is_empty()
                    {
                        g.1.push((key == "allow", value.to_string()));
                    }
                }
                "crawl-delay" => {
                    in_agents = false;
                    if let Some(g) = groups.last_mut() {
                        g.2 = value
                            .parse::<f64>()
                            .ok()
                            .filter(|d| d.is_finite() && *d >= 0.0)
                            .map(|d| Duration::from_secs_f64(d.min(3600.0)));
                    }
                }
                _ => {}
            }
        }
        let matches = |g: &(Vec<String>, _, _), wanted: &str| g.0.iter().any(|a| a == wanted);
        let mine: Vec<_> = groups
            .iter()
            .filter(|g| g.0.iter().any(|a| a != "*" && agent.starts_with(a.as_str())))
            .collect();
        let chosen: Vec<_> = if mine.is_empty() {
            groups.iter().filter(|g| matches(g, "*")).collect()
        } else {
            mine
        };
        // Groups for the same agent are combined (RFC 9309 §2.2.1).
        let mut robots = Self::default();
        for g in chosen {
            robots.rules.extend(g.1.iter().cloned());
            robots.crawl_delay = robots.crawl_delay.or(g.2);
        }
        robots
    }

    /// True for the answer to an unreachable robots.txt, which is asked again sooner.
    #[must_use]
    pub fn unreachable_now(&self) -> bool {
        self.unreachable.is_some()
    }

    /// Why robots.txt could not be read (network error, server error), when it could not.
    #[must_use]
    pub fn unreachable_reason(&self) -> Option<&str> {
        self.unreachable.as_deref()
    }

    /// Whether `path` (path and query of a URL) may be fetched.
    #[must_use]
    pub fn allows(&self, path: &str) -> bool {
        if self.unreachable_now() {
            return false;
        }
        if path == "/robots.txt" {
            return true;
        }
        let mut best: Option<(usize, bool)> = None;
        for (allow, pattern) in &self.rules {
            if pattern_matches(pattern, path) {
                let len = pattern.len();
                best = match best {
                    Some((l, a)) if l > len || (l == len && a) => Some((l, a)),
                    _ => Some((len, *allow)),
                };
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// A robots.txt path pattern: a prefix, where `*` matches any run and a final `$` anchors the end.
fn pattern_matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut at = 0;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            if !path.starts_with(part) {
                return false;
            }
            at = part.len();
            continue;
        }
        let Some(rest) = path.get(at..) else { return false };
        if i == parts.len() - 1 && anchored {
            // The last part must end the path.
            return rest.ends_with(part) && rest.len() >= part.len();
        }
        match rest.find(part) {
            Some(found) => at += found + part.len(),
            None => return false,
        }
    }
    !anchored || at == path.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROBOTS: &str = "
# comment
User-agent: googlebot
Disallow: /

User-agent: *
Disallow: /private/
Allow: /private/open
Disallow: /*.pdf$
Crawl-delay: 5

User-agent: rasad
User-agent: other
Disallow: /no-rasad
";

    #[test]
    fn the_group_for_rasad_wins_over_star() {
        let r = Robots::parse(ROBOTS, "rasad/0.1");
        assert!(!r.allows("/no-rasad/x"));
        assert!(r.allows("/private/x"));
        assert_eq!(r.crawl_delay, None);
    }

    #[test]
    fn star_rules_longest_match_and_anchors() {
        let r = Robots::parse(ROBOTS, "someone");
        assert!(!r.allows("/private/x"));
        assert!(r.allows("/private/open/x"));
        assert!(!r.allows("/docs/a.pdf"));
        assert!(r.allows("/docs/a.pdf?x=1"));
        assert!(r.allows("/news/1"));
        assert!(r.allows("/robots.txt"));
        assert_eq!(r.crawl_delay, Some(Duration::from_secs(5)));
    }

    #[test]
    fn missing_and_unreachable() {
        assert!(Robots::allow_all().allows("/x"));
        let down = Robots::unreachable("HTTP 503");
        assert!(!down.allows("/x"));
        assert_eq!(down.unreachable_reason(), Some("HTTP 503"));
        assert!(Robots::parse("garbage\n\0\nDisallow /x", "rasad").allows("/x"));
        let empty = Robots::parse("User-agent: *\nDisallow:\n", "rasad");
        assert!(empty.allows("/anything"));
    }

    #[test]
    fn patterns() {
        assert!(pattern_matches("/a*b", "/axxb/c"));
        assert!(!pattern_matches("/a*b$", "/axxb/c"));
        assert!(pattern_matches("/a*b$", "/axxb"));
        assert!(pattern_matches("/", "/anything"));
        assert!(pattern_matches("*", ""));
        assert!(!pattern_matches("/x$", "/xy"));
    }
}
