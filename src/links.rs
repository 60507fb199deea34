//! Where the links and the inline code of a line lie: text no stage may
//! change.
//!
//! A URL is copied into a browser or a linkifier byte for byte, so the
//! punctuation stage must not make its ASCII brackets fullwidth
//! (`https://zh.wikipedia.org/wiki/香港_(城市)`), and the spacing stage must
//! not glue CJK text onto its end, which would move the end of the link.
//!
//! The spans follow GitHub's extended autolinks, which is what most
//! linkifiers do: a link starts at `http://`, `https://`, `ftp://` or `www.`
//! (not inside a word) and runs to the next whitespace, ideographs included
//! (paths of Chinese Wikipedia), but not past CJK punctuation (`，` `。`
//! `」`) or typographic quotes (`”`), which no URL writes unescaped and
//! which end the link for a reader, nor past a backtick (Markdown code
//! around it), nor past a `)` that closes a `(` opened
//! before the link. Trailing `. , : ; ! ? ' " * _ ~` are not part of it.

use memchr::memmem;

/// The byte ranges of the links in `line`, in order. Empty (and no
/// allocation) when the line has no `://` and no `www.`.
pub(crate) fn spans(line: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = next_start(line, from) {
        let end = link_end(line, p);
        if end > p {
            out.push((p, end));
            from = end;
        } else {
            from = p + 1;
        }
    }
    out
}

/// The byte ranges of Markdown inline code in `line`, in order: a run of
/// backticks, text that neither starts nor ends with a space, and a run of
/// as many backticks (`` `x = 1` ``). Code is copied as it is: its spaces
/// and ASCII punctuation are the program's. A span a segmenter spaced
/// apart (`` ` x = 1 ` ``) is no code span: its spaces are the segmenter's.
/// Empty (and no allocation) when the line has no backtick.
pub(crate) fn code_spans(line: &str) -> Vec<(usize, usize)> {
    let bytes = line.as_bytes();
    if memchr::memchr(b'`', bytes).is_none() {
        return Vec::new();
    }
    // The runs of backticks, as (start, length).
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut at = 0;
    while let Some(p) = memchr::memchr(b'`', &bytes[at..]).map(|p| at + p) {
        let n = bytes[p..].iter().take_while(|&&b| b == b'`').count();
        runs.push((p, n));
        at = p + n;
    }
    // For each run, the next run as long (found in one backward pass), so
    // that pairing runs takes linear time.
    let mut next_same = vec![usize::MAX; runs.len()];
    let mut last_of_len: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for (i, &(_, n)) in runs.iter().enumerate().rev() {
        if let Some(&j) = last_of_len.get(&n) {
            next_same[i] = j;
        }
        last_of_len.insert(n, i);
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < runs.len() {
        let j = next_same[i];
        if j == usize::MAX {
            // No closing run: the backticks are literal.
            i += 1;
            continue;
        }
        let (open, n) = runs[i];
        let (close, m) = runs[j];
        let inner = &line[open + n..close];
        if !inner.is_empty() && !inner.starts_with([' ', '\t']) && !inner.ends_with([' ', '\t']) {
            out.push((open, close + m));
        }
        i = j + 1;
    }
    out
}

/// Links and inline code, in order and not overlapping (a link inside
/// code is part of the code).
pub(crate) fn verbatim_spans(line: &str) -> Vec<(usize, usize)> {
    let code = code_spans(line);
    let links = spans(line);
    if code.is_empty() {
        return links;
    }
    let mut out: Vec<(usize, usize)> = code.clone();
    for (s, e) in links {
        // A link inside code is code; one that runs into code ends there.
        if code.iter().any(|&(cs, ce)| cs <= s && s < ce) {
            continue;
        }
        let end = code.iter().map(|&(cs, _)| cs).filter(|&cs| s < cs && cs < e).min().unwrap_or(e);
        out.push((s, end));
    }
    out.sort_unstable();
    out
}

/// Whether `token` (a piece of text without whitespace) ends with a link.
pub(crate) fn ends_with_link(token: &str) -> bool {
    spans(token).last().is_some_and(|&(_, e)| e == token.len())
}

/// Where the next link may start at or after `from`: the scheme's first
/// letter or the `w` of `www.`, not after a letter or digit (fullwidth ones
/// count as the ASCII ones the punctuation stage makes of them).
fn next_start(line: &str, from: usize) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut at = from;
    loop {
        let rest = bytes.get(at..)?;
        // Most lines have neither mark: one scan for the bytes both need.
        memchr::memchr2(b':', b'.', rest)?;
        let colon = memmem::find(rest, b"://").map(|p| at + p);
        let www = memmem::find(rest, b"www.").map(|p| at + p);
        // The candidate start (none when no scheme we know ends at `://`)
        // and where to look next.
        let (start, next) = match (colon, www) {
            (Some(c), Some(w)) if w < c => (Some(w), w + 4),
            (Some(c), _) => {
                let scheme = [&b"https"[..], b"http", b"ftp"].into_iter().find(|s| bytes[..c].ends_with(s));
                (scheme.map(|s| c - s.len()), c + 3)
            }
            (None, Some(w)) => (Some(w), w + 4),
            (None, None) => return None,
        };
        let word_before = |s: usize| {
            line[..s]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphanumeric() || crate::chars::halfwidth_alnum(c).is_some())
        };
        if let Some(s) = start
            && s >= from
            && !word_before(s)
        {
            return Some(s);
        }
        at = next;
    }
}

/// The end of the link starting at `start` (`start` itself when what
/// follows the scheme is empty).
fn link_end(line: &str, start: usize) -> usize {
    // A `)` that closes a `(` opened before the link ends it too.
    let mut depth = 0usize;
    let body = line[start..]
        .char_indices()
        .find(|&(_, c)| {
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => return true,
                ')' => depth -= 1,
                _ => {}
            }
            c.is_whitespace()
                || matches!(c, '<' | '`' | '“' | '”' | '‘' | '’')
                || crate::chars::is_cjk_punct(c)
        })
        .map_or(line.len(), |(k, _)| start + k);
    let mut end = body;
    loop {
        let link = &line[start..end];
        // (Its parentheses balance: a `)` without its `(` ended it above.)
        match link.strip_suffix(['.', ',', ':', ';', '!', '?', '\'', '"', '*', '_', '~']) {
            Some(t) => end = start + t.len(),
            None => break,
        }
    }
    // Nothing after the scheme or `www.`: no link. (Its own scheme: a
    // `://` later in the line belongs to something else.)
    let minimal =
        if line[start..].starts_with("www.") { 4 } else { line[start..end].find("://").map_or(4, |p| p + 3) };
    if end <= start + minimal { start } else { end }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(line: &str) -> Vec<&str> {
        spans(line).into_iter().map(|(s, e)| &line[s..e]).collect()
    }

    #[test]
    fn links_run_to_whitespace_or_cjk_punctuation() {
        assert_eq!(
            links("見 https://zh.wikipedia.org/wiki/香港_(城市) 頁面"),
            ["https://zh.wikipedia.org/wiki/香港_(城市)"]
        );
        assert_eq!(links("見https://a.b/c，然後"), ["https://a.b/c"]);
        assert_eq!(links("網址：www.hkpc.org。"), ["www.hkpc.org"]);
        // A `://` later in the line is not this link's scheme.
        assert_eq!(links("www.R〆· 食://"), ["www.R〆·"]);
        assert_eq!(links("www.hkpc.org 與 a://b"), ["www.hkpc.org"]);
        assert_eq!(links("（https://a.b/x）"), ["https://a.b/x"]);
        assert_eq!(links("see (https://a.b/x), and ftp://f.g/h."), ["https://a.b/x", "ftp://f.g/h"]);
        assert_eq!(links("a http://x.y/z<b>"), ["http://x.y/z"]);
        assert_eq!(links("` http://x.y/z`０"), ["http://x.y/z"]);
        assert_eq!(links("‘http://x.y/z”Ａ"), ["http://x.y/z"]);
        assert_eq!(links("(香http://x.y/z)０"), ["http://x.y/z"]);
        assert_eq!(links("http://x.y/a_(b)c d"), ["http://x.y/a_(b)c"]);
    }

    fn code(line: &str) -> Vec<&str> {
        code_spans(line).into_iter().map(|(s, e)| &line[s..e]).collect()
    }

    #[test]
    fn inline_code_runs_between_backtick_runs_of_one_length() {
        assert_eq!(code("執行 `x = 1` 設定"), ["`x = 1`"]);
        assert_eq!(code("``a ` b`` 與 `c`"), ["``a ` b``", "`c`"]);
        // Spaced apart by a segmenter, unmatched, or empty: no code.
        for line in ["` x = 1 `", "a ` b", "``", "`` `", "```"] {
            assert!(code(line).is_empty(), "{line:?}");
        }
        // A pair spaced apart is still a pair: the next span starts after it.
        assert_eq!(code("` a ` b` c`"), Vec::<&str>::new());
        // A link inside code is code.
        let line = "見 `curl https://a.b/c` 與 https://d.e";
        let spans: Vec<&str> = verbatim_spans(line).into_iter().map(|(s, e)| &line[s..e]).collect();
        assert_eq!(spans, ["`curl https://a.b/c`", "https://d.e"]);
        // A link that runs into code ends where the code starts.
        let line = "見https://a.b/c０`香`";
        let spans: Vec<&str> = verbatim_spans(line).into_iter().map(|(s, e)| &line[s..e]).collect();
        assert_eq!(spans, ["https://a.b/c０", "`香`"]);
    }

    #[test]
    fn no_link() {
        for line in
            ["", "香港", "awww.x", "xhttps://a.b", "２http://a.b", "https://", "www.", "re://x", "http:/a"]
        {
            assert!(links(line).is_empty(), "{line:?}");
        }
        assert!(ends_with_link("見https://a.b/c"));
        assert!(!ends_with_link("https://a.b/c。"));
    }
}
