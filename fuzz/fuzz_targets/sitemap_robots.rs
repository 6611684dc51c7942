//! What sites serve the watcher besides feeds: sitemaps (and sitemap indexes) and robots.txt.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = rasad_watch::sitemap::parse(&text);
    let robots = rasad_watch::robots::Robots::parse(&text, "rasad");
    let _ = robots.allows("/a/b?c=d");
    let _ = robots.allows(&text);
});
